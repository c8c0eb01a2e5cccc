import Dashboard
import Datasets
import NeuralNet
import RunModel
import Synchronization
import TestSupport
import Testing
import Training

/// Keys pressed faster than the trainer's answers reach the screen: a real trainer on its queue
/// and the dashboard's controller, with the trainer's change events held back and handed over one
/// at a time between presses (a slow screen). Every press must be one rung, in order; the logged
/// changes must chain and agree with the panel and the status line.
@Suite(.serialized) struct FastInputTests {
  /// What the training queue has emitted, for the test thread to hand to the controller.
  final class Outbox: Sendable {
    private let events = Mutex<[RunEvent]>([])
    func post(_ event: RunEvent) { events.withLock { $0.append(event) } }
    var all: [RunEvent] { events.withLock { $0 } }
    var changes: [HyperparameterChange] {
      all.compactMap { if case .hyperparameterChanged(let c) = $0 { c } else { nil } }
    }
  }

  /// A circles run (started paused, or running at a pace slower than the keys) and a controller
  /// that sees its events only when the test hands them over.
  struct Rig {
    let session = TrainingSession()
    let outbox = Outbox()
    let controller: DashboardController
    var applied = 0

    init(paused: Bool) {
      let bundle = Synthetic.make(.circles, seed: 1)
      var configuration = TrainingConfiguration(
        network: NetworkSpec(
          inputSize: 2, hiddenSizes: [8], outputSize: 1, activation: .relu, loss: .sigmoidBinaryCrossEntropy),
        hyperparameters: Hyperparameters(learningRate: 0.05, momentum: 0.9, dropout: 0.2),
        batchSize: 32, epochs: 1_000, statisticsEvery: 5)
      configuration.startPaused = paused
      configuration.pace = paused ? nil : 20
      controller = DashboardController(view: ViewOptions(themes: [.builtIn], glyphs: .unicode))
      let outbox = outbox
      session.start(configuration: configuration, dataset: bundle) { outbox.post($0) }
    }

    /// Presses `key`, posting what it sends to the trainer.
    func press(_ key: Character) {
      for (command, source) in controller.handle(.character(key)) {
        session.mailbox.post(command, source: source)
      }
    }

    /// Hands the controller every event up to and including the `n`th change (waiting for it).
    mutating func deliver(changes n: Int) {
      waitUntil("\(n) changes") { outbox.changes.count >= n }
      let events = outbox.all
      var seen = events[..<applied].filter(\.isChange).count
      while applied < events.count, seen < n {
        if events[applied].isChange { seen += 1 }
        controller.apply(events[applied], now: 0)
        applied += 1
      }
    }

    /// Hands over everything once `count` changes have arrived.
    mutating func deliverAll(expecting count: Int) {
      waitUntil("\(count) changes") { outbox.changes.count >= count }
      let events = outbox.all
      for event in events[applied...] { controller.apply(event, now: 0) }
      applied = events.count
    }

    func stop() {
      session.mailbox.post(.stop)
      _ = session.waitUntilFinished()
    }
  }

  /// Five presses of `up` then five of `down` on `knob`, with answers held back; checks the chain.
  func checkPresses(paused: Bool) {
    var rig = Rig(paused: paused)
    if paused { waitUntil("the pause") { rig.outbox.all.contains(where: \.isPause) } }
    rig.deliverAll(expecting: 0)
    // Dropout up: three presses, then the first answer only (a stale one), then two more.
    for _ in 0..<3 { rig.press("D") }
    rig.deliver(changes: 1)
    for _ in 0..<2 { rig.press("D") }
    // Learning rate down, five presses, answers trickling in between them.
    for i in 0..<5 {
      rig.press("l")
      rig.deliver(changes: 5 + i / 2)
    }
    rig.deliverAll(expecting: 10)
    rig.stop()
    let changes = rig.outbox.changes.filter { $0.source.isPerson }
    let dropout = changes.filter { $0.knob == .dropout }
    let rate = changes.filter { $0.knob == .learningRate }
    #expect(dropout.map(\.newValue) == [0.25, 0.3, 0.35, 0.4, 0.45])
    #expect(rate.map(\.newValue) == [0.02, 0.01, 5e-3, 2e-3, 1e-3])
    for list in [dropout, rate] {
      for (a, b) in zip(list, list.dropFirst()) { #expect(b.oldValue == a.newValue, "\(a) then \(b)") }
      for c in list {
        let up = c.source == .key("D")
        #expect(up ? c.newValue > c.oldValue : c.newValue < c.oldValue, "\(c.source) moved \(c)")
      }
    }
    let state = rig.controller.state
    #expect(state.value(of: .dropout) == 0.45)
    #expect(state.value(of: .learningRate) == 1e-3)
    // The step's presses from where the rate stood before the first of them.
    #expect(state.message.hasPrefix("lr 0.05 → 0.001"), "\(state.message)")
    let frame = rig.controller.render(width: 120, height: 40, now: 0).lines.joined(separator: "\n")
    #expect(frame.contains("dropout       0.45"))
    #expect(frame.contains("learning rate 0.001"))
  }

  @Test func keysPressedWhilePausedAreEachOneRungInOrder() { checkPresses(paused: true) }

  @Test func keysPressedWhileRunningAreEachOneRungInOrder() { checkPresses(paused: false) }
}

extension RunEvent {
  fileprivate var isChange: Bool { if case .hyperparameterChanged = self { true } else { false } }
  fileprivate var isPause: Bool { if case .paused = self { true } else { false } }
}

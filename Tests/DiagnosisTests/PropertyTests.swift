import Diagnosis
import NeuralNet
import RunModel
import Testing

/// The ends of the key ladders, where a finding must not ask to go further.
private let lrBottom = Knob.learningRate.ladder[0]
private let dropoutTop = Knob.dropout.ladder[Knob.dropout.ladder.count - 1]
private let l2Top = Knob.l2.ladder[Knob.l2.ladder.count - 1]

/// Random histories, from a seeded generator so a failure can be re-run: whatever the signals,
/// no finding may ask for an impossible or harmful turn of a knob.
@Suite struct PropertyTests {
  typealias F = Fixture

  struct Generator {
    var rng: SeededGenerator

    mutating func pick<T>(_ values: [T]) -> T { values[rng.nextInt(below: values.count)] }
    mutating func chance(_ p: Double) -> Bool { Double(rng.nextUnitFloat()) < p }
    mutating func uniform(_ low: Double, _ high: Double) -> Double {
      low + (high - low) * Double(rng.nextUnitFloat())
    }

    mutating func loss() -> Double {
      chance(0.05) ? pick([.nan, .infinity, 1e6, 3.8e22]) : uniform(0, 3)
    }

    mutating func layers(_ names: [String]) -> [LayerStatistics] {
      names.map { name in
        F.layer(
          name, dead: chance(0.3) ? uniform(0.5, 1) : uniform(0, 0.5),
          saturated: chance(0.3) ? uniform(0.5, 1) : uniform(0, 0.5),
          gradient: pick([0, 1e-8, 5e-6, 1e-3, 0.1, 10, 1e4]), update: pick([0, 1e-7, 1e-5, 1e-3, 0.05, 0.5]))
      }
    }

    mutating func header() -> RunEvent {
      let depth = 1 + rng.nextInt(below: 4)
      let available = pick([1_000, 55_000])
      return F.header(
        hidden: (0..<depth).map { _ in pick([4, 8, 32, 128, 800]) }, activation: pick(Activation.allCases),
        initialization: pick([nil, .naive, .he, .xavier, .pytorch]), batchNorm: chance(0.3),
        optimizer: pick([.sgd, .adam]), lr: pick([lrBottom, 1e-3, 0.01, 0.05, 0.2, 0.5, 1, 3, 5]),
        dropout: pick([0, 0, 0.1, 0.5, dropoutTop]), l2: pick([0, 0, 1e-5, 1e-3, 0.05, l2Top]),
        trainCount: chance(0.5) ? available : pick([100, 1_000]), trainAvailable: available)
    }

    mutating func change(step: Int) -> RunEvent {
      let knob = pick(Knob.allCases)
      let value: Double
      switch knob {
      case .learningRate: value = pick([lrBottom, 1e-3, 0.05, 0.5, 3])
      case .momentum: value = pick([0, 0.5, 0.99])
      case .dropout: value = pick([0, 0.05, dropoutTop])
      case .l2: value = pick([0, 1e-5, l2Top])
      case .trainSize: value = pick([100, 1_000, 55_000])
      }
      return F.change(knob, from: 0, to: value, step: step)
    }

    /// A header, then a few hundred steps of events in a random mix.
    mutating func history() -> [RunEvent] {
      var events = [header()]
      let names = ["hidden1", "hidden2", "output"]
      var epoch = 0
      for step in stride(from: 10, through: 10 * (5 + rng.nextInt(below: 60)), by: 10) {
        switch rng.nextInt(below: 8) {
        case 0, 1: events.append(F.progress(step, loss: loss(), accuracy: chance(0.8) ? uniform(0, 1) : nil))
        case 2: events.append(F.snapshot(step, layers(names)))
        case 3: events.append(F.quick(step, loss: loss(), accuracy: uniform(0, 1)))
        case 4:
          epoch += 1
          events.append(
            F.epoch(
              epoch, train: loss(), val: loss(), trainAcc: chance(0.9) ? uniform(0, 1) : nil,
              valAcc: uniform(0, 1), step: step))
        case 5: events.append(change(step: step))
        case 6: if chance(0.2) { events.append(F.diverged(step)) }
        default: events.append(chance(0.5) ? .paused(step: step) : .resumed(step: step))
        }
      }
      return events
    }
  }

  /// The hard rule, checked against the history's own numbers rather than the module's helpers.
  func violations(_ finding: Finding, _ h: RunHistory) -> [String] {
    guard case .turn(let knob, let up) = finding.action else { return [] }
    let p = h.hyperparameters
    // The key ladders' ends, written out: the test must not share the module's arithmetic.
    let top = (dropout: dropoutTop, l2: l2Top, learningRateBottom: lrBottom)
    let ceiling = h.optimizer == .adam ? 1e-2 : 1.0
    var wrong: [String] = []
    switch (knob, up) {
    case (.dropout, false) where p.dropout <= 0: wrong.append("lower dropout at 0")
    case (.l2, false) where p.l2 <= 0: wrong.append("lower L2 at 0")
    case (.dropout, true) where p.dropout >= top.dropout:
      wrong.append("raise dropout at its top")
    case (.l2, true) where p.l2 >= top.l2: wrong.append("raise L2 at its top")
    case (.learningRate, false) where p.learningRate <= top.learningRateBottom:
      wrong.append("lower lr at its minimum")
    case (.learningRate, true):
      if 2 * p.learningRate >= ceiling { wrong.append("raise lr \(p.learningRate) into the diverging range") }
      if let diverged = h.lowestDivergingRate, 2 * p.learningRate >= diverged {
        wrong.append("raise lr \(p.learningRate) toward the rate \(diverged) it diverged at")
      }
    case (.trainSize, true) where (h.trainCount ?? 0) >= (h.trainAvailable ?? 0):
      wrong.append("more data when all is in use")
    default: break
    }
    return wrong.map { "\($0): \(finding.summary(keys: F.keys))" }
  }

  @Test func noFindingAsksForAnImpossibleTurn() {
    var generator = Generator(rng: SeededGenerator(seed: 2024))
    var kinds = Set<String>()
    for index in 0..<3_000 {
      let history = RunHistory(events: generator.history())
      let findings = Diagnosis.findings(for: history)
      #expect(!findings.isEmpty)
      #expect(findings.map(\.kind.rank) == findings.map(\.kind.rank).sorted(), "history \(index)")
      #expect(Set(findings.map(\.kind)).count == findings.count, "history \(index)")
      for finding in findings {
        kinds.insert(finding.verdict)
        let wrong = violations(finding, history)
        #expect(wrong.isEmpty, "history \(index): \(wrong)")
        #expect(!finding.summary(keys: F.keys).isEmpty && !finding.evidence.isEmpty)
      }
    }
    // The generator must reach the rules that turn knobs, or the property says nothing.
    for verdict in ["diverging", "loss exploding", "dead units", "underfitting", "overfitting"] {
      #expect(kinds.contains(verdict), "no history produced \(verdict)")
    }
  }

  @Test func theGuardIsNotTheOnlyThingKeepingTheRule() {
    // A regulariser at 0 with every underfitting signal: the cause must move on, not vanish.
    let events: [RunEvent] =
      [F.header(hidden: [256, 128], lr: 0.05)]
      + F.snapshots(count: 3, F.healthyLayers)
      + [
        F.epoch(1, train: 0.70, val: 0.69, trainAcc: 0.80, valAcc: 0.81),
        F.epoch(2, train: 0.69, val: 0.68, trainAcc: 0.80, valAcc: 0.81),
      ]
    let top = Fixture.findings(events)[0]
    #expect(top.kind == .underfitting(.capacity))
    #expect(top.action == .newRun([RunFlag("--hidden", "1024,512")]))
  }
}

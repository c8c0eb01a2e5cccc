import Dashboard
import Diagnosis
import RunModel
import Terminal
import TestSupport
import Testing

/// A run another program wrote (the PyTorch client's header says `writer: pytorch`): the lab's
/// views say they will not come instead of promising them "after the first epoch", and a new
/// run is advised in words, not in `nntop train` flags the user's script does not take.
@Suite struct OtherWriterTests {
  func events(writer: String?) -> [RunEvent] {
    var events = RunFixture.events(epochs: 2)
    if case .started(var header) = events[0] {
      header.writer = writer
      events[0] = .started(header)
    }
    return events
  }

  @Test(arguments: ["6", "7", "8", "u"])
  func labViewsSayTheyWillNotCome(key: String) {
    let pytorch = controller(events: events(writer: "pytorch"))
    _ = pytorch.handle(.character(Character(key)))
    let lines = pytorch.render(width: 80, height: 24, now: 0).lines.joined(separator: "\n")
    #expect(lines.contains("pytorch runs do not record this view"), "\(key)")
    let own = controller(events: events(writer: nil))
    _ = own.handle(.character(Character(key)))
    #expect(!own.render(width: 80, height: 24, now: 0).lines.joined().contains("do not record"), "\(key)")
  }

  /// A PyTorch scheduler moves the rate unannounced: the rate its records carry is the one the
  /// panel, the keys and the reading go by (its `lr` command sets the rate in effect); nntop's own
  /// runs keep the base their keys turn.
  @Test func anotherWritersRecordedRateIsTheRateInEffect() {
    func scheduled(writer: String?) -> DashboardController {
      var events = self.events(writer: writer)
      events.append(
        .progress(
          StepProgress(
            step: 900, epoch: 2.1, trainLoss: 0.2, trainAccuracy: 0.9, learningRate: 0.000625,
            samplesPerSecond: 1e5, elapsed: 3)))
      return controller(events: events)
    }
    let pytorch = scheduled(writer: "pytorch")
    #expect(pytorch.state.value(of: .learningRate) == 0.000625)
    #expect(pytorch.state.history.hyperparameters.learningRate == 0.000625)
    #expect(pytorch.handle(.character("L")).map(\.0) == [.turn(.learningRate, up: true)])
    #expect(pytorch.state.value(of: .learningRate) == 0.001)  // a rung up from the rate in effect
    let own = scheduled(writer: nil)
    #expect(own.state.value(of: .learningRate) == 0.05)
  }

  /// A 200-character `name=` gives up its middle in the header; the network stays (the header
  /// had read "nntop" alone).
  @Test func aLongRunNameLeavesTheHeaderItsNetwork() {
    var events = self.events(writer: "pytorch")
    if case .started(var header) = events[0] {
      header.dataset = String(repeating: "experiment-", count: 18) + "end"
      events[0] = .started(header)
    }
    let line = controller(events: events).render(width: 100, height: 30, now: 0).lines[0]
    #expect(line.contains("…") && line.contains("784-256-128-10 relu"), "\(line)")
  }

  /// A writer that did not say how long it trains: "step 4260", not "step 4260/0".
  @Test func aRunOfUnknownLengthHasNoTotal() {
    var events = self.events(writer: "pytorch")
    if case .started(var header) = events[0] {
      header.epochs = 0
      header.stepsPerEpoch = 0
      events[0] = .started(header)
    }
    let line = controller(events: events).render(width: 120, height: 40, now: 0).lines[1]
    #expect(line.contains("step ") && !line.contains("/0 "), "\(line)")
  }

  @Test func aNewRunIsAdvisedInWords() {
    let action = Action.newRun([RunFlag("--lr", "5"), RunFlag("--batch-norm")])
    #expect(action.text() == "new run with --lr 5 --batch-norm")
    #expect(action.text(nntopFlags: false) == "new run with lr 5, batch-norm")
  }
}

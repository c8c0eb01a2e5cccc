import NeuralNet
import RunModel
import Terminal
import TestSupport
import Testing

@testable import Dashboard

/// Momentum became a live knob by one row in the knob table: its keys, panel row, marker and
/// log record all follow from it.
@Suite struct KnobKeyTests {
  @Test func momentumKeysTurnItAlongItsLadderAndMarkTheChart() {
    let c = controller()
    #expect(KeyMap.action(for: .character("M")) == .raise(.momentum))
    #expect(KeyMap.action(for: .character("m")) == .lower(.momentum))
    let sent = c.handle(.character("M"))
    #expect(sent.count == 1)
    #expect(sent.first?.0 == .turn(.momentum, up: true))
    #expect(sent.first?.1 == .key("M"))
    #expect(c.state.value(of: .momentum) == 0.95)
    c.apply(
      .hyperparameterChanged(
        HyperparameterChange(
          step: 1290, epoch: 3, knob: .momentum, oldValue: 0.9, newValue: 0.95, source: .key("M"))), now: 0)
    #expect(c.state.markers.map(\.label) == ["mom↑0.95"])
    let text = c.render(width: 100, height: 30, now: 0).lines.joined(separator: "\n")
    #expect(text.contains("momentum      0.95      m/M"))
  }

  @Test func momentumDoesNothingForAdamAndSaysWhy() {
    var header = RunFixture.header()
    header.optimizer = .adam
    let c = controller(events: [.started(header)])
    #expect(c.handle(.character("M")).isEmpty)
    #expect(c.state.message == "momentum applies to SGD; this run uses adam")
    let text = c.render(width: 100, height: 30, now: 0).lines.joined(separator: "\n")
    #expect(text.contains("momentum      n/a (adam)"))
    // The row offers no keys that do nothing, at every size.
    for (width, height) in [(80, 24), (120, 40), (200, 60)] {
      let frame = c.render(width: width, height: height, now: 0)
      let (x, y) = frame.find("momentum      ") ?? (0, 0)
      let row = String(String.UnicodeScalarView(Array(frame.line(y).unicodeScalars)[(x - 2)...]))
      #expect(row.hasPrefix("▸ momentum      n/a (adam)  "), "\(width)×\(height): \(row)")
      #expect(!row.contains("m/M"), "\(width)×\(height): \(row)")
    }
  }

  /// The PyTorch client maps momentum to Adam's β₁ and the keys turn it there: a watched Adam
  /// run's row said "n/a (adam)" while `m` changed its β₁ from 0.9 to 0.8.
  @Test func anotherWritersAdamShowsItsBetaOneAndTheKeysSendIt() {
    var header = RunFixture.header()
    header.optimizer = .adam
    header.writer = "pytorch"
    let c = controller(events: [.started(header)], feed: .watch)
    c.view.remote = .commandLog
    let text = c.render(width: 100, height: 30, now: 0).lines.joined(separator: "\n")
    #expect(text.contains("momentum      0.9 (β₁)"), "\(text)")
    #expect(!text.contains("n/a"))
    #expect(c.handle(.character("m")).map(\.0) == [.set(.momentum, 0.8)])
  }
}

import Diagnosis
import RunModel
import Testing

/// The overfit lesson's real numbers (800-800 on 1 000 MNIST examples, epochs 1–14): the reading
/// must stay "overfitting" once validation has bottomed out, never "good fit", although the
/// validation accuracy wobbles by a few examples.
@Suite struct OverfitLessonTests {
  typealias F = Fixture
  static let trainLoss = [0.86, 0.6, 0.45, 0.3, 0.2, 0.1, 0.06, 0.04, 0.03, 0.02, 0.016, 0.014, 0.01, 0.009]
  static let trainAcc = [0.472, 0.837, 0.889, 0.932, 0.952, 0.976, 0.992, 0.997, 1, 0.999, 1, 0.999, 1, 1]
  static let valLoss = [
    0.8624, 0.6266, 0.5269, 0.5304, 0.4511, 0.3950, 0.4270, 0.4156, 0.4453, 0.4275, 0.4328, 0.4336, 0.4308,
    0.4395,
  ]
  static let valAcc = [
    0.7454, 0.7886, 0.8398, 0.8492, 0.8680, 0.8814, 0.8774, 0.8812, 0.8764, 0.8802, 0.8814, 0.8806, 0.8862,
    0.8838,
  ]

  /// The lesson's first `epochs` epochs, as the run reported them.
  static func events(epochs: Int) -> [RunEvent] {
    [F.header(hidden: [800, 800], trainCount: 1_000)]
      + (0..<epochs).map { e in
        F.epoch(
          e + 1, train: trainLoss[e], val: valLoss[e], trainAcc: trainAcc[e], valAcc: valAcc[e],
          step: 8 * (e + 1))
      }
  }

  func findings(epochs: Int) -> [Finding] { F.findings(Self.events(epochs: epochs)) }

  @Test func onceValidationBottomsOutItIsOverfittingEveryEpoch() {
    for epochs in 8...14 {
      let top = findings(epochs: epochs)[0]
      #expect(top.kind == .overfitting, "epoch \(epochs): \(top.line)")
      #expect(top.action == .turn(.l2, up: true))
    }
  }

  @Test func aLargeSteadyGapIsHighVarianceNotAGoodFit() {
    // Validation at a new best (so not overfitting), but 12 points below training.
    var events: [RunEvent] = [F.header(hidden: [800, 800], trainCount: 1_000)]
    for e in 1...4 {
      events.append(
        F.epoch(e, train: 0.01, val: 0.5 - 0.01 * Double(e), trainAcc: 1, valAcc: 0.88, step: 8 * e))
    }
    let top = F.findings(events)[0]
    #expect(top.kind == .highVariance)
    // The lesson's card: L2 stops validation worsening; only more data closes the gap.
    #expect(top.line == "high variance: train acc 100 % vs val 88 % → more training examples (E)")
    // With every example in use, the regulariser is what is left.
    events[0] = F.header(hidden: [800, 800], trainCount: 1_000, trainAvailable: 1_000)
    #expect(F.findings(events)[0].line == "high variance: train acc 100 % vs val 88 % → raise L2 (W)")
  }
}

import Diagnosis
import RunModel
import Testing

/// Updates far beyond the healthy band while L2 takes a large share of each weight a step: the
/// cure is the knob that got there (a teacher pressed `W` fourteen times in the overfit lesson and
/// was told to lower the rate it had never touched).
@Suite struct WeightDecayRuleTests {
  typealias F = Fixture

  func events(l2: Double, update: Double) -> [RunEvent] {
    let layers = [
      F.layer("hidden1", update: update), F.layer("hidden2", update: update), F.layer("output", dead: 0),
    ]
    return [F.header(hidden: [800, 800], trainCount: 1_000)]
      + (l2 > 0 ? [F.change(.l2, from: 0, to: l2, step: 80)] : [])
      + F.snapshots(count: 5, from: 82, layers)
      + F.progress(from: 82, losses: [0.9, 0.85, 0.8])
  }

  /// L2 0.2 at lr 0.05 and momentum 0.9: 0.05 × 0.2 ÷ 0.1 = 0.1 of each weight a step.
  @Test func updatesDrivenByL2AskForLessL2() throws {
    let top = F.findings(events(l2: 0.2, update: 0.27))[0]
    #expect(top.kind == .weightDecayTooStrong && top.action == .turn(.l2, up: false))
    #expect(top.line == "L2 too strong: L2 0.2 takes 10 % of each weight a step → lower L2 (w)")
    #expect(
      top.evidence
        == "update/weight ratio 0.27 (recent median; 1e-4 to 1e-2 is healthy, 1e-3 typical), of which L2 0.2 × lr 0.05 ÷ (1 − momentum 0.9) = 0.1"
    )
  }

  /// The same updates with no L2 (or too little to matter) are the rate's.
  @Test func updatesWithoutMuchL2AreTheRates() {
    for l2 in [0, 0.001] {
      let top = F.findings(events(l2: l2, update: 0.27))[0]
      #expect(top.kind == .learningRateTooHigh && top.action == .turn(.learningRate, up: false), "\(l2)")
    }
  }
}

/// Tanh units saturated by a rate too high: a Xavier run at lr 0.5 ended at loss 99.7 and 10 %
/// with hidden6 saturated, and was told "--batch-norm".
@Suite struct SaturatedByTheRateTests {
  typealias F = Fixture

  func events(lr: Double, losses: [Double]) -> [RunEvent] {
    let layers = (1...8).map { F.layer("hidden\($0)", dead: 0, saturated: 1) } + [F.layer("output", dead: 0)]
    return [
      F.header(hidden: Array(repeating: 128, count: 8), activation: .tanh, initialization: .xavier, lr: lr)
    ]
      + F.snapshots(count: 5, layers) + F.progress(losses: losses)
  }

  @Test func saturationWithALossFarAboveTheUntrainedOneLowersTheRate() {
    let top = F.findings(events(lr: 0.5, losses: [95, 99, 101, 99.7]))[0]
    #expect(top.kind == .saturatedUnits && top.action == .turn(.learningRate, up: false), "\(top.line)")
    #expect(top.line == "saturated units: hidden1 100 % saturated at lr 0.5 → lower the learning rate (l)")
    // The same saturation with a loss near the untrained one keeps the initialisation's cure.
    let calm = F.findings(events(lr: 0.05, losses: [2.3, 2.3, 2.29, 2.3]))[0]
    #expect(calm.kind == .saturatedUnits && calm.action == .newRun([RunFlag("--batch-norm")]), "\(calm.line)")
  }
}

/// The dead-relu lesson's loss of 11.5 at step 12 (lr 0.5), the rate lowered to 0.1 at step 13:
/// the reading had said "lr 0.1" beside it and asked to lower the rate again.
@Suite struct ExplodingLossAfterLoweringTests {
  typealias F = Fixture

  @Test func theExplodedRecordsRateIsNamedAndALoweredRateIsLeftToShowItself() {
    let before: [RunEvent] = [
      F.header(lr: 0.5), F.progress(1, loss: 2.3, lr: 0.5), F.progress(12, loss: 11.5, lr: 0.5),
    ]
    let live = F.findings(before)[0]
    #expect(live.kind == .explodingLoss && live.action == .turn(.learningRate, up: false), "\(live.line)")
    #expect(live.evidence.hasSuffix("lr 0.5"))
    let lowered = F.findings(before + [F.change(.learningRate, from: 0.5, to: 0.1, step: 13)])[0]
    #expect(lowered.kind == .explodingLoss && lowered.action == .keepTraining, "\(lowered.line)")
    #expect(lowered.reason.hasSuffix("at lr 0.5, now 0.1") && lowered.evidence.hasSuffix("lr 0.5"))
  }
}

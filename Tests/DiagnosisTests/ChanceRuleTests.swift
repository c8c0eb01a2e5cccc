import Diagnosis
import RunModel
import Testing

private typealias F = Fixture

/// A run that a blow-up left guessing: the reading must say so, not "good fit" or "raise L2".
@Suite struct ChanceRuleTests {
  @Test func aBlownUpRunAtChanceIsNotAGoodFitNorHighVariance() {
    // The epoch's training accuracy still holds the steps before the blow-up (93 %), its loss
    // the blow-up itself; validation sits at chance with a steady loss.
    let events: [RunEvent] = [
      F.header(lr: 10),
      F.epoch(1, train: 0.3, val: 0.25, trainAcc: 0.92, valAcc: 0.93),
      F.epoch(2, train: 1.28e13, val: 2.31, trainAcc: 0.93, valAcc: 0.099),
      F.epoch(3, train: 2.30, val: 2.31, trainAcc: 0.11, valAcc: 0.106),
    ]
    let top = F.findings(events)[0]
    #expect(top.kind == .notLearning)
    #expect(
      top.line == "at chance: val acc 11 %, no better than guessing (10 %) → lower the learning rate (l)")
  }

  @Test func aWeakButLearningClassifierIsNotAtChance() {
    // 25 % on ten classes is poor but above the 14.5 % line: the fit readings decide.
    let events: [RunEvent] = [
      F.header(),
      F.epoch(1, train: 2.0, val: 2.0, trainAcc: 0.25, valAcc: 0.25),
      F.epoch(2, train: 1.9, val: 1.9, trainAcc: 0.26, valAcc: 0.26),
    ]
    #expect(F.findings(events).allSatisfy { $0.verdict != "at chance" })
  }

  @Test func atChanceWithoutABlowUpAsksForNormalisationNotALowerRate() {
    // A deep sigmoid network that never learned: the rate is not the suspect.
    let events: [RunEvent] = [
      F.header(hidden: [256, 256, 256, 256, 256], activation: .sigmoid),
      F.epoch(1, train: 2.31, val: 2.30, trainAcc: 0.10, valAcc: 0.10),
      F.epoch(2, train: 2.31, val: 2.30, trainAcc: 0.10, valAcc: 0.10),
    ]
    let top = F.findings(events)[0]
    #expect(top.line == "at chance: val acc 10 %, no better than guessing (10 %) → new run with --batch-norm")
  }

  @Test func aFirstEpochThatLearnsALittleIsNotAtChance() {
    // 300 images: 10 % → 18 % in the first epoch, validation loss falling (a golden run's reading).
    let events: [RunEvent] = [
      F.header(hidden: [16], trainCount: 300),
      F.epoch(1, train: 2.32, val: 2.18, trainAcc: 0.11, valAcc: 0.18, step: 3),
      F.epoch(2, train: 2.10, val: 2.05, trainAcc: 0.20, valAcc: 0.14, step: 6),
    ]
    #expect(F.findings(events).allSatisfy { $0.verdict != "at chance" })
  }
}

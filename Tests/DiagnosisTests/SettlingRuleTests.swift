import Diagnosis
import RunModel
import Testing

/// A knob turned inside an epoch: that epoch's training figures average steps at both values, so
/// no gap is read from them until an epoch trained wholly at the new one (a teacher's trial of the
/// underfit lesson).
@Suite struct SettlingRuleTests {
  typealias F = Fixture

  /// The underfit lesson's first four epochs (L2 0.05, 430 steps an epoch).
  func underfitEpochs() -> [RunEvent] { F.underfitEvents(hidden: [256, 128]) }

  /// `W` twice at step 1896, inside epoch 5 (steps 1721–2150): the epoch's training accuracy
  /// (67 %, mostly at 0.05) against validation at its end (53 %, at 0.2) read "high variance →
  /// raise L2", the wrong key again.
  @Test func l2RaisedInsideAnEpochIsNotReadAsHighVariance() {
    let events =
      underfitEpochs() + [
        F.change(.l2, from: 0.05, to: 0.1, step: 1_890), F.change(.l2, from: 0.1, to: 0.2, step: 1_896),
        F.epoch(5, train: 1.13, val: 1.52, trainAcc: 0.6727, valAcc: 0.5308),
      ]
    let findings = F.findings(events)
    #expect(!findings.contains { $0.kind == .highVariance || $0.action == .turn(.l2, up: true) })
    let top = findings[0]
    #expect(top.kind == .settling && top.action == .keepTraining)
    #expect(top.line == "settling: L2 0.2 from step 1896, inside epoch 5 → keep training")
    #expect(
      top.evidence
        == "epoch 5's training figures mix steps before and after step 1896: epoch 6 shows what the change did"
    )
  }

  /// `w` five times at step 2149, one step before epoch 5 ended: "L2 0.001 holds the weights
  /// down" named the lesson's cure as the cause.
  @Test func l2LoweredOneStepBeforeAnEpochsEndIsNotBlamed() {
    let events =
      underfitEpochs() + [
        F.change(.l2, from: 0.05, to: 0.001, step: 2_149),
        F.epoch(5, train: 0.597, val: 0.612, trainAcc: 0.85, valAcc: 0.83),
      ]
    let top = F.findings(events)[0]
    #expect(top.kind == .settling)
    #expect(!top.line.contains("holds the weights down"))
  }

  /// The knob turned inside the epoch and turned again after it: the epoch is still mixed (only
  /// the last turn of each knob had been looked at).
  @Test func aKnobTurnedAgainAfterTheEpochStillLeavesItMixed() {
    let events =
      underfitEpochs() + [
        F.change(.learningRate, from: 0.05, to: 3, step: 1_800),
        F.epoch(5, train: 1.84, val: 19.1, trainAcc: 0.41, valAcc: 0.17),
        F.change(.learningRate, from: 3, to: 0.5, step: 2_160),
      ]
    let top = F.findings(events)[0]
    #expect(top.kind == .settling, "\(top.line)")
    // The value set at that step, not the one in force now ("0.5 from step 1800" named the later turn's).
    #expect(top.reason.hasPrefix("learning rate 3 from step 1800, inside epoch 5"), "\(top.line)")
  }

  /// A PyTorch run: the rate set to 0.003 at step 1800, then halved by the loop's StepLR (the
  /// records carry 0.0015): the reading names the value set at the step it names.
  @Test func anotherWritersScheduledRateIsNotNamedAsTheOneSet() {
    var events = underfitEpochs()
    guard case .started(var header) = events[0] else { return }
    header.writer = "pytorch"
    events[0] = .started(header)
    events += [
      F.change(.learningRate, from: 0.05, to: 0.003, step: 1_800), F.progress(1_900, loss: 0.6, lr: 0.003),
      F.progress(2_100, loss: 0.6, lr: 0.0015),
      F.epoch(5, train: 0.597, val: 0.612, trainAcc: 0.85, valAcc: 0.83),
    ]
    let top = F.findings(events)[0]
    #expect(top.reason.hasPrefix("learning rate 0.003 from step 1800, inside epoch 5"), "\(top.line)")
  }

  /// The slow lesson at lr 5: the loss climbed through epoch 2's end and the guard fired at step
  /// 866; right after the rollback the reading said "high variance: train acc 41 % vs val 17 %".
  @Test func aDivergenceAfterTheLastEpochLeavesItsFiguresUnjudged() {
    let events =
      underfitEpochs() + [
        F.epoch(5, train: 1.84, val: 19.1, trainAcc: 0.41, valAcc: 0.17),
        F.diverged(2_156, reason: "loss 1.35e+03 is over 100× its start (2.41)"),
        F.change(.learningRate, from: 5, to: 0.5, step: 2_156),
      ] + F.progress(from: 2_160, losses: [0.3, 0.28, 0.27])
    let findings = F.findings(events)
    #expect(!findings.contains { $0.kind == .highVariance }, "\(findings.map(\.line))")
    let settling = findings.first { $0.kind == .settling }
    #expect(settling?.reason == "diverged at step 2156, after epoch 5", "\(findings.map(\.line))")
  }

  /// `W` ×2 on the underfitting lesson at step 1310: the training loss went 0.6 → 1.5 within two
  /// hundred steps while the reading said "the next epoch shows what it did" for an epoch and a
  /// half. At the end the next run starts from the lesson's own L2, not from 0.2.
  @Test func aTurnThatClearlyMadeAWeakRunWorseIsSaidAtOnce() {
    let events =
      underfitEpochs() + F.progress(from: 1_200, losses: [0.61, 0.6, 0.6])
      + [F.change(.l2, from: 0.05, to: 0.2, step: 1_310)]
      + F.progress(from: 1_350, losses: [1.1, 1.3, 1.45, 1.5])
    let top = F.findings(events)[0]
    #expect(top.kind == .worseSinceChange && top.action == .turn(.l2, up: false), "\(top.line)")
    #expect(
      top.line == "worse since the change: train loss 0.6 → 1.45 since L2 0.2 at step 1310 → lower L2 (w)")
    let ended = F.findings(events + [F.finished(.stopped, epochs: 4, step: 1_500)])[0]
    #expect(ended.action == .newRun([RunFlag("--l2", "0.005")]), "\(ended.line)")
  }

  /// The first epoch wholly at the new value is read as usual; a change at an epoch's end (a
  /// schedule's) falls between epochs and delays nothing.
  @Test func theNextEpochIsReadAndAChangeAtAnEpochsEndIsBetweenEpochs() {
    let settled =
      underfitEpochs() + [
        F.change(.l2, from: 0.05, to: 0.2, step: 1_896),
        F.epoch(5, train: 1.13, val: 1.52, trainAcc: 0.6727, valAcc: 0.5308),
        F.epoch(6, train: 1.40, val: 1.41, trainAcc: 0.55, valAcc: 0.56),
      ]
    let top = F.findings(settled)[0]
    #expect(top.kind == .underfitting(.regularisation) && top.action == .turn(.l2, up: false))
    let atTheEnd =
      underfitEpochs() + [F.change(.l2, from: 0.05, to: 0.04, step: 1_720)]
      + [F.epoch(5, train: 0.597, val: 0.596, trainAcc: 0.836, valAcc: 0.84)]
    #expect(F.findings(atTheEnd)[0].kind == .underfitting(.regularisation))
  }

  /// A run that ended with the change inside its last epoch: no epoch judged it, so the next
  /// run tries the value from its start.
  @Test func anEndedRunWhoseLastEpochHeldAChangeTriesTheValueFromTheStart() {
    let events =
      underfitEpochs() + [
        F.change(.l2, from: 0.05, to: 0.001, step: 1_900),
        F.epoch(5, train: 0.50, val: 0.45, trainAcc: 0.86, valAcc: 0.88),
        F.finished(epochs: 5),
      ]
    let top = F.findings(events)[0]
    #expect(top.kind == .settling)
    #expect(
      top.line
        == "changed too late to judge: L2 0.001 from step 1900, inside epoch 5 → new run with --l2 0.001")
  }
}

/// A gap "growing" from a negative one, or by a fraction of a point of accuracy, is no warning
/// (the underfit lesson's cure and the Xavier run both read "gap growing" as they succeeded).
@Suite struct SmallGapTests {
  typealias F = Fixture

  func run(_ epochs: [(train: Double, val: Double, trainAcc: Double, valAcc: Double)]) -> Finding {
    let events: [RunEvent] =
      [F.header()] + F.snapshots(count: 6, F.healthyLayers)
      + F.progress(losses: [0.2, 0.15, 0.12, 0.1, 0.09, 0.085])
      + epochs.enumerated().map { i, e in
        F.epoch(i + 1, train: e.train, val: e.val, trainAcc: e.trainAcc, valAcc: e.valAcc)
      }
    return F.findings(events)[0]
  }

  @Test func aGapOfHalfAPointOrFromBelowZeroIsNotGrowing() {
    // The underfit lesson's last epochs at L2 0.001: gap -0.0015 → 0.0147, 97.5 % against 97.0 %.
    let cured = run([
      (0.20, 0.16, 0.94, 0.95), (0.13, 0.12, 0.96, 0.963), (0.1015, 0.100, 0.97, 0.968),
      (0.092, 0.099, 0.972, 0.969), (0.0853, 0.1, 0.975, 0.970),
    ])
    #expect(cured.kind != .growingGap, "\(cured.line)")
    // Xavier's third epoch: gap -0.132 → 0.014 at 96.5 % against 96.3 %.
    let xavier = run([(0.45, 0.318, 0.87, 0.93), (0.16, 0.13, 0.95, 0.96), (0.114, 0.128, 0.965, 0.963)])
    #expect(xavier.kind != .growingGap, "\(xavier.line)")
    // The same losses with training two points ahead still read it.
    let ahead = run([(0.45, 0.318, 0.87, 0.93), (0.16, 0.13, 0.95, 0.96), (0.114, 0.128, 0.985, 0.963)])
    #expect(ahead.kind == .growingGap, "\(ahead.line)")
  }

  /// L2 raised to 0.2 and lowered to 0.1 in the underfit lesson: validation at 65 % (85 % before)
  /// and recovering read "good fit: validation steady".
  @Test func aWeakRunStillLearningIsNotAGoodFit() {
    let top = run([
      (0.45, 0.42, 0.85, 0.86), (1.40, 1.38, 0.52, 0.55), (1.20, 1.17, 0.60, 0.61), (1.05, 1.04, 0.64, 0.65),
    ])
    #expect(top.kind == .stillImproving && top.verdict == "still learning", "\(top.line)")
    #expect(
      top.line == "still learning: train acc 64 %, train loss down 12.5 % over the last epoch → keep training"
    )
  }

  /// The underfit lesson back at L2 0.05 after `W` and `w`, learning again at 64 %: the regulariser
  /// that holds it down is still the cure (it read "still learning → keep training" at 79 %).
  @Test func aWeakRunHeldDownByL2StillLearningIsToldTheCure() {
    let events: [RunEvent] =
      [F.header(hidden: [8], l2: 0.05)]
      + F.snapshots(count: 3, [F.layer("hidden1"), F.layer("output", dead: 0)])
      + F.progress(losses: [1.3, 1.2, 1.1])
      + [
        F.epoch(1, train: 0.45, val: 0.42, trainAcc: 0.85, valAcc: 0.86),
        F.epoch(2, train: 1.40, val: 1.38, trainAcc: 0.52, valAcc: 0.55),
        F.epoch(3, train: 1.20, val: 1.17, trainAcc: 0.60, valAcc: 0.61),
      ]
    let top = F.findings(events)[0]
    #expect(top.verdict == "still learning" && top.action == .turn(.l2, up: false), "\(top.line)")
    #expect(top.reason.hasSuffix("; L2 0.05 holds the weights down"), "\(top.line)")
  }
}

import NeuralNet
import RunModel

/// The bias–variance reading: how training and validation compare, and whether validation is
/// still improving.
extension Diagnosis {
  /// `faulty`: a fault was found above; underfitting and "all is well" are then not said,
  /// since the fault explains the numbers (a dead network underfits, and its cure is not less L2).
  static func fitFindings(_ c: Context, faulty: Bool) -> [Finding] {
    var found: [Finding] = []
    let epochs = c.history.epochs
    // Without a validation loss there is nothing to compare training with: a PyTorch loop's
    // `run.epoch()` without `val_loss` had read "validation at its best, val loss nan".
    if let last = epochs.last, last.validationLoss.isNaN { return faulty ? [] : [noValidation(c, last)] }
    // A knob turned inside the last epoch: its training figures mix two settings, so nothing
    // read from its gap is said (validation alone, which overfitting reads, was taken at its end).
    let mixed = epochs.last.flatMap(c.unsettled)
    if epochs.count >= Thresholds.overfitEpochs + 1 {
      // Both judge `fitEpochs`: after a change to a cure, only the epochs since it.
      if let f = overfitting(c) {
        found.append(f)
      } else if mixed == nil, let f = growingGap(c) {
        found.append(f)
      }
    } else if let f = quickOverfitting(c) {
      found.append(f)
    }
    guard !faulty, found.isEmpty, let last = epochs.last else { return found }
    if let f = atChance(c, last) { return [f] }
    if let f = worseSinceChange(c, last) { return [f] }
    if let mixed { return [settling(c, last, mixed)] }
    if let f = underfitting(c) { return [f] }
    if let f = highVariance(c, last) { return [f] }
    let best = epochs.map(\.validationLoss).min() ?? last.validationLoss
    let improving = epochs.count < 2 || last.validationLoss <= best
    let accuracy = last.validationAccuracy.map { ", val acc \(Format.percent($0))" } ?? ""
    let numbers =
      "val loss \(Format.number(last.validationLoss))\(accuracy), "
      + "gap \(Format.number(last.validationLoss - last.trainLoss))"
    if !improving, let recovering = recovering(c, last, numbers: numbers) { return [recovering] }
    return [
      Finding(
        kind: improving ? .stillImproving : .goodFit, verdict: improving ? "still improving" : "good fit",
        reason: improving ? "validation at its best, \(numbers)" : "validation steady, \(numbers)",
        evidence: numbers + " at epoch \(last.epoch)", action: .keepTraining)
    ]
  }

  /// Training accuracy under 90 % and not at a plateau (so not underfitting yet) is no "good
  /// fit", whatever validation does: after L2 was raised to 0.2 and lowered to 0.1 in the underfit
  /// lesson, validation at 65 % (85 % before the change) read "good fit: validation steady".
  static func recovering(_ c: Context, _ last: EpochSummary, numbers: String) -> Finding? {
    guard let accuracy = last.trainAccuracy, accuracy < Thresholds.lowTrainAccuracy,
      c.history.epochs.count >= 2
    else { return nil }
    let previous = c.history.epochs[c.history.epochs.count - 2]
    let trend = Format.change(from: previous.trainLoss, to: last.trainLoss)
    // A regulariser that holds a weak run down is still the cure while it learns (the underfit
    // lesson, back at L2 0.05 after `W` and `w`, read "still learning → keep training" at 79 %).
    let (cause, holdsDown, cure) = underfitCause(c)
    return Finding(
      kind: .stillImproving, verdict: "still learning",
      reason: "train acc \(Format.percent(accuracy)), train loss \(trend) over the last epoch"
        + (cause == .regularisation ? "; \(holdsDown)" : ""),
      evidence: numbers + " at epoch \(last.epoch); validation's best was "
        + Format.number(c.history.epochs.map(\.validationLoss).min() ?? last.validationLoss),
      action: cause == .regularisation ? cure : .keepTraining)
  }

  /// The knobs the fit readings' cures turn: a change to one restarts what they judge.
  static let fitCures: [Knob] = [.l2, .dropout, .trainSize]

  /// The regulariser to raise, else more data, else early stopping: MLY and CS231n put
  /// regularisation and data first for variance.
  static func overfitCure(_ c: Context) -> Action {
    c.turn(
      .l2, up: true,
      else: c.turn(
        .dropout, up: true,
        else: c.turn(.trainSize, up: true, else: .newRun([RunFlag("--early-stop", "2")]))))
  }

  /// Validation has stopped improving for 2 epochs (neither its loss nor, by more than 0.2
  /// points, its accuracy) while the training loss keeps falling and the gap is over 10 % of it:
  /// the "test turned bad" of AUTOTRAINER and the point early stopping would act at (DL §7.8).
  static func overfitting(_ c: Context) -> Finding? {
    let epochs = c.fitEpochs
    guard epochs.count >= Thresholds.overfitEpochs + 1, let last = epochs.last,
      let best = epochs.indices.min(by: { epochs[$0].validationLoss < epochs[$1].validationLoss })
    else { return nil }
    let since = epochs.count - 1 - best
    let trainFalling = last.trainLoss < epochs[best].trainLoss * (1 - Thresholds.trainingStillFalling)
    let gap = last.validationLoss - last.trainLoss
    let rose = last.validationLoss > epochs[best].validationLoss * (1 + Thresholds.validationRise)
    guard since >= Thresholds.overfitEpochs, trainFalling, rose,
      !accuracyImproved(epochs, after: best, examples: c.history.validationCount),
      gap > Thresholds.relativeGap * max(last.trainLoss, 1e-12)
    else { return nil }
    let bestLoss = Format.number(epochs[best].validationLoss)
    return Finding(
      kind: .overfitting, verdict: "overfitting",
      reason: "val loss up \(bestLoss) → \(Format.number(last.validationLoss)) while train falls",
      evidence: "val loss best \(bestLoss) at epoch \(epochs[best].epoch), "
        + "\(Format.number(last.validationLoss)) now (\(since) epochs later); train loss "
        + "\(Format.number(epochs[best].trainLoss)) → \(Format.number(last.trainLoss)); gap \(Format.number(gap))"
        + changeNote(c) + trainSizeNote(c, last),
      action: overfitCure(c),
      remark: Format.joined([confidenceRemark(epochs[best], last), moreDataRemark(c)]))
  }

  /// Why accuracy can hold while the loss says overfitting: a student watching the overfit lesson
  /// saw validation accuracy at 88.6 % under OVERFITTING and nothing on screen explained it.
  static func confidenceRemark(_ best: EpochSummary, _ last: EpochSummary) -> String? {
    guard let then = best.validationAccuracy, let now = last.validationAccuracy, now >= then else {
      return nil
    }
    return "val accuracy holds (\(Format.percent(then)) → \(Format.percent(now))) while its loss rises: the "
      + "network grows surer of the examples it gets wrong, which the loss counts and accuracy does not"
  }

  /// More data helps variance (Ng, MLY) — said only when there is more to add.
  static func moreDataRemark(_ c: Context) -> String? {
    guard let count = c.history.trainCount, count < (c.history.trainAvailable ?? count) else { return nil }
    return "more training examples also close the gap (Ng, MLY)"
  }

  /// "; 1000 training examples": the size `epoch` was trained on, and the size now when a change
  /// has not reached an epoch's numbers yet.
  static func trainSizeNote(_ c: Context, _ epoch: EpochSummary?) -> String {
    let index = epoch.flatMap { e in c.history.epochs.lastIndex { $0.step == e.step } }
    guard let then = index.flatMap({ c.history.epochTrainCounts[$0] }) ?? c.history.trainCount else {
      return ""
    }
    guard let now = c.history.trainCount, now != then else { return "; \(then) training examples" }
    return "; \(then) training examples (\(now) from the next epoch)"
  }

  /// "; since L2 0.005 at step 56": what the readings over `fitEpochs` are measured from.
  static func changeNote(_ c: Context) -> String {
    guard let change = c.fitChange, let value = c.setValue(of: change.knob) else { return "" }
    return "; since \(change.knob.label) \(Format.knob(change.knob, value)) at step \(change.step)"
  }

  /// Whether validation accuracy beat its best up to epoch `best` afterwards by more than its
  /// noise (and a floor), so a wobble of a few examples is not read as improvement.
  static func accuracyImproved(_ epochs: [EpochSummary], after best: Int, examples: Int?) -> Bool {
    guard let before = epochs[...best].compactMap(\.validationAccuracy).max(),
      let after = epochs[(best + 1)...].compactMap(\.validationAccuracy).max()
    else { return false }
    let n = Double(max(examples ?? 5_000, 1))
    let noise = Thresholds.accuracyNoiseMultiple * (before * (1 - before) / n).squareRoot()
    return after > before + max(Thresholds.accuracyImprovement, noise)
  }

  /// Training far more accurate than validation, with validation neither clearly worsening
  /// (overfitting) nor the gap still widening: the variance is there to see, so "good fit" would
  /// be wrong. The cure is the variance cure.
  static func highVariance(_ c: Context, _ last: EpochSummary) -> Finding? {
    guard let train = last.trainAccuracy, let validation = last.validationAccuracy,
      train - validation > Thresholds.varianceAccuracyGap
    else { return nil }
    let numbers = "train acc \(Format.percent(train)) vs val \(Format.percent(validation))"
    var action = varianceCure(c)
    var remark: String?
    // A cure was just turned and no epoch has shown what it did: asking for it again on the
    // numbers from before (E pressed to 10 000 examples, still "more training examples") would
    // turn it past what the gap calls for, and asking for another (E right after W in the
    // overfit lesson) skips seeing what the first did.
    if let change = c.fitChange, c.fitEpochs.count < 2, case .turn = action {
      action = .keepTraining
      remark = "\(change.knob.label) changed at step \(change.step): the next epoch shows what it did"
    }
    return Finding(
      kind: .highVariance, verdict: "high variance", reason: numbers,
      evidence: numbers + ", val loss \(Format.number(last.validationLoss)) at epoch \(last.epoch)"
        + trainSizeNote(c, last),
      action: action, remark: remark)
  }

  /// A large steady gap (validation no longer worsening) is closed by more data, when there is
  /// more: a regulariser stops validation getting worse but trades accuracy for the gap (the
  /// overfit lesson, 800-800 on 1 000 examples: L2 0.005 held validation at ≈ 88.5 %, 0.01 gave
  /// 89.1 % test and 0.05 84.4 %, while 10 000 examples gave 96.4 %). Without more data, the
  /// regulariser.
  static func varianceCure(_ c: Context) -> Action {
    c.turn(.trainSize, up: true, else: overfitCure(c))
  }

  /// The gap widens while validation still improves (or only its loss rises while its accuracy
  /// still climbs): not yet overfitting, but the direction it goes.
  static func growingGap(_ c: Context) -> Finding? {
    let epochs = c.fitEpochs
    guard epochs.count >= 3, let last = epochs.last else { return nil }
    let earlier = epochs[epochs.count - 3]
    let gap = last.validationLoss - last.trainLoss
    let before = earlier.validationLoss - earlier.trainLoss
    // A gap of under a point of accuracy is no warning however its losses move: the underfit
    // lesson's cure (97.5 % against 97.0 %, gap -0.0015 → 0.0147) and a Xavier run (96.5 % against
    // 96.3 %, gap -0.132 → 0.014, the first epoch's training loss averaged over fast learning)
    // both read "gap growing" as they succeeded.
    let accuracyGap = zip(last.trainAccuracy.map { [$0] } ?? [], last.validationAccuracy.map { [$0] } ?? [])
      .map { $0 - $1 }.first
    guard gap - before > Thresholds.gapGrowth * abs(last.validationLoss),
      gap > Thresholds.relativeGap * max(last.trainLoss, 1e-12),
      (accuracyGap ?? .infinity) >= Thresholds.growingGapAccuracy
    else { return nil }
    let accuracy = last.validationAccuracy.map { ", val acc \(Format.percent($0))" } ?? ""
    let best = epochs.indices.min { epochs[$0].validationLoss < epochs[$1].validationLoss } ?? 0
    let since = epochs.count - 1 - best
    // "Accuracy still improving" only when it is (it had been said of an accuracy below its best).
    let accuracyAtBest =
      last.validationAccuracy.map { now in
        epochs.compactMap(\.validationAccuracy).allSatisfy { $0 <= now }
      } ?? false
    let still =
      since == 0
      ? "validation still improving"
      : "val loss \(since) epoch\(since == 1 ? "" : "s") past its best"
        + (accuracyAtBest ? ", accuracy still improving" : "")
    return Finding(
      kind: .growingGap, verdict: "gap growing",
      // "over two epochs": headless lines, one an epoch, read "gap -0.00399 → 0.0406" beside an
      // epoch line before whose gap was another (the reading compares with two epochs back).
      reason: "gap \(Format.number(before)) → \(Format.number(gap)) over two epochs, \(still)",
      evidence: "gap \(Format.number(before)) at epoch \(earlier.epoch) → \(Format.number(gap)) at epoch "
        + "\(last.epoch); val loss \(Format.number(last.validationLoss))\(accuracy)",
      // Past its best for as long as the overfitting rule waits, the cure (its accuracy, still
      // climbing, is what held that rule back): "keep training" four epochs past the best read as
      // advice against early stopping.
      action: since >= Thresholds.overfitEpochs ? overfitCure(c) : .keepTraining,
      // Past its best, "if validation stops improving" read as a contradiction of the line above.
      remark: since == 0
        ? "if validation stops improving, raise L2 or dropout"
        : since < Thresholds.overfitEpochs
          ? "one bad epoch can be noise; if validation stays past its best, raise L2 or dropout" : nil)
  }

  /// Overfitting read from the quick evaluations, for runs with fewer than three epochs: the best
  /// quick validation loss is three evaluations old, accuracy has not beaten it, and the
  /// training loss has fallen since.
  static func quickOverfitting(_ c: Context) -> Finding? {
    let since = c.fitChange?.step ?? Int.min
    let quick = c.history.quickEvaluations.filter { $0.step >= since }
    guard quick.count > Thresholds.overfitQuickEvaluations, let last = quick.last,
      let best = quick.indices.min(by: { quick[$0].loss < quick[$1].loss }),
      quick.count - 1 - best >= Thresholds.overfitQuickEvaluations,
      let now = c.currentLoss,
      let then = c.recent.last(where: { $0.step <= quick[best].step })?.trainLoss
    else { return nil }
    let before = quick[...best].compactMap(\.accuracy).max() ?? 0
    let after = quick[(best + 1)...].compactMap(\.accuracy).max() ?? 0
    guard now < then * (1 - Thresholds.trainingStillFalling),
      after <= before + Thresholds.accuracyImprovement,
      last.loss - now > Thresholds.relativeGap * max(now, 1e-12)
    else { return nil }
    return Finding(
      kind: .overfitting, verdict: "overfitting",
      reason:
        "val loss up \(Format.number(quick[best].loss)) → \(Format.number(last.loss)) while train falls",
      evidence: "quick val loss best \(Format.number(quick[best].loss)) at step \(quick[best].step), "
        + "\(Format.number(last.loss)) at step \(last.step); train loss \(Format.number(then)) → "
        + Format.number(now) + changeNote(c) + trainSizeNote(c, nil),
      action: overfitCure(c), remark: moreDataRemark(c))
  }
}

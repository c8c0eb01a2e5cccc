import RunModel

/// A knob turned inside the last epoch: that epoch's training loss and accuracy are averages over
/// its steps, some at the old value and some at the new, while its validation figures were taken
/// at its end. Their gap is one the run never had at either value: the underfit lesson with L2
/// raised from 0.05 to 0.2 mid-epoch read "high variance: train acc 67 % vs val 53 %" (the live
/// training accuracy was 54 %) and asked to raise L2 again. The gap readings wait for the first
/// epoch trained wholly at the new value.
extension Diagnosis {
  static func settling(_ c: Context, _ last: EpochSummary, _ cause: Context.Unsettled) -> Finding {
    let next = "epoch \(last.epoch + 1)"
    switch cause {
    case .change(let knob, let step, let value):
      return Finding(
        kind: .settling, verdict: "settling",
        reason: "\(knob.label) \(Format.knob(knob, value)) from step \(step), inside epoch \(last.epoch)",
        evidence:
          "epoch \(last.epoch)'s training figures mix steps before and after step \(step): "
          + "\(next) shows what the change did",
        action: .keepTraining)
    case .divergence(let step):
      // The slow lesson at lr 5: "high variance: train acc 41 % vs val 17 %" right after the
      // rollback, the gap of the blow-up itself.
      return Finding(
        kind: .settling, verdict: "settling",
        reason: "diverged at step \(step), after epoch \(last.epoch)",
        evidence:
          "epoch \(last.epoch)'s figures may hold the climb the rollback threw away: \(next) shows the run "
          + "since",
        action: .keepTraining)
    }
  }
}

extension Context {
  /// What makes an epoch's figures unfit for the gap readings.
  enum Unsettled: Equatable {
    /// A knob turned strictly inside it, with the value it was set to by the epoch's end (another
    /// writer's scheduler may have moved it since: "learning rate 0.0015 from step 85" had been
    /// said of a rate set to 0.003).
    case change(Knob, step: Int, value: Double)
    /// A divergence since it ended: its figures may hold the climb the rollback threw away (one
    /// inside it restarts its sums after the rollback, so its figures are the run's since).
    case divergence(step: Int)
  }

  /// Where `epoch`'s steps began: the step the epoch before it ended at (the first epoch of a run
  /// started at step 0; of a resumed run, one epoch's steps before its end).
  func start(of epoch: EpochSummary) -> Int {
    if let i = history.epochs.firstIndex(where: { $0.epoch == epoch.epoch }), i > 0 {
      return history.epochs[i - 1].step
    }
    return max(0, epoch.step - (history.stepsPerEpoch ?? epoch.step))
  }

  /// A divergence since `epoch` ended, or the latest change that fell strictly inside it (after
  /// its first tenth, before its last step: a schedule moves the rate at an epoch's end, which is
  /// between epochs).
  func unsettled(_ epoch: EpochSummary) -> Unsettled? {
    let begin = start(of: epoch)
    if let divergence = history.divergences.last(where: { $0.step >= epoch.step }) {
      return .divergence(step: divergence.step)
    }
    // A change in the epoch's first tenth barely mixes it: the dead-relu lesson's rate lowered at
    // step 8 of 430 had ended "changed too late to judge".
    let margin = (epoch.step - begin) / 10
    // Named with the knob's value at the epoch's end: six quick `L` presses landing on the
    // epoch's last step as well had read "0.0005 from step 2579" beside a panel showing 0.01.
    return history.changeSteps.last { $0.step > begin + margin && $0.step < epoch.step }.map { change in
      let value = history.changeSteps.last { $0.knob == change.knob && $0.step <= epoch.step }?.value
      return .change(change.knob, step: change.step, value: value ?? change.value)
    }
  }
}

extension Diagnosis {
  /// A knob turned on a run still under 90 % in training, after which the training loss clearly
  /// rose: the underfit lesson with L2 raised to 0.2 went 0.6 → 1.5 (85 % → 56 %) within two
  /// hundred steps while the reading said "the next epoch shows what it did" for an epoch and a
  /// half. Not the train size (new examples raise the loss by themselves) and not a run doing well
  /// (raising L2 on an overfitting run raises its training loss on purpose).
  static func worseSinceChange(_ c: Context, _ last: EpochSummary) -> Finding? {
    guard let accuracy = last.trainAccuracy, accuracy < Thresholds.lowTrainAccuracy,
      let change = c.history.changeSteps.last(where: { $0.knob != .trainSize }),
      c.history.divergences.allSatisfy({ $0.step < change.step })
    else { return nil }
    let before = c.history.progress.filter { $0.step <= change.step }.suffix(3).map(\.trainLoss)
    let after = c.history.progress.filter { $0.step > change.step }.map(\.trainLoss)
    guard before.count == 3, after.count >= 3, let then = median(Array(before)),
      let now = median(Array(after.suffix(3))), now > then * (1 + Thresholds.worseSinceChange)
    else { return nil }
    let reason =
      "train loss \(Format.number(then)) → \(Format.number(now)) since \(change.knob.label) "
      + "\(Format.knob(change.knob, change.value)) at step \(change.step)"
    return Finding(
      kind: .worseSinceChange, verdict: "worse since the change", reason: reason,
      evidence: reason
        + " (medians of three records), train acc \(Format.percent(accuracy)) at epoch \(last.epoch)",
      action: c.turn(change.knob, up: !change.up, else: .keepTraining))
  }
}

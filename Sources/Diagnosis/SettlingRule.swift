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
    case .change(let knob, let step):
      let value = c.value(of: knob).map { " \(Format.knob(knob, $0))" } ?? ""
      return Finding(
        kind: .settling, verdict: "settling",
        reason: "\(knob.label)\(value) from step \(step), inside epoch \(last.epoch)",
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
    /// A knob turned strictly inside it.
    case change(Knob, step: Int)
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
  /// its first step, before its last: a schedule moves the rate at an epoch's end, which is
  /// between epochs).
  func unsettled(_ epoch: EpochSummary) -> Unsettled? {
    let begin = start(of: epoch)
    if let divergence = history.divergences.last(where: { $0.step >= epoch.step }) {
      return .divergence(step: divergence.step)
    }
    return history.changeSteps.last { $0.step > begin && $0.step < epoch.step }.map {
      .change($0.knob, step: $0.step)
    }
  }
}

import RunModel

/// A knob turned inside the last epoch: that epoch's training loss and accuracy are averages over
/// its steps, some at the old value and some at the new, while its validation figures were taken
/// at its end. Their gap is one the run never had at either value: the underfit lesson with L2
/// raised from 0.05 to 0.2 mid-epoch read "high variance: train acc 67 % vs val 53 %" (the live
/// training accuracy was 54 %) and asked to raise L2 again. The gap readings wait for the first
/// epoch trained wholly at the new value.
extension Diagnosis {
  static func settling(_ c: Context, _ last: EpochSummary, _ change: (knob: Knob, step: Int)) -> Finding {
    let value = c.value(of: change.knob).map { " \(Format.knob(change.knob, $0))" } ?? ""
    let next = "epoch \(last.epoch + 1)"
    return Finding(
      kind: .settling, verdict: "settling",
      reason: "\(change.knob.label)\(value) from step \(change.step), inside epoch \(last.epoch)",
      evidence:
        "epoch \(last.epoch)'s training figures mix steps before and after step \(change.step): "
        + "\(next) shows what the change did",
      action: .keepTraining)
  }
}

extension Context {
  /// Where `epoch`'s steps began: the step the epoch before it ended at (the first epoch of a run
  /// started at step 0; of a resumed run, one epoch's steps before its end).
  func start(of epoch: EpochSummary) -> Int {
    if let i = history.epochs.firstIndex(where: { $0.epoch == epoch.epoch }), i > 0 {
      return history.epochs[i - 1].step
    }
    return max(0, epoch.step - (history.stepsPerEpoch ?? epoch.step))
  }

  /// The latest knob change that fell strictly inside `epoch`: after its first step, before its
  /// last (a schedule moves the rate at an epoch's end, which is between epochs).
  func changeInside(_ epoch: EpochSummary) -> (knob: Knob, step: Int)? {
    let begin = start(of: epoch)
    return Knob.allCases.compactMap { knob in history.lastChangeStep[knob].map { (knob: knob, step: $0) } }
      .filter { $0.step > begin && $0.step < epoch.step }
      .max { $0.step < $1.step }
  }
}

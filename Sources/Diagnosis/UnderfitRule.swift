import NeuralNet
import RunModel

/// High bias: both losses poor and close together, and training no longer improving much.
extension Diagnosis {
  /// Training accuracy under 90 % (for regression: training loss above half the first epoch's
  /// after 3 epochs), the gap under 10 % of the validation loss, and the training loss down by
  /// less than 5 % over the last epoch: validation tracks training and both are poor (CS231n),
  /// and waiting will not fix it.
  static func underfitting(_ c: Context) -> Finding? {
    let epochs = c.history.epochs
    guard epochs.count >= 2, let last = epochs.last else { return nil }
    let previous = epochs[epochs.count - 2]
    let weak: Bool
    if let accuracy = last.trainAccuracy {
      weak = accuracy < Thresholds.lowTrainAccuracy
    } else {
      weak = epochs.count >= 3 && last.trainLoss > 0.5 * epochs[0].trainLoss
    }
    let gap = last.validationLoss - last.trainLoss
    let plateau = last.trainLoss > previous.trainLoss * (1 - Thresholds.plateau)
    guard weak, plateau, abs(gap) < Thresholds.relativeGap * max(abs(last.validationLoss), 1e-12) else {
      return nil
    }
    var (cause, reason, action) = underfitCause(c)
    // A regulariser or the rate turned since the last epoch: the numbers are from before it, and
    // naming the new value as the cause was false ("L2 0.001 holds the weights down" on the epoch
    // trained at 0.05, when 0.001 is the lesson's cure). A schedule moves the rate at an epoch's
    // boundary, which is not after it.
    if let change = turnedSince(c, last), let value = c.setValue(of: change.knob) {
      cause = change.knob == .learningRate ? .slowOptimisation : .regularisation
      reason =
        "\(change.knob.label) now \(Format.number(value)) (from step \(change.step)): the next epoch shows what it did"
      action = .keepTraining
    }
    let accuracy = [
      last.trainAccuracy.map { "train acc \(Format.percent($0))" },
      last.validationAccuracy.map { "val acc \(Format.percent($0))" },
    ].compactMap { $0 }
    let evidence =
      (accuracy + [
        "train loss \(Format.number(last.trainLoss)), val \(Format.number(last.validationLoss)) "
          + "(gap \(Format.number(gap)))",
        "train loss \(Format.change(from: previous.trainLoss, to: last.trainLoss)) over the last epoch",
      ]).joined(separator: ", ")
    return Finding(
      kind: .underfitting(cause), verdict: "underfitting", reason: reason, evidence: evidence, action: action,
      remark: "more data does not cure high bias (Ng, MLY)")
  }

  /// Why the model underfits, and the cure. Strong regularisation comes first (it is a key
  /// press away and the scenario's cause), then a network too narrow to fit (a new run: no key
  /// widens a network), then updates too small to get anywhere, then weaker regularisation that
  /// is on. A regulariser at 0 is never blamed.
  static func underfitCause(_ c: Context) -> (UnderfitCause, String, Action) {
    let hyper = c.hyper
    let hidden = c.network?.hiddenSizes ?? []
    let narrowest = hidden.min() ?? 0
    let lowerL2 = Action.turn(.l2, up: false)
    let lowerDropout = Action.turn(.dropout, up: false)
    let l2Text = "L2 \(Format.number(hyper.l2)) holds the weights down"
    let dropoutText = "dropout \(Format.number(hyper.dropout)) holds the network back"
    if hyper.l2 >= Thresholds.strongL2, c.allows(lowerL2) { return (.regularisation, l2Text, lowerL2) }
    if hyper.dropout >= Thresholds.strongDropout, c.allows(lowerDropout) {
      return (.regularisation, dropoutText, lowerDropout)
    }
    if c.network != nil && narrowest < Thresholds.narrowLayer {
      let text =
        hidden.isEmpty ? "no hidden layer to fit with" : "\(narrowest) units in a layer are too few"
      return (.capacity, text, wider(hidden))
    }
    let largest = c.layerMedians(after: c.updateRatiosAfter, \.updateRatio).map(\.value).max()
    let raise = Action.turn(.learningRate, up: true)
    if let largest, largest < Thresholds.updateRatioLow * 10, c.allows(raise) {
      return (
        .slowOptimisation,
        "updates ≤ \(Format.number(largest)) of the weights at lr \(Format.number(c.learningRate))", raise
      )
    }
    if hyper.l2 > 0, c.allows(lowerL2) { return (.regularisation, l2Text, lowerL2) }
    if hyper.dropout > 0, c.allows(lowerDropout) { return (.regularisation, dropoutText, lowerDropout) }
    return (.capacity, "the network is too small for the data", wider(hidden))
  }

  /// The latest change to an underfitting cure's knob since `epoch` ended: L2 or dropout from its
  /// end on, the rate after it.
  static func turnedSince(_ c: Context, _ epoch: EpochSummary) -> (knob: Knob, step: Int)? {
    let changes = [Knob.l2, .dropout, .learningRate].compactMap { knob in
      c.history.lastChangeStep[knob].map { (knob: knob, step: $0) }
    }
    return changes.filter { $0.knob == .learningRate ? $0.step > epoch.step : $0.step >= epoch.step }
      .max { $0.step < $1.step }
  }

  /// A new run's widths: each hidden layer four times wider, at least 128 and at most 1024.
  static func wider(_ hidden: [Int]) -> Action {
    let widths = hidden.isEmpty ? [128] : hidden.map { min(1024, max(128, $0 * 4)) }
    return .newRun([RunFlag("--hidden", widths.map(String.init).joined(separator: ","))])
  }
}

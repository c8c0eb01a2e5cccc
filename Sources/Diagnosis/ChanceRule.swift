import NeuralNet
import RunModel

/// A classifier no better than guessing, two epochs in and not improving. The fit readings compare training
/// and validation, and a network that a blow-up left predicting one class can show a steady
/// validation loss (read as "good fit") or a training accuracy from before the blow-up far above
/// its validation one (read as "high variance, raise L2"): both are wrong advice. This reading
/// comes first among them.
extension Diagnosis {
  static func atChance(_ c: Context, _ last: EpochSummary) -> Finding? {
    guard let accuracy = last.validationAccuracy, let network = c.network,
      network.loss != .squaredError
    else { return nil }
    let classes = network.loss == .sigmoidBinaryCrossEntropy ? 2 : max(network.outputSize, 2)
    let chance = 1 / Double(classes)
    // Guessing, and not getting better: a first epoch that lifts a tiny set from 10 % to 18 %
    // is learning, however poorly.
    let epochs = c.history.epochs
    guard accuracy <= chance + (1 - chance) * Thresholds.chanceMargin, epochs.count >= 2,
      last.validationLoss >= epochs[epochs.count - 2].validationLoss * (1 - Thresholds.plateau)
    else { return nil }
    let largest = c.layerMedians(\.updateRatio).map(\.value).max()
    let reference = c.history.referenceLoss
    let blewUp =
      !c.history.divergences.isEmpty
      || c.history.epochs.contains {
        !$0.trainLoss.isFinite || $0.trainLoss > Thresholds.explosionFactor * reference
      }
    // A loss that blew up on the way left it guessing: the rate is the cause, and weights it has
    // already wrecked may need a new run at a smaller one. Otherwise, as for a stuck loss.
    let action =
      blewUp
      ? c.turn(.learningRate, up: false, else: lowerRateFlag(c)) : stuckAction(c, largestUpdate: largest)
    return Finding(
      kind: .notLearning, verdict: "at chance",
      reason: "val acc \(Format.percent(accuracy)), no better than guessing (\(Format.percent(chance)))",
      evidence: "val acc \(Format.percent(accuracy)) at epoch \(last.epoch), chance "
        + "\(Format.percent(chance)) for \(classes) classes"
        + largestUpdateEvidence(largest),
      action: action)
  }
}

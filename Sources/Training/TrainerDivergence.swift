import Datasets
import NeuralNet
import RunModel

#if canImport(Glibc)
  import Glibc
#endif

/// How the trainer tells a diverged step from a healthy one and what it does about it: the
/// explosion limit, the report and the rollback-or-stop decision.
extension Trainer {
  /// The step's mean loss when it exploded while finite (over `explosionLimit`), else nil. The
  /// first step sets the limit.
  func explodedLoss(_ result: StepOutcome) -> Double? {
    guard result.status == .applied, result.rows > 0 else { return nil }
    let loss = result.lossSum / Double(result.rows)
    guard startLoss != nil else {
      var untrained = 0.0
      if case .classification(let classes) = dataset.task { untrained = log(Double(max(classes, 2))) }
      startLoss = max(loss, untrained)
      return nil
    }
    return loss > explosionLimit ? loss : nil
  }

  /// A refused update or an exploded loss: the run stops, or (the dashboard's policy) rolls back
  /// and waits paused for the user to lower the learning rate. The progress so far is published
  /// first, so the chart shows the explosion; then the windows start afresh, so no later point or
  /// epoch line averages the exploded steps in. Returns the outcome when the run stops.
  func handleDivergence(_ result: StepOutcome, exploded: Double?) -> RunSummary.Outcome? {
    if progressMetrics.rows > 0 { publishProgress() }
    progressMetrics = MetricWindow()
    epochMetrics = MetricWindow()
    emit(.diverged(divergence(result, exploded: exploded)))
    if configuration.divergencePolicy == .stop { return .diverged }
    rollBack()
    pause()
    return nil
  }

  func divergence(_ result: StepOutcome, exploded: Double?) -> Divergence {
    if let exploded {
      let start = startLoss ?? 0
      return Divergence(
        step: step, epoch: epochPosition,
        reason:
          "loss \(ConsoleFormat.significant(exploded)) is over 100× its start (\(ConsoleFormat.significant(start)))",
        layer: nil)
    }
    switch result.status {
    case .nonFiniteGradient(let layer):
      let norm = result.gradientNorms[layer]
      return Divergence(
        step: step, epoch: epochPosition,
        reason: "gradient is \(norm.isNaN ? "nan" : "inf") in \(network.layers[layer].name)",
        layer: network.layers[layer].name)
    default:
      let loss = result.lossSum
      return Divergence(
        step: step, epoch: epochPosition, reason: "loss is \(loss.isNaN ? "nan" : "inf")", layer: nil)
    }
  }
}

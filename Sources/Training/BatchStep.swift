import Datasets
import NeuralNet

extension Learner {
  /// One optimiser step on batch `index` of a shuffled epoch over `data`.
  ///
  /// This is the whole of a training step as `train` and `bench` both run it: the benchmark
  /// measures exactly the code a training run spends its time in, not a copy of it. Each call of
  /// the fill copies one block of this batch (a slice's rows, and with several cores only the
  /// calling core's columns), then prefetches the same block of the next batch, so its rows
  /// arrive while this batch computes and every core prefetches what it will itself copy.
  ///
  /// `checkFirst` withholds the inputs' magnitude, so the step makes its whole gradient and
  /// checks its norms before updating, as a step near divergence does: the same result, for a
  /// benchmark to compare the two paths.
  public func step(
    batch index: Int, of order: BatchOrder, from data: DataSplit, settings: UpdateSettings, dropout: Float,
    checkFirst: Bool = false
  ) -> StepOutcome {
    let range = order.batch(index)
    let next = index + 1 < order.batchCount ? order.batch(index + 1) : range.upperBound..<range.upperBound
    return order.positions.withUnsafeBufferPointer { positions in
      step(
        rows: range.count, settings: settings, dropout: dropout,
        inputMagnitude: checkFirst ? .infinity : data.store.featureMagnitude
      ) { workspace, part, columns in
        let slice = positions[(range.lowerBound + part.lowerBound)..<(range.lowerBound + part.upperBound)]
        data.copyRows(
          UnsafeBufferPointer(rebasing: slice), features: workspace.input.base, labels: workspace.labels.base,
          targets: workspace.targets.base, columns: columns)
        let start = min(next.upperBound, next.lowerBound + part.lowerBound)
        let end = min(next.upperBound, next.lowerBound + part.upperBound)
        data.prefetchRows(UnsafeBufferPointer(rebasing: positions[start..<end]), columns: columns)
      }
    }
  }
}

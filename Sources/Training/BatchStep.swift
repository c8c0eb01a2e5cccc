import Datasets
import NeuralNet

extension Learner {
  /// One optimiser step on batch `index` of a shuffled epoch over `data`.
  ///
  /// This is the whole of a training step as `train` and `bench` both run it: the benchmark
  /// measures exactly the code a training run spends its time in, not a copy of it. The next
  /// batch's rows are prefetched first, so they arrive while this batch computes.
  public func step(
    batch index: Int, of order: BatchOrder, from data: DataSplit, settings: UpdateSettings, dropout: Float
  ) -> StepOutcome {
    let range = order.batch(index)
    return order.positions.withUnsafeBufferPointer { positions in
      if index + 1 < order.batchCount {
        data.prefetchRows(UnsafeBufferPointer(rebasing: positions[order.batch(index + 1)]))
      }
      return step(rows: range.count, settings: settings, dropout: dropout) { workspace, part in
        let slice = positions[(range.lowerBound + part.lowerBound)..<(range.lowerBound + part.upperBound)]
        data.copyRows(
          UnsafeBufferPointer(rebasing: slice), features: workspace.input.base, labels: workspace.labels.base,
          targets: workspace.targets.base)
      }
    }
  }
}

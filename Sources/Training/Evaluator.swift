import Datasets
import NeuralNet
import RunModel

#if canImport(Glibc)
  import Glibc
  @inline(__always) func expDouble(_ x: Double) -> Double { exp(x) }
#endif

/// Loss and accuracy of a network on a split, in inference mode, a chunk at a time.
///
/// Each chunk runs as two halves (`Network.infer`), at once when there are two cores: the
/// evaluations a run makes between its steps then take half the time, and since the halves, not
/// the cores, decide the rounding, a result does not depend on the core count. Monte Carlo
/// passes (dropout on) run whole on one core, since their masks come from one generator in row
/// order.
public final class Evaluator {
  public static let chunk = 1_000
  /// Slices each chunk runs as.
  public static let parts = 2
  let workspace: Workspace
  let network: Network
  let cores: Int

  /// Sets OpenBLAS to one thread, as `Learner` does: the cores an evaluation uses are its halves,
  /// and a product split among BLAS threads rounds differently, so `nntop eval` would not give
  /// the numbers the run's own evaluations gave.
  public init(network: Network, cores: Int = 1) {
    self.network = network
    self.cores = max(1, cores)
    workspace = Workspace(network: network, capacity: Evaluator.chunk)
    BLASThreads.set(1)
  }

  /// Mean loss and accuracy (nil for regression) over the first `limit` examples of `split`.
  public func evaluate(_ split: DataSplit, limit: Int? = nil) -> (
    loss: Double, accuracy: Double?, examples: Int
  ) {
    var ignored: [Int] = []
    return evaluate(split, limit: limit, predictions: &ignored, collect: false)
  }

  /// The same, also collecting each example's predicted class in one pass (classification).
  public func evaluate(_ split: DataSplit, limit: Int? = nil, predictions: inout [Int], collect: Bool = true)
    -> (
      loss: Double, accuracy: Double?, examples: Int
    )
  {
    let count = Swift.min(split.count, limit ?? split.count)
    guard count > 0 else { return (.nan, nil, 0) }
    var lossSum = 0.0
    var correct = 0
    var positions = [Int32](repeating: 0, count: Evaluator.chunk)
    var start = 0
    while start < count {
      let rows = forwardChunk(split, from: start, count: count, positions: &positions)
      let r = network.lossAndGradient(workspace, normalizer: rows, gradient: false)
      if collect { appendPredictions(rows: rows, to: &predictions) }
      lossSum += r.lossSum
      correct += r.correct
      start += rows
    }
    let accuracy = network.spec.loss.reportsAccuracy ? Double(correct) / Double(count) : nil
    return (lossSum / Double(count), accuracy, count)
  }

  /// Predicted class and its probability for every example of `split` (classification).
  public func classify(_ split: DataSplit) -> [(label: Int, confidence: Double)] {
    var result: [(label: Int, confidence: Double)] = []
    var positions = [Int32](repeating: 0, count: Evaluator.chunk)
    var start = 0
    let outputs = network.spec.outputSize
    while start < split.count {
      let rows = forwardChunk(split, from: start, count: split.count, positions: &positions)
      let logits = workspace.outputs[network.layers.count - 1].base
      for r in 0..<rows {
        let row = logits + r * outputs
        if outputs == 1 {
          let p = 1 / (1 + expDouble(-Double(row[0])))
          result.append(p >= 0.5 ? (1, p) : (0, 1 - p))
        } else {
          var best = 0
          for c in 1..<outputs where row[c] > row[best] { best = c }
          var sum = 0.0
          for c in 0..<outputs { sum += expDouble(Double(row[c] - row[best])) }
          result.append((best, 1 / sum))
        }
      }
      start += rows
    }
    return result
  }

  /// The predicted class of each row of the last forward pass.
  private func appendPredictions(rows: Int, to result: inout [Int]) {
    let outputs = network.spec.outputSize
    let logits = workspace.outputs[network.layers.count - 1].base
    for r in 0..<rows {
      let row = logits + r * outputs
      if outputs == 1 {
        result.append(row[0] >= 0 ? 1 : 0)
      } else {
        var best = 0
        for c in 1..<outputs where row[c] > row[best] { best = c }
        result.append(best)
      }
    }
  }

  /// Loads examples start..<start+chunk (bounded by `count`) and runs them forward (with
  /// `dropout`, Monte Carlo style, when given); returns how many.
  func forwardChunk(
    _ split: DataSplit, from start: Int, count: Int, positions: inout [Int32], dropout: Float = 0
  ) -> Int {
    let rows = Swift.min(Evaluator.chunk, count - start)
    for i in 0..<rows { positions[i] = Int32(start + i) }
    workspace.rows = rows
    let ws = workspace
    positions.withUnsafeBufferPointer { p in
      func load(_ part: Range<Int>) {
        split.copyRows(
          UnsafeBufferPointer(rebasing: p[part]),
          features: ws.input.base + part.lowerBound * split.store.featureCount,
          labels: ws.labels.base + part.lowerBound,
          targets: ws.targets.base + part.lowerBound * split.store.targetCount)
      }
      withSubnormalsFlushed {
        if dropout > 0 {
          load(0..<rows)
          network.forward(ws, training: false, dropout: dropout)
        } else {
          network.infer(ws, parts: Evaluator.parts, cores: cores, load: load)
        }
      }
    }
    return rows
  }

  /// Class probabilities of the last forward pass, one row per example (softmax, or the two
  /// classes of one sigmoid output).
  func probabilities(rows: Int) -> [[Double]] {
    let outputs = network.spec.outputSize
    let logits = workspace.outputs[network.layers.count - 1].base
    return (0..<rows).map { r in
      let row = logits + r * outputs
      if outputs == 1 {
        let p = 1 / (1 + expDouble(-Double(row[0])))
        return [1 - p, p]
      }
      var top = row[0]
      for c in 1..<outputs { top = Swift.max(top, row[c]) }
      let e = (0..<outputs).map { expDouble(Double(row[$0] - top)) }
      let sum = e.reduce(0, +)
      return e.map { $0 / sum }
    }
  }
}

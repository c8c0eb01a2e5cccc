import Datasets
import NeuralNet
import RunModel

#if canImport(Glibc)
  import Glibc
#endif

/// The lecture's "at test time, integrate out the noise": many forward passes with different
/// dropout masks, their class probabilities averaged, against the usual single pass with the
/// weights scaled (inverted dropout: no mask at test time).
public struct MonteCarloResult: Sendable, Equatable {
  public struct Reading: Sendable, Equatable {
    public var accuracy: Double
    /// Mean over examples of the entropy of the predicted distribution, in nats (0: certain;
    /// ln C: no idea).
    public var entropy: Double
  }
  public var weightScaling: Reading
  public var averaged: Reading
  public var examples: Int
  public var passes: Int
  public var dropout: Double
}

extension Evaluator {
  /// Per example, the single pass's probabilities and the average of `passes` passes with
  /// dropout `dropout` (classification only). With dropout 0 every pass is the same network,
  /// so the two are equal.
  public func monteCarloProbabilities(_ split: DataSplit, passes: Int, dropout: Double, limit: Int? = nil)
    -> (plain: [[Double]], averaged: [[Double]])
  {
    let count = Swift.min(split.count, limit ?? split.count)
    var plain: [[Double]] = []
    var averaged: [[Double]] = []
    var positions = [Int32](repeating: 0, count: Evaluator.chunk)
    var start = 0
    while start < count {
      let rows = forwardChunk(split, from: start, count: count, positions: &positions)
      let single = probabilities(rows: rows)
      plain += single
      guard dropout > 0 else {
        // Every pass would be this same network: the average is the pass itself, exactly.
        averaged += single
        start += rows
        continue
      }
      var sum = [[Double]](repeating: [], count: rows)
      for _ in 0..<Swift.max(1, passes) {
        _ = forwardChunk(split, from: start, count: count, positions: &positions, dropout: Float(dropout))
        for (r, p) in probabilities(rows: rows).enumerated() {
          sum[r] = sum[r].isEmpty ? p : zip(sum[r], p).map(+)
        }
      }
      averaged += sum.map { $0.map { $0 / Double(Swift.max(1, passes)) } }
      start += rows
    }
    return (plain, averaged)
  }

  /// Accuracy and mean predictive entropy, weight scaling against Monte Carlo averaging.
  public func monteCarlo(_ split: DataSplit, passes: Int, dropout: Double, limit: Int? = nil)
    -> MonteCarloResult
  {
    let (plain, averaged) = monteCarloProbabilities(split, passes: passes, dropout: dropout, limit: limit)
    func reading(_ probabilities: [[Double]]) -> MonteCarloResult.Reading {
      var correct = 0
      var entropy = 0.0
      for (i, p) in probabilities.enumerated() {
        let predicted = p.indices.max { p[$0] < p[$1] } ?? 0
        if predicted == Int(split.label(at: i)) { correct += 1 }
        entropy -= p.reduce(0) { $0 + ($1 > 0 ? $1 * log($1) : 0) }
      }
      let n = Double(Swift.max(probabilities.count, 1))
      return .init(accuracy: Double(correct) / n, entropy: entropy / n)
    }
    return MonteCarloResult(
      weightScaling: reading(plain), averaged: reading(averaged), examples: plain.count, passes: passes,
      dropout: dropout)
  }
}

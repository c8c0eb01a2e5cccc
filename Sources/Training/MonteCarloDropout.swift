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
  /// Per example, the single pass's probabilities, the average of `passes` passes with dropout
  /// `dropout` (classification only) and the standard deviation of each class's probability over
  /// those passes. With dropout 0 every pass is the same network, so the average is the single
  /// pass and the spread is 0.
  public func monteCarloProbabilities(_ split: DataSplit, passes: Int, dropout: Double, limit: Int? = nil)
    -> (plain: [[Double]], averaged: [[Double]], spread: [[Double]])
  {
    let count = Swift.min(split.count, limit ?? split.count)
    let runs = Double(Swift.max(1, passes))
    var plain: [[Double]] = []
    var averaged: [[Double]] = []
    var spread: [[Double]] = []
    var positions = [Int32](repeating: 0, count: Evaluator.chunk)
    var start = 0
    while start < count {
      let rows = forwardChunk(split, from: start, count: count, positions: &positions)
      let single = probabilities(rows: rows)
      plain += single
      guard dropout > 0 else {
        // Every pass would be this same network: the average is the pass itself, exactly.
        averaged += single
        spread += single.map { [Double](repeating: 0, count: $0.count) }
        start += rows
        continue
      }
      var sum = [[Double]](repeating: [], count: rows)
      var squares = sum
      for _ in 0..<Swift.max(1, passes) {
        _ = forwardChunk(split, from: start, count: count, positions: &positions, dropout: Float(dropout))
        for (r, p) in probabilities(rows: rows).enumerated() {
          sum[r] = sum[r].isEmpty ? p : zip(sum[r], p).map(+)
          squares[r] = squares[r].isEmpty ? p.map { $0 * $0 } : zip(squares[r], p).map { $0 + $1 * $1 }
        }
      }
      for r in 0..<rows {
        let mean = sum[r].map { $0 / runs }
        averaged.append(mean)
        spread.append(zip(squares[r], mean).map { (Swift.max(0, $0 / runs - $1 * $1)).squareRoot() })
      }
      start += rows
    }
    return (plain, averaged, spread)
  }

  /// Accuracy and mean predictive entropy, weight scaling against Monte Carlo averaging.
  public func monteCarlo(_ split: DataSplit, passes: Int, dropout: Double, limit: Int? = nil)
    -> MonteCarloResult
  {
    let (plain, averaged, _) = monteCarloProbabilities(split, passes: passes, dropout: dropout, limit: limit)
    func reading(_ probabilities: [[Double]]) -> MonteCarloResult.Reading {
      var correct = 0
      var entropy = 0.0
      for (i, p) in probabilities.enumerated() {
        let predicted = p.indices.max { p[$0] < p[$1] } ?? 0
        if predicted == Int(split.label(at: i)) { correct += 1 }
        entropy += DropoutUncertainty.entropy(p)
      }
      let n = Double(Swift.max(probabilities.count, 1))
      return .init(accuracy: Double(correct) / n, entropy: entropy / n)
    }
    return MonteCarloResult(
      weightScaling: reading(plain), averaged: reading(averaged), examples: plain.count, passes: passes,
      dropout: dropout)
  }
}

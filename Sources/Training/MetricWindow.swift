import NeuralNet

/// Running sums over a stretch of training steps, and the averages reported for it.
///
/// The trainer keeps one for the whole epoch (the epoch summary) and one since the last progress
/// event (the live curve); both must average the same way, so the arithmetic lives here once.
struct MetricWindow {
  private(set) var lossSum = 0.0
  private(set) var correct = 0
  private(set) var rows = 0
  /// Time spent inside learner steps only, so throughput excludes evaluation and pauses.
  private(set) var seconds = 0.0

  mutating func add(_ outcome: StepOutcome, seconds: Double) {
    add(lossSum: outcome.lossSum, correct: outcome.correct, rows: outcome.rows, seconds: seconds)
  }

  mutating func add(lossSum: Double, correct: Int, rows: Int, seconds: Double) {
    self.lossSum += lossSum
    self.correct += correct
    self.rows += rows
    self.seconds += seconds
  }

  /// Mean loss per example (0 before any example).
  var meanLoss: Double { lossSum / Double(max(rows, 1)) }

  /// Fraction correct, for losses that classify (nil otherwise, or before any example).
  func accuracy(classifies: Bool) -> Double? {
    guard classifies, rows > 0 else { return nil }
    return Double(correct) / Double(rows)
  }

  /// Examples per second of step time (0 before any time was measured).
  var samplesPerSecond: Double { seconds > 0 ? Double(rows) / seconds : 0 }
}

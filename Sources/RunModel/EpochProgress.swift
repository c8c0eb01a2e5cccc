/// How far into its epoch a run was when a checkpoint was taken between two of the epoch's steps
/// (a stop, a key's checkpoint): the steps done and the sums its epoch line averages. A run resumed
/// from it skips those steps of the epoch's fixed order and goes on from the next, with the
/// epoch's sums as they were: it had restarted the epoch, training its first steps twice.
public struct EpochProgress: Sendable, Equatable {
  public var steps: Int
  public var lossSum: Double
  public var correct: Int
  public var rows: Int
  /// Step time only, as the epoch's samples/s counts it.
  public var seconds: Double

  public init(steps: Int, lossSum: Double, correct: Int, rows: Int, seconds: Double) {
    self.steps = steps
    self.lossSum = lossSum
    self.correct = correct
    self.rows = rows
    self.seconds = seconds
  }

  /// `steps,loss_sum,correct,rows,seconds`, the sums to full precision.
  public var specification: String {
    "\(steps),\(lossSum),\(correct),\(rows),\(seconds)"
  }

  /// Nil for anything but five fields that could be a position in an epoch: counts from 1 step
  /// and not more correct rows than rows, sums finite and not negative.
  public init?(parsing text: String) {
    let fields = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    guard fields.count == 5, let steps = Int(fields[0]), let lossSum = Double(fields[1]),
      let correct = Int(fields[2]), let rows = Int(fields[3]), let seconds = Double(fields[4]),
      steps > 0, steps <= 1 << 40, rows >= 0, correct >= 0, correct <= rows,
      lossSum.isFinite, lossSum >= 0, seconds.isFinite, seconds >= 0
    else { return nil }
    self.init(steps: steps, lossSum: lossSum, correct: correct, rows: rows, seconds: seconds)
  }
}

import RunModel

/// What "samples/s" means on a run slowed to be watched. The trainer measures the steps' own
/// speed (the waits between paced steps left out, as in every benchmark), which on a lesson at
/// 100 steps a second read "76.7k samples/s" while it trained 12.8k: a student takes the header's
/// number as the run's speed.
extension DashboardState {
  /// The samples a second the run goes at under `pace` steps a second: the steps' speed, or the
  /// pace's, whichever is lower.
  public func samplesPerSecond(pace: Double?) -> Double {
    guard let pace, pace > 0, let batch = header?.batchSize else { return samplesPerSecond }
    return min(samplesPerSecond, pace * Double(batch))
  }

  /// The samples a second the last epoch really trained at, from its steps and the time between
  /// its end and the one before (evaluations and pauses included): what a paced run's epoch line
  /// reports. Nil before an epoch has ended.
  public var lastEpochWallRate: Double? {
    guard let last = epochs.last, let batch = header?.batchSize else { return nil }
    let previous = epochs.dropLast().last
    let steps = last.step - (previous?.step ?? 0)
    let seconds = last.elapsed - (previous?.elapsed ?? 0)
    guard steps > 0, seconds > 0 else { return nil }
    return Double(steps * batch) / seconds
  }
}

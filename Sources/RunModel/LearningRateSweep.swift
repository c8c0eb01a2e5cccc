/// A learning-rate finder's sweep (fastai's `lr_find`, Smith 2017): the rate raised exponentially
/// one batch at a time while the loss is recorded, until the smoothed loss blows up.
public struct LearningRateSweep: Sendable, Equatable {
  /// Where the run was when the sweep ran (0 before training).
  public var step = 0
  public var epoch = 0.0
  public var rates: [Double]
  /// Each batch's mean loss, and its bias-corrected exponential moving average (β = 0.98).
  public var losses: [Double]
  public var smoothed: [Double]
  /// Why the sweep ended: "the smoothed loss passed 4× its best", "the loss is not finite", or
  /// "the last rate was reached".
  public var stop: String
  /// The rate to train at: where the smoothed loss falls fastest, before its minimum (nil when
  /// the sweep is too short to say).
  public var suggestion: Double?

  public init(rates: [Double], losses: [Double], smoothed: [Double], stop: String, suggestion: Double?) {
    self.rates = rates
    self.losses = losses
    self.smoothed = smoothed
    self.stop = stop
    self.suggestion = suggestion
  }

  /// Why there is no suggestion, in words a person can act on: the suggestion skips the first 10
  /// batches (the moving average is settling), so a shorter sweep has none; a longer one has none
  /// when the smoothed loss never fell after them, as on a network already training.
  public var withoutSuggestion: String {
    rates.count <= 12
      ? "the sweep ended after \(rates.count) batches (\(stop)); 13 are needed"
      : "the smoothed loss never fell: sweep before training (--start-paused, then f)"
  }
}

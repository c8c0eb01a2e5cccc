/// The tags nntop's runs have as TensorBoard summaries: the one table `export --tensorboard`
/// writes, `view` lists for a run log and reads its layers' health from, so all name a number the
/// same way (docs/tensorboard.md). A layer's tags end with `/<layer name>`.
public enum SummaryTag {
  public static let trainLoss = "train/loss"
  public static let trainAccuracy = "train/accuracy"
  /// The epoch's own training figures: a run whose progress records are sparse (the PyTorch
  /// client's `every=` longer than an epoch) has no others.
  public static let trainEpochLoss = "train/epoch_loss"
  public static let trainEpochAccuracy = "train/epoch_accuracy"
  public static let learningRate = "lr"
  public static let validationLoss = "validation/loss"
  public static let validationAccuracy = "validation/accuracy"
  public static let testLoss = "test/loss"
  public static let testAccuracy = "test/accuracy"
  public static let activations = "activations/"
  public static let gradientNorm = "gradient_norm/"
  public static let updateRatio = "update_ratio/"
  public static let deadFraction = "dead_fraction/"
  /// A loop's own epoch metrics (`run.epoch(f1=…)`): `metrics/f1`.
  public static let metrics = "metrics/"
  public static let knobs = "knobs"
  public static let events = "events"
}

import RunModel

/// Which chart a scalar tag belongs on. The names are those the common writers use (PyTorch
/// scripts, Lightning, Keras/TF2, nntop's own export); docs/tensorboard.md lists them.
public enum ChartKind: String, CaseIterable, Sendable {
  case loss
  case accuracy
  case learningRate = "learning rate"

  /// Tags by chart, compared without case; a tag may also end in one of these after a `/`
  /// (`Loss/train` is not listed, `train/loss` is: the last part names the quantity).
  static let names: [ChartKind: Set<String>] = [
    .loss: [
      "loss", "train_loss", "val_loss", "valid_loss", "validation_loss", "test_loss", "epoch_loss",
      "batch_loss",
      "train/loss", "val/loss", "validation/loss", "test/loss", "validation/epoch_loss", "train/epoch_loss",
      "loss/train", "loss/val", "loss/validation", "loss/test", "training_loss", "eval_loss", "eval/loss",
    ],
    .accuracy: [
      "accuracy", "acc", "train_acc", "val_acc", "train_accuracy", "val_accuracy", "valid_acc", "test_acc",
      "epoch_accuracy", "batch_accuracy", "train/accuracy", "val/accuracy", "validation/accuracy",
      "test/accuracy", "train/acc", "val/acc", "validation/epoch_accuracy", "train/epoch_accuracy",
      "accuracy/train", "accuracy/val",
      "accuracy/test", "eval_accuracy", "eval/accuracy",
    ],
    .learningRate: [
      "lr", "learning_rate", "learning-rate", "epoch_learning_rate", "batch_learning_rate", "train/lr",
      "lr-sgd", "lr-adam", "lr-adamw", "optimizer/lr", "lr/pg1", "train/learning_rate",
    ],
  ]

  /// What the quantity can be: the y axis's padding stops there (a loss is never below 0, an
  /// accuracy never above 1; an axis labelled -0.03 or 1.01 read as a value reached). Points
  /// outside (an accuracy logged in percent) are still drawn: the limits bind the padding only.
  public var limits: ClosedRange<Double> {
    self == .accuracy ? 0...1 : 0...Double.infinity
  }

  /// Whether a tag is a setting rather than a measurement: the learning rate and every knob
  /// (`Knob`'s log names, alone or as the last part, `optimizer/momentum`). A setting is drawn as
  /// set, never smoothed: an EMA drew a step change as a ramp through rates never used.
  public static func isSetting(_ tag: String) -> Bool {
    let lower = tag.lowercased()
    let last = lower.split(separator: "/").last.map(String.init) ?? lower
    return of(tag) == .learningRate || Knob.allCases.contains { $0.rawValue == lower || $0.rawValue == last }
  }

  /// Tags in the order a chart lists them: training, then validation, then test, then the rest,
  /// each by name (alphabetically `test/loss` came first and took the legend's room).
  public static func precedes(_ a: String, _ b: String) -> Bool {
    let (ra, rb) = (split(of: a), split(of: b))
    return ra != rb ? ra < rb : a < b
  }

  /// 0 training (a bare `loss` or `acc` too), 1 validation, 2 test, 3 anything else.
  static func split(of tag: String) -> Int {
    let words = tag.lowercased().split { !$0.isLetter }.map(String.init)
    if words.contains(where: { $0.hasPrefix("train") || $0 == "batch" || $0 == "epoch" }) { return 0 }
    if words.contains(where: { $0.hasPrefix("val") || $0 == "eval" || $0 == "dev" }) { return 1 }
    if words.contains("test") { return 2 }
    return words.allSatisfy { $0 == "loss" || $0.hasPrefix("acc") } ? 0 : 3
  }

  /// The chart `tag` is drawn on, or nil (then only the tag picker shows it).
  public static func of(_ tag: String) -> ChartKind? {
    let lower = tag.lowercased()
    return allCases.first { names[$0]?.contains(lower) == true }
  }
}

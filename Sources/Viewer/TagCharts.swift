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
      "test/accuracy", "train/acc", "val/acc", "validation/epoch_accuracy", "accuracy/train", "accuracy/val",
      "accuracy/test", "eval_accuracy", "eval/accuracy",
    ],
    .learningRate: [
      "lr", "learning_rate", "learning-rate", "epoch_learning_rate", "batch_learning_rate", "train/lr",
      "lr-sgd", "lr-adam", "lr-adamw", "optimizer/lr", "lr/pg1", "train/learning_rate",
    ],
  ]

  /// The chart `tag` is drawn on, or nil (then only the tag picker shows it).
  public static func of(_ tag: String) -> ChartKind? {
    let lower = tag.lowercased()
    return allCases.first { names[$0]?.contains(lower) == true }
  }
}

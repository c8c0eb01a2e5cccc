import Datasets
import RunModel

extension ValidationDetail {
  /// How many misclassified examples an evaluation keeps.
  public static let mistakeLimit = 16

  /// Builds the detail from predictions over the first `predictions.count` examples of `split`.
  public static func make(
    step: Int, epoch: Double, classes: Int, predictions: [Int], split: DataSplit,
    imageShape: (rows: Int, cols: Int)?
  ) -> ValidationDetail {
    let k = max(classes, 2)
    var confusion = [Int](repeating: 0, count: k * k)
    var mistakes: [Mistake] = []
    for (position, predicted) in predictions.enumerated() {
      let label = Int(split.label(at: position))
      guard label >= 0, label < k, predicted >= 0, predicted < k else { continue }
      confusion[label * k + predicted] += 1
      if label != predicted && mistakes.count < mistakeLimit {
        mistakes.append(
          Mistake(label: label, predicted: predicted, pixels: split.imageBytes(at: position) ?? []))
      }
    }
    return ValidationDetail(
      step: step, epoch: epoch, classes: k, confusion: confusion, mistakes: mistakes,
      imageRows: imageShape?.rows ?? 0, imageCols: imageShape?.cols ?? 0)
  }
}

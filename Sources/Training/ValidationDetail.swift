import Datasets

/// What the validation set says beyond loss and accuracy: which classes are confused with which,
/// and a few of the examples the network gets wrong (with their pixels when they are images).
public struct ValidationDetail: Sendable, Equatable {
  public struct Mistake: Sendable, Equatable {
    public var label: Int
    public var predicted: Int
    /// rows × cols greyscale bytes, empty when the examples are not images.
    public var pixels: [UInt8]

    public init(label: Int, predicted: Int, pixels: [UInt8]) {
      self.label = label
      self.predicted = predicted
      self.pixels = pixels
    }
  }

  public var step: Int
  public var epoch: Double
  public var classes: Int
  /// classes × classes counts, row = true label, column = prediction.
  public var confusion: [Int]
  public var mistakes: [Mistake]
  public var imageRows: Int
  public var imageCols: Int

  public init(
    step: Int, epoch: Double, classes: Int, confusion: [Int], mistakes: [Mistake], imageRows: Int,
    imageCols: Int
  ) {
    self.step = step
    self.epoch = epoch
    self.classes = classes
    self.confusion = confusion
    self.mistakes = mistakes
    self.imageRows = imageRows
    self.imageCols = imageCols
  }

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

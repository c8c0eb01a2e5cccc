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
}

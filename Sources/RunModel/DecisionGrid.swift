/// The network's decision over the plane of a 2-D dataset: the predicted class and its confidence
/// at each point of a grid, with a sample of the data drawn on top (TensorFlow Playground's view).
public struct DecisionGrid: Sendable, Equatable {
  public struct Point: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var label: Int
    public var validation: Bool
    public init(x: Double, y: Double, label: Int, validation: Bool) {
      self.x = x
      self.y = y
      self.label = label
      self.validation = validation
    }
  }

  public var step: Int
  public var epoch: Double
  public var columns: Int
  public var rows: Int
  public var xRange: ClosedRange<Double>
  public var yRange: ClosedRange<Double>
  public var classes: Int
  /// rows × columns, row 0 at the top (largest y): predicted class.
  public var predictions: [UInt8]
  /// Confidence of each prediction, 0…9 (probability of the predicted class, in tenths).
  public var confidence: [UInt8]
  public var points: [Point]

  public init(
    step: Int, epoch: Double, columns: Int, rows: Int, xRange: ClosedRange<Double>,
    yRange: ClosedRange<Double>,
    classes: Int, predictions: [UInt8], confidence: [UInt8], points: [Point]
  ) {
    self.step = step
    self.epoch = epoch
    self.columns = columns
    self.rows = rows
    self.xRange = xRange
    self.yRange = yRange
    self.classes = classes
    self.predictions = predictions
    self.confidence = confidence
    self.points = points
  }
}

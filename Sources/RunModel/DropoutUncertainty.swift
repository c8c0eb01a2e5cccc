#if canImport(Glibc)
  import Glibc
#endif

/// What Monte Carlo dropout says about a classification network at the end of an epoch: many
/// forward passes with fresh dropout masks, averaged (the lecture's "integrate out the noise").
///
/// The passes disagree most where the network is least sure, so the view shows the validation
/// examples whose averaged prediction has the highest entropy, each class's mean probability with
/// its spread over the passes, and (for the 2-D sets) the entropy over the whole plane.
public struct DropoutUncertainty: Sendable, Equatable {
  /// One validation example: its true class, each class's probability averaged over the passes
  /// and the standard deviation of that probability over the passes.
  public struct Example: Sendable, Equatable {
    public var label: Int
    public var mean: [Double]
    public var spread: [Double]
    /// rows × cols greyscale bytes, empty when the examples are not images.
    public var pixels: [UInt8]

    public init(label: Int, mean: [Double], spread: [Double], pixels: [UInt8]) {
      self.label = label
      self.mean = mean
      self.spread = spread
      self.pixels = pixels
    }

    /// The class the averaged prediction picks.
    public var predicted: Int { mean.indices.max { mean[$0] < mean[$1] } ?? 0 }

    /// Entropy of the averaged prediction, in nats.
    public var entropy: Double { DropoutUncertainty.entropy(mean) }
  }

  /// The entropy of the averaged prediction over a grid of the plane of a 2-D dataset (the same
  /// grid as the decision regions), as a fraction of its largest possible value ln C, in 255ths.
  public struct Plane: Sendable, Equatable {
    public var columns: Int
    public var rows: Int
    public var xRange: ClosedRange<Double>
    public var yRange: ClosedRange<Double>
    /// rows × columns, row 0 at the top (largest y).
    public var entropy: [UInt8]

    public init(
      columns: Int, rows: Int, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, entropy: [UInt8]
    ) {
      self.columns = columns
      self.rows = rows
      self.xRange = xRange
      self.yRange = yRange
      self.entropy = entropy
    }
  }

  /// Passes per example: enough for the spread of a probability to settle to a few percent.
  public static let passes = 20

  public var step: Int
  public var epoch: Double
  public var passes: Int
  public var dropout: Double
  public var classes: Int
  /// How many validation examples were looked at, and the accuracy and mean entropy on them of
  /// the plain pass (weights scaled) and of the Monte Carlo average.
  public var examined: Int
  public var weightScalingAccuracy: Double
  public var averagedAccuracy: Double
  public var weightScalingEntropy: Double
  public var averagedEntropy: Double
  /// The most uncertain examples, most uncertain first.
  public var examples: [Example]
  public var imageRows: Int
  public var imageCols: Int
  public var plane: Plane?

  public init(
    step: Int, epoch: Double, passes: Int, dropout: Double, classes: Int, examined: Int,
    weightScalingAccuracy: Double, averagedAccuracy: Double, weightScalingEntropy: Double,
    averagedEntropy: Double, examples: [Example], imageRows: Int, imageCols: Int, plane: Plane?
  ) {
    self.step = step
    self.epoch = epoch
    self.passes = passes
    self.dropout = dropout
    self.classes = classes
    self.examined = examined
    self.weightScalingAccuracy = weightScalingAccuracy
    self.averagedAccuracy = averagedAccuracy
    self.weightScalingEntropy = weightScalingEntropy
    self.averagedEntropy = averagedEntropy
    self.examples = examples
    self.imageRows = imageRows
    self.imageCols = imageCols
    self.plane = plane
  }

  /// −Σ p ln p over the classes, in nats (0 certain, ln C a coin toss over all C classes).
  public static func entropy(_ probabilities: [Double]) -> Double {
    -probabilities.reduce(0) { $0 + ($1 > 0 ? $1 * log($1) : 0) }
  }
}

/// What a 1-D regression network has learned (the `sine` set): its output along the input axis,
/// with the spread of Monte Carlo dropout passes when dropout is on, over a sample of the data.
public struct LearnedCurve: Sendable, Equatable {
  public var step: Int
  public var epoch: Double
  /// Inputs along the axis, and the network's output at each (the mean of the passes).
  public var xs: [Double]
  public var mean: [Double]
  /// Standard deviation over Monte Carlo dropout passes at each input (0 without dropout).
  public var spread: [Double]
  /// Training examples to draw the curve over: input, target.
  public var pointsX: [Double]
  public var pointsY: [Double]

  public init(
    step: Int, epoch: Double, xs: [Double], mean: [Double], spread: [Double], pointsX: [Double],
    pointsY: [Double]
  ) {
    self.step = step
    self.epoch = epoch
    self.xs = xs
    self.mean = mean
    self.spread = spread
    self.pointsX = pointsX
    self.pointsY = pointsY
  }
}

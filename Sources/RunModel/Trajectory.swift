/// The path the parameters take, projected onto their first two principal components — the
/// lecture's "plot parameter values in a low-dimensional space".
public struct Trajectory: Sendable, Equatable {
  public var step: Int
  public var epoch: Double
  /// One point per snapshot, oldest first: coordinates on the first two components.
  public var points: [(x: Double, y: Double)]
  public var steps: [Int]
  /// Share of the snapshots' variance each component explains.
  public var explained: [Double]

  public init(step: Int, epoch: Double, points: [(x: Double, y: Double)], steps: [Int], explained: [Double]) {
    self.step = step
    self.epoch = epoch
    self.points = points
    self.steps = steps
    self.explained = explained
  }

  public static func == (a: Trajectory, b: Trajectory) -> Bool {
    a.step == b.step && a.epoch == b.epoch && a.steps == b.steps && a.explained == b.explained
      && a.points.map(\.x) == b.points.map(\.x) && a.points.map(\.y) == b.points.map(\.y)
  }
}

import Datasets
import NeuralNet
import RunModel

#if canImport(Glibc)
  import Glibc
#endif

extension DecisionGrid {
  public static let gridColumns = 64
  public static let gridRows = 32
  public static let pointLimit = (train: 100, validation: 50)

  /// The plane of a 2-D dataset as a grid of inputs (row 0 at the top): the training data's extent
  /// with a 10 % margin. The decision regions and the dropout uncertainty share it.
  static func plane(of dataset: DatasetBundle) -> (
    xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, grid: DataSplit
  )? {
    guard dataset.featureCount == 2 else { return nil }
    let store = dataset.train.store
    var xs: [Double] = []
    var ys: [Double] = []
    for position in 0..<dataset.train.count {
      let i = Int(dataset.train.indices[position])
      xs.append(Double(store.feature(i, 0)))
      ys.append(Double(store.feature(i, 1)))
    }
    guard let x0 = xs.min(), let x1 = xs.max(), let y0 = ys.min(), let y1 = ys.max() else { return nil }
    let mx = max(1e-6, (x1 - x0) * 0.1)
    let my = max(1e-6, (y1 - y0) * 0.1)
    let xRange = (x0 - mx)...(x1 + mx)
    let yRange = (y0 - my)...(y1 + my)
    let columns = gridColumns
    let rows = gridRows
    var grid: [Float] = []
    grid.reserveCapacity(columns * rows * 2)
    for r in 0..<rows {
      let y = yRange.upperBound - (Double(r) + 0.5) / Double(rows) * (yRange.upperBound - yRange.lowerBound)
      for c in 0..<columns {
        let x =
          xRange.lowerBound + (Double(c) + 0.5) / Double(columns) * (xRange.upperBound - xRange.lowerBound)
        grid += [Float(x), Float(y)]
      }
    }
    let gridStore = ExampleStore(
      features: .floats(grid), featureCount: 2, labels: [Int32](repeating: 0, count: columns * rows))
    return (xRange, yRange, DataSplit(store: gridStore, indices: (0..<(columns * rows)).map(Int32.init)))
  }

  /// Evaluates `network` over a grid covering the training data (with a 10 % margin).
  static func make(network: Network, dataset: DatasetBundle, classes: Int, step: Int, epoch: Double)
    -> DecisionGrid?
  {
    guard let (xRange, yRange, grid) = plane(of: dataset) else { return nil }
    let columns = gridColumns
    let rows = gridRows
    let classified = Evaluator(network: network).classify(grid)
    var points: [Point] = []
    for (split, limit, isValidation) in [
      (dataset.train, pointLimit.train, false), (dataset.validation, pointLimit.validation, true),
    ] {
      for position in 0..<min(limit, split.count) {
        let i = Int(split.indices[position])
        points.append(
          Point(
            x: Double(split.store.feature(i, 0)), y: Double(split.store.feature(i, 1)),
            label: Int(split.label(at: position)), validation: isValidation))
      }
    }
    return DecisionGrid(
      step: step, epoch: epoch, columns: columns, rows: rows, xRange: xRange, yRange: yRange,
      classes: classes,
      predictions: classified.map { UInt8(min(255, $0.label)) },
      confidence: classified.map { UInt8(min(9, Int($0.confidence * 10))) }, points: points)
  }
}

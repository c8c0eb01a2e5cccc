import Datasets
import NeuralNet
import RunModel

#if canImport(Glibc)
  import Glibc
#endif

extension LearnedCurve {
  public static let samples = 64
  public static let pointLimit = 150
  public static let passes = 20

  /// The network's output over 64 inputs spanning the training data (with a 5 % margin), with
  /// 20 Monte Carlo dropout passes when `dropout` > 0 (their mean and spread), for a dataset of
  /// one input and one output; nil otherwise.
  static func make(network: Network, dataset: DatasetBundle, dropout: Double, step: Int, epoch: Double)
    -> LearnedCurve?
  {
    guard dataset.featureCount == 1, dataset.outputCount == 1, case .regression = dataset.task else {
      return nil
    }
    let train = dataset.train
    let inputs = (0..<train.count).map { Double(train.store.feature(Int(train.indices[$0]), 0)) }
    guard let low = inputs.min(), let high = inputs.max() else { return nil }
    let margin = max(1e-6, (high - low) * 0.05)
    let xs = (0..<samples).map { low - margin + (high - low + 2 * margin) * Double($0) / Double(samples - 1) }
    let store = ExampleStore(
      features: .floats(xs.map { Float($0) }), featureCount: 1, labels: [Int32](repeating: 0, count: samples),
      targets: [Float](repeating: 0, count: samples), targetCount: 1)
    let grid = DataSplit(store: store, indices: (0..<samples).map(Int32.init))
    let (mean, spread) = Evaluator(network: network).outputs(
      grid, passes: dropout > 0 ? passes : 1, dropout: dropout)
    let shown = min(pointLimit, train.count)
    let positions = (0..<shown).map { $0 * train.count / shown }
    return LearnedCurve(
      step: step, epoch: epoch, xs: xs, mean: mean, spread: spread, pointsX: positions.map { inputs[$0] },
      pointsY: positions.map { Double(train.store.targets[Int(train.indices[$0])]) })
  }
}

extension Evaluator {
  /// The first output for every example of `split`: the mean and the standard deviation over
  /// `passes` passes with dropout `dropout` (one pass without dropout: the spread is 0).
  public func outputs(_ split: DataSplit, passes: Int, dropout: Double) -> (mean: [Double], spread: [Double])
  {
    var mean: [Double] = []
    var spread: [Double] = []
    var positions = [Int32](repeating: 0, count: Evaluator.chunk)
    var start = 0
    let outputs = network.spec.outputSize
    while start < split.count {
      var sum = [Double](repeating: 0, count: Swift.min(Evaluator.chunk, split.count - start))
      var squares = sum
      let runs = dropout > 0 ? Swift.max(1, passes) : 1
      var rows = 0
      for _ in 0..<runs {
        rows = forwardChunk(
          split, from: start, count: split.count, positions: &positions, dropout: Float(dropout))
        let y = workspace.outputs[network.layers.count - 1].base
        for r in 0..<rows {
          let v = Double(y[r * outputs])
          sum[r] += v
          squares[r] += v * v
        }
      }
      for r in 0..<rows {
        let m = sum[r] / Double(runs)
        mean.append(m)
        spread.append(runs > 1 ? (Swift.max(0, squares[r] / Double(runs) - m * m)).squareRoot() : 0)
      }
      start += rows
    }
    return (mean, spread)
  }
}

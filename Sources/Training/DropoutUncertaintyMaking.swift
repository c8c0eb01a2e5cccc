import Datasets
import NeuralNet
import RunModel

#if canImport(Glibc)
  import Glibc
#endif

extension DropoutUncertainty {
  /// Validation examples looked at each epoch: 500 × 20 passes cost about a tenth of an MNIST
  /// epoch's forward and backward work, and are only spent when dropout is on.
  public static let examinedLimit = 500
  /// The most uncertain examples kept for the view.
  public static let exampleLimit = 12

  /// Monte Carlo dropout over the first validation examples (and over the plane of a 2-D set),
  /// with the current dropout rate; nil without dropout (every pass would be the same network)
  /// or for regression (the learned curve carries its own band).
  static func make(
    evaluator: Evaluator, dataset: DatasetBundle, classes: Int, dropout: Double, step: Int, epoch: Double
  ) -> DropoutUncertainty? {
    guard dropout > 0, classes > 1, dataset.validation.count > 0 else { return nil }
    let split = dataset.validation
    let examined = min(examinedLimit, split.count)
    let (plain, averaged, spread) = evaluator.monteCarloProbabilities(
      split, passes: passes, dropout: dropout, limit: examined)
    var result = summarize(
      plain: plain, averaged: averaged, spread: spread,
      labels: (0..<examined).map { Int(split.label(at: $0)) },
      pixels: { split.imageBytes(at: $0) ?? [] })
    result.step = step
    result.epoch = epoch
    result.dropout = dropout
    result.imageRows = dataset.imageShape?.rows ?? 0
    result.imageCols = dataset.imageShape?.cols ?? 0
    result.plane = plane(evaluator: evaluator, dataset: dataset, classes: classes, dropout: dropout)
    return result
  }

  /// The view from per-example probabilities: accuracy and mean entropy of the plain pass and
  /// of the average, and the `exampleLimit` examples whose average has the highest entropy (ties
  /// in validation order, so the choice is deterministic).
  public static func summarize(
    plain: [[Double]], averaged: [[Double]], spread: [[Double]], labels: [Int], pixels: (Int) -> [UInt8]
  ) -> DropoutUncertainty {
    let examined = labels.count
    func accuracy(_ probabilities: [[Double]]) -> Double {
      let correct = zip(probabilities, labels).filter { p, label in
        p.indices.max { p[$0] < p[$1] } == label
      }.count
      return Double(correct) / Double(max(1, examined))
    }
    func meanEntropy(_ probabilities: [[Double]]) -> Double {
      probabilities.reduce(0) { $0 + entropy($1) } / Double(max(1, examined))
    }
    let entropies = averaged.map(entropy)
    let chosen = entropies.indices.sorted {
      entropies[$0] > entropies[$1] || (entropies[$0] == entropies[$1] && $0 < $1)
    }.prefix(exampleLimit)
    return DropoutUncertainty(
      step: 0, epoch: 0, passes: passes, dropout: 0, classes: averaged.first?.count ?? 0, examined: examined,
      weightScalingAccuracy: accuracy(plain), averagedAccuracy: accuracy(averaged),
      weightScalingEntropy: meanEntropy(plain), averagedEntropy: meanEntropy(averaged),
      examples: chosen.map {
        Example(label: labels[$0], mean: averaged[$0], spread: spread[$0], pixels: pixels($0))
      }, imageRows: 0, imageCols: 0, plane: nil)
  }

  /// The averaged prediction's entropy over the decision-regions grid, in 255ths of ln C.
  private static func plane(evaluator: Evaluator, dataset: DatasetBundle, classes: Int, dropout: Double)
    -> Plane?
  {
    guard let (xRange, yRange, grid) = DecisionGrid.plane(of: dataset) else { return nil }
    let (_, averaged, _) = evaluator.monteCarloProbabilities(grid, passes: passes, dropout: dropout)
    let most = log(Double(max(2, averaged.first?.count ?? classes)))
    let levels = averaged.map { p -> UInt8 in
      let share = entropy(p) / most
      return share.isFinite ? UInt8(min(255, max(0, (share * 255).rounded()))) : 255
    }
    return Plane(
      columns: DecisionGrid.gridColumns, rows: DecisionGrid.gridRows, xRange: xRange, yRange: yRange,
      entropy: levels)
  }
}

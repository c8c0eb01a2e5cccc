import RunModel
import Terminal

/// An earlier run drawn beside the live one (`train --compare LOG`): its per-epoch losses and
/// accuracies, from its log's epoch records, on the same epoch axis.
public struct ComparisonRun: Sendable {
  public var name: String
  public var trainLoss: [ChartPoint] = []
  public var validationLoss: [ChartPoint] = []
  public var trainAccuracy: [ChartPoint] = []
  public var validationAccuracy: [ChartPoint] = []

  public init(name: String, events: [RunEvent]) {
    self.name = name
    for case .epochEnded(let e) in events {
      let x = Double(e.epoch)
      trainLoss.append(ChartPoint(x, e.trainLoss))
      validationLoss.append(ChartPoint(x, e.validationLoss))
      if let a = e.trainAccuracy { trainAccuracy.append(ChartPoint(x, a)) }
      if let a = e.validationAccuracy { validationAccuracy.append(ChartPoint(x, a)) }
    }
  }

  public var isEmpty: Bool { trainLoss.isEmpty }
}

extension Panels {
  /// The most of the earlier run's name a legend entry spends.
  static let comparisonName = 16

  /// The earlier run's two curves for a chart, in its own colour, drawn as points (the live run's
  /// are lines), named after the run.
  func comparisonSeries(_ pick: (ComparisonRun) -> (train: [ChartPoint], validation: [ChartPoint]))
    -> [ChartSeries]
  {
    guard let run = state.comparison else { return [] }
    let (train, validation) = pick(run)
    let color = context.theme.seriesColors.last ?? context.color(.muted)
    // A log's name (`20261129-192020-mnist-torch`) took a whole legend row; its middle goes.
    let name = RunNames.fitted(run.name, among: [], width: Self.comparisonName)
    return [
      ChartSeries(name: "\(name) train", color: color, points: train, legendValue: "", stroke: .points),
      ChartSeries(
        name: "\(name) val", color: context.color(.muted), points: validation, legendValue: "",
        stroke: .points),
    ]
  }
}

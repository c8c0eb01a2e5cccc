import RunModel
import SystemIO
import Terminal

extension Panels {
  /// A regression has no accuracy: its panel shows what was learned instead — the network's
  /// curve over the training points, and with dropout the ±2σ band of Monte Carlo passes.
  func learnedCurve(in rect: Rect, into buffer: inout Buffer) {
    let note = state.learnedCurve.map { c in
      c.spread.contains { $0 > 0 }
        ? "epoch \(Int(saturating: c.epoch)) · ±2σ of MC dropout" : "epoch \(Int(saturating: c.epoch))"
    }
    guard
      let (inner, curve) = frame(
        "Learned curve", note: note ?? "", content: state.learnedCurve,
        waiting: labWaiting("the learned curve, after the first epoch"), in: rect, into: &buffer)
    else { return }
    let points = zip(curve.pointsX, curve.pointsY).map(ChartPoint.init)
    let fitted = zip(curve.xs, curve.mean).map(ChartPoint.init)
    var series = [
      ChartSeries(name: "data", color: context.color(.muted), points: points, legendValue: "", joined: false),
      ChartSeries(name: "network", color: context.color(.train), points: fitted, legendValue: ""),
    ]
    if curve.spread.contains(where: { $0 > 0 }) {
      let upper = zip(curve.xs, zip(curve.mean, curve.spread)).map { ChartPoint($0, $1.0 + 2 * $1.1) }
      let lower = zip(curve.xs, zip(curve.mean, curve.spread)).map { ChartPoint($0, $1.0 - 2 * $1.1) }
      series.append(
        ChartSeries(
          name: "±2σ", color: context.color(.validation), points: upper, legendValue: "", stroke: .dashed))
      series.append(
        ChartSeries(
          name: "", color: context.color(.validation), points: lower, legendValue: "", stroke: .dashed))
    }
    LineChart(series: series, xLabel: "x").render(in: inner, buffer: &buffer, context: context)
  }
}

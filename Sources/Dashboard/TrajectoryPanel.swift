import RunModel
import Terminal

extension Panels {
  /// The parameters' path on their first two principal components, start to now.
  func trajectory(in rect: Rect, into buffer: inout Buffer) {
    let note = state.trajectory.map {
      "PC1 \(NumberFormat.percent($0.explained[0])) · PC2 \(NumberFormat.percent($0.explained[1])) of the variance"
    }
    guard
      let (inner, tr) = frame(
        "Parameter trajectory (PCA)", note: note ?? "",
        content: state.trajectory.flatMap { $0.points.count >= 2 ? $0 : nil },
        waiting: labWaiting("after the first epoch"),
        in: rect, into: &buffer)
    else { return }
    let path = tr.points.map { ChartPoint($0.x, $0.y) }
    let chart = LineChart(
      series: [
        ChartSeries(
          name: "path from step \(tr.steps.first ?? 0) to \(tr.steps.last ?? 0)",
          color: context.color(.train),
          points: path, legendValue: "")
      ], xLabel: "PC1")
    chart.render(in: inner, buffer: &buffer, context: context)
    buffer.write(
      "PC2 ↑", x: inner.maxX - 6, y: inner.y, foreground: context.color(.axis))
  }
}

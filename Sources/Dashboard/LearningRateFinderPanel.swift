import Foundation
import RunModel
import Terminal

#if canImport(Glibc)
  import Glibc
#endif

extension Panels {
  /// The learning-rate finder: loss against the rate on a log axis (raw and smoothed), with the
  /// suggested rate marked — fastai's `lr_find` plot.
  func learningRateFinder(in rect: Rect, into buffer: inout Buffer) {
    let note = state.learningRateSweep.map { "step \($0.step) · \($0.rates.count) batches" } ?? ""
    guard
      let (inner, sweep) = frame(
        "Learning-rate finder", note: note, content: state.learningRateSweep,
        waiting: "\(KeyMap.label(.findLearningRate)) sweeps the rate from 1e-7 (the weights are put back)",
        in: rect, into: &buffer)
    else { return }
    let x = sweep.rates.map { log10($0) }
    var markers: [ChartMarker] = []
    var legend = "stopped: \(sweep.stop)"
    if let suggestion = sweep.suggestion {
      markers.append(
        ChartMarker(x: log10(suggestion), label: "suggested \(NumberFormat.compact(suggestion))"))
      legend = "\(KeyMap.label(.applySuggestedRate)) applies \(NumberFormat.compact(suggestion)) · " + legend
    }
    let chartArea = Rect(x: inner.x, y: inner.y, width: inner.width, height: max(0, inner.height - 1))
    var chart = LineChart(
      series: [
        ChartSeries(
          name: "loss", color: context.color(.muted), points: zip(x, sweep.losses).map(ChartPoint.init),
          stroke: .points),
        ChartSeries(
          name: "smoothed", color: context.color(.train), points: zip(x, sweep.smoothed).map(ChartPoint.init)),
      ], markers: markers, logScale: true, xLabel: "learning rate (log scale)")
    // Drawn over log10 of the rate, labelled with the rate.
    chart.xFormat = { NumberFormat.compact(pow(10, $0)) }
    chart.render(in: chartArea, buffer: &buffer, context: context)
    buffer.write(
      legend, x: inner.x + 1, y: inner.maxY - 1, maxWidth: max(0, inner.width - 2),
      foreground: context.color(.highlight))
  }
}

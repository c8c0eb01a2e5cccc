import Terminal
import Testing

@Suite struct BarsTests {
  @Test func histogramUsesEighthBlocksScaledToThePeak() {
    var buffer = Buffer(width: 4, height: 1)
    HistogramBars(counts: [0, 1, 2, 4], color: .rgb(9, 9, 9)).render(
      in: buffer.bounds, buffer: &buffer, context: unicodeContext)
    #expect(buffer.line(0) == " ▂▄█")
    #expect(buffer[3, 0].foreground == .rgb(9, 9, 9))
  }

  @Test func tallHistogramStacksFullBlocks() {
    var buffer = Buffer(width: 2, height: 2)
    HistogramBars(counts: [1, 4], color: .terminalDefault).render(
      in: buffer.bounds, buffer: &buffer, context: unicodeContext)
    #expect(buffer.lines == [" █", "▄█"])
  }

  @Test func spreadChartDrawsBandsAndMedian() {
    var buffer = Buffer(width: 8, height: 5)
    SpreadChart(columns: [SpreadChart.Column(min: 0, q1: 1, median: 2, q3: 3, max: 4)]).render(
      in: buffer.bounds, buffer: &buffer, context: unicodeContext)
    // Column 2, right of the one-character labels: max (row 0) light, q3…q1 (rows 1…3) medium
    // with the median (row 2) full, min light.
    #expect((0..<5).map { buffer[2, $0].character } == ["░", "▒", "█", "▒", "░"])
    #expect(buffer.line(0).hasPrefix("4 "))
    #expect(buffer.line(4).hasPrefix("0 "))
  }

  @Test func spreadLabelsAreWholeNumbers() {
    var buffer = Buffer(width: 14, height: 3)
    SpreadChart(columns: [SpreadChart.Column(min: -1.2e-05, q1: 0, median: 1e-6, q3: 2e-6, max: 3.5e-05)])
      .render(in: buffer.bounds, buffer: &buffer, context: unicodeContext)
    #expect(buffer.line(0).hasPrefix("3.5e-05  ░"))
    #expect(buffer.line(2).hasPrefix("-1.2e-05 ░"))
  }

  @Test func progressBar() {
    var buffer = Buffer(width: 6, height: 1)
    ProgressBar(fraction: 0.5).render(in: buffer.bounds, buffer: &buffer, context: unicodeContext)
    #expect(buffer.line(0) == "[██░░]")
  }
}

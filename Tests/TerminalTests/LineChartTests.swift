import Testing

@testable import Terminal

@Suite struct LineChartTests {
  @Test func diagonalLineWithAxesAndLegend() {
    var buffer = Buffer(width: 20, height: 6)
    let chart = LineChart(
      series: [ChartSeries(name: "a", color: .rgb(1, 1, 1), points: [ChartPoint(0, 0), ChartPoint(2, 1)])],
      yRange: 0...1)
    chart.render(in: buffer.bounds, buffer: &buffer, context: unicodeContext)
    let lines = buffer.lines
    #expect(lines[0] == "━ a 1")
    // Labels: max at the top, middle, min at the bottom of the plot; x range below it.
    #expect(lines[1].hasPrefix("  1│"))
    #expect(lines[2].hasPrefix("0.5│") || lines[3].hasPrefix("0.5│"))
    #expect(lines[4].hasPrefix("  0│"))
    #expect(lines[5].hasPrefix("    0") && lines[5].hasSuffix("2"))
    #expect(lines[5].contains("epoch"))
    // The line starts bottom-left and ends top-right of the plot (columns 4…19, rows 1…4).
    #expect(buffer[4, 4].character != " ")
    #expect(buffer[19, 1].character != " ")
    #expect(buffer[19, 4].character == " ")
    #expect(buffer[4, 4].foreground == .rgb(1, 1, 1))
  }

  /// A constant gets a tenth of its size either side (0.11 / 0.1 / 0.09, not 0.100001 / 0.1 /
  /// 0.099999), and the same rate as a double and as a float32 lies on one row.
  @Test func aConstantSeriesHasReadableLabelsAndOneRow() {
    var buffer = Buffer(width: 30, height: 7)
    let chart = LineChart(series: [
      ChartSeries(name: "a", color: .rgb(1, 1, 1), points: [ChartPoint(0, 0.1), ChartPoint(10, 0.1)]),
      ChartSeries(
        name: "b", color: .rgb(1, 1, 1),
        points: [ChartPoint(0, Double(Float(0.1))), ChartPoint(10, Double(Float(0.1)))]),
    ])
    chart.render(in: buffer.bounds, buffer: &buffer, context: unicodeContext)
    let labels = (1...5).map { buffer.line($0).split(separator: "│").first.map(String.init) ?? "" }
      .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    #expect(labels == ["0.11", "0.1", "0.09"], "\(buffer.lines)")
    let drawn = (1...5).filter { y in (5..<30).contains { buffer[$0, y].character != " " } }
    #expect(drawn.count == 1, "\(buffer.lines)")
  }

  @Test func dashedSeriesLeaveGapsAndSolidOnesDoNot() {
    func row(_ stroke: ChartSeries.Stroke) -> String {
      var buffer = Buffer(width: 30, height: 5)
      let chart = LineChart(
        series: [
          ChartSeries(
            name: "a", color: .rgb(1, 1, 1), points: [ChartPoint(0, 1), ChartPoint(10, 1)], stroke: stroke)
        ], yRange: 0...2)
      chart.render(in: buffer.bounds, buffer: &buffer, context: unicodeContext)
      // The line lies on the plot's middle row (2 of rows 1…3), columns 4…29.
      return String(String.UnicodeScalarView(Array(buffer.line(2).unicodeScalars)[4..<30]))
    }
    #expect(!row(.solid).contains(" "))
    // Two dots on, two off: every other cell lit.
    let dashed = Array(row(.dashed).unicodeScalars)
    #expect(dashed.count == 26)
    for (i, c) in dashed.enumerated() { #expect((c == " ") == (i % 2 == 1), "cell \(i): \(c)") }
  }

  @Test func zerosOnALogScaleSitOnAFloorRowLabelledZero() {
    var buffer = Buffer(width: 24, height: 7)
    let chart = LineChart(
      series: [
        ChartSeries(name: "a", color: .rgb(1, 1, 1), points: [ChartPoint(0, 0.1), ChartPoint(4, 1)]),
        ChartSeries(name: "dead", color: .rgb(2, 2, 2), points: [ChartPoint(0, 0), ChartPoint(4, 0)]),
      ], logScale: true)
    chart.render(in: buffer.bounds, buffer: &buffer, context: unicodeContext)
    let lines = buffer.lines
    // Rows 1…5 are the plot, row 5 the floor; the x axis is row 6.
    #expect(lines[5].hasPrefix("    0│"))
    #expect(lines[4].hasPrefix("  0.1│"))
    // The zero series is a line along the whole floor row, in its colour.
    for x in 7..<24 {
      #expect(buffer[x, 5].character.value >= 0x2800, "column \(x) of the floor is empty")
      #expect(buffer[x, 5].foreground == .rgb(2, 2, 2))
    }
    // Without zeros there is no floor.
    var plain = Buffer(width: 24, height: 7)
    LineChart(series: [chart.series[0]], logScale: true).render(
      in: plain.bounds, buffer: &plain, context: unicodeContext)
    #expect(plain.find("0│") == nil)
  }

  @Test func aLegendTooLongForItsRowShowsWholeEntriesAndHowManyMore() {
    var buffer = Buffer(width: 30, height: 6)
    let series = (1...6).map { i in
      ChartSeries(name: "hidden\(i)", color: .rgb(1, 1, 1), points: [ChartPoint(0, 1), ChartPoint(1, 2)])
    }
    LineChart(series: series).render(in: buffer.bounds, buffer: &buffer, context: unicodeContext)
    // Three entries fill the row exactly, but then nothing would say three lines are unnamed.
    #expect(buffer.lines[0] == "━ hidden1 ━ hidden2 +4 more")
    #expect(buffer[20, 0].foreground == unicodeContext.color(.muted))
    // One entry too wide for the row: the count alone.
    var narrow = Buffer(width: 14, height: 6)
    LineChart(series: [ChartSeries(name: "a-very-long-name", color: .rgb(1, 1, 1), points: series[0].points)])
      .render(in: narrow.bounds, buffer: &narrow, context: unicodeContext)
    #expect(narrow.lines[0] == "+1 more")
  }

  /// The padding stops at what the quantity can be (a loss is never below 0, an accuracy never
  /// above 1): the axes read `0`…`0.7` and `0.5`…`1`, not `-0.0299` and `1.01`; points outside
  /// the limits (an accuracy in percent) are still fitted, not clipped.
  @Test func paddingStaysWithinTheLimits() {
    func labels(_ ys: [Double], limits: ClosedRange<Double>?) -> (top: String, bottom: String, buffer: Buffer)
    {
      var buffer = Buffer(width: 30, height: 8)
      LineChart(
        series: [
          ChartSeries(
            name: "q", color: .terminalDefault, points: ys.enumerated().map { ChartPoint(Double($0), $1) })
        ],
        yLimits: limits
      ).render(in: buffer.bounds, buffer: &buffer, context: unicodeContext)
      let label = { (y: Int) in
        String(buffer.lines[y].prefix { $0 != "│" }).trimmingCharacters(in: .whitespaces)
      }
      return (label(1), label(6), buffer)
    }
    let loss = [0.7, 0.2, 0.01]
    #expect(labels(loss, limits: nil).bottom == "-0.0245")
    #expect(labels(loss, limits: 0...Double.infinity).bottom == "0")
    #expect(labels(loss, limits: 0...Double.infinity).top == "0.734")
    let accuracy = [0.5, 0.9, 1]
    #expect(labels(accuracy, limits: nil).top == "1.02")
    #expect(labels(accuracy, limits: 0...1).top == "1")
    #expect(labels(accuracy, limits: 0...1).bottom == "0.475")
    // Percent: 98 is the top, and its point is on the top row, not clamped at 1.
    let percent = labels([50, 98], limits: 0...1)
    #expect(percent.top == "98" && percent.bottom == "47.6")
    #expect(percent.buffer[29, 1].character != " ")
  }

  /// A chart two rows high has no row for its middle label: written over the top one, the
  /// learning-rate chart's axis read `00.045`.
  @Test func aTwoRowChartLabelsTopAndBottomOnly() {
    var buffer = Buffer(width: 30, height: 4)
    LineChart(
      series: [
        ChartSeries(name: "lr", color: .terminalDefault, points: [ChartPoint(0, 0.04), ChartPoint(9, 0.05)])
      ]
    ).render(in: buffer.bounds, buffer: &buffer, context: unicodeContext)
    #expect(buffer.lines[1].hasPrefix("0.0505│"))
    #expect(buffer.lines[2].hasPrefix("0.0395│"))
  }

  @Test func markersAreVerticalLinesWithLabels() {
    var buffer = Buffer(width: 30, height: 6)
    let chart = LineChart(
      series: [ChartSeries(name: "a", color: .rgb(1, 1, 1), points: [ChartPoint(0, 1), ChartPoint(4, 1)])],
      markers: [ChartMarker(x: 2, label: "lr↑0.1")], yRange: 0...2)
    chart.render(in: buffer.bounds, buffer: &buffer, context: unicodeContext)
    let (x, y) = buffer.find("lr↑0.1") ?? (-1, -1)
    #expect(y == 1)
    let markerColumn = x - 1
    for row in 2...4 where buffer[markerColumn, row].character != "⠤" {
      #expect(
        buffer[markerColumn, row].character == "┊" || buffer[markerColumn, row].character.value >= 0x2800)
    }
    #expect(buffer[markerColumn, 2].foreground == Theme.builtIn.color(.marker))
  }

  /// Presses a column apart cannot all be labelled: the latest shows, so the chart tells where
  /// the knob ended up, not where it was after the first press. A label with room keeps its own.
  @Test func crowdedMarkersShowTheLatestLabel() {
    var buffer = Buffer(width: 40, height: 6)
    let chart = LineChart(
      series: [ChartSeries(name: "a", color: .rgb(1, 1, 1), points: [ChartPoint(0, 1), ChartPoint(10, 1)])],
      markers: [
        ChartMarker(x: 1, label: "pause"), ChartMarker(x: 5, label: "l2↑1e-05"),
        ChartMarker(x: 5.1, label: "l2↑2e-05"), ChartMarker(x: 5.3, label: "l2↑0.005"),
      ], yRange: 0...2)
    chart.render(in: buffer.bounds, buffer: &buffer, context: unicodeContext)
    #expect(buffer.find("l2↑0.005") != nil)
    #expect(buffer.find("l2↑1e-05") == nil && buffer.find("l2↑2e-05") == nil)
    #expect(buffer.find("pause") != nil)
  }

  @Test func emptyChartSaysItIsWaiting() {
    var buffer = Buffer(width: 30, height: 5)
    LineChart(series: [ChartSeries(name: "a", color: .terminalDefault, points: [])]).render(
      in: buffer.bounds, buffer: &buffer, context: unicodeContext)
    #expect(buffer.find("waiting for data…") != nil)
    // Points, none drawable: not waiting (a run whose losses were all NaN had said so at its end).
    let nan = [ChartPoint(1, .nan), ChartPoint(2, .infinity)]
    buffer = Buffer(width: 30, height: 5)
    LineChart(series: [ChartSeries(name: "a", color: .terminalDefault, points: nan)]).render(
      in: buffer.bounds, buffer: &buffer, context: unicodeContext)
    #expect(buffer.find("no finite value to draw") != nil && buffer.find("waiting") == nil)
    buffer = Buffer(width: 36, height: 5)
    LineChart(
      series: [ChartSeries(name: "a", color: .terminalDefault, points: [ChartPoint(1, -1)])], logScale: true
    ).render(in: buffer.bounds, buffer: &buffer, context: unicodeContext)
    #expect(buffer.find("no value above 0 for a log axis") != nil)
  }

  @Test func logScaleLabelsArePowersOfTheData() {
    var buffer = Buffer(width: 24, height: 6)
    let chart = LineChart(
      series: [
        ChartSeries(name: "g", color: .terminalDefault, points: [ChartPoint(0, 1e-4), ChartPoint(1, 1)])
      ],
      logScale: true)
    chart.render(in: buffer.bounds, buffer: &buffer, context: unicodeContext)
    let lines = buffer.lines
    // The axis is padded by 5 % in log space, but its end labels are the data's own extremes,
    // which plot in those rows (a padded 1.58 over a peak of 1 read as a peak that never was).
    #expect(lines[1].hasPrefix("    1│"))
    #expect(lines[4].hasPrefix("1e-04│"))
  }
}

/// A log axis shows what it cannot draw: points below 0 are counted in the note, 0 sits on the
/// floor row labelled "0", and NaN stays a gap on any axis.
@Suite struct LogAxisTruthTests {
  @Test func negativesAreCountedAndZeroHasItsFloor() {
    let series = [
      ChartSeries(
        name: "a", color: .terminalDefault,
        points: [
          ChartPoint(0, -2), ChartPoint(1, 0), ChartPoint(2, 1), ChartPoint(3, 10), ChartPoint(4, .nan),
        ]),
      ChartSeries(name: "b", color: .terminalDefault, points: [ChartPoint(0, -1e-9)]),
    ]
    #expect(LineChart.belowLogAxis(series) == 2)
    #expect(LineChart.logNote(series) == "log · 2 <0 not drawn")
    #expect(
      LineChart.logNote(
        [series[0]].map { s in
          var s = s
          s.points = s.points.filter { $0.y >= 0 }
          return s
        }) == "log")
    var buffer = Buffer(width: 24, height: 7)
    LineChart(series: series, logScale: true).render(
      in: buffer.bounds, buffer: &buffer, context: unicodeContext)
    let lines = buffer.lines
    // 1 … 10 (padded by 0.05 decades, labelled by the data): 10 on top, 1 above the floor row "0".
    #expect(
      lines[1].hasPrefix("  10│") && lines[4].hasPrefix("   1│") && lines[5].hasPrefix("   0│"), "\(lines)")
    // The point at 0 is on the floor row (its braille cell is not blank).
    let floor = Array(lines[5].unicodeScalars)
    #expect(floor[6...].contains { $0 != " " })
  }

  @Test func logScaleKeepsTheLimitsOfTheQuantity() {
    // An accuracy reaching 1 on a log axis: the top may not be labelled above 1 (it read 1.12,
    // i.e. 112 %), with or without limits: the end labels are the data's.
    func topLabel(limits: ClosedRange<Double>?) -> String {
      var buffer = Buffer(width: 24, height: 6)
      LineChart(
        series: [
          ChartSeries(name: "acc", color: .terminalDefault, points: [ChartPoint(0, 0.1), ChartPoint(1, 1)])
        ],
        logScale: true, yLimits: limits
      ).render(in: buffer.bounds, buffer: &buffer, context: unicodeContext)
      return String(buffer.lines[1].prefix { $0 != "│" }).trimmingCharacters(in: .whitespaces)
    }
    #expect(topLabel(limits: nil) == "1")
    #expect(topLabel(limits: 0...1) == "1")
  }

  /// The vanishing lesson's loss, flat at 2.301–2.303: its axis read "2.3", "2.3", "2.3".
  @Test func aNearlyFlatLineStillHasAScale() {
    var buffer = Buffer(width: 30, height: 6)
    let points = (0..<20).map { ChartPoint(Double($0), 2.303 - 0.0001 * Double($0)) }
    LineChart(series: [ChartSeries(name: "loss", color: .rgb(1, 1, 1), points: points)])
      .render(in: buffer.bounds, buffer: &buffer, context: unicodeContext)
    let labels = buffer.lines[1...4].compactMap { line in
      line.split(separator: "│").first.map { $0.trimmingCharacters(in: .whitespaces) }
    }.filter { !$0.isEmpty }
    #expect(labels.count == 3, "\(buffer.lines)")
    #expect(Set(labels).count == 3, "\(labels)")
    #expect(labels.allSatisfy { $0.hasPrefix("2.30") }, "\(labels)")
  }

  /// At 80 columns the quick validation lost its number ("· 1k val"): a short name comes first.
  @Test func aShortNameKeepsEveryValueInANarrowLegend() {
    func legend(width: Int) -> String {
      var buffer = Buffer(width: width, height: 5)
      let line = [ChartPoint(0, 1), ChartPoint(1, 0.5)]
      LineChart(series: [
        ChartSeries(name: "train", color: .rgb(1, 1, 1), points: line, legendValue: "0.112"),
        ChartSeries(name: "val", color: .rgb(2, 2, 2), points: line, legendValue: "0.134", stroke: .dashed),
        ChartSeries(
          name: "1k val", color: .rgb(2, 2, 2), points: line, legendValue: "0.145", stroke: .points,
          shortName: "1k"),
      ]).render(in: buffer.bounds, buffer: &buffer, context: unicodeContext)
      return buffer.lines[0].trimmingCharacters(in: .whitespaces)
    }
    #expect(legend(width: 44) == "━ train 0.112  ┅ val 0.134  · 1k val 0.145")
    #expect(legend(width: 38) == "━ train 0.112 ┅ val 0.134 · 1k 0.145")
    #expect(legend(width: 35) == "━ train 0.11 ┅ val 0.13 · 1k 0.14")
    #expect(legend(width: 30) == "━ train 0.112 ┅ val 0.134 · 1k")
    #expect(LineChart.oneDecimalFewer("100.00%") == "100.0%")
    #expect(LineChart.oneDecimalFewer("88.16%") == "88.2%")
    #expect(LineChart.oneDecimalFewer("1.2e-05") == "1.2e-05")
    #expect(LineChart.oneDecimalFewer("-") == "-")
    #expect(LineChart.oneDecimalFewer("0.001") == "0.001")
  }

  /// The diverge lesson at its end: a peak of 3 683, the losses falling for decades. The padded axis
  /// top read 8 478, which a student took for the peak.
  @Test func aLogAxisIsLabelledWithThePeakItDraws() {
    var buffer = Buffer(width: 30, height: 8)
    var points = [ChartPoint(0, 2.3), ChartPoint(0.01, 3_683), ChartPoint(0.02, 2.3)]
    for step in 1...40 {
      let n = Double(step)
      points.append(ChartPoint(n / 4, 0.3 / (n * n * n)))
    }
    points.append(ChartPoint(10, 9.2e-5))
    LineChart(series: [ChartSeries(name: "train", color: .rgb(1, 1, 1), points: points)], logScale: true)
      .render(in: buffer.bounds, buffer: &buffer, context: unicodeContext)
    let labels = buffer.lines[1...6].map {
      String($0.prefix { $0 != "│" }).trimmingCharacters(in: .whitespaces)
    }
    .filter { !$0.isEmpty }
    #expect(labels.first == "3683", "\(buffer.lines)")
    #expect(labels.last == "4.7e-06", "\(buffer.lines)")  // 0.3 / 40³, the lowest drawn
  }
}

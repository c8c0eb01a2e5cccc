import Testing

@testable import Terminal

let unicodeContext = RenderContext(theme: .builtIn, glyphs: .unicode)
let asciiContext = RenderContext(theme: .builtIn, glyphs: .ascii)

@Suite struct BoxWidgetTests {
  @Test func unicodeFrameWithTitleAndNote() {
    var buffer = Buffer(width: 20, height: 4)
    let inner = BoxWidget(title: "Loss", note: "log").render(
      in: buffer.bounds, buffer: &buffer, context: unicodeContext)
    #expect(inner == Rect(x: 1, y: 1, width: 18, height: 2))
    #expect(
      buffer.lines == [
        "┌ Loss ─────── log ┐",
        "│                  │",
        "│                  │",
        "└──────────────────┘",
      ])
    #expect(buffer[2, 0].foreground == Theme.builtIn.color(.title))
    #expect(buffer[0, 1].foreground == Theme.builtIn.color(.border))
  }

  @Test func asciiFrame() {
    var buffer = Buffer(width: 10, height: 3)
    BoxWidget(title: "Fit").render(in: buffer.bounds, buffer: &buffer, context: asciiContext)
    #expect(buffer.lines == ["+ Fit ---+", "|        |", "+--------+"])
  }
}

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

  @Test func emptyChartSaysItIsWaiting() {
    var buffer = Buffer(width: 30, height: 5)
    LineChart(series: [ChartSeries(name: "a", color: .terminalDefault, points: [])]).render(
      in: buffer.bounds, buffer: &buffer, context: unicodeContext)
    #expect(buffer.find("waiting for data…") != nil)
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
    // 5 % padding in log space: 10^(0.2) ≈ 1.58 on top, 10^(-4.2) ≈ 6.3e-05 at the bottom.
    #expect(lines[1].hasPrefix("   1.58│"))
    #expect(lines[4].hasPrefix("6.3e-05│"))
  }
}

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
    // Column 6: max (row 0) light, q3…q1 (rows 1…3) medium with the median (row 2) full, min light.
    #expect((0..<5).map { buffer[6, $0].character } == ["░", "▒", "█", "▒", "░"])
    #expect(buffer.line(0).hasPrefix("4"))
    #expect(buffer.line(4).hasPrefix("0"))
  }

  @Test func progressBar() {
    var buffer = Buffer(width: 6, height: 1)
    ProgressBar(fraction: 0.5).render(in: buffer.bounds, buffer: &buffer, context: unicodeContext)
    #expect(buffer.line(0) == "[██░░]")
  }
}

@Suite struct ThemeTests {
  @Test func parsesRolesCommentsAndDefaults() throws {
    let text = """
      # a comment
      theme[train]="#ff0000"

      theme[main_bg]=""
        theme[bad] = "#00ff00"
      """
    let theme = try Theme.parse(text, name: "t", path: "t.theme")
    #expect(theme.color(.train) == .rgb(255, 0, 0))
    #expect(theme.color(.bad) == .rgb(0, 255, 0))
    #expect(theme.color(.background) == .terminalDefault)
    #expect(theme.color(.validation) == Theme.builtIn.color(.validation))
  }

  @Test func errorsNameTheLine() {
    func problem(_ text: String) -> String? {
      do {
        _ = try Theme.parse(text, name: "t", path: "themes/t.theme")
        return nil
      } catch {
        return error.description
      }
    }
    #expect(
      problem("theme[train]=\"#ff0000\"\ntheme[sparkle]=\"#000000\"")
        == "themes/t.theme:2: unknown role 'sparkle'")
    #expect(
      problem("theme[train]=\"#ff00\"") == "themes/t.theme:1: '#ff00' is not a colour (#rrggbb or \"\")")
    #expect(
      problem("\n\ncolour=red") == "themes/t.theme:3: expected theme[role]=\"#rrggbb\", got 'colour=red'")
    #expect(problem("theme[train] \"#ff0000\"") == "themes/t.theme:1: expected '=' after theme[train]")
  }

  @Test func shippedThemesParse() throws {
    let catalog = ThemeCatalog(folders: ["themes"])
    #expect(Set(catalog.names).isSuperset(of: ["default", "light", "high-contrast", "mono"]))
    #expect(catalog.names.first == "default")
    for entry in catalog.entries {
      let theme = try ThemeCatalog.load(path: entry.path, name: entry.name)
      #expect(theme.isMonochrome == (entry.name == "mono"), "\(entry.name)")
    }
  }
}

import EventFiles
import Terminal
import Testing
import Viewer

/// What the charts say of runs a PyTorch loop wrote: every line named or counted in the legend,
/// axes within what the quantity can be, names that stay apart, settings drawn as set.
@Suite struct ViewerChartTests {
  static let names = ["192020", "193512", "194001"].map { "20261129-\($0)-mnist-torch.jsonl" }

  /// Steps 0…90; the loss falls towards 0, the accuracy reaches 1, the rate drops tenfold at 50.
  static func run(_ scale: Double) -> RunData {
    var data = RunData()
    for step in stride(from: 0, through: 90, by: 10) {
      let t = Double(step) / 90
      data.add(
        Event(
          wallTime: 100 + Double(step), step: Int64(step),
          values: [
            TaggedValue(tag: "train/loss", value: .scalar(scale * (1 - t) + 0.001)),
            TaggedValue(tag: "validation/loss", value: .scalar(scale * (1 - t) + 0.002)),
            TaggedValue(tag: "validation/accuracy", value: .scalar(0.5 + 0.5 * t)),
            TaggedValue(tag: "lr", value: .scalar(step < 50 ? 0.1 : 0.01)),
          ]))
    }
    return data
  }

  static func state() -> ViewerState {
    var state = ViewerState()
    state.update(names.enumerated().map { ($1, run(Double($0 + 1))) })
    return state
  }

  static let context = RenderContext(theme: .builtIn, glyphs: .unicode)

  static func frame(_ state: ViewerState, width: Int = 80, height: Int = 24) -> Buffer {
    ViewerRenderer(state: state, context: context).render(width: width, height: height)
  }

  /// The row below a chart's title, and the chart's y-axis labels, from the right-hand column.
  static func chart(_ title: String, in frame: Buffer) throws -> (legend: String, labels: [String]) {
    let top = try #require(frame.find("┌ \(title) "))
    let legend = String(frame.line(top.y + 1).unicodeScalars.dropFirst(top.x + 1).dropLast())
    var labels: [String] = []
    var y = top.y + 2
    while frame[top.x, y].character != "└" {
      let cells = frame.line(y).unicodeScalars.dropFirst(top.x + 1)
      let label = String(String.UnicodeScalarView(cells.prefix { $0 != "│" }))
      // A label is at most 8 wide; the x axis's row ends at the box's side, not an axis.
      if !label.trimmingCharacters(in: .whitespaces).isEmpty && label.unicodeScalars.count <= 8 {
        labels.append(label.trimmingCharacters(in: .whitespaces))
      }
      y += 1
    }
    return (legend.trimmingCharacters(in: .whitespaces), labels)
  }

  @Test func everyLineIsNamedOrCountedAndNamesStayApart() throws {
    let narrow = Self.frame(Self.state())
    // Two losses of three runs: the runs side by side on one tag, by what sets their names
    // apart, and how many lines the row had no room for.
    #expect(try Self.chart("Loss", in: narrow).legend == "━ …2020… train/loss ━ …3512… train/loss +4 more")
    // The run list keeps the part after the shared date: three names, three different rows.
    for (row, time) in ["2020", "3512", "4001"].enumerated() {
      #expect(narrow.line(2 + row).hasPrefix("│ \(row % 2 == 0 ? "━" : "┅") …\(time)-mnist-to │"), "\(row)")
    }
    let wide = Self.frame(Self.state(), width: 200, height: 60)
    #expect(
      try Self.chart("Loss", in: wide).legend
        == "━ …2020… train/loss 0.001 ━ …3512… train/loss 0.001 ━ …4001… train/loss 0.001 "
        + "┅ …2020… validation/loss 0.002 ┅ …3512… validation/loss 0.002 ┅ …4001… validation/loss")
    // Colour says the run, the stroke the tag: each entry's glyph is its line's.
    let legend = try #require(wide.find("━ …3512… train/loss"))
    let colors = Self.context.theme.seriesColors
    #expect(wide[legend.x, legend.y].foreground == colors[1])
    let validation = try #require(wide.find("┅ …4001… validation/loss"))
    #expect(wide[validation.x, validation.y].foreground == colors[2])
    #expect(wide.line(2).hasPrefix("│ ━ …2020-mnist-torch.jsonl "))
  }

  /// One run shown: the run list names it, the legend names its tags, each in its own stroke.
  @Test func oneRunsTagsAreToldApartByStroke() throws {
    var state = Self.state()
    state.handle(.character("o"))
    let frame = Self.frame(state)
    // The legend's glyph is the line's stroke (`ChartSeries.legendGlyph`): two tags, two strokes.
    #expect(try Self.chart("Loss", in: frame).legend == "━ train/loss 0.001  ┅ validation/loss 0.002")
  }

  @Test func axesStayWithinWhatTheQuantityCanBe() throws {
    let frame = Self.frame(Self.state(), width: 200, height: 60)
    // The loss falls to 0.001: its axis ends at 0, not below; the accuracy reaches 1: its top is 1.
    #expect(try Self.chart("Loss", in: frame).labels == ["3.15", "1.58", "0"])
    #expect(try Self.chart("Accuracy", in: frame).labels == ["1", "0.738", "0.475"])
    #expect(try Self.chart("Learning rate", in: frame).labels.last == "0.0055")
  }

  /// The rate drops tenfold at step 50: smoothed, it was drawn as a ramp through rates never
  /// set. Its chart is the same cell for cell whatever the smoothing; the loss chart is not.
  @Test func aSettingIsNeverSmoothed() throws {
    var raw = Self.state()
    raw.smoothingIndex = 0
    var smoothed = Self.state()
    smoothed.smoothingIndex = 2
    let (a, b) = (Self.frame(raw, width: 200, height: 60), Self.frame(smoothed, width: 200, height: 60))
    let rate = try #require(a.find("┌ Learning rate "))
    let loss = try #require(a.find("┌ Loss "))
    func rows(_ frame: Buffer, from y: Int, count: Int) -> [String] { (y..<y + count).map(frame.line) }
    #expect(rows(a, from: rate.y, count: 60 - 1 - rate.y) == rows(b, from: rate.y, count: 60 - 1 - rate.y))
    #expect(rows(a, from: loss.y + 2, count: 5) != rows(b, from: loss.y + 2, count: 5))
    #expect(b.line(rate.y).contains("EMA") == false && b.line(loss.y).contains("EMA 0.9"))
    #expect(ChartKind.isSetting("lr") && ChartKind.isSetting("optimizer/momentum"))
    #expect(ChartKind.isSetting("Dropout") && !ChartKind.isSetting("train/loss"))
  }

  @Test func namesAreCutWhereTheyDiffer() {
    // Shared start: kept from where it differs. Shared end only: kept from the start.
    #expect(RunNames.fitted(Self.names[0], among: Self.names, width: 14) == "…2020-mnist-to")
    #expect(RunNames.fitted("run-a-2026", among: ["run-a-2026", "x-2026"], width: 8) == "run-a-2…")
    // Nothing shared: the middle goes, keeping more of the end.
    #expect(RunNames.fitted("abcdefghijklmnop", among: ["x"], width: 11) == "abcd…klmnop")
    #expect(RunNames.fitted("short", among: Self.names, width: 14) == "short")
    #expect(RunNames.distinct(Self.names[1], among: Self.names, width: 16) == "…3512…")
    #expect(RunNames.distinct("pytorch", among: Self.names + ["pytorch"], width: 16) == "pytorch")
    #expect(RunNames.distinct(Self.names[1], among: [Self.names[1]], width: 16) == "202611…rch.jsonl")
    // add_scalars in two runs: four names, four different entries ("…train" had stood for two).
    let scalars = ["runA/losses_train", "runA/losses_val", "runB/losses_train", "runB/losses_val"]
    let entries = scalars.map { RunNames.distinct($0, among: scalars, width: 16) }
    #expect(
      entries == ["…A/losses_train", "…A/losses_val", "…B/losses_train", "…B/losses_val"], "\(entries)")
  }
}

import Dashboard
import EventFiles
import SystemIO
import Terminal

/// Draws the viewer: a header, the run list, the charts (or one picked tag) with every shown
/// run in its own colour, and the keys.
public struct ViewerRenderer {
  let state: ViewerState
  let context: RenderContext

  public init(state: ViewerState, context: RenderContext) {
    self.state = state
    self.context = context
  }

  public func render(width: Int, height: Int) -> Buffer {
    var buffer = Buffer(
      width: width, height: height,
      fill: Cell(" ", foreground: context.color(.foreground), background: context.color(.background)))
    guard width >= 60, height >= 12 else {
      buffer.write("terminal too small: 60×12 at least", x: 0, y: 0, foreground: context.color(.warning))
      return finished(buffer)
    }
    let (header, rest) = buffer.bounds.splitTop(1)
    let (body, footer) = rest.splitBottom(1)
    drawHeader(in: header, into: &buffer)
    drawFooter(in: footer, into: &buffer)
    let (list, charts) = body.splitLeft(min(34, max(20, width / 4)))
    drawRuns(in: list, into: &buffer)
    if state.showsHistograms {
      drawHistograms(in: charts, into: &buffer)
    } else if let tag = state.picked {
      drawChart(
        title: tag.printable(), tags: [tag], key: tag, limits: ChartKind.of(tag)?.limits, focused: false,
        in: charts,
        into: &buffer)
    } else if state.charts.isEmpty {
      let inner = BoxWidget(title: "Charts", note: "").render(in: charts, buffer: &buffer, context: context)
      let text =
        state.runs.isEmpty
        ? "no runs yet: waiting for *tfevents* files or run logs"
        : state.tags.isEmpty ? "no scalars yet" : "no loss, accuracy or learning-rate tags: t picks a tag"
      buffer.write(
        text, x: inner.x + 1, y: inner.y, maxWidth: inner.width - 2, foreground: context.color(.muted))
    } else {
      let kinds = state.charts
      let rows = charts.rows(weights: kinds.map { $0 == .learningRate ? 2 : 3 })
      for (kind, rect) in zip(kinds, rows) {
        let tags = state.tags.filter { ChartKind.of($0) == kind }.sorted(by: ChartKind.precedes)
        drawChart(
          title: kind.rawValue.prefix(1).uppercased() + kind.rawValue.dropFirst(), tags: tags,
          key: kind.rawValue, limits: kind.limits,
          focused: kind == state.focus && kinds.count > 1, in: rect, into: &buffer)
      }
    }
    return finished(buffer)
  }

  private func finished(_ buffer: Buffer) -> Buffer {
    var b = buffer
    if !context.glyphs.unicode { b.transliterateToASCII() }
    return b
  }

  private func drawHeader(in rect: Rect, into buffer: inout Buffer) {
    var x = rect.x + 1
    x += buffer.write("nntop view", x: x, y: rect.y, foreground: context.color(.title), style: .bold) + 2
    let shown = state.runs.filter(\.visible).count
    let parts = [
      "\(shown)/\(state.runs.count) runs", state.following ? "following" : "as read",
      "x: \(state.wallTime ? "wall time (s)" : "step")",
      "cursor: " + (state.cursorLabel ?? "latest"),
    ]
    buffer.write(
      parts.joined(separator: " · "), x: x, y: rect.y, maxWidth: rect.maxX - x,
      foreground: context.color(.muted))
  }

  private func drawFooter(in rect: Rect, into buffer: inout Buffer) {
    if let message = state.message {
      buffer.write(
        message.printable(), x: rect.x + 1, y: rect.y, maxWidth: rect.width - 2,
        foreground: context.color(.highlight))
      return
    }
    if let warning = state.warnings.last {
      let count = state.warnings.count > 1 ? "(\(state.warnings.count)) " : ""
      buffer.write(
        count + Self.fitted(warning: warning.printable(), width: rect.width - 2 - count.count), x: rect.x + 1,
        y: rect.y,
        maxWidth: rect.width - 2, foreground: context.color(.warning))
      return
    }
    var text = ""
    for entry in ViewerKeys.footer {
      let next = text.isEmpty ? entry : text + "  " + entry
      guard next.unicodeScalars.count <= rect.width - 2 else { break }
      text = next
    }
    buffer.write(text, x: rect.x + 1, y: rect.y, foreground: context.color(.muted))
  }

  /// A chart's tags' strokes, in its tags' order (`test/loss`, `train/loss`, `validation/loss`).
  static let tagStrokes: [ChartSeries.Stroke] = [.solid, .dashed, .points]

  /// The most of a run's name a legend entry spends (the rest of the entry is the tag and value).
  static let legendRunName = 16

  /// The colour of run `index` (by position among all runs, so hiding one does not recolour
  /// the others).
  func color(ofRun index: Int) -> Color {
    let colors = context.theme.seriesColors
    return colors.isEmpty ? context.color(.foreground) : colors[index % colors.count]
  }

  /// The line of run `index`: solid, then dashed, so that runs stay apart without colour too
  /// (`--no-color`, `NO_COLOR`), with the legend showing which is which.
  func stroke(ofRun index: Int) -> ChartSeries.Stroke {
    index % 2 == 0 ? .solid : .dashed
  }

  private func drawRuns(in rect: Rect, into buffer: inout Buffer) {
    let inner = BoxWidget(title: "Runs", note: "").render(in: rect, buffer: &buffer, context: context)
    let names = state.runs.map { $0.name.printable() }
    let first = max(0, min(state.selected - inner.height + 1, state.runs.count - inner.height))
    for (row, index) in (first..<state.runs.count).prefix(inner.height).enumerated() {
      let run = state.runs[index]
      let y = inner.y + row
      // The run's line as the legend draws it (colour and stroke), or a hollow mark when hidden.
      let line = ChartSeries(name: "", color: color(ofRun: index), points: [], stroke: stroke(ofRun: index))
      let mark = run.visible ? line.legendGlyph(context.glyphs) : (context.glyphs.unicode ? "○" : "-")
      let selected = index == state.selected
      let background = selected ? context.color(.selectedBackground) : nil
      if let background {
        buffer.fill(
          Rect(x: inner.x, y: y, width: inner.width, height: 1), with: Cell(" ", background: background))
      }
      buffer.write(
        mark, x: inner.x + 1, y: y, foreground: run.visible ? color(ofRun: index) : context.color(.muted),
        background: background)
      buffer.write(
        RunNames.fitted(run.name.printable(), among: names, width: inner.width - 4), x: inner.x + 3, y: y,
        maxWidth: inner.width - 4,
        foreground: context.color(run.visible ? (selected ? .selectedForeground : .foreground) : .muted),
        background: background)
    }
  }

  /// The selected run's histograms in the dashboard's per-layer panel (`LayerTag` says which
  /// layer a tag is of): the last of each tag at or before the cursor, the spread over the ones
  /// before.
  private func drawHistograms(in rect: Rect, into buffer: inout Buffer) {
    let run = state.selectedRun
    let snapshots = run.map { LayerHistograms.snapshots(of: $0.data, upTo: state.cursor) } ?? []
    let title = "Layers" + (run.map { " · " + $0.name.printable() } ?? "")
    guard let last = snapshots.last else {
      let inner = BoxWidget(title: title, note: "").render(in: rect, buffer: &buffer, context: context)
      let text =
        run?.data.histograms.isEmpty == false
        ? "no histograms at or before the cursor (end: latest)" : "no histograms in this run"
      buffer.write(
        text, x: inner.x + 1, y: inner.y, maxWidth: inner.width - 2, foreground: context.color(.muted))
      return
    }
    let note = "step \(last.step)" + (state.cursor == nil ? " (latest)" : " (cursor)")
    LayerHistogramPanel.render(
      snapshots, title: title, note: note, zoomKey: nil, in: rect, buffer: &buffer, context: context)
  }

  /// A line's value in the legend: the raw value at the cursor's step (the last point at or
  /// before it; "–" for a line that starts after it), else the latest. The cursor had shown only
  /// where it stood, with every legend still naming the last value.
  private func legendValue(_ points: [ScalarPoint]) -> String? {
    guard let cursor = state.cursor else { return points.last.map { NumberFormat.compact($0.value) } }
    return points.last { $0.step <= cursor }.map { NumberFormat.compact($0.value) }
      ?? (context.glyphs.unicode ? "–" : "-")
  }

  /// One chart: each shown run's points of `tags`, smoothed (the raw points faint behind), and
  /// the cursor as a marker line. A log axis says how many points it cannot draw (below 0).
  private func drawChart(
    title: String, tags: [String], key: String, limits: ClosedRange<Double>?, focused: Bool, in rect: Rect,
    into buffer: inout Buffer
  ) {
    // A setting (the learning rate, a knob) is drawn as set: never smoothed.
    let weight = tags.allSatisfy(ChartKind.isSetting) ? 0 : state.smoothing
    let shown = state.runs.filter(\.visible).map { $0.name.printable() }
    var raw: [ChartSeries] = []
    var smoothed: [ChartSeries] = []
    var cursorX: Double?
    // Tag by tag, every run's line of it together: when the legend runs out of room, what it
    // names is the runs side by side on one tag. Colour says the run and, with colours and
    // several tags, the stroke says the tag (a run's train and validation loss looked alike).
    let strokeByTag = tags.count > 1 && !context.theme.seriesColors.isEmpty
    for (tagIndex, tag) in tags.enumerated() {
      for (index, run) in state.runs.enumerated() where run.visible {
        guard let points = run.data.scalars[tag], !points.isEmpty else { continue }
        let start = points.first { $0.wallTime.isFinite }?.wallTime ?? 0
        let x = { (p: ScalarPoint) in state.wallTime ? p.wallTime - start : Double(p.step) }
        let xs = points.map(x)
        let ys = points.map(\.value)
        if index == state.selected, let cursor = state.cursor, cursorX == nil {
          cursorX = state.wallTime ? points.last { $0.step <= cursor }.map(x) : Double(cursor)
        }
        // Run and tag: the run by what sets it apart from the others shown (alone, the run list
        // names it), the tag unless it is the chart's title.
        let runName = RunNames.distinct(run.name.printable(), among: shown, width: Self.legendRunName)
        let parts = [
          shown.count > 1 || state.picked != nil ? runName : nil,
          tags.count > 1 || state.picked == nil ? tag.printable() : nil,
        ]
        let name = parts.compactMap { $0 }.joined(separator: " ")
        if weight > 0 {
          raw.append(
            ChartSeries(
              name: "", color: context.color(.muted), points: zip(xs, ys).map(ChartPoint.init),
              legendValue: "", stroke: .points))
        }
        let values = Smoothing.debiased(ys, weight: weight)
        smoothed.append(
          ChartSeries(
            name: name, color: color(ofRun: index),
            points: zip(xs, values).map(ChartPoint.init),
            legendValue: legendValue(points),
            stroke: strokeByTag ? Self.tagStrokes[tagIndex % Self.tagStrokes.count] : stroke(ofRun: index)))
      }
    }
    let logScale = state.logScale.contains(key)
    var notes: [String] = []
    if weight > 0 { notes.append("EMA \(NumberFormat.compact(weight))") }
    if logScale { notes.append(LineChart.logNote(smoothed)) }
    if focused { notes.append("tab \(context.glyphs.unicode ? "▸" : ">")") }
    let inner = BoxWidget(title: title, note: notes.joined(separator: " · ")).render(
      in: rect, buffer: &buffer, context: context)
    let markers = zip([cursorX].compactMap { $0 }, [state.cursorLabel ?? ""]).map {
      ChartMarker(x: $0, label: $1)
    }
    let chart = LineChart(
      series: raw + smoothed, markers: markers, logScale: logScale,
      xLabel: state.wallTime ? "seconds" : "step", yLimits: limits)
    chart.render(in: inner, buffer: &buffer, context: context)
  }

  /// A warning `PATH: what went wrong` within `width`: the path gives up its start ("…" and its
  /// end, the file's name) before the problem loses a word; at 80 columns the problem had been cut
  /// to "a record whose data fails it".
  static func fitted(warning: String, width: Int) -> String {
    let scalars = Array(warning.unicodeScalars)
    guard scalars.count > width, let split = warning.range(of: ": ") else { return warning }
    let path = Array(warning[..<split.lowerBound].unicodeScalars)
    let problem = Array(warning[split.lowerBound...].unicodeScalars)
    let room = width - problem.count - 1
    guard room >= 8 else { return warning }
    return "…" + String(String.UnicodeScalarView(path.suffix(room) + problem))
  }
}

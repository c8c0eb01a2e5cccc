import NeuralNet
import RunModel
import SystemIO
import Terminal

/// The dashboard's panels, each drawn into its own rectangle from the state.
struct Panels {
  let state: DashboardState
  let view: ViewOptions
  var context: RenderContext { view.context }

  /// The muted one-line note a panel shows until it has something to draw.
  func placeholder(_ text: String, in inner: Rect, into buffer: inout Buffer) {
    buffer.write(
      text, x: inner.x + 1, y: inner.y, maxWidth: max(0, inner.width - 2), foreground: context.color(.muted))
  }

  /// A lab view's waiting line: what it waits for, or, for a run another program wrote (the
  /// PyTorch client), that it will not come: only nntop's own trainer computes these views, and
  /// a promise of "after the first epoch" stayed on screen for a whole PyTorch run.
  func labWaiting(_ text: String) -> String {
    guard let writer = state.header?.writer else { return text }
    return "\(writer) runs do not record this view"
  }

  /// Draws a panel's box and returns its inside with the panel's content; without content (yet),
  /// the box says what it waits for and the panel draws nothing more.
  func frame<Content>(
    _ title: String, note: String, content: Content?, waiting: String, in rect: Rect,
    into buffer: inout Buffer
  ) -> (inner: Rect, content: Content)? {
    let inner = BoxWidget(title: title, note: note).render(in: rect, buffer: &buffer, context: context)
    guard let content else {
      placeholder(waiting, in: inner, into: &buffer)
      return nil
    }
    return (inner, content)
  }

  // MARK: Charts

  /// The training curve smoothed as TensorBoard smooths (debiased EMA), and its raw points to
  /// draw faint behind it (nil without smoothing).
  private func trainSeries(_ points: [ChartPoint], legendValue: String? = nil) -> [ChartSeries] {
    let line = { (points: [ChartPoint]) in
      ChartSeries(name: "train", color: self.context.color(.train), points: points, legendValue: legendValue)
    }
    guard view.smoothing > 0 else { return [line(points)] }
    let values = Smoothing.debiased(points.map(\.y), weight: view.smoothing)
    let raw = ChartSeries(
      name: "", color: context.color(.muted), points: points, legendValue: "", joined: false)
    return [raw, line(zip(points, values).map { ChartPoint($0.x, $1) })]
  }

  /// A chart's title note: its log axis (and what it cannot draw), the smoothing, and `G ▸` on
  /// the chart `g` acts on when there is a choice.
  private func chartNote(_ panel: Panel, series: [ChartSeries], log: Bool, automatic: Bool = false) -> String
  {
    var notes: [String] = []
    if log {
      // The curves' own points (the faint raw points behind a smoothed curve are not counted twice).
      let note = LineChart.logNote(series.filter { !$0.name.isEmpty })
      notes.append(automatic ? note.replacing("log", with: "log (auto)", maxReplacements: 1) : note)
    }
    if view.smoothing > 0 { notes.append("EMA \(NumberFormat.compact(view.smoothing))") }
    if panel == view.logTarget, view.zoom == nil, hasAccuracyChart {
      notes.append("\(KeyMap.label(.focusNextChart)) \(context.glyphs.unicode ? "▸" : ">")")
    }
    return notes.joined(separator: " · ")
  }

  /// Whether the accuracy chart is drawn (a regression shows its learned curve there instead):
  /// only then is there a second chart for `G` to mark.
  private var hasAccuracyChart: Bool { state.header?.network.loss.reportsAccuracy ?? true }

  /// Whether the losses span more than three decades (an explosion): on a linear axis the rest
  /// of the run would be a flat line at the bottom, so the chart turns logarithmic by itself.
  private var lossesSpanDecades: Bool {
    let values = (state.trainLoss.items + state.validationLoss.items + state.quickValidationLoss.items).map(
      \.y
    )
    .filter {
      $0.isFinite && $0 > 0
    }
    guard let low = values.min(), let high = values.max() else { return false }
    return high > 1_000 * low
  }

  func loss(in rect: Rect, into buffer: inout Buffer) {
    let chosen = view.logScale.contains(.loss)
    let automatic = !chosen && lossesSpanDecades
    let logScale = chosen || automatic
    let series =
      trainSeries(state.trainLoss.items)
      + [
        ChartSeries(
          name: "val", color: context.color(.validation), points: state.validationLoss.items,
          stroke: .dashed),
        quickValidation(state.quickValidationLoss, legendValue: nil),
      ].compactMap { $0 } + comparisonSeries { ($0.trainLoss, $0.validationLoss) }
    let inner = BoxWidget(
      title: "Loss", note: chartNote(.loss, series: series, log: logScale, automatic: automatic)
    ).render(in: rect, buffer: &buffer, context: context)
    let chart = LineChart(
      series: series, markers: state.markers, logScale: logScale, yLimits: 0...Double.infinity)
    chart.render(in: inner, buffer: &buffer, context: context)
  }

  func accuracy(in rect: Rect, into buffer: inout Buffer) {
    guard hasAccuracyChart else {
      learnedCurve(in: rect, into: &buffer)
      return
    }
    let percent: @Sendable (Double) -> String = { NumberFormat.compact($0 * 100) + "%" }
    let series =
      trainSeries(
        state.trainAccuracy.items, legendValue: NumberFormat.percent(state.trainAccuracy.last?.y))
      + [
        ChartSeries(
          name: "val", color: context.color(.validation), points: state.validationAccuracy.items,
          legendValue: NumberFormat.percent(state.validationAccuracy.last?.y), stroke: .dashed),
        quickValidation(
          state.quickValidationAccuracy,
          legendValue: NumberFormat.percent(state.quickValidationAccuracy.last?.y)),
      ].compactMap { $0 } + comparisonSeries { ($0.trainAccuracy, $0.validationAccuracy) }
    let logScale = view.logScale.contains(.accuracy)
    let inner = BoxWidget(title: "Accuracy", note: chartNote(.accuracy, series: series, log: logScale))
      .render(
        in: rect, buffer: &buffer, context: context)
    let chart = LineChart(
      series: series, markers: state.markers, logScale: logScale, yLimits: 0...1, yFormat: percent)
    chart.render(in: inner, buffer: &buffer, context: context)
  }

  /// The quick validation points inside epochs, named by the subset they look at ("1k val"), or
  /// nil before there are any.
  private func quickValidation(_ series: SeriesBuffer<ChartPoint>, legendValue: String?) -> ChartSeries? {
    guard !series.isEmpty else { return nil }
    let name = Self.quickValidationName(examples: state.quickValidationExamples)
    return ChartSeries(
      name: name, color: context.color(.validation), points: series.items, legendValue: legendValue,
      stroke: .points, shortName: String(name.prefix { $0 != " " }))
  }

  /// "1k val": validation on a subset of that many examples, so it is never read as the "val" of
  /// the whole set (the one the diagnosis and the epoch lines report).
  static func quickValidationName(examples: Int) -> String {
    (examples >= 1_000 && examples % 1_000 == 0 ? "\(examples / 1_000)k" : "\(examples)") + " val"
  }

  // MARK: Layers

  /// What a layer panel says before any statistics: waiting while the run goes on; once it has
  /// ended without any (a PyTorch run whose `every=` is longer than its epochs), that there are
  /// none, not "waiting" for ever.
  var statisticsPlaceholder: String {
    state.hasEnded ? "no layer statistics in this run" : "waiting for statistics…"
  }

  func gradients(in rect: Rect, into buffer: inout Buffer) {
    guard
      let (inner, layers) = frame(
        "Gradients", note: state.layersBeforeRollback ? "before the rollback" : "‖g‖ log scale",
        content: state.layers.isEmpty ? nil : state.layers,
        waiting: statisticsPlaceholder, in: rect, into: &buffer)
    else { return }
    let colors = context.theme.seriesColors
    let tableRows = layers.count + 1
    var tableTop = inner.y
    if inner.height >= tableRows + 4 {
      let chartArea = Rect(x: inner.x, y: inner.y, width: inner.width, height: inner.height - tableRows)
      // Where the colours run out (a plain theme has one; the others four), the stroke changes.
      let distinct = colors.indices.filter { i in !colors[..<i].contains(colors[i]) }.count
      let strokes: [ChartSeries.Stroke] = [.solid, .dashed, .points]
      let series = layers.enumerated().map { i, layer in
        ChartSeries(
          name: layer.name, color: colors[i % colors.count],
          points: state.gradientNorms[layer.name]?.items ?? [],
          legendValue: "", stroke: strokes[(i / max(1, distinct)) % strokes.count])
      }
      LineChart(series: series, logScale: true).render(in: chartArea, buffer: &buffer, context: context)
      tableTop = chartArea.maxY
    }
    let muted = context.color(.muted)
    buffer.write(
      "layer      ‖g‖     upd/w   trend", x: inner.x, y: tableTop, maxWidth: inner.width, foreground: muted)
    // Layers that do not fit are counted on the last row rather than silently left out.
    for (row, entry) in LayerFit.rows(count: layers.count, room: inner.maxY - tableTop - 1).enumerated() {
      let y = tableTop + 1 + row
      let i: Int
      switch entry {
      case .layer(let index): i = index
      case .more(let hidden):
        buffer.write(
          LayerFit.moreNote(hidden: hidden, key: KeyMap.label(.zoom(.gradients))), x: inner.x, y: y,
          maxWidth: inner.width, foreground: muted)
        continue
      }
      let layer = layers[i]
      buffer.write(layer.name, x: inner.x, y: y, maxWidth: 10, foreground: colors[i % colors.count])
      buffer.write(
        NumberFormat.compact(layer.gradientNorm), x: inner.x + 11, y: y, maxWidth: 8,
        foreground: context.color(HealthRules.gradient(layer.gradientNorm)))
      buffer.write(
        NumberFormat.compact(layer.updateRatio), x: inner.x + 19, y: y, maxWidth: 8,
        foreground: context.color(HealthRules.update(layer.updateRatio)))
      // A sparkline of log ‖g‖ over time in the remaining width.
      let sparkX = inner.x + 27
      let width = inner.maxX - sparkX
      if width > 2, let history = state.gradientNorms[layer.name]?.items, !history.isEmpty {
        sparkline(
          history.map(\.y), x: sparkX, y: y, width: width, color: colors[i % colors.count], into: &buffer)
      }
    }
  }

  private func sparkline(
    _ values: [Double], x: Int, y: Int, width: Int, color: Color, into buffer: inout Buffer
  ) {
    let shown = values.suffix(width)
    let logs = shown.map { $0 > 0 && $0.isFinite ? log10Safe($0) : Double.nan }
    // A norm of exactly 0 has no logarithm but is the reading that matters most (nothing flows
    // back): it shows as "0", never as a gap.
    for (i, v) in shown.enumerated() where v == 0 { buffer.put(x + i, y, Cell("0", foreground: color)) }
    let finite = logs.filter(\.isFinite)
    guard let low = finite.min(), let high = finite.max() else { return }
    let levels = context.glyphs.bars.count - 1
    for (i, v) in logs.enumerated() {
      guard v.isFinite else { continue }
      let f = high - low < 1e-9 ? 0.5 : (v - low) / (high - low)
      let level = max(1, min(levels, Int(saturating: (f * Double(levels - 1)).rounded()) + 1))
      buffer.put(x + i, y, Cell(context.glyphs.bars[level], foreground: color))
    }
  }

  // MARK: Fit and knobs

  func hyperparameters(in rect: Rect, into buffer: inout Buffer) {
    let inner = BoxWidget(title: "Hyperparameters", note: view.canSteer ? "tab/± turn" : "read-only")
      .render(
        in: rect, buffer: &buffer, context: context)
    let schedule = state.header?.schedule ?? .constant
    var rows: [(String, String, String, Knob?)] = []
    for knob in Knob.allCases {
      // Under a schedule the rate in effect leads, and the base the keys turn follows it.
      let value = knob == .learningRate ? state.effectiveLearningRate : state.value(of: knob)
      var text = knob.isCount ? String(Int(saturating: value)) : NumberFormat.compact(value)
      var keys = KeyMap.key(for: knob, up: false) + "/" + KeyMap.key(for: knob, up: true)
      // nntop's Adam has no momentum knob (its β₁ is fixed): say so, and offer no keys that do
      // nothing. Another program's run (the PyTorch client) maps momentum to Adam's β₁, and the
      // keys do turn it there: the row says which it is.
      if let optimizer = state.header?.optimizer, !knob.applies(to: optimizer) {
        if state.header?.writer == nil {
          text = "n/a (\(optimizer.rawValue))"
          keys = ""
        } else if knob == .momentum {
          text += " (β₁)"
        }
      }
      // A watched run answers through its log: until it does, the row says the value was sent.
      if view.feed == .watch && !state.pending.isEmpty(knob) { keys = "sent" }
      rows.append((knob.label, text, keys, knob))
      if knob == .learningRate && schedule != .constant {
        // "step(10,0.1)" is too wide for the label column; its kind is enough there.
        let kind = schedule.name.prefix { $0 != "(" }
        rows.append(("  base·\(kind)", NumberFormat.compact(state.value(of: knob)), "", nil))
      }
    }
    if let header = state.header {
      rows.append(("batch size", "\(header.batchSize)", "", nil))
      if header.earlyStoppingPatience > 0 {
        let since = state.epochsSinceBestValidation
        rows.append(("early stop", "\(since)/\(header.earlyStoppingPatience) epochs", "", nil))
      }
    }
    for (i, row) in rows.enumerated() {
      let y = inner.y + i
      guard y < inner.maxY else { break }
      let selected = row.3 != nil && row.3 == view.selectedKnob
      let marker = selected ? (context.glyphs.unicode ? "▸ " : "> ") : "  "
      let background: Color? = selected ? context.color(.selectedBackground) : nil
      let foreground = context.color(selected ? .selectedForeground : .foreground)
      let text = marker + pad(row.0, 14) + pad(row.1, 10)
      let used = buffer.write(
        text, x: inner.x, y: y, maxWidth: inner.width, foreground: foreground, background: background,
        style: selected ? .bold : [])
      if !row.2.isEmpty {
        buffer.write(
          row.2, x: inner.x + used, y: y, maxWidth: inner.width - used, foreground: context.color(.highlight))
      }
    }
  }

  private func pad(_ s: String, _ width: Int) -> String {
    s + String(repeating: " ", count: max(1, width - s.unicodeScalars.count))
  }
}

#if canImport(Glibc)
  import Glibc
  func log10Safe(_ x: Double) -> Double { log10(x) }
#endif

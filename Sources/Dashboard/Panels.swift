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

  private func smoothed(_ points: [ChartPoint]) -> [ChartPoint] {
    guard view.smoothing, var s = points.first?.y else { return points }
    let a = ViewOptions.smoothingFactor
    return points.map { p in
      if p.y.isFinite { s = s.isFinite ? a * s + (1 - a) * p.y : p.y }
      return ChartPoint(p.x, s)
    }
  }

  private func chartNote(log: Bool, automatic: Bool = false) -> String {
    var notes: [String] = []
    if log { notes.append(automatic ? "log (auto)" : "log") }
    if view.smoothing { notes.append("EMA \(ViewOptions.smoothingFactor)") }
    return notes.joined(separator: " · ")
  }

  /// Whether the losses span more than three decades (an explosion): on a linear axis the rest
  /// of the run would be a flat line at the bottom, so the chart turns logarithmic by itself.
  private var lossesSpanDecades: Bool {
    let values = (state.trainLoss.items + state.validationLoss.items).map(\.y).filter {
      $0.isFinite && $0 > 0
    }
    guard let low = values.min(), let high = values.max() else { return false }
    return high > 1_000 * low
  }

  func loss(in rect: Rect, into buffer: inout Buffer) {
    let automatic = !view.logScale && lossesSpanDecades
    let logScale = view.logScale || automatic
    let inner = BoxWidget(title: "Loss", note: chartNote(log: logScale, automatic: automatic)).render(
      in: rect, buffer: &buffer, context: context)
    let chart = LineChart(
      series: [
        ChartSeries(name: "train", color: context.color(.train), points: smoothed(state.trainLoss.items)),
        ChartSeries(name: "val", color: context.color(.validation), points: state.validationLoss.items),
      ], markers: state.markers, logScale: logScale, yLimits: 0...Double.infinity)
    chart.render(in: inner, buffer: &buffer, context: context)
  }

  func accuracy(in rect: Rect, into buffer: inout Buffer) {
    guard state.header?.network.loss.reportsAccuracy ?? true else {
      learnedCurve(in: rect, into: &buffer)
      return
    }
    let inner = BoxWidget(title: "Accuracy", note: chartNote(log: false)).render(
      in: rect, buffer: &buffer, context: context)
    let percent: @Sendable (Double) -> String = { NumberFormat.compact($0 * 100) + "%" }
    let chart = LineChart(
      series: [
        ChartSeries(
          name: "train", color: context.color(.train), points: smoothed(state.trainAccuracy.items),
          legendValue: NumberFormat.percent(state.trainAccuracy.last?.y)),
        ChartSeries(
          name: "val", color: context.color(.validation), points: state.validationAccuracy.items,
          legendValue: NumberFormat.percent(state.validationAccuracy.last?.y)),
      ], markers: state.markers, yLimits: 0...1, yFormat: percent)
    chart.render(in: inner, buffer: &buffer, context: context)
  }

  // MARK: Layers

  func activations(in rect: Rect, into buffer: inout Buffer) {
    let activation = state.header?.network.activation
    let inner = BoxWidget(title: "Activations", note: activation.map { $0.rawValue } ?? "").render(
      in: rect, buffer: &buffer, context: context)
    guard !state.layers.isEmpty else {
      placeholder("waiting for statistics…", in: inner, into: &buffer)
      return
    }
    let layers = state.layers
    let rowsEach = max(1, inner.height / layers.count)
    for (i, layer) in layers.enumerated() {
      let top = inner.y + i * rowsEach
      guard top < inner.maxY else { break }
      let rows = min(rowsEach, inner.maxY - top)
      var text = "\(layer.name) μ\(NumberFormat.compact(layer.mean)) σ\(NumberFormat.compact(layer.std))"
      var health = ""
      var healthColor = context.color(.good)
      if activation?.canDie == true && !layer.name.hasPrefix("output") {
        health = "dead \(Int(saturating: (layer.deadFraction * 100).rounded()))%"
        healthColor = context.color(HealthRules.inactive(layer.deadFraction))
      } else if activation?.canSaturate == true && !layer.name.hasPrefix("output") {
        health = "sat \(Int(saturating: (layer.saturatedFraction * 100).rounded()))%"
        healthColor = context.color(HealthRules.inactive(layer.saturatedFraction))
      }
      // Left: the numbers, and the histogram under them; right: quantile bands over time.
      let leftWidth = min(38, inner.width * 3 / 5)
      if !context.glyphs.unicode {
        text = text.replacing("μ", with: "m").replacing("σ", with: "s")
      }
      // Name and health first: when space runs out, μ and σ are cut, not the warning.
      var used = buffer.write(
        layer.name, x: inner.x, y: top, maxWidth: leftWidth, foreground: context.color(.foreground))
      if !health.isEmpty {
        used += buffer.write(
          " " + health, x: inner.x + used, y: top, maxWidth: leftWidth - used, foreground: healthColor)
      }
      buffer.write(
        String(text.dropFirst(layer.name.count)), x: inner.x + used, y: top,
        maxWidth: max(0, leftWidth - used - 1),
        foreground: context.color(.foreground))
      if rows >= 2 {
        let range = NumberFormat.compact(layer.min) + " … " + NumberFormat.compact(layer.max)
        let rangeText = context.glyphs.unicode ? range : range.replacing("…", with: "..")
        let rangeWidth = rangeText.unicodeScalars.count
        let barsWidth = max(4, leftWidth - rangeWidth - 2)
        HistogramBars(counts: layer.histogram, color: context.color(.bar)).render(
          in: Rect(x: inner.x, y: top + 1, width: barsWidth, height: rows - 1), buffer: &buffer,
          context: context)
        buffer.write(
          rangeText, x: inner.x + barsWidth + 1, y: top + rows - 1, maxWidth: leftWidth - barsWidth - 1,
          foreground: context.color(.axis))
      }
      let spreadArea = Rect(
        x: inner.x + leftWidth + 1, y: top, width: inner.width - leftWidth - 1, height: rows)
      if let history = state.spreads[layer.name] {
        SpreadChart(columns: history.items).render(in: spreadArea, buffer: &buffer, context: context)
      }
    }
  }

  func gradients(in rect: Rect, into buffer: inout Buffer) {
    guard
      let (inner, layers) = frame(
        "Gradients", note: "‖g‖ log scale", content: state.layers.isEmpty ? nil : state.layers,
        waiting: "waiting for statistics…", in: rect, into: &buffer)
    else { return }
    let colors = context.theme.seriesColors
    let tableRows = layers.count + 1
    var tableTop = inner.y
    if inner.height >= tableRows + 4 {
      let chartArea = Rect(x: inner.x, y: inner.y, width: inner.width, height: inner.height - tableRows)
      let series = layers.enumerated().map { i, layer in
        ChartSeries(
          name: layer.name, color: colors[i % colors.count],
          points: state.gradientNorms[layer.name]?.items ?? [],
          legendValue: "")
      }
      LineChart(series: series, logScale: true).render(in: chartArea, buffer: &buffer, context: context)
      tableTop = chartArea.maxY
    }
    let muted = context.color(.muted)
    buffer.write(
      "layer      ‖g‖     upd/w   trend", x: inner.x, y: tableTop, maxWidth: inner.width, foreground: muted)
    for (i, layer) in layers.enumerated() {
      let y = tableTop + 1 + i
      guard y < inner.maxY else { break }
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
    let logs = values.suffix(width).map { $0 > 0 && $0.isFinite ? log10Safe($0) : Double.nan }
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
    let inner = BoxWidget(title: "Hyperparameters", note: view.readOnly ? "replay" : "tab/± turn").render(
      in: rect, buffer: &buffer, context: context)
    var rows: [(String, String, String, Knob?)] = Knob.allCases.map { knob in
      let value = state.value(of: knob)
      var text = knob.isCount ? String(Int(saturating: value)) : NumberFormat.compact(value)
      if let optimizer = state.header?.optimizer, !knob.applies(to: optimizer) { text = "n/a (\(optimizer))" }
      return (
        knob.label, text, KeyMap.key(for: knob, up: false) + "/" + KeyMap.key(for: knob, up: true), knob
      )
    }
    if let header = state.header {
      rows.append(("batch size", "\(header.batchSize)", "", nil))
      if header.earlyStoppingPatience > 0 {
        let since = state.epochsSinceBestValidation
        rows.append(("early stop", "\(since)/\(header.earlyStoppingPatience) epochs", "", nil))
      }
      if header.schedule != .constant {
        rows.append(
          ("schedule", header.schedule.name + " → " + NumberFormat.compact(state.learningRate), "", nil))
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

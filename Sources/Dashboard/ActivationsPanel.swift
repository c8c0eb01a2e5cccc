import NeuralNet
import RunModel
import Terminal

/// The per-layer histogram panel for histograms that did not come from a live run (`nntop view`
/// of a TensorBoard run): the same drawing as the dashboard's activations panel, fed with
/// snapshots built from the run's histograms.
public enum LayerHistogramPanel {
  /// Draws `snapshots` (oldest first; the last is shown, the earlier ones make the spread over
  /// time) as the dashboard draws a run's activations. `zoomKey`: the key that shows more layers,
  /// named in the "+N more" note (nil: no key does).
  public static func render(
    _ snapshots: [LayerSnapshot], title: String, note: String, zoomKey: String?, in rect: Rect,
    buffer: inout Buffer, context: RenderContext
  ) {
    var state = DashboardState()
    for snapshot in snapshots { state.apply(.layerStatistics(snapshot)) }
    let view = ViewOptions(themes: [context.theme], glyphs: context.glyphs)
    Panels(state: state, view: view).activations(
      in: rect, into: &buffer, title: title, note: note, zoomKey: zoomKey)
  }
}

extension Panels {
  /// Per layer: its name, health, mean and spread, the histogram under them when there are rows
  /// for it, and the spread over time on the right. Numbers are shown whole or not at all; layers
  /// that do not fit are counted ("+3 more"), and a legend row says what the spread shows.
  func activations(
    in rect: Rect, into buffer: inout Buffer, title: String = "Activations", note: String? = nil,
    zoomKey: String? = KeyMap.label(.zoom(.activations))
  ) {
    let activation = state.header?.network.activation
    let stale = state.layersBeforeRollback ? "before the rollback" : nil
    let inner = BoxWidget(title: title, note: note ?? stale ?? activation.map { $0.rawValue } ?? "").render(
      in: rect, buffer: &buffer, context: context)
    guard !state.layers.isEmpty, inner.height > 0 else {
      placeholder(statisticsPlaceholder, in: inner, into: &buffer)
      return
    }
    let layers = state.layers
    // Every layer gets a row, or all but the last row go to layers and that one counts the rest.
    let listed = LayerFit.firstAndLast(
      count: layers.count, slots: layers.count > inner.height ? inner.height - 1 : layers.count)
    let shown = listed.count
    let spare = inner.height - shown
    let rowsEach = max(1, (inner.height - min(spare, 1)) / max(1, shown))
    // Left: the numbers (and the histogram under them); right: quantile bands over time. The
    // numbers take what they need, the same for every layer so that the columns line up, and
    // the bands what is left if it is enough to read (12 columns).
    let tokens = listed.map { numbers(of: layers[$0], activation: activation) }
    let needed = tokens.map { $0.map { $0.0.unicodeScalars.count + 1 }.reduce(-1, +) }.max() ?? 0
    var leftWidth = min(38, inner.width * 3 / 5)
    if inner.width - needed - 1 >= 12 { leftWidth = max(leftWidth, needed) }
    if rowsEach == 1 && (leftWidth < needed || inner.width - leftWidth - 1 < 12) {
      leftWidth = inner.width
    }
    for (i, layer) in listed.map({ layers[$0] }).enumerated() {
      let area = Rect(x: inner.x, y: inner.y + i * rowsEach, width: inner.width, height: rowsEach)
      layerRows(layer, tokens: tokens[i], leftWidth: leftWidth, in: area, into: &buffer)
    }
    if spare > 0 {
      var notes: [String] = []
      if shown < layers.count {
        notes.append(LayerFit.moreNote(hidden: layers.count - shown, key: zoomKey))
      }
      if leftWidth < inner.width {
        let long = spreadLegend(short: false)
        let short = spreadLegend(short: true)
        notes.append(
          (notes + [long]).joined(separator: " · ").unicodeScalars.count <= inner.width ? long : short)
      }
      let text = DashboardRenderer.fitting(notes, width: inner.width, dropFirst: [])
      buffer.write(
        text, x: inner.x, y: inner.maxY - 1, maxWidth: inner.width, foreground: context.color(.muted))
    }
  }

  /// What the spread on the right shows: one column per statistics step, newest on the right.
  private func spreadLegend(short: Bool) -> String {
    let g = context.glyphs
    let bands = "\(g.shades[0]) min–max \(g.shades[1]) middle half \(g.shades[2]) median"
    return short ? bands : "over steps \(g.arrowRight) " + bands
  }

  /// A layer's name, health, mean and spread, each shown whole or not at all.
  private func numbers(of layer: LayerStatistics, activation: Activation?) -> [(String, Color)] {
    var health = ""
    var healthColor = context.color(.good)
    // A viewed run without a header says which layers can die by recording their dead fraction.
    let canDie = activation.map(\.canDie) ?? layer.deadFraction.isFinite
    if canDie && !layer.name.hasPrefix("output") {
      health = "dead \(Int((layer.deadFraction * 100).rounded()))%"
      healthColor = context.color(HealthRules.inactive(layer.deadFraction))
    } else if activation?.canSaturate == true && !layer.name.hasPrefix("output") {
      health = "sat \(Int((layer.saturatedFraction * 100).rounded()))%"
      healthColor = context.color(HealthRules.inactive(layer.saturatedFraction))
    }
    let unicode = context.glyphs.unicode
    let foreground = context.color(.foreground)
    return [
      (layer.name, foreground), (health, healthColor),
      ((unicode ? "μ" : "m") + NumberFormat.compact(layer.mean), foreground),
      ((unicode ? "σ" : "s") + NumberFormat.compact(layer.std), foreground),
    ].filter { !$0.0.isEmpty }
  }

  private func layerRows(
    _ layer: LayerStatistics, tokens: [(String, Color)], leftWidth: Int, in area: Rect,
    into buffer: inout Buffer
  ) {
    let unicode = context.glyphs.unicode
    // Name and health first: when space runs out, σ goes, then μ, never a part of a number.
    var used = 0
    for (text, color) in tokens {
      let width = text.unicodeScalars.count + (used > 0 ? 1 : 0)
      guard used + width <= leftWidth else { break }
      used += buffer.write(
        (used > 0 ? " " : "") + text, x: area.x + used, y: area.y, maxWidth: leftWidth - used,
        foreground: color)
    }
    if area.height >= 2 {
      let range = NumberFormat.compact(layer.min) + " … " + NumberFormat.compact(layer.max)
      let rangeText = unicode ? range : range.replacing("…", with: "..")
      let rangeWidth = rangeText.unicodeScalars.count
      let barsWidth = max(4, leftWidth - rangeWidth - 2)
      HistogramBars(counts: layer.histogram, color: context.color(.bar)).render(
        in: Rect(x: area.x, y: area.y + 1, width: barsWidth, height: area.height - 1), buffer: &buffer,
        context: context)
      if barsWidth + 1 + rangeWidth <= leftWidth {
        buffer.write(
          rangeText, x: area.x + barsWidth + 1, y: area.maxY - 1, maxWidth: leftWidth - barsWidth - 1,
          foreground: context.color(.axis))
      }
    }
    let spreadArea = Rect(
      x: area.x + leftWidth + 1, y: area.y, width: area.width - leftWidth - 1, height: area.height)
    if spreadArea.width > 0, leftWidth < area.width, let history = state.spreads[layer.name] {
      SpreadChart(columns: history.items).render(in: spreadArea, buffer: &buffer, context: context)
    }
  }
}

import Diagnosis
import RunModel
import SystemIO
import Terminal

/// Rules of thumb for a layer's health, one colour per verdict.
///
/// - activation std: below 1e-3 the layer's outputs have collapsed (bad), below 1e-2 they are
///   fading (warning);
/// - dead (ReLU) or saturated (sigmoid/tanh) fraction: above 50 % bad, above 20 % warning;
/// - gradient norm: vanishing below 1e-6 (warning below 1e-4), exploding above 100 (warning above 10);
/// - update/weight ratio: 1e-4…1e-2 healthy (≈ 1e-3 typical); 1e-2…1e-1 hot (warning: where dead
///   units are blamed on the rate); below 1e-4 or above 1e-1 bad, where the diagnosis flags it
///   (`Thresholds`: one band for the colours and the readings).
public enum HealthRules {
  public static func spread(_ std: Double) -> ThemeRole {
    if !std.isFinite || std < 1e-3 { return .bad }
    return std < 1e-2 ? .warning : .good
  }

  public static func inactive(_ fraction: Double) -> ThemeRole {
    fraction > 0.5 ? .bad : (fraction > 0.2 ? .warning : .good)
  }

  public static func gradient(_ norm: Double) -> ThemeRole {
    if !norm.isFinite || norm < 1e-6 || norm > 100 { return .bad }
    return norm < 1e-4 || norm > 10 ? .warning : .good
  }

  public static func update(_ ratio: Double) -> ThemeRole {
    if !ratio.isFinite || ratio < Thresholds.updateRatioLow || ratio > Thresholds.updateRatioHigh {
      return .bad
    }
    return ratio > Thresholds.updateRatioHot ? .warning : .good
  }
}

extension Panels {
  /// One row per layer: activation mean and std, dead or saturated fraction, gradient norm and
  /// update/weight ratio, each coloured by `HealthRules`.
  func health(in rect: Rect, into buffer: inout Buffer) {
    guard
      let (inner, layers) = frame(
        "Layer health", note: "upd/w 1e-4…1e-2 healthy",
        content: state.layers.isEmpty ? nil : state.layers,
        waiting: statisticsPlaceholder, in: rect, into: &buffer)
    else { return }
    let activation = state.header?.network.activation
    let inactiveLabel = activation?.canSaturate == true ? "sat" : "dead"
    let titles = ["layer", "mean", "std", inactiveLabel, "‖g‖", "upd/w"]
    let rows = layers.map { layer -> [(String, ThemeRole)] in
      let hidden = !layer.name.hasPrefix("output")
      let inactive = activation?.canSaturate == true ? layer.saturatedFraction : layer.deadFraction
      return [
        (layer.name, .foreground),
        (NumberFormat.compact(layer.mean), .foreground),
        (NumberFormat.compact(layer.std), HealthRules.spread(layer.std)),
        (
          hidden ? "\(Int(saturating: (inactive * 100).rounded()))%" : "-",
          hidden ? HealthRules.inactive(inactive) : .muted
        ),
        (NumberFormat.compact(layer.gradientNorm), HealthRules.gradient(layer.gradientNorm)),
        (NumberFormat.compact(layer.updateRatio), HealthRules.update(layer.updateRatio)),
      ]
    }
    // Each column as wide as its widest entry, a space apart; when they do not all fit, the mean
    // goes first (the std says more), then the columns from the right — never a number cut
    // ("-1.5e-00.011" ran two columns together).
    let widths = titles.indices.map { c in
      ([titles[c]] + rows.map { $0[c].0 }).map(\.unicodeScalars.count).max() ?? 0
    }
    var shown = Array(titles.indices)
    func total() -> Int { shown.map { widths[$0] + 1 }.reduce(-1, +) }
    if total() > inner.width { shown.removeAll { $0 == 1 } }
    while total() > inner.width && shown.count > 1 { shown.removeLast() }
    // Layers that do not fit are counted in a row of their own, before the last layer.
    let fit = LayerFit.rows(count: rows.count, room: inner.height - 1)
    for (i, entry) in fit.enumerated() {
      if case .more(let hidden) = entry {
        buffer.write(
          LayerFit.moreNote(hidden: hidden, key: KeyMap.label(.zoom(.health))), x: inner.x,
          y: inner.y + 1 + i,
          maxWidth: inner.width, foreground: context.color(.muted))
      }
    }
    var x = inner.x
    for c in shown {
      buffer.write(titles[c], x: x, y: inner.y, foreground: context.color(.muted))
      for (i, entry) in fit.enumerated() {
        guard case .layer(let l) = entry else { continue }
        buffer.write(rows[l][c].0, x: x, y: inner.y + 1 + i, foreground: context.color(rows[l][c].1))
      }
      x += widths[c] + 1
    }
  }
}

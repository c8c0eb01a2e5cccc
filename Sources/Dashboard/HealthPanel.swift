import RunModel
import SystemIO
import Terminal

/// Rules of thumb for a layer's health, one colour per verdict.
///
/// - activation std: below 1e-3 the layer's outputs have collapsed (bad), below 1e-2 they are
///   fading (warning);
/// - dead (ReLU) or saturated (sigmoid/tanh) fraction: above 50 % bad, above 20 % warning;
/// - gradient norm: vanishing below 1e-6 (warning below 1e-4), exploding above 100 (warning above 10);
/// - update/weight ratio: about 1e-3 is healthy; 1e-4…1e-2 fine; below 1e-5 or above 1e-1 bad.
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
    if !ratio.isFinite || ratio < 1e-5 || ratio > 1e-1 { return .bad }
    return ratio < 1e-4 || ratio > 1e-2 ? .warning : .good
  }
}

extension Panels {
  /// One row per layer: activation mean and std, dead or saturated fraction, gradient norm and
  /// update/weight ratio, each coloured by `HealthRules`.
  func health(in rect: Rect, into buffer: inout Buffer) {
    guard
      let (inner, layers) = frame(
        "Layer health", note: "upd/w ≈ 1e-3 is healthy", content: state.layers.isEmpty ? nil : state.layers,
        waiting: "waiting for statistics…", in: rect, into: &buffer)
    else { return }
    let activation = state.header?.network.activation
    let inactiveLabel = activation?.canSaturate == true ? "sat" : "dead"
    let columns = [0, 8, 15, 22, 27, 35]
    let titles = ["layer", "mean", "std", inactiveLabel, "‖g‖", "upd/w"]
    for (x, title) in zip(columns, titles) {
      buffer.write(
        title, x: inner.x + x, y: inner.y, maxWidth: inner.maxX - inner.x - x,
        foreground: context.color(.muted))
    }
    for (i, layer) in layers.enumerated() {
      let y = inner.y + 1 + i
      guard y < inner.maxY else { break }
      let hidden = !layer.name.hasPrefix("output")
      let inactive = activation?.canSaturate == true ? layer.saturatedFraction : layer.deadFraction
      let cells: [(String, ThemeRole)] = [
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
      for (x, cell) in zip(columns, cells) where inner.x + x < inner.maxX {
        buffer.write(
          cell.0, x: inner.x + x, y: y, maxWidth: min(7, inner.maxX - inner.x - x),
          foreground: context.color(cell.1))
      }
    }
  }
}

import Terminal

/// What a key does in the viewer.
public enum ViewerAction: Sendable, Equatable {
  case quit, back, nextRun, previousRun, toggleRun, solo, showAll, nextTag, previousTag, standardCharts
  case smoother, rougher, logScale, xAxis, nextChart, histograms
  case cursorBack, cursorForward, cursorOff, fork
}

/// The viewer's key table: the one place that says what each key does, and the footer's text.
public enum ViewerKeys {
  public struct Binding: Sendable {
    public let keys: [Key]
    public let action: ViewerAction
    public let hint: String
  }

  public static let bindings: [Binding] = [
    Binding(keys: [.character("q")], action: .quit, hint: "quit"),
    // Esc leaves what covers the charts first (the layers, a picked tag): it had quit at once
    // from the histograms, where it reads as "back".
    Binding(keys: [.escape], action: .back, hint: "back"),
    Binding(keys: [.left], action: .cursorBack, hint: "cursor"),
    Binding(keys: [.right], action: .cursorForward, hint: ""),
    Binding(keys: [.end], action: .cursorOff, hint: "latest"),
    Binding(keys: [.character("f")], action: .fork, hint: "fork"),
    Binding(keys: [.down, .character("j")], action: .nextRun, hint: "run"),
    Binding(keys: [.up, .character("k")], action: .previousRun, hint: ""),
    Binding(keys: [.character(" ")], action: .toggleRun, hint: "show/hide"),
    Binding(keys: [.character("o")], action: .solo, hint: "solo"),
    Binding(keys: [.character("a")], action: .showAll, hint: "all"),
    Binding(keys: [.character("t")], action: .nextTag, hint: "tag"),
    Binding(keys: [.character("T")], action: .previousTag, hint: ""),
    Binding(keys: [.character("c")], action: .standardCharts, hint: "charts"),
    Binding(keys: [.character("s")], action: .smoother, hint: "smooth"),
    Binding(keys: [.character("S")], action: .rougher, hint: ""),
    Binding(keys: [.character("g")], action: .logScale, hint: "log"),
    Binding(keys: [.tab], action: .nextChart, hint: "chart"),
    Binding(keys: [.character("x")], action: .xAxis, hint: "step/time"),
    Binding(keys: [.character("h")], action: .histograms, hint: "layers"),
  ]

  private static let table: [Key: ViewerAction] = {
    var t: [Key: ViewerAction] = [:]
    for binding in bindings { for key in binding.keys { t[key] = binding.action } }
    return t
  }()

  public static func action(for key: Key) -> ViewerAction? { table[key] }

  /// `q quit · ↓↑ run · space show/hide · …`, from the table: a binding without a hint is the
  /// partner of the one before it (up after down), shown with it.
  public static var footer: [String] {
    var entries: [(keys: String, hint: String)] = []
    for binding in bindings {
      if binding.hint.isEmpty, !entries.isEmpty {
        entries[entries.count - 1].keys += "/" + binding.keys[0].label
      } else {
        entries.append((binding.keys[0].label, binding.hint))
      }
    }
    return entries.map { "\($0.keys) \($0.hint)" }
  }
}

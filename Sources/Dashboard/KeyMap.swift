import RunModel
import Terminal

/// Something a key does. Keys map to actions through one table, which also writes the help.
public enum DashboardAction: Sendable, Equatable, Hashable {
  case quit, help, lesson, togglePause, singleStep
  case lower(Knob), raise(Knob)
  case selectNextKnob, selectPreviousKnob, turnSelectedUp, turnSelectedDown
  case cycleTheme, toggleLogScale, focusNextChart, toggleSmoothing
  case cycleZoom, zoom(Panel), unzoom
  case closeOverlay, saveCheckpoint
  case slowDown, speedUp
  case findLearningRate, applySuggestedRate
  case replayTogglePlay, replayFaster, replaySlower, replayBack, replayForward, replayStart, replayEnd
  /// A replay's "what if": train on from the last checkpoint at or before this point.
  case forkHere
  /// A watched run: ask it to stop (`q` only leaves the watch; the run goes on).
  case stopRun
}

extension DashboardAction {
  /// Keys that change the run itself, which a replay or a watched run cannot do.
  var steersTraining: Bool {
    switch self {
    case .togglePause, .singleStep, .lower, .raise, .selectNextKnob, .selectPreviousKnob, .turnSelectedUp,
      .turnSelectedDown, .saveCheckpoint, .slowDown, .speedUp, .findLearningRate, .applySuggestedRate,
      .stopRun:
      return true
    default: return false
    }
  }

  /// Keys only nntop's own trainer can answer: a command log carries no pace and no finder
  /// (`CommandLog.line` has no words for them), and the finder's suggestion comes from its sweep.
  var needsOwnTrainer: Bool {
    switch self {
    case .slowDown, .speedUp, .findLearningRate, .applySuggestedRate: return true
    default: return false
    }
  }

  /// A replay's transport keys.
  var isPlayback: Bool {
    switch self {
    case .replayTogglePlay, .replayFaster, .replaySlower, .replayBack, .replayForward, .replayStart,
      .replayEnd, .forkHere:
      return true
    default: return false
    }
  }
}

/// The dashboard's panels, for zooming one to the whole screen.
public enum Panel: String, CaseIterable, Sendable {
  case loss, accuracy, activations, gradients, health, confusion, gallery, decisionRegions, trajectory,
    learningRateFinder, fit, uncertainty,
    hyperparameters

  /// The line charts whose y axis `g` can make logarithmic (the gradients and the finder are
  /// always logarithmic), in the order `G` moves the focus.
  public static let logScalable: [Panel] = [.loss, .accuracy]
}

/// One row of the key table: the keys, what they do, and the help text.
public struct KeyBinding: Sendable {
  public let keys: [Key]
  public let action: DashboardAction
  public let help: String
}

/// The key table: the one place that says what each key does.
public enum KeyMap {
  public static let bindings: [KeyBinding] =
    [
      KeyBinding(keys: [.character("q")], action: .quit, help: "quit; the run ends cleanly"),
      KeyBinding(keys: [.character("?"), .character("h"), .function(1)], action: .help, help: "this help"),
      KeyBinding(keys: [.character("i")], action: .lesson, help: "the lesson: watch for, fix"),
      KeyBinding(keys: [.character(" ")], action: .togglePause, help: "pause / resume"),
      KeyBinding(keys: [.character("n")], action: .singleStep, help: "one step while paused"),
      KeyBinding(keys: [.character("c")], action: .saveCheckpoint, help: "save a checkpoint now"),
      KeyBinding(keys: [.character("<"), .character(",")], action: .slowDown, help: "slower (steps/s)"),
      KeyBinding(keys: [.character(">"), .character(".")], action: .speedUp, help: "faster, to full speed"),
      KeyBinding(keys: [.character("f")], action: .findLearningRate, help: "learning-rate finder"),
      KeyBinding(keys: [.character("A")], action: .applySuggestedRate, help: "apply the finder's rate"),
    ]
    // Each knob's two keys come from the knob table.
    + Knob.allCases.flatMap { knob in
      [false, true].map { up in
        KeyBinding(
          keys: [.character(knob.key(up: up))], action: up ? .raise(knob) : .lower(knob),
          help: knob.help(up: up))
      }
    }
    + [
      KeyBinding(keys: [.tab, .down], action: .selectNextKnob, help: "select the next knob"),
      KeyBinding(keys: [.backTab, .up], action: .selectPreviousKnob, help: "select the previous knob"),
      KeyBinding(
        keys: [.character("+"), .character("="), .right], action: .turnSelectedUp,
        help: "turn the knob up"),
      KeyBinding(
        keys: [.character("-"), .character("_"), .left], action: .turnSelectedDown,
        help: "turn the knob down"),
      KeyBinding(keys: [.character("t")], action: .cycleTheme, help: "next colour theme"),
      // The chart marked `G ▸` in its title, or the zoomed one (ViewOptions.logTarget).
      KeyBinding(keys: [.character("g")], action: .toggleLogScale, help: "log/linear y of ▸ chart"),
      KeyBinding(keys: [.character("G")], action: .focusNextChart, help: "▸ to the next chart"),
      KeyBinding(
        keys: [.character("s")], action: .toggleSmoothing, help: "smoothing: next weight"),
      KeyBinding(keys: [.character("z")], action: .cycleZoom, help: "zoom: cycle the panels"),
      KeyBinding(keys: [.character("1")], action: .zoom(.loss), help: "zoom the loss chart"),
      KeyBinding(keys: [.character("2")], action: .zoom(.accuracy), help: "zoom the accuracy chart"),
      KeyBinding(keys: [.character("3")], action: .zoom(.activations), help: "zoom the activations"),
      KeyBinding(keys: [.character("4")], action: .zoom(.gradients), help: "zoom the gradients"),
      KeyBinding(keys: [.character("5")], action: .zoom(.health), help: "layer health table"),
      KeyBinding(keys: [.character("6")], action: .zoom(.confusion), help: "confusion matrix"),
      KeyBinding(keys: [.character("7")], action: .zoom(.gallery), help: "misclassified digits"),
      KeyBinding(keys: [.character("8")], action: .zoom(.decisionRegions), help: "decision regions (2-D)"),
      KeyBinding(keys: [.character("9")], action: .zoom(.trajectory), help: "parameter path (PCA)"),
      KeyBinding(keys: [.character("u")], action: .zoom(.uncertainty), help: "MC dropout uncertainty"),
      KeyBinding(keys: [.character("0"), .escape], action: .unzoom, help: "back to all panels"),
    ]

  /// Replays and followed logs: the playback keys take space, +/-, arrows, Home and End; the knob
  /// keys stay bound so that they can say the replay is read-only.
  public static let replayBindings: [KeyBinding] =
    [
      KeyBinding(keys: [.character("q")], action: .quit, help: "quit"),
      KeyBinding(keys: [.character("?"), .character("h"), .function(1)], action: .help, help: "this help"),
      KeyBinding(keys: [.character(" ")], action: .replayTogglePlay, help: "pause / play"),
      KeyBinding(
        keys: [.character("+"), .character("=")], action: .replayFaster,
        help: "faster (up to max)"),
      KeyBinding(
        keys: [.character("-"), .character("_")], action: .replaySlower, help: "slower (down to 0.5×)"),
      KeyBinding(keys: [.left], action: .replayBack, help: "back one epoch"),
      KeyBinding(keys: [.right], action: .replayForward, help: "forward one epoch"),
      KeyBinding(keys: [.home], action: .replayStart, help: "to the start"),
      KeyBinding(keys: [.end], action: .replayEnd, help: "to the end"),
    ]
    + bindings.filter { binding in
      switch binding.action {
      case .quit, .help, .togglePause, .turnSelectedUp, .turnSelectedDown: return false
      default: return true
      }
    }
    // Last, so that it takes `f` from the finder, which a replay cannot run.
    + [
      KeyBinding(
        keys: [.character("f")], action: .forkHere, help: "train on from here")
    ]

  /// `nntop watch`: the live keys that a command log can carry (knobs, pause, one step,
  /// checkpoint), `X` to stop the run, and `q` that leaves the watch without stopping it. They
  /// stay bound when the run cannot be reached, to say why.
  public static let watchBindings: [KeyBinding] =
    [
      KeyBinding(keys: [.character("q")], action: .quit, help: "quit; the run goes on"),
      KeyBinding(keys: [.character("X")], action: .stopRun, help: "stop the run"),
    ]
    + bindings.filter { $0.action != .quit && !$0.action.needsOwnTrainer }

  /// The keys the help lists for `feed`: only keys that do something there. A replay's knob keys
  /// stay bound (to say the replay is read-only) but are not offered; a watched run offers its
  /// steering keys only when they reach it (`steers`: a command log beside the log).
  public static func helpBindings(for feed: ViewOptions.Feed, steers: Bool = false) -> [KeyBinding] {
    switch feed {
    case .live: return bindings
    case .replay: return replayBindings.filter { !$0.action.steersTraining }
    case .watch: return watchBindings.filter { steers || !$0.action.steersTraining }
    }
  }

  private static func makeTable(_ list: [KeyBinding]) -> [Key: DashboardAction] {
    var t: [Key: DashboardAction] = [:]
    for binding in list { for key in binding.keys { t[key] = binding.action } }
    return t
  }

  private static let table = makeTable(bindings)
  private static let replayTable = makeTable(replayBindings)
  private static let watchTable = makeTable(watchBindings)

  public static func action(for key: Key, feed: ViewOptions.Feed = .live) -> DashboardAction? {
    switch feed {
    case .live: return table[key]
    case .replay: return replayTable[key]
    case .watch: return watchTable[key]
    }
  }

  /// "l" or "?/h/F1": the keys of a binding as the help shows them.
  public static func label(_ binding: KeyBinding) -> String {
    binding.keys.map(\.label).joined(separator: "/")
  }

  /// The first key bound to `action` (for hints such as "[L]").
  public static func key(for action: DashboardAction) -> String? {
    bindings.first { $0.action == action }.map { $0.keys[0].label }
  }

  /// The first key bound to `action`, as hints show it ("space", "q").
  public static func label(_ action: DashboardAction) -> String { key(for: action) ?? "?" }

  /// The key that turns `knob` up or down, as hints show it.
  public static func key(for knob: Knob, up: Bool) -> String {
    key(for: up ? .raise(knob) : .lower(knob)) ?? String(knob.key(up: up))
  }
}

import RunModel
import Terminal

/// How the keys of `nntop watch` reach the run it follows.
///
/// nntop's own trainer takes keys only in the dashboard it runs in; a program that follows a
/// command log beside its run log (the PyTorch client) creates that file when it starts, so its
/// presence says that commands appended there will be read.
public enum RemoteControl: Sendable, Equatable {
  /// Keys append commands to the run's command log; the run answers in its log.
  case commandLog
  /// Keys cannot reach the run; they say this instead.
  case unavailable(String)

  public static let readOnlyWatch = "watching: read-only (the run is steered where it runs)"
}

/// How the dashboard is shown, as opposed to what it shows: theme, toggles, zoom, overlays.
public struct ViewOptions: Sendable {
  public var themes: [Theme]
  public var themeIndex = 0
  public var glyphs: Glyphs
  /// The charts drawn on a log axis (`g` toggles the focused one).
  public var logScale: Set<Panel> = []
  /// The chart `g` acts on when no chart is zoomed; `G` moves it along `Panel.logScalable`.
  public var chartFocus = Panel.loss
  /// Index into `Smoothing.weights` (0: raw); `s` steps through them.
  public var smoothingIndex = 0
  public var zoom: Panel?
  public var helpVisible = false
  /// The lesson's card: what to watch for and the fix (`i`; shown by itself when a lesson starts).
  public var lessonVisible = false
  public var selectedKnob = Knob.learningRate
  /// Where the events come from: a live run, a recorded log, or a log another nntop is writing.
  public enum Feed: Sendable { case live, replay, watch }
  public var feed = Feed.live
  /// Replays and watched runs have their own key tables (`KeyMap.action(for:feed:)`).
  public var readOnly: Bool { feed != .live }
  /// How a watched run's keys reach it; the host sets it from what lies beside the log.
  public var remote = RemoteControl.unavailable(RemoteControl.readOnlyWatch)
  /// Whether keys steer the run: a live run, or a watched one that follows a command log.
  public var canSteer: Bool { feed == .live || (feed == .watch && remote == .commandLog) }
  /// Replaces the run state in the header badge (replay position, "WATCHING").
  public var badge: String?
  /// Steps per second the run is held to (nil: full speed); `<` and `>` move it along `paceLadder`.
  public var pace: Double?

  /// Paces a person can watch, slowest first; above the top is full speed.
  public static let paceLadder: [Double] = [1, 2, 3, 5, 10, 20, 50, 100, 200]

  /// The weight of TensorBoard's debiased moving average on the training curves (0: raw).
  public var smoothing: Double { Smoothing.weights[smoothingIndex % Smoothing.weights.count] }
  /// Below this the dashboard shows "terminal too small" instead of panels.
  public static let minimumSize = (width: 80, height: 24)

  public init(themes: [Theme], glyphs: Glyphs) {
    self.themes = themes.isEmpty ? [.builtIn] : themes
    self.glyphs = glyphs
  }

  /// The chart `g` turns logarithmic: the zoomed chart, or else the focused one.
  public var logTarget: Panel {
    if let zoom, Panel.logScalable.contains(zoom) { return zoom }
    return chartFocus
  }

  public var theme: Theme { themes[themeIndex % themes.count] }
  public var context: RenderContext { RenderContext(theme: theme, glyphs: glyphs) }
}

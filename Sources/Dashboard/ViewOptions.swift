import RunModel
import Terminal

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
  public var selectedKnob = Knob.learningRate
  /// Where the events come from: a live run, a recorded log, or a log another nntop is writing.
  public enum Feed: Sendable { case live, replay, watch }
  public var feed = Feed.live
  /// Replays and watched runs cannot steer: knob keys say so instead of acting.
  public var readOnly: Bool { feed != .live }
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

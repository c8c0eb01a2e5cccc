import ArgumentParser
import CursesScreen
import Dashboard
import RunModel
import SystemIO
import Terminal
import Training

/// Options shared by `train`, `replay` and `watch` for drawing the dashboard.
struct DisplayOptions: ParsableArguments {
  @Option(help: "Dashboard colour theme: a name from `nntop themes` or a path to a .theme file.")
  var theme: String?

  @Flag(help: "No colours in the dashboard (also when NO_COLOR is set).")
  var noColor = false

  @Flag(help: "Draw the dashboard with ASCII only (automatic when the locale is not UTF-8).")
  var ascii = false

  @Flag(help: "Print the per-epoch lines instead of the dashboard (also when stdout is not a terminal).")
  var noTui = false

  /// No colour: asked for, or NO_COLOR set.
  var colorless: Bool { noColor || TerminalChoice.noColorRequested }

  /// Whether to draw the dashboard: not declined, and a terminal that can show it.
  var wantsDashboard: Bool { !noTui && TerminalChoice.dashboardPossible() }
}

/// The one place a dashboard is hosted: the themes, glyphs and colours the options ask for, the
/// screen, the signals and the loop. A live run, a replay and a watched log differ only in where
/// events come from and whether keys may steer, so those are all a command passes in.
struct DashboardHost {
  let display: DisplayOptions
  let themes: [Theme]
  /// Theme files that were skipped, shown as warnings once the dashboard is up.
  let themeWarnings: [String]

  init(display: DisplayOptions, themes: (themes: [Theme], warnings: [String])) {
    self.display = display
    self.themes = themes.themes
    themeWarnings = themes.warnings
  }

  init(display: DisplayOptions) throws {
    self.init(display: display, themes: try TerminalChoice.themes(selected: display.theme))
  }

  /// The view the options ask for. Without colour panels must know it (they fall back to
  /// characters), so the theme is plain.
  func view(feed: ViewOptions.Feed, badge: String? = nil) -> ViewOptions {
    var view = ViewOptions(
      themes: display.colorless ? [.plain] : themes, glyphs: TerminalChoice.glyphs(ascii: display.ascii))
    view.feed = feed
    view.badge = badge
    return view
  }

  /// Shows the theme warnings and `warnings` in the controller's message line.
  func greet(_ controller: DashboardController, warnings: [String] = []) {
    for warning in themeWarnings + warnings { controller.apply(.warning(warning), now: Stopwatch.now()) }
  }

  /// Runs the dashboard on the terminal until `q` or a signal. `pull` brings in events from a log
  /// or a player; `send` takes the commands keys make; `opening` runs once the screen is up (a
  /// live run starts there); `closing` runs after the loop while the screen is still up (a live
  /// run ends there, so its last events still arrive).
  /// Returns the exit status: 0, or 128 + the signal that closed it.
  func run(
    controller: DashboardController, inbox: EventInbox = EventInbox(),
    send: ([(Command, ChangeSource)]) -> Void = { _ in }, pull: ((Double) -> Bool)? = nil,
    opening: () -> Void = {}, closing: (DashboardLoop.Exit) -> Void = { _ in }
  ) -> Int32 {
    let signals = TerminationSignals()
    defer { signals.cancel() }
    let screen = CursesScreen()
    screen.start(colors: display.colorless ? .none : .automatic)
    opening()
    let exit = DashboardLoop.run(
      screen: screen, controller: controller, inbox: inbox, send: send,
      shouldStop: { signals.raised }, clock: { Stopwatch.now() }, pull: pull)
    closing(exit)
    screen.stop()
    return exit == .signal ? signals.exitStatus : 0
  }
}

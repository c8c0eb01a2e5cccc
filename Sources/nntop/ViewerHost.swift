import CursesScreen
import SystemIO
import Terminal
import Training
import Viewer

/// The viewer on the terminal: keys change the view at once; the runs are read again every
/// quarter of a second (appended records, new event files), and the screen redrawn when
/// something changed (at least once a second, for a resize).
struct ViewerHost {
  let display: DisplayOptions
  let context: RenderContext

  init(display: DisplayOptions) throws {
    self.display = display
    let themes = try TerminalChoice.themes(selected: display.theme)
    context = RenderContext(
      theme: display.colorless ? .plain : (themes.themes.first ?? .builtIn),
      glyphs: TerminalChoice.glyphs(ascii: display.ascii))
  }

  /// Returns 0, or 128 + the signal that closed it, and the fork `f` asked for.
  func run(_ runs: inout LoadedRuns) throws -> (status: Int32, fork: ForkRequest?) {
    let signals = TerminationSignals()
    defer { signals.cancel() }
    let screen = CursesScreen()
    screen.start(colors: display.colorless ? .none : .automatic)
    defer { screen.stop() }
    var state = ViewerState()
    state.following = true
    state.update(runs.all)
    state.warnings = runs.warnings
    var lastRead = Stopwatch.now()
    var lastFrame = -Double.infinity
    var dirty = true
    while !state.quitRequested && !signals.raised {
      if let key = screen.readKey(timeout: 30) {
        state.handle(key)
        dirty = true
      }
      let now = Stopwatch.now()
      if now - lastRead >= 0.25 {
        lastRead = now
        if runs.refresh(quietly: true) {
          state.update(runs.all)
          dirty = true
        }
        if state.warnings.count != runs.warnings.count {
          state.warnings = runs.warnings
          dirty = true
        }
      }
      if dirty || now - lastFrame >= 1 {
        let size = screen.size
        screen.present(
          ViewerRenderer(state: state, context: context).render(width: size.width, height: size.height))
        lastFrame = now
        dirty = false
      }
    }
    return signals.raised ? (signals.exitStatus, nil) : (0, state.forkRequest)
  }
}

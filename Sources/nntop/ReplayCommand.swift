import ArgumentParser
import CursesScreen
import Dashboard
import Dispatch
import Foundation
import RunLog
import RunModel
import Terminal
import Training

#if canImport(Glibc)
  import Glibc
#endif

/// Options shared by `replay` and `watch` for drawing the dashboard.
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
}

/// `nntop replay FILE`: plays a run log back in the dashboard.
struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "Play a run log back in the dashboard (or print its epoch lines).",
    discussion: """
      Keys: space pause/play, +/- speed (0.5× to as fast as possible), ←/→ back/forward an epoch, \
      Home/End. Markers and the bias/variance reading appear as they did live. With --follow, \
      attach to a log that another nntop is still writing.
      """)

  @Argument(help: "The run log (a .jsonl file under runs/).")
  var file: String

  @Flag(help: "Follow a log that is still being written, like `nntop watch`.")
  var follow = false

  @Option(help: "Playback speed: 0.5 to 64, or 0 for as fast as possible.")
  var speed: Double = 4

  @OptionGroup var display: DisplayOptions

  func validate() throws {
    guard speed == 0 || (speed >= 0.5 && speed <= 64) else {
      throw ValidationError("--speed must be 0 (as fast as possible) or from 0.5 to 64, got \(speed)")
    }
  }

  func run() throws {
    if follow {
      try Watch.run(file: file, display: display)
      return
    }
    let contents = try RunLogSetup.read(file)
    let warnings = contents.warnings(path: file)
    if display.noTui || !TerminalChoice.dashboardPossible() {
      for warning in warnings { printWarning(warning) }
      let reporter = ConsoleReporter()
      for event in contents.events { reporter.handle(event) }
      return
    }
    let (themes, themeWarnings) = try TerminalChoice.themes(selected: display.theme)
    let player = ReplayPlayer(
      events: contents.records,
      speed: speed == 0 ? .infinity : speed)
    var view = ViewOptions(
      themes: display.colorless ? [.plain] : themes, glyphs: TerminalChoice.glyphs(ascii: display.ascii))
    view.readOnly = true
    let controller = DashboardController(view: view, replay: player)
    for warning in themeWarnings + warnings { controller.apply(.warning(warning), now: 0) }
    let status = Watch.loop(controller: controller, display: display) { now in controller.tick(now: now) }
    if status != 0 { throw ExitCode(status) }
  }
}

/// `nntop watch FILE`: `nntop replay --follow FILE`.
struct WatchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "watch",
    abstract: "Watch a run that another nntop is writing (e.g. from a second SSH session).")

  @Argument(help: "The run log being written.")
  var file: String

  @OptionGroup var display: DisplayOptions

  func run() throws { try Watch.run(file: file, display: display) }
}

enum Watch {
  /// Follows a growing log: the dashboard (read-only), or epoch lines as they are written.
  static func run(file: String, display: DisplayOptions) throws {
    let follower: RunLogFollower
    do {
      follower = try RunLogFollower(path: file)
    } catch {
      throw fail(error.description, code: error.exitCode)
    }
    if display.noTui || !TerminalChoice.dashboardPossible() {
      let reporter = ConsoleReporter()
      var reported = 0
      while true {
        for record in follower.poll() { reporter.handle(record.event) }
        for message in follower.skipped.dropFirst(reported) { printWarning("\(file): \(message) (skipped)") }
        reported = follower.skipped.count
        if follower.finished { return }
        usleep(100_000)
      }
    }
    let (themes, warnings) = try TerminalChoice.themes(selected: display.theme)
    var view = ViewOptions(
      themes: display.colorless ? [.plain] : themes, glyphs: TerminalChoice.glyphs(ascii: display.ascii))
    view.readOnly = true
    view.badge = "WATCHING"
    let controller = DashboardController(view: view)
    for warning in warnings { controller.apply(.warning(warning), now: 0) }
    var lastPoll = 0.0
    let status = loop(controller: controller, display: display) { now in
      // Poll the file ten times a second: at most 0.1 s behind the writer.
      guard now - lastPoll >= 0.1 else { return false }
      lastPoll = now
      let records = follower.poll()
      for record in records { controller.apply(record.event, now: now) }
      if follower.finished { controller.view.badge = "WATCHED" }
      return !records.isEmpty
    }
    if status != 0 { throw ExitCode(status) }
  }

  /// Runs the dashboard loop on a screen until `q` or a signal; returns the exit status.
  static func loop(controller: DashboardController, display: DisplayOptions, pull: @escaping (Double) -> Bool)
    -> Int32
  {
    let flag = SignalFlag()
    let sources = flag.install()
    defer { sources.forEach { $0.cancel() } }
    let screen = CursesScreen()
    screen.start(colors: display.colorless ? .none : .automatic)
    let exit = DashboardLoop.run(
      screen: screen, controller: controller, inbox: EventInbox(), send: { _ in },
      shouldStop: { flag.raised }, clock: { Stopwatch.now() }, pull: pull)
    screen.stop()
    return exit == .signal ? flag.exitStatus : 0
  }
}

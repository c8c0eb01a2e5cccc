import CursesScreen
import Dashboard
import Dispatch
import Foundation
import Synchronization
import Terminal
import Training

#if canImport(Glibc)
  import Glibc
#endif

/// The signal that asked the dashboard to close, 0 while none has.
final class SignalFlag: Sendable {
  let number = Atomic<Int32>(0)
}

/// Runs a training session under the live dashboard on the main thread.
struct DashboardRun {
  let themes: [Theme]
  let warnings: [String]
  let glyphs: Glyphs
  let colors: CursesScreen.ColorMode

  /// Returns the process exit code.
  func run(session: TrainingSession, configuration: TrainingConfiguration, start: (EventInbox) -> Void)
    -> Int32
  {
    let inbox = EventInbox()
    let flag = SignalFlag()
    let sources = [SIGINT, SIGTERM, SIGHUP].map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { @Sendable in flag.number.store(number, ordering: .relaxed) }
      source.resume()
      return source
    }
    defer { sources.forEach { $0.cancel() } }

    let screen = CursesScreen()
    screen.start(colors: colors)
    var view = ViewOptions(themes: themes, glyphs: glyphs)
    view.readOnly = false
    let controller = DashboardController(view: view)
    for warning in warnings { controller.apply(.warning(warning), now: Stopwatch.now()) }
    start(inbox)
    let mailbox = session.mailbox
    let exit = DashboardLoop.run(
      screen: screen, controller: controller, inbox: inbox,
      send: { commands in for (command, source) in commands { mailbox.post(command, source: source) } },
      shouldStop: { flag.number.load(ordering: .relaxed) != 0 }, clock: { Stopwatch.now() })
    // End the run cleanly before giving the terminal back.
    session.mailbox.post(.stop, source: exit == .quit ? "key q" : "signal")
    let summary = session.waitUntilFinished()
    screen.stop()
    for event in inbox.drain() { controller.apply(event, now: Stopwatch.now()) }
    let state = controller.state
    if let header = state.header { printLine(ConsoleFormat.headerLine(header)) }
    if let last = state.epochs.last { printLine(ConsoleFormat.epochLine(last, of: configuration.epochs)) }
    printLine(ConsoleFormat.finalLine(summary))
    if let divergence = state.divergence {
      printWarning("diverged at step \(divergence.step): \(divergence.reason)")
    }
    if exit == .signal { return 128 + flag.number.load(ordering: .relaxed) }
    return 0
  }
}

import CursesScreen
import Dashboard
import Dispatch
import Foundation
import RunModel
import Synchronization
import Terminal
import Training

#if canImport(Glibc)
  import Glibc
#endif

/// The signal that asked the dashboard to close, 0 while none has.
///
/// SIGINT, SIGTERM and SIGHUP are ignored at the process level and delivered through Dispatch
/// signal sources, which only set this flag; the UI loop polls it and closes cleanly.
final class SignalFlag: Sendable {
  let number = Atomic<Int32>(0)

  var raised: Bool { number.load(ordering: .relaxed) != 0 }
  var exitStatus: Int32 { 128 + number.load(ordering: .relaxed) }

  /// Starts listening; cancel the returned sources when done.
  func install() -> [DispatchSourceSignal] {
    [SIGINT, SIGTERM, SIGHUP].map { signalNumber in
      signal(signalNumber, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
      source.setEventHandler { @Sendable [self] in number.store(signalNumber, ordering: .relaxed) }
      source.resume()
      return source
    }
  }
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
    let sources = flag.install()
    defer { sources.forEach { $0.cancel() } }

    let screen = CursesScreen()
    screen.start(colors: colors)
    // Without colour, panels must know it (they fall back to characters), so the theme is plain.
    var view = ViewOptions(themes: colors == .none ? [.plain] : themes, glyphs: glyphs)
    view.readOnly = false
    let controller = DashboardController(view: view)
    for warning in warnings { controller.apply(.warning(warning), now: Stopwatch.now()) }
    start(inbox)
    let mailbox = session.mailbox
    let exit = DashboardLoop.run(
      screen: screen, controller: controller, inbox: inbox,
      send: { commands in for (command, source) in commands { mailbox.post(command, source: source) } },
      shouldStop: { flag.raised }, clock: { Stopwatch.now() })
    // End the run cleanly before giving the terminal back.
    session.mailbox.post(.stop, source: exit == .quit ? .key("q") : .signal)
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
    if exit == .signal { return flag.exitStatus }
    return 0
  }
}

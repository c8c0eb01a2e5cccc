import Foundation
import TestSupport
import Testing

/// A fatal signal while the dashboard holds the terminal: the terminal is given back (modes,
/// main screen) before the process ends with the signal's status.
@Suite(.enabled(if: TmuxSession.available, "tmux is not installed"))
struct CrashRestoreTests {
  @Test func anAbortUnderTheDashboardRestoresTheTerminalFirst() throws {
    let session = try TmuxSession(DashboardEndToEndTests.run)
    session.waitFor("the dashboard") { $0.contains("RUNNING") }
    let pid = try #require(session.nntopProcess())
    kill(pid, SIGABRT)
    let screen = session.waitFor("the exit status and the terminal's modes") {
      $0.contains("exit=") && $0.contains("icanon")
    }
    #expect(screen.contains("exit=134"))
    #expect(terminalIsSane(screen), "\(screen)")
  }

  /// A divergence pauses the dashboard; quitting it there ends a diverged run, so the exit status
  /// is 1, as headless.
  @Test func quittingAtADivergenceExitsAsHeadlessDoes() throws {
    let session = try TmuxSession(["train", "sine", "--lr", "10", "--epochs", "50", "--no-log"])
    session.waitFor("the divergence") { $0.contains("DIVERGED") }
    try session.send("q")
    let screen = session.waitFor("the exit status and the terminal's modes") {
      $0.contains("exit=") && $0.contains("icanon")
    }
    #expect(screen.contains("exit=1"), "\(screen)")
  }
}

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
    let screen = session.waitFor("the exit status") { $0.contains("exit=") }
    #expect(screen.contains("exit=134"))
    #expect(terminalIsSane(screen), "\(screen)")
  }
}

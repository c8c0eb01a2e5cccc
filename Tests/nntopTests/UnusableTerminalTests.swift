import Foundation
import TestSupport
import Testing

/// A terminal the dashboard cannot use (unknown `TERM`, absurd `COLUMNS`): noticed before the run
/// log is opened, said once, and the run prints lines instead; never ncurses' own error and exit 1
/// with an empty log.
@Suite(.enabled(if: TmuxSession.available, "tmux is not installed"))
struct UnusableTerminalTests {
  @Test(arguments: [
    ("TERM=nosuchterm", "TERM=nosuchterm is not a terminal this system's terminfo knows"),
    ("COLUMNS=99999999", "COLUMNS=99999999 is not a terminal size (1 to 10000)"),
  ])
  func theRunFallsBackToLinesWithANote(variable: String, note: String) throws {
    let folder = TemporaryFolder("nntop-term")
    let log = folder.file("run.jsonl")
    let command =
      "\(variable) '\(Run.executable.path)' train xor --epochs 1 --log '\(log)' 2>&1; echo \"exit=$?\"; sleep 60"
    let session = try TmuxSession(shellCommand: command, width: 100, height: 30)
    var screen = ""
    waitUntil("the run's end") {
      screen = session.screen(joined: true)
      return screen.contains("exit=")
    }
    #expect(screen.contains("exit=0"), "\(screen)")
    #expect(screen.contains("nntop: warning: \(note): printing lines instead of the dashboard"), "\(screen)")
    #expect(screen.contains("finished after 1 epoch"))
    #expect(try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").count > 3)
  }
}

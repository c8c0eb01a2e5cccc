import Foundation
import TestSupport
import Testing

/// `--pace`, `--start-paused` and `--script` on the command line: checked before training, with
/// the file and line named.
@Suite struct PacingOptionTests {
  @Test func aBadScriptLineIsRefusedNamingFileAndLine() throws {
    let folder = TemporaryFolder("nntop-script")
    let script = folder.write("bad.script", text: "# prepared lesson\n10 lr 0.1\n20 learning-rate 3\n")
    let run = try Run.nntop(["train", "xor", "--no-log", "--no-tui", "--script", script])
    #expect(run.status == 65)
    #expect(
      run.stderr.contains(
        "\(script): line 3: unknown command 'learning-rate' (lr, momentum, dropout, l2, train_size, pause,"))
    let missing = try Run.nntop(["train", "xor", "--no-log", "--no-tui", "--script", folder.file("none")])
    #expect(missing.status == 66)
  }

  @Test func aHeadlessRunThatWouldStayPausedIsRefused() throws {
    let startsPaused = try Run.nntop(["train", "xor", "--no-log", "--no-tui", "--start-paused"])
    #expect(startsPaused.status == 64)
    #expect(startsPaused.stderr.contains("without the dashboard a paused run never resumes"))
    let folder = TemporaryFolder("nntop-script")
    let resumes = folder.write("go.script", text: "0 resume\n5 stop\n")
    let scripted = try Run.nntop([
      "train", "xor", "--no-log", "--no-tui", "--start-paused", "--script", resumes,
    ])
    #expect(scripted.status == 0, "\(scripted.stderr)")
    #expect(scripted.stdout.contains("stopped after 0 epochs (5 steps"))
  }

  @Test(arguments: [["--pace", "0"], ["--pace=-3"], ["--pace", "nan"], ["--pace", "1e9"]])
  func aPaceOutsideItsRangeIsAUsageError(_ flags: [String]) throws {
    let run = try Run.nntop(["train", "xor", "--no-log", "--no-tui"] + flags)
    #expect(run.status == 64)
    #expect(run.stderr.contains("--pace must be in (0, 10000] steps per second"))
  }
}

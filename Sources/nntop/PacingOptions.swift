import ArgumentParser
import Foundation
import RunModel

/// How a lesson is paced and prepared: steps per second, starting paused, and a script of
/// commands at given steps (the same commands the keys send).
struct PacingOptions: ParsableArguments {
  @Option(
    help: """
      Train at most this many steps per second (the dashboard's default for a scenario is the \
      scenario's pace; headless runs go at full speed unless this is given). `<` and `>` change it live.
      """)
  var pace: Double?

  @Flag(help: "Start paused: the run begins when space is pressed (or a --script resumes it).")
  var startPaused = false

  @Option(
    help: """
      Apply commands at given steps, one a line: `STEP COMMAND [VALUE]`, e.g. `120 lr 0.01`, `300 pause`; \
      commands: lr, momentum, dropout, l2, train_size, pause, resume, step, stop, checkpoint.
      """)
  var script: String?

  func validate() throws {
    if let pace, !(pace > 0 && pace <= 10_000) {
      throw ValidationError("--pace must be in (0, 10000] steps per second, got \(pace)")
    }
  }

  /// The script file read and checked: a missing file exits 66, a bad line 65 (naming the line).
  func loadScript() throws -> CommandScript {
    guard let script else { return CommandScript([]) }
    guard let data = FileManager.default.contents(atPath: script) else {
      throw fail("\(script): no such file or not readable", code: 66)
    }
    guard data.count <= 1 << 20, let text = String(data: data, encoding: .utf8) else {
      throw fail("\(script): not a UTF-8 text file of at most 1 MiB", code: 65)
    }
    do {
      return try CommandScript(parsing: text)
    } catch {
      throw fail("\(script): \(error)", code: 65)
    }
  }

  /// Puts the pacing into `configuration`. Without the dashboard nobody can press space, so a
  /// run that would stay paused for good is refused before it starts.
  func apply(to configuration: inout TrainingConfiguration, dashboard: Bool) throws {
    configuration.script = try loadScript()
    configuration.startPaused = startPaused
    if let pace { configuration.pace = pace }
    guard !dashboard else { return }
    var paused = startPaused
    for entry in configuration.script.entries {
      if entry.command == .pause { paused = true }
      if entry.command == .resume { paused = false }
    }
    if paused {
      throw fail(
        "without the dashboard a paused run never resumes: end the --script with a `resume`"
          + (startPaused ? " (the run starts paused)" : ""), code: 64)
    }
  }
}

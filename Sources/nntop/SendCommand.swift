import ArgumentParser
import Foundation
import RunLog
import RunModel

/// `nntop send RUN KNOB VALUE` / `nntop send RUN pause|resume|step|stop|checkpoint`: tells a run
/// that follows a command log (a PyTorch run with the `nntop` Python package) what to do.
struct SendCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "send",
    abstract: "Send a command to a running PyTorch run (appends to RUN's command log).",
    discussion: """
      Examples: nntop send runs/x.jsonl lr 0.01; nntop send runs/x.jsonl pause. Knobs: \
      \(SendCommand.knobs.map { "\($0.rawValue) (\($0.range.lowerBound) … \($0.range.upperBound))" }.joined(separator: ", ")). \
      Commands: pause, resume, step (one step while paused), stop, checkpoint. The line goes to \
      RUN.commands (docs/run-log.md); the run logs each change, or why it refused it.
      """)

  @Argument(help: "The run log of the run (runs/NAME.jsonl).")
  var runLog: String

  @Argument(
    parsing: .captureForPassthrough,
    help: "A knob and its value, or pause, resume, step, stop, checkpoint.")
  var words: [String]

  /// The knobs a command log carries: all but the training-set size, which the training loop
  /// (not nntop) chooses.
  static let knobs = Knob.allCases.filter { $0 != .trainSize }

  func run() throws {
    let command: Command
    do {
      command = try SendCommand.command(words)
    } catch {
      throw fail(error.problem, code: 64)
    }
    guard FileManager.default.fileExists(atPath: runLog) else {
      throw fail("\(runLog): no such run log", code: 66)
    }
    // The PyTorch client makes its command log when it starts; without one nothing would read
    // the line (nntop's own trainer takes keys only where it runs), so nothing is written.
    let commandLog = CommandLog.path(forRunLog: runLog)
    if case .success(let contents) = RunLogSetup.load(runLog) {
      if contents.summary != nil {
        throw fail(
          "\(runLog): the run has ended (its log has a finished record); nothing reads commands now",
          code: 65)
      }
      // A loop that raised has ended its run, whether or not its process lives on (a notebook).
      if let message = contents.records.last?.event.raisedMessage {
        throw fail("\(runLog): the run was interrupted (\(message)); nothing reads commands now", code: 65)
      }
      if WriterProcess.hasExited(contents.context) == true {
        throw fail(
          "\(runLog): \(WriterProcess.exitedMessage(contents.context)); nothing reads commands now", code: 65)
      }
    }
    guard FileManager.default.fileExists(atPath: commandLog) else {
      throw fail(
        "\(commandLog): no command log, so no run reads commands for \(runLog) (the PyTorch client "
          + "makes it when it starts; nntop's own trainer takes keys where it runs)", code: 66)
    }
    do {
      try CommandLog.append(command, toRunLog: runLog, sent: Date().timeIntervalSince1970)
    } catch {
      throw fail(error.description, code: error.exitCode)
    }
    printLine("sent to \(CommandLog.path(forRunLog: runLog)): \(words.joined(separator: " "))")
  }

  /// The command the words name, with the script format's checks (knob names, ranges).
  static func command(_ words: [String]) throws(ScriptError) -> Command {
    let script = try CommandScript(parsing: "0 " + words.joined(separator: " "))
    guard let entry = script.entries.first, entry.command != .findLearningRate else {
      throw ScriptError(line: 1, problem: "lr_find is for nntop's own trainer; it cannot be sent")
    }
    if case .set(let knob, _) = entry.command, !knobs.contains(knob) {
      throw ScriptError(
        line: 1,
        problem: "\(knob.rawValue) is for nntop's own trainer; a PyTorch run trains on its loop's data")
    }
    return entry.command
  }
}

import Dashboard
import Foundation
import RunLog
import RunModel
import Terminal
import TestSupport
import Testing

@testable import nntop  // WatchSteering: the watch's key path, without a terminal

/// `nntop watch` of a run that follows a command log: keys pressed in the controller become lines
/// in the real command log (read back with `CommandLog.command`), and the run's answers in the
/// real run log (read with `RunLogFollower`) retire them on screen.
@Suite struct WatchSteeringTests {
  /// A run written as an outside writer writes it: a header (lr 0.05, momentum 0.9, dropout 0),
  /// its first progress, and the command log it creates when it starts.
  final class ExternalRun {
    let folder = TemporaryFolder("nntop-watch-keys")
    let log: String
    let writer: RunLogWriter
    let follower: RunLogFollower
    let controller: DashboardController
    let steering: WatchSteering

    init(announcesCommandLog: Bool = true, adam: Bool = false) throws {
      log = folder.path + "/torch.jsonl"
      writer = try RunLogWriter(
        path: log, context: RunContext(command: ["train.py"], created: "", hostname: "h", cores: 2),
        clock: { 1 }, onFailure: { _ in })
      var header = RunFixture.header()
      if adam {
        header.optimizer = .adam
        header.writer = "pytorch"  // the client, which maps momentum to β₁
      }
      writer.write(.started(header))
      writer.write(
        .progress(
          StepProgress(
            step: 100, epoch: 0.25, trainLoss: 0.9, trainAccuracy: 0.7, learningRate: 0.05,
            samplesPerSecond: 1000, elapsed: 1)))
      if announcesCommandLog {
        #expect(FileManager.default.createFile(atPath: CommandLog.path(forRunLog: log), contents: nil))
      }
      follower = try RunLogFollower(path: log)
      var view = ViewOptions(themes: [.builtIn], glyphs: .unicode)
      view.feed = .watch
      controller = DashboardController(view: view)
      steering = WatchSteering(runLog: log)
      poll()
    }

    func poll() { for record in follower.poll() { controller.apply(record.event, now: 0) } }

    func press(_ characters: String) {
      for c in characters { steering.press(.character(c), on: controller, now: 0) }
    }

    /// The command log as the run reads it.
    func sent() throws -> [Command] {
      guard let text = try? String(contentsOfFile: CommandLog.path(forRunLog: log), encoding: .utf8) else {
        return []
      }
      return try text.split(separator: "\n").map { try CommandLog.command($0) }
    }

    /// The run's answer to a set: a change record as the PyTorch client writes it.
    func answer(_ knob: Knob, _ old: Double, _ new: Double, step: Int) {
      writer.write(
        .hyperparameterChanged(
          HyperparameterChange(
            step: step, epoch: 0.3, knob: knob, oldValue: old, newValue: new, source: .command)))
      poll()
    }

    func screen() -> Buffer { controller.render(width: 120, height: 40, now: 0) }

    /// The hyperparameter panel's row of `label`.
    func row(_ label: String) -> String {
      let buffer = screen()
      guard let at = buffer.find(label + " ") else { return "" }
      return String(buffer.line(at.y).dropFirst(at.x).prefix(30))
    }
  }

  @Test func threeQuickPressesSendThreeRungsInOrderAndWaitForTheRun() throws {
    let run = try ExternalRun()
    run.press("lll")
    // From 0.05 down nntop's ladder, each from the value the one before asked for.
    #expect(
      try run.sent() == [.set(.learningRate, 0.02), .set(.learningRate, 0.01), .set(.learningRate, 0.005)])
    #expect(run.controller.state.message == "sent lr 0.01 → 0.005, waiting for the run")
    #expect(run.row("learning rate").hasPrefix("learning rate 0.005     sent"))
    #expect(run.screen().lines.joined().contains("tab/± turn"))

    // The run answers one line at a time: the row keeps saying "sent" until the last answer.
    run.answer(.learningRate, 0.05, 0.02, step: 101)
    run.answer(.learningRate, 0.02, 0.01, step: 102)
    #expect(run.row("learning rate").hasPrefix("learning rate 0.005     sent"))
    #expect(run.controller.state.message == "sent lr 0.01 → 0.005, waiting for the run")
    run.answer(.learningRate, 0.01, 0.005, step: 103)
    #expect(run.row("learning rate").hasPrefix("learning rate 0.005     l/L"))
    // All three presses, from where the first answer started (each came at a step of its own).
    #expect(run.controller.state.message == "lr 0.05 → 0.005 at step 103")

    // The next press steps from what the run reported; the other keys send their words.
    run.press("L MX")
    #expect(
      try run.sent().suffix(4) == [.set(.learningRate, 0.01), .pause, .set(.momentum, 0.95), .stop])
    #expect(run.controller.state.message == "sent stop, waiting for the run")
    #expect(!run.controller.quitRequested)
  }

  @Test func pauseStepAndCheckpointFollowWhatTheLogSays() throws {
    let run = try ExternalRun()
    run.press("n")  // not paused: nothing to send
    #expect(try run.sent() == [])
    #expect(run.controller.state.message == "n steps once while paused (space pauses)")
    run.writer.write(.paused(step: 100))
    run.poll()
    run.press(" nc")
    #expect(try run.sent() == [.resume, .singleStep, .checkpoint])
    #expect(run.controller.state.message == "sent checkpoint, waiting for the run")
    // Keys only nntop's own trainer answers are not bound in a watch.
    run.press("<>fA")
    #expect(try run.sent().count == 3)
  }

  /// The client refuses dropout on a model without dropout: the reason it logs is on the status
  /// line, cell by cell in the warning colour, and the row no longer waits.
  @Test func aRefusalIsShownWithItsReason() throws {
    let run = try ExternalRun()
    run.press("D")
    #expect(try run.sent() == [.set(.dropout, 0.05)])
    #expect(run.row("dropout").hasPrefix("dropout       0.05      sent"))
    let reason = "command refused: line 1: dropout: the model has no nn.Dropout"
    run.writer.write(.warning(reason))
    run.poll()
    let screen = run.screen()
    let status = try #require(screen.find(reason))
    let warning = Theme.builtIn.color(.warning)
    for (i, scalar) in reason.unicodeScalars.enumerated() {
      let cell = screen[status.x + i, status.y]
      #expect(cell.character == scalar && cell.foreground == warning, "column \(status.x + i)")
    }
    #expect(status.y == screen.height - 1 || status.y == screen.height - 2)
    #expect(run.row("dropout").hasPrefix("dropout       0         d/D"))
  }

  /// A log nntop's own trainer writes has no command log: keys say why they do nothing and
  /// create none; a finished run's keys say it has ended.
  @Test func keysThatCannotReachTheRunSayWhy() throws {
    let own = try ExternalRun(announcesCommandLog: false)
    own.press("l X")
    #expect(!FileManager.default.fileExists(atPath: CommandLog.path(forRunLog: own.log)))
    #expect(own.controller.state.message.hasPrefix("watching: read-only (no torch.commands beside the log"))
    #expect(own.screen().lines.joined().contains("read-only"))
    #expect(own.controller.value(of: .learningRate) == 0.05)
    own.press("?")
    let help = own.screen().lines.joined(separator: "\n")
    #expect(help.contains("quit; the run goes on") && !help.contains("stop the run"))

    let ended = try ExternalRun()
    ended.writer.write(
      .finished(
        RunSummary(
          outcome: .finished, step: 400, epochs: 1, testLoss: nil, testAccuracy: nil, bestValidationLoss: nil,
          bestValidationAccuracy: nil, elapsed: 4)))
    ended.poll()
    ended.press("l")
    #expect(try ended.sent() == [])
    #expect(ended.controller.state.message == "the run has ended: q quits")
  }

  /// The help of a watch that can steer lists the keys that reach the run, and only those.
  @Test func helpListsTheKeysThatReachTheRun() throws {
    let run = try ExternalRun()
    run.press("?")
    let help = run.screen().lines.joined(separator: "\n")
    for offered in [
      "stop the run", "quit; the run goes on", "learning rate down", "pause / resume", "save a checkpoint",
    ] {
      #expect(help.contains(offered), "\(offered)")
    }
    for absent in ["learning-rate finder", "slower", "the run ends cleanly", "back one epoch"] {
      #expect(!help.contains(absent), "\(absent)")
    }
  }

  @Test func theWriterDecidesWhatAKnobMeansAndTrainSizeIsTheLoops() throws {
    // An Adam run: the client maps momentum to β₁, so the key sends a value instead of the live
    // trainer's "applies to SGD" (which would be false here).
    let adam = try ExternalRun(adam: true)
    adam.press("m")
    #expect(try adam.sent().count == 1)
    #expect(adam.controller.state.message == "sent mom 0.9 → 0.8, waiting for the run")
    // Train size: the loop's own data; nothing is sent and the screen says why.
    let run = try ExternalRun()
    run.press("eE")
    #expect(try run.sent().isEmpty)
    #expect(
      run.controller.state.message == "train size: the training loop chooses its data; nntop cannot change it"
    )
  }
}

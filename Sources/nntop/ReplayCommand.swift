import ArgumentParser
import Dashboard
import Foundation
import RunLog
import RunModel
import SystemIO
import Training

#if canImport(Glibc)
  import Glibc
#endif

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

  @Option(
    help: "Playback speed: 0.5 to 64, or 0 for as fast as possible (default 4, slower for a run under 40 s).")
  var speed: Double?

  @OptionGroup var display: DisplayOptions

  func validate() throws {
    guard let speed else { return }
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
    guard display.wantsDashboard else {
      for warning in warnings { printWarning(warning) }
      let reporter = ConsoleReporter()
      for event in contents.events { reporter.handle(event) }
      if contents.summary == nil && contents.header != nil {
        printWarning(
          "\(file): the log ends before the run did: interrupted, or still being written (nntop watch follows it)"
        )
      }
      return
    }
    let host = try DashboardHost(display: display)
    let duration = contents.records.last?.time ?? 0
    let chosen = speed ?? ReplayPlayer.defaultSpeed(duration: duration)
    let player = ReplayPlayer(events: contents.records, speed: chosen == 0 ? .infinity : chosen)
    let controller = DashboardController(view: host.view(feed: .replay), replay: player)
    if let header = contents.header {
      controller.forkCheck = Fork.check(
        log: file, dataset: header.dataset, original: contents.context?.command ?? [])
    }
    host.greet(controller, warnings: warnings)
    let status = host.run(controller: controller, pull: { now in controller.tick(now: now) })
    // The status line shows them only until the next message: said again once the screen is gone.
    for warning in warnings { printWarning(warning) }
    if status != 0 { throw ExitCode(status) }
    if let checkpoint = controller.forkFrom, let header = contents.header {
      try Fork(
        log: file, checkpoint: checkpoint, dataset: header.dataset, original: contents.context?.command ?? []
      )
      .start(display: display)
    }
  }
}

/// "What if": a replay's `f` trains on from the last checkpoint it passed, as a new run (its own
/// log) with the replayed run drawn beside it (`--compare`).
struct Fork {
  let log: String
  let checkpoint: CheckpointRecord
  let dataset: String
  /// The replayed run's command line: where its data came from is taken from it.
  let original: [String]

  /// The checkpoint's path as written, or beside the log when the run was made elsewhere.
  var checkpointPath: String? {
    if FileManager.default.fileExists(atPath: checkpoint.path) { return checkpoint.path }
    let folder = (log as NSString).deletingLastPathComponent
    let beside = (folder.isEmpty ? "." : folder) + "/" + (checkpoint.path as NSString).lastPathComponent
    return FileManager.default.fileExists(atPath: beside) ? beside : nil
  }

  var arguments: [String] {
    var arguments = ["train", dataset, "--resume", checkpointPath ?? checkpoint.path, "--compare", log]
    // The data the run was trained on: the same folder and noise.
    for flag in ["--data", "--noise"] {
      if let i = original.firstIndex(of: flag), i + 1 < original.count {
        arguments += [flag, original[i + 1]]
      }
    }
    return arguments
  }

  /// Why the new run could not start, or nil: checked before the screen is left, so `f` on a
  /// run another trainer wrote (a PyTorch loop's dataset and `.pt` files) says so and stays.
  var problem: String? {
    if let problem = Self.problem(dataset: dataset) { return problem }
    guard let path = checkpointPath else {
      return "cannot fork: \(checkpoint.path.printable(limit: 120)): the checkpoint is gone"
    }
    // The file's name first: the footer is one line, and the folder is the log's.
    let name = (path as NSString).lastPathComponent.printable(limit: 60)
    do {
      guard try !CheckpointFile.read(path).weightsOnly else {
        return "cannot fork: \(name) holds weights only, no optimiser state to resume"
      }
    } catch {
      return
        "cannot fork: \(name) is not a checkpoint nntop can resume: \(error.problem.printable(limit: 200))"
    }
    return nil
  }

  /// A dataset nntop does not train (the PyTorch client's `mnist-torch`): no checkpoint helps.
  static func problem(dataset: String) -> String? {
    guard DatasetChoice(name: dataset) == nil else { return nil }
    return "cannot fork: nntop does not train \(dataset.printable(limit: 40)) (it trains "
      + DatasetChoice.names.joined(separator: ", ") + ")"
  }

  /// The check `f` makes on the screen, for the checkpoints of the log at `log` (nil: the run
  /// itself, before its checkpoints are looked for).
  static func check(log: String, dataset: String, original: [String]) -> ForkPoint.Check {
    { checkpoint in
      guard let checkpoint else { return problem(dataset: dataset) }
      return Fork(log: log, checkpoint: checkpoint, dataset: dataset, original: original).problem
    }
  }

  func start(display: DisplayOptions) throws {
    if let problem {
      throw fail(problem, code: checkpointPath == nil ? 66 : 65)
    }
    // Paused at the checkpoint: the point of a fork is to turn a knob first (a short run had
    // finished before any key could be pressed).
    var command = arguments + ["--start-paused"]
    if let theme = display.theme { command += ["--theme", theme] }
    if display.noColor { command.append("--no-color") }
    if display.ascii { command.append("--ascii") }
    printLine(
      "nntop: training on from epoch \(Int(checkpoint.epoch)): nntop "
        + command.map(\.listingField).joined(separator: " "))
    let argv = (["nntop"] + command).map { strdup($0) } + [nil]
    execv("/proc/self/exe", argv)
    throw fail("cannot start the new run: \(String(cString: strerror(errno)))", code: 74)
  }
}

/// `nntop watch FILE`: `nntop replay --follow FILE`.
struct WatchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "watch",
    abstract: "Watch a run that another nntop is writing (e.g. from a second SSH session).",
    discussion: """
      Follows the log to the run's end, like `tail -F`: a log that does not exist yet is waited \
      for. With --no-tui, prints the epoch lines as they are written and exits 0 when the run ends. \
      A run that follows a command log (a PyTorch run with the nntop package) takes the \
      dashboard's keys: knobs, space (pause/resume), n, c, X (stop); q leaves it running.
      """)

  @Argument(help: "The run log being written.")
  var file: String

  @OptionGroup var display: DisplayOptions

  func run() throws { try Watch.run(file: file, display: display) }
}

enum Watch {
  /// Seconds without a new record after which a watch asks whether the writer is gone (a run
  /// killed with kill -9 leaves its log without an end). Not asked while the run is paused: a
  /// paused writer has nothing to write, and the question read as an alarm on every pause.
  static let quietSeconds = 10.0

  static func quietMessage(_ file: String, seconds: Double, leave: String) -> String {
    "no new records in \(file) for \(Int(seconds)) s — is the writer gone? (\(leave) leaves)"
  }

  /// Follows a growing log: the dashboard (read-only), or epoch lines as they are written.
  static func run(file: String, display: DisplayOptions) throws {
    let follower: RunLogFollower
    do {
      follower = try RunLogFollower(path: file, waitingForFile: true)
    } catch {
      throw fail(error.description, code: error.exitCode)
    }
    let waiting = "waiting for \(file) to appear (the run may not have started yet)"
    guard display.wantsDashboard else {
      if !follower.appeared { printError("nntop: \(waiting)") }
      try printLines(follower, file: file)
      return
    }
    let host = try DashboardHost(display: display)
    let controller = DashboardController(view: host.view(feed: .watch, badge: "WATCHING"))
    let steering = WatchSteering(runLog: file)
    steering.refresh(controller)
    host.greet(controller)
    if !follower.appeared { controller.apply(.warning(waiting), now: 0) }
    var lastPoll = 0.0
    var quiet = Quiet(file: file)
    var warnedCut = false
    let status = host.run(
      controller: controller,
      send: { steering.send($0, to: controller, now: Stopwatch.now()) },
      pull: { now in
        // Poll the file ten times a second: at most 0.1 s behind the writer.
        guard now - lastPoll >= 0.1 else { return false }
        lastPoll = now
        steering.refresh(controller)
        let records = follower.poll()
        for record in records { controller.apply(record.event, now: now) }
        if follower.finished { controller.view.badge = "WATCHED" }
        if let truncation = follower.stoppedBecause, !warnedCut {
          controller.apply(.warning(truncation + ": stopped following"), now: now)
          warnedCut = true
          return true
        }
        let state = controller.state.runState
        guard state != .interrupted else { return !records.isEmpty }
        switch quiet.check(follower, records: records.count, paused: state == .paused, now: now, leave: "q") {
        case .writerExited(let message):
          controller.writerExited(message)
          controller.view.badge = "WATCHED"
          return true
        case .ask(let question):
          controller.apply(.warning(question), now: now)
          return true
        case .nothing:
          return !records.isEmpty
        }
      })
    if status != 0 { throw ExitCode(status) }
  }

  /// `watch --no-tui`: the epoch lines as they are written, to the run's end (or its writer's).
  static func printLines(_ follower: RunLogFollower, file: String) throws {
    let reporter = ConsoleReporter()
    var reported = 0
    var quiet = Quiet(file: file)
    var paused = false
    var diverged = false
    while true {
      let records = follower.poll()
      for record in records {
        reporter.handle(record.event)
        if case .paused = record.event { paused = true }
        if case .resumed = record.event { paused = false }
        if case .finished(let summary) = record.event { diverged = summary.outcome == .diverged }
      }
      for message in follower.skipped.dropFirst(reported) { printWarning("\(file): \(message) (skipped)") }
      reported = follower.skipped.count
      if let truncation = follower.stoppedBecause { throw fail(truncation, code: 65) }
      // A watched run that diverged exits 1, as `train` does (the exit-code table's 1).
      if follower.finished { if diverged { throw ExitCode(1) } else { return } }
      switch quiet.check(
        follower, records: records.count, paused: paused, now: Stopwatch.now(), leave: "Ctrl-C")
      {
      case .writerExited(let message):
        printWarning(message)
        throw ExitCode(1)  // the watched run did not finish: a script must tell it from one that did
      case .ask(let question): printWarning(question)
      case .nothing: break
      }
      usleep(100_000)
    }
  }

  /// What a watch makes of a log that has gone quiet: once a second, whether its writer has
  /// exited (on this host); after `quietSeconds`, once, whether it is gone — not while paused.
  struct Quiet {
    enum Verdict {
      case nothing
      case writerExited(String)
      case ask(String)
    }

    let file: String
    var lastRecord = Stopwatch.now()
    var lastWriterCheck = 0.0
    var asked = false

    init(file: String) { self.file = file }

    mutating func check(_ follower: RunLogFollower, records: Int, paused: Bool, now: Double, leave: String)
      -> Verdict
    {
      guard records == 0 else {
        lastRecord = now
        asked = false
        return .nothing
      }
      guard follower.appeared, !follower.finished else { return .nothing }
      if let raised = follower.raised { return .writerExited("the run was interrupted: \(raised)") }
      if now - lastRecord >= 1, now - lastWriterCheck >= 1 {
        lastWriterCheck = now
        if WriterProcess.hasExited(follower.context) == true {
          return .writerExited(WriterProcess.exitedMessage(follower.context))
        }
      }
      guard !paused, !asked, now - lastRecord >= Watch.quietSeconds else { return .nothing }
      asked = true
      return .ask(Watch.quietMessage(file, seconds: now - lastRecord, leave: leave))
    }
  }
}

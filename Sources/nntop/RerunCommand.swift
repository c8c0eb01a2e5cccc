import ArgumentParser
import RunLog
import RunModel

/// `nntop rerun LOG`: trains the logged run again — its command line, seed and thread count,
/// and every recorded command (key presses, script lines, pauses, single steps, a stop) at the
/// step it happened — so a lesson or a bug report replays exactly, records and epoch lines alike
/// (apart from times).
struct RerunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rerun",
    abstract: "Train a logged run again, with its flags, seed and every recorded command.")

  @Argument(help: "The run log of the run to repeat.")
  var file: String

  @OptionGroup var output: RunOutputOptions

  @OptionGroup var display: DisplayOptions

  func run() throws {
    let contents = try RunLogSetup.read(file)
    guard let header = contents.header, let context = contents.context else {
      throw fail("\(file): the header is missing or damaged; nothing to rerun", code: 65)
    }
    guard context.command.count >= 3, context.command[1] == "train" else {
      throw fail(
        "\(file): not a log of `nntop train` (its command was \(context.command.prefix(3)))", code: 65)
    }
    var arguments = RerunPlan.trainingArguments(Array(context.command.dropFirst(2)))
    arguments += ["--threads", String(header.threads), "--seed", String(header.seed)]
    if let data = output.data { arguments += ["--data", data] }
    if let log = output.log { arguments += ["--log", log] }
    if output.noLog { arguments.append("--no-log") }
    if display.noTui { arguments.append("--no-tui") }
    if display.noColor { arguments.append("--no-color") }
    if display.ascii { arguments.append("--ascii") }
    if let theme = display.theme { arguments += ["--theme", theme] }
    let train: TrainCommand
    do {
      train = try TrainCommand.parse(arguments)
    } catch {
      throw fail("\(file): its command line no longer parses: \(TrainCommand.message(for: error))", code: 65)
    }
    try Self.checkRepeatable(contents, file: file, resume: train.resume)
    try train.execute(replaying: RerunPlan(contents.events))
  }

  /// What would make the rerun another run than the logged one, said before it starts: damaged
  /// lines may have held commands (they are not repeated), and a resumed run's checkpoint must
  /// still be the one it went on from (replaced by an older one, it trained other epochs and
  /// exited 0).
  static func checkRepeatable(_ contents: RunLogContents, file: String, resume: String?) throws {
    for warning in contents.warnings(path: file) { printWarning(warning) }
    if !contents.skipped.isEmpty {
      printWarning(
        "\(file): \(contents.skipped.count.counted("damaged line")) not repeated: a command on one is lost, "
          + "and the rerun can differ from the logged run")
    }
    let epochs = contents.events.lazy.compactMap { event -> EpochSummary? in
      if case .epochEnded(let e) = event { e } else { nil }
    }
    guard let resume, let first = epochs.first else { return }
    let state = try CheckpointSetup.load(resume)
    guard state.epochsCompleted + 1 == first.epoch else {
      throw fail(
        "\(resume) is after epoch \(state.epochsCompleted) (step \(state.step)), but \(file) went on from after "
          + "epoch \(first.epoch - 1): the checkpoint has changed since, and the rerun would train another run",
        code: 65)
    }
  }
}

/// What a logged run did besides training: the commands to send again at their steps.
struct RerunPlan {
  var script: CommandScript
  var divergencePolicy: TrainingConfiguration.DivergencePolicy

  /// Flags that say where and how a run is shown or prepared, not what it trains: dropped from
  /// the logged command line (the script comes from the log itself; display flags from `rerun`).
  static let presentationOptions: Set<String> = ["--log", "--theme", "--script", "--pace"]
  static let presentationFlags: Set<String> = [
    "--no-log", "--no-tui", "--no-color", "--ascii", "--start-paused",
  ]

  static func trainingArguments(_ logged: [String]) -> [String] {
    var kept: [String] = []
    var skipNext = false
    for argument in logged {
      if skipNext {
        skipNext = false
        continue
      }
      let name = String(argument.split(separator: "=", maxSplits: 1).first ?? "")
      if presentationFlags.contains(argument)
        || (presentationOptions.contains(name) && argument.contains("="))
      {
        continue
      }
      if presentationOptions.contains(argument) {
        skipNext = true
        continue
      }
      kept.append(argument)
    }
    return kept
  }

  /// The commands behind the logged events: every change a person or script made, pauses and
  /// resumes (not the pause a divergence makes by itself), single steps taken while paused,
  /// requested checkpoints and a stop.
  init(_ events: [RunEvent]) {
    var entries: [CommandScript.Entry] = []
    var paused = false
    var lastStep = 0
    var divergedAt: Int?
    var policy = TrainingConfiguration.DivergencePolicy.stop
    for event in events {
      switch event {
      case .hyperparameterChanged(let c) where c.source.isPerson:
        entries.append(.init(step: c.step, command: .set(c.knob, c.newValue), source: c.source))
      case .paused(let step):
        paused = true
        lastStep = step
        if divergedAt == step {
          policy = .pause
        } else {
          entries.append(.init(step: step, command: .pause, source: .command))
        }
      case .resumed(let step):
        paused = false
        entries.append(.init(step: step, command: .resume, source: .command))
      case .progress(let p) where paused && p.step > lastStep:
        for step in lastStep..<p.step {
          entries.append(.init(step: step, command: .singleStep, source: .command))
        }
        lastStep = p.step
      case .diverged(let d):
        divergedAt = d.step
      case .learningRateSweep(let sweep):
        entries.append(.init(step: sweep.step, command: .findLearningRate, source: .command))
      case .checkpoint(let c) where c.reason == .requested:
        entries.append(.init(step: c.step, command: .checkpoint, source: .command))
      case .finished(let s) where s.outcome == .stopped:
        entries.append(.init(step: s.step, command: .stop, source: .command))
      default:
        break
      }
    }
    script = CommandScript(entries)
    divergencePolicy = policy
  }
}

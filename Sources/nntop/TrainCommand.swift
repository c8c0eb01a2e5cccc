import ArgumentParser
import Datasets
import Dispatch
import NeuralNet
import RunLog
import RunModel
import Training

#if canImport(Glibc)
  import Glibc
#endif

/// `nntop train DATASET`: trains a network and reports every epoch.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a network on a dataset.",
    discussion: """
      Prints one line per epoch (train and validation loss/accuracy, learning rate, samples/s, \
      elapsed time) and the final test accuracy. MNIST is split 55000 train / 5000 validation \
      (fixed) / 10000 test. L2 decays weight matrices only, not biases.
      """)

  @Argument(help: "Dataset: \(DatasetChoice.names.joined(separator: ", ")).")
  var dataset: String

  @Option(
    help:
      "Set up a lesson on MNIST (see `nntop scenarios`); --hidden, --lr, --epochs, --init and --train-size still override it."
  )
  var scenario: String?

  @Option(
    help: "Hidden layer widths, comma-separated (default: 256,128 for mnist, 32,32 for synthetic sets).")
  var hidden: String?

  @Option(help: "Hidden activation: \(Activation.allCases.map(\.rawValue).joined(separator: ", ")).")
  var activation: String = "relu"

  @Option(
    help:
      "Weight initialisation: \(Initialization.allCases.map(\.rawValue).joined(separator: ", ")) (default: he for ReLU-like activations, xavier otherwise)."
  )
  var `init`: String?

  @Flag(help: "Batch normalisation after each hidden dense layer.")
  var batchNorm = false

  @Option(help: "Optimiser: sgd or adam.")
  var optimizer: String = "sgd"

  @Option(help: "Learning rate (default: 0.05 for sgd, 0.01 for sgd on sine, 0.001 for adam).")
  var lr: Double?

  @Option(help: "SGD momentum.")
  var momentum: Double = 0.9

  @Option(help: "Batch size (default: 128 for mnist, 32 for synthetic sets).")
  var batch: Int?

  @Option(help: "Epochs (default: 10 for mnist, 100 for synthetic sets).")
  var epochs: Int?

  @Option(help: "Dropout probability after each hidden layer, 0 to 0.95.")
  var dropout: Double = 0

  @Option(help: "L2 weight decay strength on weight matrices.")
  var l2: Double = 0

  @Option(help: "Learning-rate schedule: constant, cosine, step (×0.1 every 10 epochs) or step:EVERY:FACTOR.")
  var schedule: String = "constant"

  @Option(help: "Stop after this many epochs without a better validation loss (0: never).")
  var earlyStop: Int = 0

  @Option(help: "Random seed (initialisation, shuffling, dropout, synthetic data).")
  var seed: UInt64 = 0

  @Option(
    help:
      "Train on only the first N training examples (default: all; the validation and test sets stay whole).")
  var trainSize: Int?

  @Option(help: "Noise of a synthetic dataset (default depends on the set).")
  var noise: Double?

  @Option(help: "Cores to train on; at most 2 are used (the default is the machine's cores, up to 2).")
  var threads: Int = min(2, max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))

  @Option(help: "Publish layer statistics every N steps.")
  var statsEvery: Int = 50

  @Option(help: "Folder holding datasets/ (or the mnist folder itself); also NNTOP_DATA.")
  var data: String?

  @Option(help: "Write the run log here (default: runs/DATE-TIME-DATASET.jsonl).")
  var log: String?

  @Flag(help: "Write no run log.")
  var noLog = false

  @Option(
    help:
      "Save a checkpoint every N epochs, next to the run log (one is always saved at the end when logging).")
  var checkpointEvery: Int = 0

  @Option(help: "Continue training from a checkpoint (its network, optimiser state and epoch).")
  var resume: String?

  @OptionGroup var display: DisplayOptions

  func validate() throws {
    if let scenario {
      guard Scenario.named(scenario) != nil else {
        throw ValidationError(
          "unknown scenario '\(scenario)' (choose from \(Scenario.all.map(\.name).joined(separator: ", ")))")
      }
      guard dataset.lowercased() == "mnist" else { throw ValidationError("--scenario runs on mnist") }
    }
    guard DatasetChoice(name: dataset) != nil else {
      throw ValidationError(
        "unknown dataset '\(dataset)' (choose from \(DatasetChoice.names.joined(separator: ", ")))")
    }
    _ = try parseHidden(hidden ?? "1")
    guard Activation(rawValue: activation) != nil else {
      throw ValidationError(
        "--activation: unknown '\(activation)' (choose from \(Activation.allCases.map(\.rawValue).joined(separator: ", ")))"
      )
    }
    if let name = `init`, Initialization(rawValue: name) == nil {
      throw ValidationError(
        "--init: unknown '\(name)' (choose from \(Initialization.allCases.map(\.rawValue).joined(separator: ", ")))"
      )
    }
    guard OptimizerKind(rawValue: optimizer) != nil else {
      throw ValidationError("--optimizer: unknown '\(optimizer)' (choose sgd or adam)")
    }
    if let lr, !(lr > 0 && lr <= 10) { throw ValidationError("--lr must be in (0, 10], got \(lr)") }
    guard momentum >= 0 && momentum < 1 else {
      throw ValidationError("--momentum must be in [0, 1), got \(momentum)")
    }
    if let batch, !(1...65_536).contains(batch) {
      throw ValidationError("--batch must be from 1 to 65536, got \(batch)")
    }
    if let epochs, !(1...100_000).contains(epochs) {
      throw ValidationError("--epochs must be from 1 to 100000, got \(epochs)")
    }
    guard dropout >= 0 && dropout <= 0.95 else {
      throw ValidationError("--dropout must be in [0, 0.95], got \(dropout)")
    }
    guard l2 >= 0 && l2 <= 1 else { throw ValidationError("--l2 must be in [0, 1], got \(l2)") }
    guard LearningRateSchedule(parsing: schedule) != nil else {
      throw ValidationError("--schedule: '\(schedule)' is not constant, cosine, step or step:EVERY:FACTOR")
    }
    guard earlyStop >= 0 else { throw ValidationError("--early-stop must be 0 or more, got \(earlyStop)") }
    if let trainSize, trainSize < 1 {
      throw ValidationError("--train-size must be at least 1, got \(trainSize)")
    }
    if let noise, !(noise >= 0 && noise <= 10) {
      throw ValidationError("--noise must be in [0, 10], got \(noise)")
    }
    guard (1...64).contains(threads) else {
      throw ValidationError("--threads must be from 1 to 64, got \(threads)")
    }
    guard checkpointEvery >= 0 else {
      throw ValidationError("--checkpoint-every must be 0 or more, got \(checkpointEvery)")
    }
    guard statsEvery >= 1 else {
      throw ValidationError("--stats-every must be at least 1, got \(statsEvery)")
    }
  }

  func run() throws {
    let choice = DatasetChoice(name: dataset)!
    var bundle: DatasetBundle
    var requestedTrainSize: Int?
    do {
      bundle = try choice.load(dataFolder: data, noise: noise, seed: seed)
    } catch {
      throw error.exit
    }
    if let trainSize = trainSize ?? scenario.flatMap({ Scenario.named($0)?.trainSize }) {
      guard trainSize <= bundle.train.count else {
        throw fail(
          "--train-size \(trainSize) exceeds the \(bundle.train.count) training examples of \(bundle.name)",
          code: 64)
      }
      requestedTrainSize = trainSize
    }
    var configuration = makeConfiguration(for: bundle, choice: choice)
    configuration.trainSize = requestedTrainSize
    if let name = scenario, let lesson = Scenario.named(name) { apply(lesson, to: &configuration) }
    configuration.checkpointEvery = checkpointEvery
    if let resume { try applyResume(resume, to: &configuration, bundle: bundle) }
    let relay = WarningRelay()
    let dashboard = !display.noTui && TerminalChoice.dashboardPossible()
    let themeChoice =
      dashboard || display.theme != nil ? try TerminalChoice.themes(selected: display.theme) : ([], [])
    let logger =
      noLog
      ? nil
      : try RunLogSetup.open(
        path: log, dataset: bundle.name, resumedFrom: resume, relay: relay)
    let saver: CheckpointSaver? =
      if let logger {
        CheckpointSetup.saver(
          base: logger.path.hasSuffix(".jsonl") ? String(logger.path.dropLast(6)) : logger.path)
      } else if checkpointEvery > 0 {
        CheckpointSetup.saver(base: String(RunLogNaming.defaultPath(dataset: bundle.name).dropLast(6)))
      } else {
        nil
      }
    defer {
      logger?.close()
      if let logger, !logger.hasFailed { printError("nntop: run log \(logger.path)") }
    }
    if dashboard {
      let (themes, warnings) = themeChoice
      configuration.divergencePolicy = .pause
      let session = TrainingSession()
      let runner = DashboardRun(
        themes: themes, warnings: warnings + bundle.warnings,
        glyphs: TerminalChoice.glyphs(ascii: display.ascii),
        colors: (display.noColor || TerminalChoice.noColorRequested) ? .none : .automatic)
      let status = runner.run(session: session, configuration: configuration) { inbox in
        relay.route { inbox.post(.warning($0)) }
        session.start(configuration: configuration, dataset: bundle, saver: saver) { event in
          logger?.write(event)
          inbox.post(event)
        }
      }
      if status != 0 { throw ExitCode(status) }
      return
    }
    let reporter = ConsoleReporter()
    let session = TrainingSession()
    let signals = installStopOnSignals(session: session)
    session.start(configuration: configuration, dataset: bundle, saver: saver) { event in
      logger?.write(event)
      reporter.handle(event)
    }
    let summary = session.waitUntilFinished()
    signals.forEach { $0.cancel() }
    if summary.outcome == .diverged {
      throw fail("training diverged: \(reporter.divergenceMessage ?? "non-finite loss")", code: 1)
    }
    // Headless, only a signal stops a run early.
    if summary.outcome == .stopped { throw ExitCode(130) }
  }

  func makeConfiguration(for bundle: DatasetBundle, choice: DatasetChoice) -> TrainingConfiguration {
    let activationKind = Activation(rawValue: activation)!
    let loss: LossFunction
    switch bundle.task {
    case .classification(let classes): loss = classes == 2 ? .sigmoidBinaryCrossEntropy : .softmaxCrossEntropy
    case .regression: loss = .squaredError
    }
    let spec = NetworkSpec(
      inputSize: bundle.featureCount, hiddenSizes: (try? parseHidden(hidden ?? "")) ?? choice.defaultHidden,
      outputSize: bundle.outputCount, activation: activationKind, loss: loss, batchNorm: batchNorm,
      initialization: `init`.flatMap(Initialization.init(rawValue:)))
    let kind = OptimizerKind(rawValue: optimizer)!
    return TrainingConfiguration(
      network: hidden == nil ? withHidden(spec, choice.defaultHidden) : spec, optimizer: kind,
      hyperparameters: Hyperparameters(
        learningRate: lr ?? (kind == .sgd ? choice.defaultSGDLearningRate : 0.001), momentum: momentum,
        dropout: dropout, l2: l2),
      batchSize: batch ?? choice.defaultBatch, epochs: epochs ?? choice.defaultEpochs,
      schedule: LearningRateSchedule(parsing: schedule)!, seed: seed, threads: threads,
      statisticsEvery: statsEvery, earlyStoppingPatience: earlyStop, divergencePolicy: .stop)
  }

  /// A scenario's settings, except those given explicitly on the command line.
  private func apply(_ lesson: Scenario, to configuration: inout TrainingConfiguration) {
    if hidden == nil { configuration.network.hiddenSizes = lesson.hidden }
    configuration.network.activation = lesson.activation
    configuration.network.initialization =
      `init`.flatMap(Initialization.init(rawValue:)) ?? lesson.initialization
      ?? .suited(to: lesson.activation)
    if lr == nil { configuration.hyperparameters.learningRate = lesson.learningRate }
    configuration.hyperparameters.momentum = lesson.momentum
    configuration.hyperparameters.l2 = lesson.l2
    if epochs == nil { configuration.epochs = lesson.epochs }
    printError("nntop: scenario \(lesson.name): watch for \(lesson.watchFor); fix: \(lesson.fix)")
  }

  /// Takes the checkpoint's network, optimiser state and position; flags may not contradict it.
  private func applyResume(
    _ path: String, to configuration: inout TrainingConfiguration, bundle: DatasetBundle
  ) throws {
    let state = try CheckpointSetup.load(path)
    guard state.dataset == bundle.name else {
      throw fail("\(path): trained on \(state.dataset), not \(bundle.name)", code: 64)
    }
    if let hidden, let widths = try? parseHidden(hidden), widths != state.network.hiddenSizes {
      throw fail(
        "\(path): wrong architecture: the checkpoint is \(state.network.summary), --hidden asks for \(hidden)",
        code: 64)
    }
    guard state.network.inputSize == bundle.featureCount, state.network.outputSize == bundle.outputCount
    else {
      throw fail("\(path): wrong architecture for \(bundle.name)'s inputs and outputs", code: 65)
    }
    configuration.network = state.network
    configuration.optimizer = state.optimizer
    configuration.hyperparameters = state.hyperparameters
    if let lr { configuration.hyperparameters.learningRate = lr }
    configuration.batchSize = state.batchSize
    if epochs == nil { configuration.epochs = state.totalEpochs }
    guard configuration.epochs > state.epochsCompleted else {
      throw fail(
        "\(path): already trained \(state.epochsCompleted) epochs; ask for more with --epochs", code: 64)
    }
    configuration.resume = state
    printError("nntop: resuming from \(path) after epoch \(state.epochsCompleted) (step \(state.step))")
  }

  private func withHidden(_ spec: NetworkSpec, _ hidden: [Int]) -> NetworkSpec {
    var copy = spec
    copy.hiddenSizes = hidden
    return copy
  }
}

/// SIGINT, SIGTERM and SIGHUP ask the run to stop at the next step boundary instead of killing it.
func installStopOnSignals(session: TrainingSession) -> [DispatchSourceSignal] {
  [SIGINT, SIGTERM, SIGHUP].map { number in
    signal(number, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
    let mailbox = session.mailbox
    source.setEventHandler { @Sendable in
      mailbox.post(.stop, source: .signal)
    }
    source.resume()
    return source
  }
}

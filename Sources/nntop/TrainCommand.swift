import ArgumentParser
import Dashboard
import Datasets
import NeuralNet
import RunLog
import RunModel
import SystemIO
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

  @Argument(help: "Dataset.")
  var dataset: DatasetChoice

  @Option(
    help:
      "Set up a lesson on MNIST (see `nntop scenarios`); flags given explicitly still override it."
  )
  var scenario: Scenario?

  @Option(
    help: "Hidden layer widths, comma-separated (default: 256,128 for mnist, 32,32 for synthetic sets).",
    transform: parseHidden)
  var hidden: [Int]?

  @Option(help: "Hidden activation (default: relu).")
  var activation: Activation?

  @Option(help: "Weight initialisation (default: he for ReLU-like activations, xavier otherwise).")
  var `init`: Initialization?

  @Flag(help: "Batch normalisation after each hidden dense layer.")
  var batchNorm = false

  @Option(help: "Optimiser (default: sgd).")
  var optimizer: OptimizerKind?

  @Option(help: "Learning rate (default: 0.05 for sgd, 0.01 for sgd on sine, 0.001 for adam).")
  var lr: Double?

  @Option(help: "SGD momentum, in \(Knob.momentum.rangeText) (default: 0.9).")
  var momentum: Double?

  @Option(help: "Batch size (default: 128 for mnist, 32 for synthetic sets).")
  var batch: Int?

  @Option(help: "Epochs (default: 10 for mnist, 100 for synthetic sets).")
  var epochs: Int?

  @Option(help: "Dropout probability after each hidden layer, in \(Knob.dropout.rangeText).")
  var dropout: Double?

  @Option(help: "L2 weight decay strength on weight matrices, in \(Knob.l2.rangeText).")
  var l2: Double?

  @Option(
    help:
      "Learning-rate schedule: constant, cosine, step (×0.1 every 10 epochs) or step:EVERY:FACTOR (default: constant, or the checkpoint's with --resume)."
  )
  var schedule: LearningRateSchedule?

  @Option(help: "Stop after this many epochs without a better validation loss (0: never).")
  var earlyStop: Int = 0

  @Option(
    help:
      "Random seed (initialisation, shuffling, dropout, synthetic data; default: 0, or the checkpoint's with --resume)."
  )
  var seed: UInt64?

  @Option(
    help:
      "Train on only the first N training examples (default: all; the validation and test sets stay whole).")
  var trainSize: Int?

  @Option(help: "Noise of a synthetic dataset (default depends on the set).")
  var noise: Double?

  @Option(
    help: """
      Cores to train on: the batch is split into one slice per core, up to the machine's cores \
      (default: the machine's cores, up to 2).
      """)
  var threads: Int = min(2, Parallel.cores)

  @Option(help: "Publish layer statistics every N steps (default: 50, or four times an epoch if more often).")
  var statsEvery: Int?

  @OptionGroup var output: RunOutputOptions

  @Option(
    help:
      "Save a checkpoint every N epochs, next to the run log (one is always saved at the end when logging).")
  var checkpointEvery: Int = 0

  @Option(
    help:
      "Continue training from a checkpoint (its network, optimiser state, batch size, train size and epoch; --lr, --momentum, --dropout, --l2, --train-size and --epochs may change them)."
  )
  var resume: String?

  @OptionGroup var pacing: PacingOptions

  @OptionGroup var display: DisplayOptions

  @Option(
    help: ArgumentHelp(
      "Draw an earlier run (its log) beside this one on the loss and accuracy charts.", valueName: "log"))
  var compare: String?

  /// What the value types cannot say alone: ranges (the knobs' from the knob table) and a
  /// scenario's dataset.
  func validate() throws {
    if scenario != nil, dataset != .mnist { throw ValidationError("--scenario runs on mnist") }
    if let lr { try Knob.learningRate.check(lr) }
    if let dropout { try Knob.dropout.check(dropout) }
    if let l2 { try Knob.l2.check(l2) }
    if let momentum { try Knob.momentum.check(momentum) }
    if let batch, !TrainingConfiguration.batchRange.contains(batch) {
      throw ValidationError("--batch must be from 1 to 65536, got \(batch)")
    }
    if let epochs, !TrainingConfiguration.epochRange.contains(epochs) {
      throw ValidationError("--epochs must be from 1 to 100000, got \(epochs)")
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
    if let statsEvery, statsEvery < 1 {
      throw ValidationError("--stats-every must be at least 1, got \(statsEvery)")
    }
  }

  func run() throws { try execute(replaying: nil) }

  /// The dataset loaded and the run configured, as `train` would, without starting it.
  func prepare() throws -> (TrainingConfiguration, DatasetBundle) {
    // A resumed run keeps its seed, which also generates a synthetic set's data.
    let checkpoint = try resume.map(CheckpointSetup.load)
    let seed = seed ?? checkpoint?.seed ?? 0
    let bundle: DatasetBundle
    do {
      bundle = try dataset.load(dataFolder: output.data, noise: noise, seed: seed)
    } catch {
      throw error.exit
    }
    var configuration = try configure(for: bundle)
    configuration.seed = seed
    if let resume, let checkpoint {
      try applyResume(checkpoint, path: resume, to: &configuration, bundle: bundle)
    }
    try MemoryLimit.check(
      configuration.network, batch: configuration.batchSize, optimizer: configuration.optimizer,
      threads: configuration.threads)
    return (configuration, bundle)
  }

  /// Trains; `replaying` (from `nntop rerun`) supplies the logged run's commands at their steps
  /// and its divergence policy, so the run happens again exactly.
  func execute(replaying plan: RerunPlan?) throws {
    var (configuration, bundle) = try prepare()
    if let plan {
      configuration.script = plan.script
      configuration.divergencePolicy = plan.divergencePolicy
    }
    let dashboard = display.wantsDashboard
    // A bad --theme is an error before anything is written, with or without the dashboard.
    let themes =
      dashboard || display.theme != nil ? try TerminalChoice.themes(selected: display.theme) : ([], [])
    // Read before the log is opened: a bad --compare must not leave an empty run log behind.
    let comparison = try compare.map { path in
      let contents = try RunLogSetup.read(path)
      let name = String(path.split(separator: "/").last ?? Substring(path)).replacingOccurrences(
        of: ".jsonl", with: "")
      if !dashboard { printWarning("--compare draws on the dashboard; headless it has nothing to draw on") }
      return ComparisonRun(name: name.listingField, events: contents.events)
    }
    let relay = WarningRelay()
    let logger =
      output.noLog
      ? nil : try RunLogSetup.open(path: output.log, dataset: bundle.name, resumedFrom: resume, relay: relay)
    defer {
      logger?.close()
      if let logger, !logger.hasFailed { printError("nntop: run log \(logger.path)") }
    }
    var run = TrainRun(
      configuration: configuration, bundle: bundle, logger: logger,
      saver: saver(logger: logger, bundle: bundle),
      relay: relay)
    run.comparison = comparison
    if dashboard {
      try run.dashboard(host: DashboardHost(display: display, themes: themes))
    } else {
      try run.headless()
    }
  }

  /// The flags, a scenario and a checkpoint to resume from, made into one configuration.
  private func configure(for bundle: DatasetBundle) throws -> TrainingConfiguration {
    var configuration = makeConfiguration(for: bundle)
    if let trainSize = trainSize ?? scenario?.trainSize {
      guard trainSize <= bundle.train.count else {
        throw fail(
          "--train-size \(trainSize) exceeds the \(bundle.train.count) training examples of \(bundle.name)",
          code: 64)
      }
      configuration.trainSize = trainSize
    }
    if statsEvery == nil {
      let examples = configuration.trainSize ?? bundle.train.count
      configuration.statisticsEvery = TrainingConfiguration.defaultStatisticsEvery(
        stepsPerEpoch: (examples + configuration.batchSize - 1) / max(1, configuration.batchSize))
    }
    if let scenario {
      apply(scenario, to: &configuration)
      announce(scenario, configuration, trainAvailable: bundle.train.count)
    }
    try pacing.apply(to: &configuration, dashboard: display.wantsDashboard)
    // A lesson on the dashboard waits behind its card until space: dead units die within five
    // steps, before anyone could have read what to watch for. A script decides for itself.
    if scenario != nil, display.wantsDashboard, configuration.script.entries.isEmpty {
      configuration.startPaused = true
    }
    configuration.checkpointEvery = checkpointEvery
    // Against every example the dataset has (the train-size knob may grow towards them).
    let examples = bundle.train.count
    guard configuration.batchSize <= examples else {
      throw fail(
        "batch \(configuration.batchSize) is larger than the \(examples) training examples of \(bundle.name): "
          + "use --batch \(examples) or less",
        code: 64)
    }
    return configuration
  }

  /// Checkpoints go next to the run log; without one, under runs/ only when asked for.
  private func saver(logger: RunLogWriter?, bundle: DatasetBundle) -> CheckpointSaver? {
    if let logger {
      return CheckpointSetup.saver(
        base: logger.path.hasSuffix(".jsonl") ? String(logger.path.dropLast(6)) : logger.path)
    }
    if checkpointEvery > 0 {
      return CheckpointSetup.saver(base: String(RunLogNaming.defaultPath(dataset: bundle.name).dropLast(6)))
    }
    return nil
  }

  func makeConfiguration(for bundle: DatasetBundle) -> TrainingConfiguration {
    let optimizer = optimizer ?? .sgd
    let loss: LossFunction
    switch bundle.task {
    case .classification(let classes): loss = classes == 2 ? .sigmoidBinaryCrossEntropy : .softmaxCrossEntropy
    case .regression: loss = .squaredError
    }
    let spec = NetworkSpec(
      inputSize: bundle.featureCount, hiddenSizes: hidden ?? dataset.defaultHidden,
      outputSize: bundle.outputCount, activation: activation ?? .relu, loss: loss, batchNorm: batchNorm,
      initialization: `init`)
    return TrainingConfiguration(
      network: spec, optimizer: optimizer,
      hyperparameters: Hyperparameters(
        learningRate: lr ?? (optimizer == .sgd ? dataset.defaultSGDLearningRate : 0.001),
        momentum: momentum ?? 0.9, dropout: dropout ?? 0, l2: l2 ?? 0),
      batchSize: batch ?? dataset.defaultBatch, epochs: epochs ?? dataset.defaultEpochs,
      schedule: schedule ?? .constant, seed: seed ?? 0, threads: usableThreads(threads),
      statisticsEvery: statsEvery ?? 50, earlyStoppingPatience: earlyStop, divergencePolicy: .stop)
  }

  /// Takes the checkpoint's network, optimiser state and position; flags may not contradict it.
  private func applyResume(
    _ state: CheckpointState, path: String, to configuration: inout TrainingConfiguration,
    bundle: DatasetBundle
  ) throws {
    guard !state.weightsOnly else {
      throw fail(
        "\(path): holds weights only (no optimiser state or position in training): `nntop eval` reads it; "
          + "--resume needs a checkpoint written by nntop train",
        code: 64)
    }
    guard state.dataset == bundle.name else {
      throw fail("\(path): trained on \(state.dataset), not \(bundle.name)", code: 64)
    }
    if let hidden, hidden != state.network.hiddenSizes {
      let asked = hidden.map(String.init).joined(separator: ",")
      throw fail(
        "\(path): wrong architecture: the checkpoint is \(state.network.summary), --hidden asks for \(asked)",
        code: 64)
    }
    guard state.network.inputSize == bundle.featureCount, state.network.outputSize == bundle.outputCount
    else {
      throw fail("\(path): wrong architecture for \(bundle.name)'s inputs and outputs", code: 65)
    }
    try refuseConflicts(with: state, path: path)
    configuration.network = state.network
    configuration.optimizer = state.optimizer
    configuration.hyperparameters = state.hyperparameters
    // The knobs a key could turn mid-run may be turned at the resume too.
    if let lr { configuration.hyperparameters.learningRate = lr }
    if let momentum { configuration.hyperparameters.momentum = momentum }
    if let dropout { configuration.hyperparameters.dropout = dropout }
    if let l2 { configuration.hyperparameters.l2 = l2 }
    configuration.batchSize = state.batchSize
    if epochs == nil { configuration.epochs = state.totalEpochs }
    if schedule == nil, let saved = state.schedule { configuration.schedule = saved }
    if trainSize == nil && scenario?.trainSize == nil {
      configuration.trainSize = state.trainSize
      let available = bundle.train.count
      printError(
        state.trainSize.map {
          "nntop: keeping the checkpoint's train size, \($0) of \(available) examples (--train-size changes it)"
        }
          ?? "nntop: the checkpoint does not record its train size; training on all \(available) (--train-size N to choose)"
      )
    }
    guard configuration.epochs > state.epochsCompleted else {
      throw fail(
        "\(path): already trained \(state.epochsCompleted.counted("epoch")); ask for more with --epochs",
        code: 64)
    }
    configuration.resume = state
    if let progress = state.epochProgress {
      printError(
        "nntop: resuming from \(path) at step \(state.step), \(progress.steps.counted("step")) into epoch "
          + "\(state.epochsCompleted + 1)")
    } else {
      printError("nntop: resuming from \(path) after epoch \(state.epochsCompleted) (step \(state.step))")
    }
  }

  /// Flags that would change what the checkpoint fixed (its network and optimiser state were
  /// built for them) are refused, not silently ignored.
  private func refuseConflicts(with state: CheckpointState, path: String) throws {
    var conflicts: [String] = []
    if let optimizer, optimizer != state.optimizer {
      conflicts.append("--optimizer \(optimizer.rawValue) (it was trained with \(state.optimizer.rawValue))")
    }
    if let activation, activation != state.network.activation {
      conflicts.append("--activation \(activation.rawValue) (it uses \(state.network.activation.rawValue))")
    }
    if batchNorm && !state.network.batchNorm {
      conflicts.append("--batch-norm (it has no batch normalisation)")
    }
    if let batch, batch != state.batchSize {
      conflicts.append("--batch \(batch) (it used \(state.batchSize))")
    }
    if let seed, seed != state.seed {
      conflicts.append(
        "--seed \(seed) (it was trained with seed \(state.seed), which also made a synthetic set's data)")
    }
    if let initialization = `init` {
      conflicts.append("--init \(initialization.rawValue) (its weights are already trained)")
    }
    guard conflicts.isEmpty else {
      throw fail(
        "\(path): --resume continues the checkpoint's run, which these flags contradict: "
          + conflicts.joined(separator: "; ") + ". Drop them, or train afresh without --resume.",
        code: 64)
    }
  }
}

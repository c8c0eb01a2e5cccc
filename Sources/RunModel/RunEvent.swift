import NeuralNet

/// The single vocabulary between the trainer and everything that watches it.
///
/// The console, the dashboard and the run log all consume these and nothing else, so a live run
/// and a replayed one look the same to them.
public enum RunEvent: Sendable {
  case started(RunHeader)
  case progress(StepProgress)
  case evaluation(Evaluation)
  case layerStatistics(LayerSnapshot)
  case hyperparameterChanged(HyperparameterChange)
  case paused(step: Int)
  case resumed(step: Int)
  case diverged(Divergence)
  case epochEnded(EpochSummary)
  /// A checkpoint was written (`path`), or could not be (`path` empty, `reason` says why).
  case checkpoint(CheckpointRecord)
  /// Confusion matrix and misclassified examples of the full validation set (classification).
  case validationDetail(ValidationDetail)
  /// The decision over the plane of a 2-D classification dataset, each epoch.
  case decisionRegions(DecisionGrid)
  /// The parameters' path on their first two principal components, each epoch.
  case trajectory(Trajectory)
  /// What a 1-D regression network has learned, each epoch.
  case learnedCurve(LearnedCurve)
  /// Monte Carlo dropout's view of the validation set (and the plane), each epoch of a dropout run.
  case dropoutUncertainty(DropoutUncertainty)
  /// A learning-rate finder's sweep, run between two steps (the weights were restored after it).
  case learningRateSweep(LearningRateSweep)
  case finished(RunSummary)
  case warning(String)
}

/// What a run is: written first, so a reader knows the network before any number arrives.
public struct RunHeader: Sendable {
  public var dataset: String
  public var network: NetworkSpec
  public var optimizer: OptimizerKind
  public var hyperparameters: Hyperparameters
  public var batchSize: Int
  public var epochs: Int
  public var schedule: LearningRateSchedule
  public var seed: UInt64
  public var threads: Int
  public var trainCount: Int
  public var validationCount: Int
  public var testCount: Int
  public var parameterCount: Int
  public var stepsPerEpoch: Int
  public var datasetChecksums: [String: String]
  /// Training examples available to `--train-size` and the train-size keys (≥ trainCount).
  public var trainAvailable: Int
  /// Epochs without a better validation loss before the run stops (0: never).
  public var earlyStoppingPatience: Int
  /// The program that wrote the run when it is not nntop's own trainer ("pytorch" for the Python
  /// client), nil for nntop's. The screen then knows which records never come (the lab's views)
  /// and that nntop's flags are not this run's.
  public var writer: String? = nil
  /// The lab lesson this run was set up for (`Scenario.name`), nil for any other run. Only a name
  /// in `Scenario.all` shows anything: its texts come from the table, never from the log.
  public var lesson: String?

  public init(
    dataset: String, network: NetworkSpec, optimizer: OptimizerKind, hyperparameters: Hyperparameters,
    batchSize: Int, epochs: Int, schedule: LearningRateSchedule, seed: UInt64, threads: Int, trainCount: Int,
    validationCount: Int, testCount: Int, parameterCount: Int, stepsPerEpoch: Int,
    datasetChecksums: [String: String], trainAvailable: Int? = nil, earlyStoppingPatience: Int = 0,
    lesson: String? = nil
  ) {
    self.lesson = lesson
    self.trainAvailable = trainAvailable ?? trainCount
    self.earlyStoppingPatience = earlyStoppingPatience
    self.dataset = dataset
    self.network = network
    self.optimizer = optimizer
    self.hyperparameters = hyperparameters
    self.batchSize = batchSize
    self.epochs = epochs
    self.schedule = schedule
    self.seed = seed
    self.threads = threads
    self.trainCount = trainCount
    self.validationCount = validationCount
    self.testCount = testCount
    self.parameterCount = parameterCount
    self.stepsPerEpoch = stepsPerEpoch
    self.datasetChecksums = datasetChecksums
  }
}

/// Running training metrics, published every `statisticsEvery` steps.
public struct StepProgress: Sendable {
  public var step: Int
  /// Fractional epoch: 1.5 is halfway through the second epoch.
  public var epoch: Double
  /// Mean training loss and accuracy over the steps since the previous progress event.
  public var trainLoss: Double
  public var trainAccuracy: Double?
  public var learningRate: Double
  public var samplesPerSecond: Double
  public var elapsed: Double

  public init(
    step: Int, epoch: Double, trainLoss: Double, trainAccuracy: Double?, learningRate: Double,
    samplesPerSecond: Double, elapsed: Double
  ) {
    self.step = step
    self.epoch = epoch
    self.trainLoss = trainLoss
    self.trainAccuracy = trainAccuracy
    self.learningRate = learningRate
    self.samplesPerSecond = samplesPerSecond
    self.elapsed = elapsed
  }
}

/// A measurement on held-out data.
public struct Evaluation: Sendable {
  public enum Split: String, Sendable { case validation, test }
  public var step: Int
  public var epoch: Double
  public var split: Split
  public var loss: Double
  public var accuracy: Double?
  /// Examples evaluated (a subset inside an epoch, the whole split at its end).
  public var examples: Int

  /// Whether this is a quick look on a subset inside an epoch rather than the whole split at an
  /// epoch's end: the two measure different things, so every reader keeps them apart.
  public var isInsideEpoch: Bool { epoch.rounded() != epoch }

  public init(step: Int, epoch: Double, split: Split, loss: Double, accuracy: Double?, examples: Int) {
    self.step = step
    self.epoch = epoch
    self.split = split
    self.loss = loss
    self.accuracy = accuracy
    self.examples = examples
  }
}

/// Per-layer health at one step.
public struct LayerSnapshot: Sendable {
  public var step: Int
  public var epoch: Double
  public var layers: [LayerStatistics]

  public init(step: Int, epoch: Double, layers: [LayerStatistics]) {
    self.step = step
    self.epoch = epoch
    self.layers = layers
  }
}

public struct LayerStatistics: Sendable, Equatable {
  public var name: String
  public var units: Int
  /// Statistics of the layer's outputs (after its activation) over the batch.
  public var mean: Double
  public var std: Double
  public var min: Double
  public var max: Double
  public var quartiles: [Double]
  /// Counts over `bins` equal bins from `min` to `max`.
  public var histogram: [Int]
  /// ReLU units that output zero for every example of the batch.
  public var deadFraction: Double
  /// Sigmoid/tanh outputs within 1 % of their limits.
  public var saturatedFraction: Double
  public var weightNorm: Double
  public var gradientNorm: Double
  /// ‖Δw‖ / ‖w‖ of this step's update (`Thresholds.updateRatioBand` says what is healthy).
  public var updateRatio: Double

  /// Whether this is the network's output layer (which has no activation to die or saturate).
  public var isOutput: Bool { name == DenseLayout.outputName }

  public init(
    name: String, units: Int, mean: Double, std: Double, min: Double, max: Double, quartiles: [Double],
    histogram: [Int], deadFraction: Double, saturatedFraction: Double, weightNorm: Double,
    gradientNorm: Double, updateRatio: Double
  ) {
    self.name = name
    self.units = units
    self.mean = mean
    self.std = std
    self.min = min
    self.max = max
    self.quartiles = quartiles
    self.histogram = histogram
    self.deadFraction = deadFraction
    self.saturatedFraction = saturatedFraction
    self.weightNorm = weightNorm
    self.gradientNorm = gradientNorm
    self.updateRatio = updateRatio
  }
}

/// Where a checkpoint went, or why it could not be written.
public struct CheckpointRecord: Sendable, Equatable {
  public var step: Int
  public var epoch: Double
  /// The file written (empty when it failed).
  public var path: String
  public var reason: CheckpointReason
  /// Why writing failed, if it did.
  public var failure: String?

  public init(step: Int, epoch: Double, path: String, reason: CheckpointReason, failure: String? = nil) {
    self.step = step
    self.epoch = epoch
    self.path = path
    self.reason = reason
    self.failure = failure
  }
}

/// A knob turned, by a key, a command or the schedule.
public struct HyperparameterChange: Sendable {
  public var step: Int
  public var epoch: Double
  public var knob: Knob
  public var oldValue: Double
  public var newValue: Double
  public var source: ChangeSource

  public init(step: Int, epoch: Double, knob: Knob, oldValue: Double, newValue: Double, source: ChangeSource)
  {
    self.step = step
    self.epoch = epoch
    self.knob = knob
    self.oldValue = oldValue
    self.newValue = newValue
    self.source = source
  }
}

public struct Divergence: Sendable {
  public var step: Int
  public var epoch: Double
  /// "loss is nan", "gradient is inf", ...
  public var reason: String
  /// The first layer whose gradient is non-finite, if the loss itself was finite.
  public var layer: String?

  public init(step: Int, epoch: Double, reason: String, layer: String?) {
    self.step = step
    self.epoch = epoch
    self.reason = reason
    self.layer = layer
  }
}

public struct EpochSummary: Sendable {
  public var epoch: Int
  public var step: Int
  public var trainLoss: Double
  public var trainAccuracy: Double?
  public var validationLoss: Double
  public var validationAccuracy: Double?
  public var learningRate: Double
  public var samplesPerSecond: Double
  /// Seconds since the run started, including evaluation.
  public var elapsed: Double
  /// The loop's own other figures for the epoch (a PyTorch loop's F1, top-5 accuracy…), by name:
  /// nntop does not compute them, but carries them to every place an epoch's figures go.
  public var metrics: [String: Double]

  public init(
    epoch: Int, step: Int, trainLoss: Double, trainAccuracy: Double?, validationLoss: Double,
    validationAccuracy: Double?, learningRate: Double, samplesPerSecond: Double, elapsed: Double,
    metrics: [String: Double] = [:]
  ) {
    self.epoch = epoch
    self.step = step
    self.trainLoss = trainLoss
    self.trainAccuracy = trainAccuracy
    self.validationLoss = validationLoss
    self.validationAccuracy = validationAccuracy
    self.learningRate = learningRate
    self.samplesPerSecond = samplesPerSecond
    self.elapsed = elapsed
    self.metrics = metrics
  }

  /// The metrics in name order: how every output lists them, so equal runs print alike.
  public var sortedMetrics: [(name: String, value: Double)] {
    metrics.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
  }
}

public struct RunSummary: Sendable {
  public enum Outcome: String, Sendable, CaseIterable {
    case finished, stopped, diverged, earlyStopped = "early-stopped"
  }
  public var outcome: Outcome
  public var step: Int
  public var epochs: Int
  public var testLoss: Double?
  public var testAccuracy: Double?
  public var bestValidationLoss: Double?
  public var bestValidationAccuracy: Double?
  public var elapsed: Double

  public init(
    outcome: Outcome, step: Int, epochs: Int, testLoss: Double?, testAccuracy: Double?,
    bestValidationLoss: Double?, bestValidationAccuracy: Double?, elapsed: Double
  ) {
    self.outcome = outcome
    self.step = step
    self.epochs = epochs
    self.testLoss = testLoss
    self.testAccuracy = testAccuracy
    self.bestValidationLoss = bestValidationLoss
    self.bestValidationAccuracy = bestValidationAccuracy
    self.elapsed = elapsed
  }
}

/// An event and when it happened (seconds since the run started): a run log's line, and what a
/// replay plays back.
public struct TimedEvent: Sendable {
  public var time: Double
  public var event: RunEvent

  public init(time: Double, event: RunEvent) {
    self.time = time
    self.event = event
  }
}

extension StepProgress {
  /// The rate this record says is in effect, when it is the one to go by: another program's
  /// scheduler moves its rate without a record of its own (a StepLR run's panel and reading had
  /// kept the rate it started at), while nntop's own trainer announces every change and its keys
  /// turn a base rate that a schedule scales.
  public func rateInEffect(writtenByNntop: Bool) -> Double? {
    !writtenByNntop && learningRate.isFinite && learningRate > 0 ? learningRate : nil
  }
}

extension RunEvent {
  /// How another writer's last record begins when its training loop raised (the PyTorch client's
  /// "training raised KeyboardInterrupt: …", with no `finished` record after it): the run is over
  /// though its process may live on (a notebook's kernel, a test runner), so a watch that waited
  /// for the process to go had waited forever, and `runs` had listed it as running.
  public static let raisedPrefix = "training raised "

  /// The warning's text when this record says the writer's training loop raised and the run
  /// ended, else nil.
  public var raisedMessage: String? {
    if case .warning(let message) = self, message.hasPrefix(Self.raisedPrefix) { message } else { nil }
  }
}

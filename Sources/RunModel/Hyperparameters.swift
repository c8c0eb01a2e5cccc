import NeuralNet

#if canImport(Glibc)
  import Glibc
#endif

/// How the learning rate moves with the epochs, on top of the base rate the user sets.
///
/// The schedule gives a factor; turning the learning-rate knob mid-run changes the base, so a
/// key press and a schedule compose instead of fighting.
public enum LearningRateSchedule: Sendable, Equatable, Codable {
  case constant
  /// Multiply by `factor` every `every` epochs.
  case step(every: Int, factor: Double)
  /// Cosine decay from the base rate to zero over the run's epochs.
  case cosine

  /// Factor applied during `epoch` (1-based) of a run of `epochs` epochs.
  public func factor(epoch: Int, of epochs: Int) -> Double {
    switch self {
    case .constant: return 1
    case .step(let every, let factor):
      return pow(factor, Double((epoch - 1) / max(every, 1)))
    case .cosine:
      guard epochs > 1 else { return 1 }
      return 0.5 * (1 + cos(Double.pi * Double(epoch - 1) / Double(epochs)))
    }
  }

  public var name: String {
    switch self {
    case .constant: return "constant"
    case .step(let every, let factor): return "step(\(every),\(factor))"
    case .cosine: return "cosine"
    }
  }

  /// The text `init(parsing:)` reads back: "constant", "cosine", "step:10:0.1".
  public var specification: String {
    switch self {
    case .constant: return "constant"
    case .cosine: return "cosine"
    case .step(let every, let factor): return "step:\(every):\(factor)"
    }
  }

  /// Parses "constant", "cosine", "step" (every 10 epochs ×0.1) or "step:EVERY:FACTOR".
  public init?(parsing text: String) {
    // Empty parts are kept: "step::" is a mistake, not "step" with its defaults.
    let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    switch parts.first {
    case "constant" where parts.count == 1: self = .constant
    case "cosine" where parts.count == 1: self = .cosine
    case "step":
      if parts.count == 1 {
        self = .step(every: 10, factor: 0.1)
      } else if parts.count == 3, let every = Int(parts[1]), every > 0, let factor = Double(parts[2]),
        factor > 0, factor <= 1
      {
        self = .step(every: every, factor: factor)
      } else {
        return nil
      }
    default: return nil
    }
  }
}

/// The knobs that may change while a run is going: what the keys turn.
public struct Hyperparameters: Sendable, Equatable, Codable {
  public var learningRate: Double
  public var momentum: Double
  public var dropout: Double
  public var l2: Double

  public init(learningRate: Double, momentum: Double = 0.9, dropout: Double = 0, l2: Double = 0) {
    self.learningRate = learningRate
    self.momentum = momentum
    self.dropout = dropout
    self.l2 = l2
  }

  /// The value of a knob that is a hyperparameter (nil for the train size, which belongs to
  /// the data); setting it clamps into the knob's range.
  public subscript(knob: Knob) -> Double? {
    get { knob.field.map { self[keyPath: $0] } }
    set {
      guard let field = knob.field, let newValue else { return }
      self[keyPath: field] = knob.clamped(newValue)
    }
  }
}

/// Everything that fixes a run before it starts.
public struct TrainingConfiguration: Sendable {
  public var network: NetworkSpec
  public var optimizer: OptimizerKind
  public var hyperparameters: Hyperparameters
  public var batchSize: Int
  public var epochs: Int
  public var schedule: LearningRateSchedule
  public var seed: UInt64
  public var threads: Int
  /// Layer statistics and progress are published every this many steps.
  public var statisticsEvery: Int
  /// Validation points inside an epoch (on a subset), besides the full one at its end.
  public var evaluationsPerEpoch: Int
  /// Size of the validation subset used inside an epoch.
  public var quickValidationSize: Int
  /// Stop after this many epochs without a better validation loss (0: never).
  public var earlyStoppingPatience: Int
  /// What a non-finite loss or gradient does: stop the run, or pause it for the user.
  public var divergencePolicy: DivergencePolicy
  /// Save a checkpoint every this many epochs (0: only on request and at the end).
  public var checkpointEvery = 0
  /// Train on the first N training examples (nil: all); a command can change it between epochs.
  public var trainSize: Int?
  /// Where training starts from, when resuming.
  public var resume: CheckpointState?
  /// Commands to apply at given steps (`--script`, or a logged run's changes for `rerun`).
  public var script = CommandScript([])
  /// Start paused, so a lesson begins when the teacher presses space.
  public var startPaused = false
  /// The lab lesson (`Scenario.name`) this run was set up for: the header carries it, so the
  /// dashboard can show what to watch for, live and in a replay.
  public var lesson: String?
  /// Steps per second at most (nil: as fast as possible).
  public var pace: Double?

  public enum DivergencePolicy: String, Sendable, Codable { case stop, pause }

  /// The default statistics cadence: every 50 steps, but at least four times an epoch, so a run of
  /// short epochs (the overfit lesson has 8 steps an epoch; every 50 steps gave its gradient chart
  /// and trends four points in 30 epochs) still draws its layers' history.
  public static func defaultStatisticsEvery(stepsPerEpoch: Int) -> Int {
    min(50, max(1, stepsPerEpoch / 4))
  }

  public init(
    network: NetworkSpec, optimizer: OptimizerKind = .sgd, hyperparameters: Hyperparameters,
    batchSize: Int = 128, epochs: Int = 10, schedule: LearningRateSchedule = .constant, seed: UInt64 = 0,
    threads: Int = 1, statisticsEvery: Int = 50, evaluationsPerEpoch: Int = 4,
    quickValidationSize: Int = 1_000,
    earlyStoppingPatience: Int = 0, divergencePolicy: DivergencePolicy = .stop
  ) {
    self.network = network
    self.optimizer = optimizer
    self.hyperparameters = hyperparameters
    self.batchSize = batchSize
    self.epochs = epochs
    self.schedule = schedule
    self.seed = seed
    self.threads = threads
    self.statisticsEvery = statisticsEvery
    self.evaluationsPerEpoch = evaluationsPerEpoch
    self.quickValidationSize = quickValidationSize
    self.earlyStoppingPatience = earlyStoppingPatience
    self.divergencePolicy = divergencePolicy
  }
}

extension TrainingConfiguration {
  /// Batch sizes and epoch counts a run may have: the command line checks its flags against these
  /// and the readers of logs and checkpoints their fields, so a file cannot ask for more.
  public static let batchRange = 1...65_536
  public static let epochRange = 1...100_000
  /// Steps (and optimiser steps) a file may claim: 2⁴⁰, beyond any run (100 000 epochs of 55 000
  /// one-example batches is 5.5·10⁹), yet far from where converting a step to a Double and back
  /// or adding to it could trap.
  public static let stepRange = 0...(1 << 40)
}

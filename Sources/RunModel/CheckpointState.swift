import NeuralNet

/// Everything a run needs to continue: weights, optimiser state and where training was.
///
/// The trainer fills one of these (copies, taken between two steps) and hands it to whoever saves
/// checkpoints; the Training module itself never touches files.
public struct CheckpointState: Sendable {
  public var dataset: String
  public var network: NetworkSpec
  public var optimizer: OptimizerKind
  public var hyperparameters: Hyperparameters
  public var parameters: [Float]
  public var runningStats: [Float]
  public var firstMoment: [Float]
  public var secondMoment: [Float]
  public var optimizerSteps: Int
  /// Epochs fully completed and steps taken when saved.
  public var epochsCompleted: Int
  public var step: Int
  public var seed: UInt64
  public var batchSize: Int
  public var totalEpochs: Int
  /// Training examples in use when saved (nil: not recorded, by older files), so a resumed run
  /// keeps training on the same subset.
  public var trainSize: Int?
  /// The learning-rate schedule (nil: not recorded, by older files).
  public var schedule: LearningRateSchedule?
  /// Where in its epoch the run was, when saved between two of the epoch's steps (nil: at an
  /// epoch's end, or an older file).
  public var epochProgress: EpochProgress?
  /// The file held only what evaluation needs (the network, its weights and the dataset), not
  /// the optimiser's state or the position in training: it evaluates, but cannot be resumed.
  public var weightsOnly = false

  public init(
    dataset: String, network: NetworkSpec, optimizer: OptimizerKind, hyperparameters: Hyperparameters,
    parameters: [Float], runningStats: [Float], firstMoment: [Float], secondMoment: [Float],
    optimizerSteps: Int,
    epochsCompleted: Int, step: Int, seed: UInt64, batchSize: Int, totalEpochs: Int, trainSize: Int? = nil,
    schedule: LearningRateSchedule? = nil, epochProgress: EpochProgress? = nil
  ) {
    self.dataset = dataset
    self.network = network
    self.optimizer = optimizer
    self.hyperparameters = hyperparameters
    self.parameters = parameters
    self.runningStats = runningStats
    self.firstMoment = firstMoment
    self.secondMoment = secondMoment
    self.optimizerSteps = optimizerSteps
    self.epochsCompleted = epochsCompleted
    self.step = step
    self.seed = seed
    self.batchSize = batchSize
    self.totalEpochs = totalEpochs
    self.trainSize = trainSize
    self.schedule = schedule
    self.epochProgress = epochProgress
  }
}

/// Saves a checkpoint and says where, or why it could not.
public typealias CheckpointSaver =
  @Sendable (CheckpointState, CheckpointReason) -> Result<String, CheckpointFailure>

public struct CheckpointFailure: Error, CustomStringConvertible, Sendable {
  public let description: String
  public init(_ description: String) { self.description = description }
}

import Diagnosis
import NeuralNet
import RunModel

/// Hand-built run events, shaped like the trainer's, for the lesson tests.
enum Fixture {
  /// The header of an MNIST run; every lesson changes a few of these.
  static func header(
    hidden: [Int] = [256, 128], activation: Activation = .relu, initialization: Initialization? = nil,
    batchNorm: Bool = false, optimizer: OptimizerKind = .sgd, lr: Double = 0.05, momentum: Double = 0.9,
    dropout: Double = 0, l2: Double = 0, trainCount: Int = 55_000, trainAvailable: Int = 55_000
  ) -> RunEvent {
    let network = NetworkSpec(
      inputSize: 784, hiddenSizes: hidden, outputSize: 10, activation: activation, batchNorm: batchNorm,
      initialization: initialization)
    return .started(
      RunHeader(
        dataset: "mnist", network: network, optimizer: optimizer,
        hyperparameters: Hyperparameters(learningRate: lr, momentum: momentum, dropout: dropout, l2: l2),
        batchSize: 128, epochs: 10, schedule: .constant, seed: 0, threads: 2, trainCount: trainCount,
        validationCount: 5_000, testCount: 10_000, parameterCount: 0,
        stepsPerEpoch: max(1, trainCount / 128), datasetChecksums: [:], trainAvailable: trainAvailable))
  }

  static func progress(_ step: Int, loss: Double, accuracy: Double? = nil, lr: Double = 0.05) -> RunEvent {
    .progress(
      StepProgress(
        step: step, epoch: Double(step) / 430, trainLoss: loss, trainAccuracy: accuracy, learningRate: lr,
        samplesPerSecond: 10_000, elapsed: Double(step) / 100))
  }

  /// Progress every 50 steps from `from`, one record per loss.
  static func progress(from: Int = 50, losses: [Double], accuracy: Double? = nil) -> [RunEvent] {
    losses.enumerated().map { i, loss in progress(from + 50 * i, loss: loss, accuracy: accuracy) }
  }

  static func epoch(
    _ n: Int, train: Double, val: Double, trainAcc: Double? = nil, valAcc: Double? = nil, step: Int? = nil
  ) -> RunEvent {
    .epochEnded(
      EpochSummary(
        epoch: n, step: step ?? n * 430, trainLoss: train, trainAccuracy: trainAcc, validationLoss: val,
        validationAccuracy: valAcc, learningRate: 0.05, samplesPerSecond: 10_000, elapsed: Double(n)))
  }

  static func layer(
    _ name: String, dead: Double = 0.05, saturated: Double = 0, gradient: Double = 0.1, update: Double = 2e-3
  ) -> LayerStatistics {
    LayerStatistics(
      name: name, units: 128, mean: 0.3, std: 0.5, min: 0, max: 3, quartiles: [0, 0.2, 0.6],
      histogram: [40, 20, 10, 5, 2, 1], deadFraction: dead, saturatedFraction: saturated, weightNorm: 10,
      gradientNorm: gradient, updateRatio: update)
  }

  static func snapshot(_ step: Int, _ layers: [LayerStatistics]) -> RunEvent {
    .layerStatistics(LayerSnapshot(step: step, epoch: Double(step) / 430, layers: layers))
  }

  /// The same layers snapshotted every 50 steps, `count` times.
  static func snapshots(count: Int, from: Int = 50, _ layers: [LayerStatistics]) -> [RunEvent] {
    (0..<count).map { snapshot(from + 50 * $0, layers) }
  }

  /// Healthy layers of a [256, 128] network.
  static let healthyLayers = [layer("hidden1"), layer("hidden2"), layer("output", dead: 0)]

  /// The underfit lesson's first four epochs (L2 `l2`, 430 steps an epoch), training held near
  /// 84 % with validation close behind.
  static func underfitEvents(l2: Double = 0.05, hidden: [Int] = [8]) -> [RunEvent] {
    [header(hidden: hidden, l2: l2)]
      + snapshots(count: 3, hidden.indices.map { layer("hidden\($0 + 1)") } + [layer("output", dead: 0)])
      + progress(losses: [0.9, 0.7, 0.65, 0.62, 0.61, 0.60])
      + [
        epoch(1, train: 0.70, val: 0.69, trainAcc: 0.80, valAcc: 0.81),
        epoch(2, train: 0.62, val: 0.61, trainAcc: 0.83, valAcc: 0.84),
        epoch(3, train: 0.60, val: 0.60, trainAcc: 0.835, valAcc: 0.84),
        epoch(4, train: 0.598, val: 0.597, trainAcc: 0.836, valAcc: 0.84),
      ]
  }

  static func change(_ knob: Knob, from old: Double, to new: Double, step: Int) -> RunEvent {
    .hyperparameterChanged(
      HyperparameterChange(
        step: step, epoch: Double(step) / 430, knob: knob, oldValue: old, newValue: new,
        source: .key(String(knob.key(up: new > old)))))
  }

  static func diverged(_ step: Int, reason: String = "loss is nan") -> RunEvent {
    .diverged(Divergence(step: step, epoch: Double(step) / 430, reason: reason, layer: nil))
  }

  static func quick(_ step: Int, loss: Double, accuracy: Double) -> RunEvent {
    .evaluation(
      Evaluation(
        step: step, epoch: Double(step) / 430 + 0.001, split: .validation, loss: loss, accuracy: accuracy,
        examples: 1_000))
  }

  /// The dashboard's keys today (KeyMap owns them; mirrored here only to check the wording).
  static func keys(_ knob: Knob, _ up: Bool) -> String {
    switch knob {
    case .learningRate: return up ? "L" : "l"
    case .momentum: return up ? "M" : "m"
    case .dropout: return up ? "D" : "d"
    case .l2: return up ? "W" : "w"
    case .trainSize: return up ? "E" : "e"
    }
  }

  static func findings(_ events: [RunEvent]) -> [Finding] {
    Diagnosis.findings(for: RunHistory(events: events))
  }
}

extension Finding {
  var line: String { summary(keys: Fixture.keys) }
}

extension Fixture {
  /// The run's end, as the trainer reports it.
  static func finished(_ outcome: RunSummary.Outcome = .finished, epochs: Int, step: Int? = nil) -> RunEvent {
    .finished(
      RunSummary(
        outcome: outcome, step: step ?? epochs * 430, epochs: epochs, testLoss: 0.08, testAccuracy: 0.975,
        bestValidationLoss: nil, bestValidationAccuracy: nil, elapsed: 10))
  }

  /// The checkpoint a logged run writes at its end.
  static func finalCheckpoint(_ path: String, step: Int) -> RunEvent {
    .checkpoint(CheckpointRecord(step: step, epoch: Double(step) / 430, path: path, reason: .end))
  }
}

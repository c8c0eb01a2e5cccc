import Datasets
import NeuralNet
import RunModel
import Synchronization
import TestSupport
import Training

/// Collects events from the training queue for a test to inspect.
final class EventRecorder: Sendable {
  private let events = Mutex<[RunEvent]>([])

  func record(_ event: RunEvent) { events.withLock { $0.append(event) } }
  var all: [RunEvent] { events.withLock { $0 } }

  /// Polls until `predicate` holds for the recorded events, up to `deadline`; returns whether it
  /// held (the caller expects it).
  @discardableResult
  func wait(deadline: Duration = .seconds(20), until predicate: ([RunEvent]) -> Bool) -> Bool {
    eventually(within: deadline, poll: .milliseconds(2)) { predicate(all) }
  }
}

extension RunEvent {
  var epochSummary: EpochSummary? { if case .epochEnded(let s) = self { return s } else { return nil } }
  var progress: StepProgress? { if case .progress(let p) = self { return p } else { return nil } }
  var change: HyperparameterChange? {
    if case .hyperparameterChanged(let c) = self { return c } else { return nil }
  }
  var snapshot: LayerSnapshot? { if case .layerStatistics(let s) = self { return s } else { return nil } }
  var divergence: Divergence? { if case .diverged(let d) = self { return d } else { return nil } }
  var pausedStep: Int? { if case .paused(let s) = self { return s } else { return nil } }
  var summary: RunSummary? { if case .finished(let s) = self { return s } else { return nil } }
  var isStarted: Bool { if case .started = self { return true } else { return false } }
}

func configuration(
  for bundle: DatasetBundle, hidden: [Int] = [16], epochs: Int = 5, lr: Double = 0.05, batch: Int = 32,
  threads: Int = 1, statsEvery: Int = 5, seed: UInt64 = 0, activation: Activation = .relu
) -> TrainingConfiguration {
  let loss: LossFunction
  switch bundle.task {
  case .classification(let classes): loss = classes == 2 ? .sigmoidBinaryCrossEntropy : .softmaxCrossEntropy
  case .regression: loss = .squaredError
  }
  return TrainingConfiguration(
    network: NetworkSpec(
      inputSize: bundle.featureCount, hiddenSizes: hidden, outputSize: bundle.outputCount,
      activation: activation,
      loss: loss),
    optimizer: .sgd, hyperparameters: Hyperparameters(learningRate: lr, momentum: 0.9), batchSize: batch,
    epochs: epochs, seed: seed, threads: threads, statisticsEvery: statsEvery)
}

/// Runs a whole training run synchronously and returns its events.
func train(_ configuration: TrainingConfiguration, on bundle: DatasetBundle) -> [RunEvent] {
  var events: [RunEvent] = []
  let trainer = Trainer(configuration: configuration, dataset: bundle) { events.append($0) }
  trainer.run()
  return events
}

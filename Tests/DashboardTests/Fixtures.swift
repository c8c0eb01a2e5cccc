import NeuralNet
import RunModel
import Terminal

@testable import Dashboard

/// A run's events as the trainer would emit them, for rendering and state tests.
enum RunFixture {
  static func header(epochs: Int = 10, loss: LossFunction = .softmaxCrossEntropy) -> RunHeader {
    RunHeader(
      dataset: "mnist",
      network: NetworkSpec(inputSize: 784, hiddenSizes: [256, 128], outputSize: 10, loss: loss),
      optimizer: .sgd,
      hyperparameters: Hyperparameters(learningRate: 0.05, momentum: 0.9), batchSize: 128, epochs: epochs,
      schedule: .constant, seed: 0, threads: 2, trainCount: 55_000, validationCount: 5_000, testCount: 10_000,
      parameterCount: 235_146, stepsPerEpoch: 430, datasetChecksums: [:])
  }

  static func layer(_ name: String, units: Int, gradient: Double = 0.1, dead: Double = 0.1) -> LayerStatistics
  {
    LayerStatistics(
      name: name, units: units, mean: 0.3, std: 0.5, min: 0, max: 3, quartiles: [0, 0.2, 0.6],
      histogram: [40, 20, 10, 5, 2, 1], deadFraction: dead, saturatedFraction: 0, weightNorm: 10,
      gradientNorm: gradient, updateRatio: 1e-3)
  }

  static func epoch(_ n: Int, train: Double, val: Double, trainAcc: Double? = 0.95, valAcc: Double? = 0.94)
    -> EpochSummary
  {
    EpochSummary(
      epoch: n, step: 430 * n, trainLoss: train, trainAccuracy: trainAcc, validationLoss: val,
      validationAccuracy: valAcc, learningRate: 0.05, samplesPerSecond: 120_000, elapsed: Double(n) * 0.5)
  }

  /// Three epochs of a healthy run with statistics.
  static func events(epochs: Int = 3) -> [RunEvent] {
    var events: [RunEvent] = [.started(header())]
    for e in 1...epochs {
      for q in 1...4 {
        let x = Double(e - 1) + Double(q) / 4
        let loss = 1.0 / (x + 0.5)
        events.append(
          .progress(
            StepProgress(
              step: Int(x * 430), epoch: x, trainLoss: loss, trainAccuracy: 1 - loss / 4, learningRate: 0.05,
              samplesPerSecond: 120_000, elapsed: x * 0.5)))
        events.append(
          .layerStatistics(
            LayerSnapshot(
              step: Int(x * 430), epoch: x,
              layers: [
                layer("hidden1", units: 256, gradient: 0.2 / x), layer("hidden2", units: 128),
                layer("output", units: 10, dead: 0),
              ])))
        events.append(
          .evaluation(
            Evaluation(
              step: Int(x * 430), epoch: x, split: .validation, loss: loss * 1.1, accuracy: 1 - loss / 3.5,
              examples: 1_000)))
      }
      events.append(.epochEnded(epoch(e, train: 1.0 / (Double(e) + 0.5), val: 1.1 / (Double(e) + 0.5))))
    }
    return events
  }
}

func controller(events: [RunEvent] = RunFixture.events(), glyphs: Glyphs = .unicode, theme: Theme = .builtIn)
  -> DashboardController
{
  let c = DashboardController(view: ViewOptions(themes: [theme], glyphs: glyphs))
  for e in events { c.apply(e, now: 0) }
  return c
}

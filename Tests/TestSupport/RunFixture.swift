import NeuralNet
import RunModel

/// Runs' events as the trainer would emit them, for rendering, state and log tests.
public enum RunFixture {
  /// The header of an MNIST run.
  public static func header(epochs: Int = 10, loss: LossFunction = .softmaxCrossEntropy) -> RunHeader {
    RunHeader(
      dataset: "mnist",
      network: NetworkSpec(inputSize: 784, hiddenSizes: [256, 128], outputSize: 10, loss: loss),
      optimizer: .sgd,
      hyperparameters: Hyperparameters(learningRate: 0.05, momentum: 0.9), batchSize: 128, epochs: epochs,
      schedule: .constant, seed: 0, threads: 2, trainCount: 55_000, validationCount: 5_000, testCount: 10_000,
      parameterCount: 235_146, stepsPerEpoch: 430, datasetChecksums: [:])
  }

  public static func layer(_ name: String, units: Int, gradient: Double = 0.1, dead: Double = 0.1)
    -> LayerStatistics
  {
    LayerStatistics(
      name: name, units: units, mean: 0.3, std: 0.5, min: 0, max: 3, quartiles: [0, 0.2, 0.6],
      histogram: [40, 20, 10, 5, 2, 1], deadFraction: dead, saturatedFraction: 0, weightNorm: 10,
      gradientNorm: gradient, updateRatio: 1e-3)
  }

  public static func epoch(
    _ n: Int, train: Double, val: Double, trainAcc: Double? = 0.95, valAcc: Double? = 0.94
  ) -> EpochSummary {
    EpochSummary(
      epoch: n, step: 430 * n, trainLoss: train, trainAccuracy: trainAcc, validationLoss: val,
      validationAccuracy: valAcc, learningRate: 0.05, samplesPerSecond: 120_000, elapsed: Double(n) * 0.5)
  }

  /// Three epochs of a healthy run with statistics.
  public static func events(epochs: Int = 3) -> [RunEvent] {
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
        // As the trainer does: quick looks on 1 000 examples inside the epoch, the whole
        // validation set at its end (just before the epoch's summary).
        let end = q == 4
        events.append(
          .evaluation(
            Evaluation(
              step: Int(x * 430), epoch: x, split: .validation, loss: loss * (end ? 1.1 : 1.05),
              accuracy: end ? 0.94 : 1 - loss / 3.4, examples: end ? 5_000 : 1_000)))
      }
      events.append(.epochEnded(epoch(e, train: 1.0 / (Double(e) + 0.5), val: 1.1 / (Double(e) + 0.5))))
    }
    return events
  }

  /// The header of a short spiral run, with the extremes a log must carry exactly (the largest seed,
  /// a step schedule, dataset checksums).
  public static let spiralHeader = RunHeader(
    dataset: "spiral", network: NetworkSpec(inputSize: 2, hiddenSizes: [8], outputSize: 3), optimizer: .sgd,
    hyperparameters: Hyperparameters(learningRate: 0.05), batchSize: 32, epochs: 2,
    schedule: .step(every: 1, factor: 0.5), seed: 18_446_744_073_709_551_615, threads: 1, trainCount: 1000,
    validationCount: 500, testCount: 500, parameterCount: 51, stepsPerEpoch: 32,
    datasetChecksums: ["a.gz": "0b36"])

  /// A realistic run's events with one of every kind, including non-finite numbers and quoted text.
  public static let everyKind: [RunEvent] = {
    var events: [RunEvent] = []
    events.append(.started(spiralHeader))
    events.append(
      .progress(
        StepProgress(
          step: 5, epoch: 0.15625, trainLoss: 1.0986, trainAccuracy: 0.34, learningRate: 0.05,
          samplesPerSecond: 1e5,
          elapsed: 0.01)))
    events.append(
      .layerStatistics(
        LayerSnapshot(
          step: 5, epoch: 0.15625,
          layers: [
            LayerStatistics(
              name: "hidden1", units: 8, mean: 0.25, std: 0.5, min: 0, max: 2, quartiles: [0, 0.1, 0.4],
              histogram: [10, 5, 0, 1], deadFraction: 0.125, saturatedFraction: 0, weightNorm: 3,
              gradientNorm: .infinity,
              updateRatio: .nan)
          ])))
    events.append(
      .hyperparameterChanged(
        HyperparameterChange(
          step: 6, epoch: 0.2, knob: .dropout, oldValue: 0, newValue: 0.05, source: .key("D"))))
    events.append(.paused(step: 6))
    events.append(.resumed(step: 6))
    events.append(
      .evaluation(
        Evaluation(step: 8, epoch: 0.25, split: .validation, loss: .nan, accuracy: nil, examples: 500)))
    events.append(.diverged(Divergence(step: 9, epoch: 0.3, reason: "loss is nan", layer: nil)))
    events.append(.warning("a \"quoted\"\nwarning"))
    events.append(
      .validationDetail(
        ValidationDetail(
          step: 32, epoch: 1, classes: 3, confusion: [5, 1, 0, 0, 4, 2, 1, 0, 6],
          mistakes: [ValidationDetail.Mistake(label: 0, predicted: 1, pixels: [0, 17, 255, 128])],
          imageRows: 2,
          imageCols: 2)))
    events.append(
      .decisionRegions(
        DecisionGrid(
          step: 32, epoch: 1, columns: 2, rows: 1, xRange: -1.5...1.25, yRange: -0.5...2, classes: 3,
          predictions: [0, 2], confidence: [9, 4],
          points: [DecisionGrid.Point(x: 0.1, y: -0.3, label: 2, validation: true)])))
    events.append(
      .trajectory(
        Trajectory(
          step: 32, epoch: 1, points: [(-1.5, 0.25), (1.5, -0.25)], steps: [1, 31], explained: [0.9, 0.05])))
    events.append(
      .epochEnded(
        EpochSummary(
          epoch: 1, step: 32, trainLoss: 0.5, trainAccuracy: 0.8, validationLoss: 0.45,
          validationAccuracy: 0.82,
          learningRate: 0.05, samplesPerSecond: 123_456.789, elapsed: 0.3)))
    events.append(
      .finished(
        RunSummary(
          outcome: .earlyStopped, step: 64, epochs: 2, testLoss: 0.4, testAccuracy: nil,
          bestValidationLoss: 0.45,
          bestValidationAccuracy: 0.82, elapsed: 0.6)))
    events.append(
      .learnedCurve(
        LearnedCurve(
          step: 12, epoch: 1, xs: [-3, 0, 3], mean: [-0.1, 0, 0.1], spread: [0.2, 0, .nan], pointsX: [-1, 1],
          pointsY: [-0.8, 0.8])))
    var sweep = LearningRateSweep(
      rates: [1e-7, 1e-3, 10], losses: [2.3, 1.1, .infinity], smoothed: [2.3, 2.2, 9.5],
      stop: "the smoothed loss passed 4× its best", suggestion: 1e-3)
    sweep.step = 12
    sweep.epoch = 0.375
    events.append(.learningRateSweep(sweep))
    events.append(
      .dropoutUncertainty(
        DropoutUncertainty(
          step: 32, epoch: 1, passes: 20, dropout: 0.25, classes: 3, examined: 500,
          weightScalingAccuracy: 0.9,
          averagedAccuracy: 0.92, weightScalingEntropy: 0.2, averagedEntropy: .nan,
          examples: [
            DropoutUncertainty.Example(
              label: 2, mean: [0.2, 0.3, 0.5], spread: [0.1, 0, .infinity], pixels: [0, 255, 7, 9])
          ], imageRows: 2, imageCols: 2,
          plane: DropoutUncertainty.Plane(
            columns: 2, rows: 1, xRange: -1...1, yRange: 0...2, entropy: [0, 255])))
    )
    return events
  }()
}

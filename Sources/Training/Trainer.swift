import Datasets
import NeuralNet
import RunModel

/// Runs one training run from start to finish on the calling thread, publishing `RunEvent`s.
///
/// The trainer owns the model; nothing else touches it. Commands arrive through the mailbox and
/// are applied at the top of a step, so a key press never lands in the middle of an update.
public final class Trainer {
  public let configuration: TrainingConfiguration
  public let dataset: DatasetBundle
  public let network: Network
  public let learner: Learner
  private let mailbox: CommandMailbox
  private let emit: (RunEvent) -> Void
  private let saver: CheckpointSaver?
  private var checkpointRequested = false
  private var epochsCompleted = 0
  /// Examples trained on, and a size asked for that takes effect at the next epoch.
  private var trainSize: Int
  private var pendingTrainSize: (size: Int, source: ChangeSource)?
  private let evaluator: Evaluator
  private var statistics: StatisticsCollector
  /// Weights from the last statistics step whose loss was finite: where a diverged run rolls back
  /// to (with the optimiser's moments cleared), so lowering the learning rate can recover it.
  private var safeParameters: FloatBuffer
  private var safeStep = 0
  private var trajectory: TrajectoryRecorder
  private var hyper: Hyperparameters
  private var scheduleFactor = 1.0
  private var paused = false
  private var singleSteps = 0
  /// Whether the step about to run was granted by a single-step command (it is then reported in
  /// full, so the user sees exactly what one step did).
  private var steppingOnce = false
  private var stopRequested = false
  private(set) public var step = 0
  private var epochPosition = 0.0
  private let clock = Stopwatch()

  public init(
    configuration: TrainingConfiguration, dataset: DatasetBundle, mailbox: CommandMailbox = CommandMailbox(),
    saver: CheckpointSaver? = nil, emit: @escaping (RunEvent) -> Void
  ) {
    self.saver = saver
    self.configuration = configuration
    self.dataset = dataset
    self.mailbox = mailbox
    self.emit = emit
    network = Network(spec: configuration.network, seed: configuration.seed)
    learner = Learner(
      network: network, optimizer: configuration.optimizer, batchSize: configuration.batchSize,
      threads: configuration.threads, seed: configuration.seed)
    evaluator = Evaluator(network: network)
    statistics = StatisticsCollector(parameterCount: network.parameterCount)
    safeParameters = FloatBuffer(count: network.parameterCount)
    trajectory = TrajectoryRecorder(parameterCount: network.parameterCount, seed: configuration.seed)
    hyper = configuration.hyperparameters
    safeParameters.copy(from: network.parameters)
    trainSize = min(max(1, configuration.trainSize ?? dataset.train.count), dataset.train.count)
    if let resume = configuration.resume {
      // Validated by the loader: same architecture, so the buffers have the same sizes.
      network.parameters.base.update(from: resume.parameters, count: network.parameterCount)
      network.runningStats.base.update(from: resume.runningStats, count: network.runningStats.count)
      learner.optimizer.firstMoment.base.update(from: resume.firstMoment, count: resume.firstMoment.count)
      learner.optimizer.secondMoment.base.update(from: resume.secondMoment, count: resume.secondMoment.count)
      learner.optimizer.restore(stepCount: resume.optimizerSteps)
      step = resume.step
      epochsCompleted = resume.epochsCompleted
      safeParameters.copy(from: network.parameters)
      safeStep = resume.step
    }
  }

  /// Restores the last safe weights and clears momentum (which would carry the explosion on).
  private func rollBack() {
    network.parameters.copy(from: safeParameters)
    learner.optimizer.firstMoment.fill(0)
    learner.optimizer.secondMoment.fill(0)
    emit(
      .warning(
        "rolled the weights back to step \(safeStep) and cleared the optimiser's momentum; "
          + "lower the learning rate (l) and resume (space)"))
  }

  /// A copy of everything needed to continue, taken between two steps.
  public func checkpointState() -> CheckpointState {
    CheckpointState(
      dataset: dataset.name, network: configuration.network, optimizer: configuration.optimizer,
      hyperparameters: hyper,
      parameters: network.parameters.array, runningStats: network.runningStats.array,
      firstMoment: learner.optimizer.firstMoment.array,
      secondMoment: configuration.optimizer == .adam ? learner.optimizer.secondMoment.array : [],
      optimizerSteps: learner.optimizer.stepCount, epochsCompleted: epochsCompleted, step: step,
      seed: configuration.seed,
      batchSize: configuration.batchSize, totalEpochs: configuration.epochs)
  }

  private func saveCheckpoint(reason: CheckpointReason) {
    guard let saver else { return }
    switch saver(checkpointState(), reason) {
    case .success(let path):
      emit(
        .checkpoint(
          CheckpointRecord(step: step, epoch: epochPosition, path: path, reason: reason)))
    case .failure(let failure):
      emit(
        .checkpoint(
          CheckpointRecord(
            step: step, epoch: epochPosition, path: "", reason: reason, failure: failure.description)))
    }
  }

  private var learningRate: Double { hyper.learningRate * scheduleFactor }

  /// Trains until the last epoch, a stop command, early stopping or divergence.
  @discardableResult
  public func run() -> RunSummary {
    let config = configuration
    var train = dataset.train.prefix(trainSize)
    var order = BatchOrder(count: train.count, batchSize: config.batchSize)
    emit(.started(header(stepsPerEpoch: order.batchCount)))
    for warning in dataset.warnings { emit(.warning(warning)) }

    var best: (loss: Double, accuracy: Double?)?
    var epochsSinceBest = 0
    var outcome = RunSummary.Outcome.finished
    var completedEpochs = epochsCompleted
    let evaluationsPerEpoch = max(0, config.evaluationsPerEpoch)
    let statsEvery = max(1, config.statisticsEvery)

    epochPosition = Double(epochsCompleted)
    let firstEpoch = epochsCompleted + 1
    epochs: for epoch in firstEpoch...max(firstEpoch, config.epochs) {
      let factor = config.schedule.factor(epoch: epoch, of: config.epochs)
      if factor != scheduleFactor {
        let old = learningRate
        scheduleFactor = factor
        emit(.hyperparameterChanged(change(.learningRate, old, learningRate, .schedule)))
      }
      if let pending = pendingTrainSize {
        pendingTrainSize = nil
        if pending.size != trainSize {
          let old = trainSize
          trainSize = pending.size
          train = dataset.train.prefix(trainSize)
          order = BatchOrder(count: train.count, batchSize: config.batchSize)
          emit(.hyperparameterChanged(change(.trainSize, Double(old), Double(trainSize), pending.source)))
        }
      }
      // Each epoch's order depends only on the seed and the epoch, so a resumed run visits the
      // remaining epochs exactly as the uninterrupted run would have.
      var shuffler = SeededGenerator(
        seed: config.seed &+ 0x0005_4E55_FF1E &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
      order.shuffle(using: &shuffler)
      let batches = order.batchCount
      var epochLoss = 0.0
      var epochCorrect = 0
      var epochRows = 0
      var epochSeconds = 0.0
      var windowLoss = 0.0
      var windowCorrect = 0
      var windowRows = 0
      var windowSeconds = 0.0
      var nextQuickEval = 1
      for b in 0..<batches {
        guard waitForPermissionToStep() else {
          outcome = .stopped
          break epochs
        }
        if checkpointRequested {
          checkpointRequested = false
          saveCheckpoint(reason: .requested)
        }
        let range = order.batch(b)
        let collect = step % statsEvery == 0 || steppingOnce
        if collect { statistics.rememberParameters(of: network) }
        let settings = UpdateSettings(
          learningRate: Float(learningRate), momentum: Float(hyper.momentum), weightDecay: Float(hyper.l2))
        let started = Stopwatch.now()
        let result = order.positions.withUnsafeBufferPointer { positions in
          learner.step(rows: range.count, settings: settings, dropout: Float(hyper.dropout)) { ws, part in
            let slice = positions[(range.lowerBound + part.lowerBound)..<(range.lowerBound + part.upperBound)]
            train.copyRows(
              UnsafeBufferPointer(rebasing: slice), features: ws.input.base, labels: ws.labels.base,
              targets: ws.targets.base)
          }
        }
        let seconds = Stopwatch.now() - started
        step += 1
        epochPosition = Double(epoch - 1) + Double(b + 1) / Double(batches)
        if result.status != .applied {
          emit(.diverged(divergence(result)))
          if config.divergencePolicy == .stop {
            outcome = .diverged
            break epochs
          }
          rollBack()
          if !paused {
            paused = true
            emit(.paused(step: step))
          }
          continue
        }
        if collect {
          safeParameters.copy(from: statistics.parametersBeforeStep)
          safeStep = step - 1
          trajectory.record(network.parameters, step: step)
        }
        epochLoss += result.lossSum
        epochCorrect += result.correct
        epochRows += result.rows
        epochSeconds += seconds
        windowLoss += result.lossSum
        windowCorrect += result.correct
        windowRows += result.rows
        windowSeconds += seconds
        if collect {
          let layers = statistics.collect(learner: learner, gradientNorms: result.gradientNorms)
          emit(.layerStatistics(LayerSnapshot(step: step, epoch: epochPosition, layers: layers)))
        }
        if step % statsEvery == 0 || b == batches - 1 || steppingOnce {
          emit(
            .progress(
              StepProgress(
                step: step, epoch: epochPosition, trainLoss: windowLoss / Double(max(windowRows, 1)),
                trainAccuracy: accuracy(windowCorrect, windowRows), learningRate: learningRate,
                samplesPerSecond: windowSeconds > 0 ? Double(windowRows) / windowSeconds : 0,
                elapsed: clock.elapsed)))
          windowLoss = 0
          windowCorrect = 0
          windowRows = 0
          windowSeconds = 0
        }
        if evaluationsPerEpoch > 1, nextQuickEval < evaluationsPerEpoch,
          (b + 1) * evaluationsPerEpoch >= nextQuickEval * batches
        {
          nextQuickEval += 1
          let quick = evaluator.evaluate(dataset.validation, limit: config.quickValidationSize)
          emit(
            .evaluation(
              Evaluation(
                step: step, epoch: epochPosition, split: .validation, loss: quick.loss,
                accuracy: quick.accuracy, examples: quick.examples)))
        }
      }
      var predictions: [Int] = []
      let classification = network.spec.loss.reportsAccuracy
      let validation = evaluator.evaluate(
        dataset.validation, predictions: &predictions, collect: classification)
      emit(
        .evaluation(
          Evaluation(
            step: step, epoch: Double(epoch), split: .validation, loss: validation.loss,
            accuracy: validation.accuracy, examples: validation.examples)))
      if classification, case .classification(let classes) = dataset.task,
        let grid = DecisionGrid.make(
          network: network, dataset: dataset, classes: classes, step: step, epoch: Double(epoch))
      {
        emit(.decisionRegions(grid))
      }
      if let path = trajectory.project(step: step, epoch: Double(epoch)) { emit(.trajectory(path)) }
      if classification, case .classification(let classes) = dataset.task {
        emit(
          .validationDetail(
            ValidationDetail.make(
              step: step, epoch: Double(epoch), classes: classes, predictions: predictions,
              split: dataset.validation,
              imageShape: dataset.imageShape)))
      }
      completedEpochs = epoch
      epochsCompleted = epoch
      emit(
        .epochEnded(
          EpochSummary(
            epoch: epoch, step: step, trainLoss: epochLoss / Double(max(epochRows, 1)),
            trainAccuracy: accuracy(epochCorrect, epochRows), validationLoss: validation.loss,
            validationAccuracy: validation.accuracy, learningRate: learningRate,
            samplesPerSecond: epochSeconds > 0 ? Double(epochRows) / epochSeconds : 0,
            elapsed: clock.elapsed)))
      if config.checkpointEvery > 0 && epoch % config.checkpointEvery == 0 && epoch < config.epochs {
        saveCheckpoint(reason: .periodic(epochs: config.checkpointEvery))
      }
      if validation.loss < (best?.loss ?? .infinity) {
        best = (validation.loss, validation.accuracy)
        epochsSinceBest = 0
      } else {
        epochsSinceBest += 1
        if config.earlyStoppingPatience > 0 && epochsSinceBest >= config.earlyStoppingPatience {
          outcome = .earlyStopped
          break epochs
        }
      }
    }
    var summary = RunSummary(
      outcome: outcome, step: step, epochs: completedEpochs, testLoss: nil, testAccuracy: nil,
      bestValidationLoss: best?.loss, bestValidationAccuracy: best?.accuracy, elapsed: 0)
    if outcome != .diverged {
      let test = evaluator.evaluate(dataset.test)
      summary.testLoss = test.loss
      summary.testAccuracy = test.accuracy
      emit(
        .evaluation(
          Evaluation(
            step: step, epoch: epochPosition, split: .test, loss: test.loss, accuracy: test.accuracy,
            examples: test.examples)))
    }
    if outcome != .diverged { saveCheckpoint(reason: .end) }
    summary.elapsed = clock.elapsed
    emit(.finished(summary))
    return summary
  }

  private func accuracy(_ correct: Int, _ rows: Int) -> Double? {
    guard network.spec.loss.reportsAccuracy, rows > 0 else { return nil }
    return Double(correct) / Double(rows)
  }

  private func header(stepsPerEpoch: Int) -> RunHeader {
    RunHeader(
      dataset: dataset.name, network: configuration.network, optimizer: configuration.optimizer,
      hyperparameters: hyper, batchSize: configuration.batchSize, epochs: configuration.epochs,
      schedule: configuration.schedule, seed: configuration.seed, threads: learner.threads,
      trainCount: trainSize, validationCount: dataset.validation.count,
      testCount: dataset.test.count, parameterCount: network.parameterCount, stepsPerEpoch: stepsPerEpoch,
      datasetChecksums: dataset.checksums, trainAvailable: dataset.train.count,
      earlyStoppingPatience: configuration.earlyStoppingPatience)
  }

  private func divergence(_ result: StepOutcome) -> Divergence {
    switch result.status {
    case .nonFiniteGradient(let layer):
      let norm = result.gradientNorms[layer]
      return Divergence(
        step: step, epoch: epochPosition,
        reason: "gradient is \(norm.isNaN ? "nan" : "inf") in \(network.layers[layer].name)",
        layer: network.layers[layer].name)
    default:
      let loss = result.lossSum
      return Divergence(
        step: step, epoch: epochPosition, reason: "loss is \(loss.isNaN ? "nan" : "inf")", layer: nil)
    }
  }

  private func change(_ knob: Knob, _ old: Double, _ new: Double, _ source: ChangeSource)
    -> HyperparameterChange
  {
    HyperparameterChange(
      step: step, epoch: epochPosition, knob: knob, oldValue: old, newValue: new, source: source)
  }

  /// Applies pending commands; while paused, sleeps until told to step, resume or stop.
  /// Returns false when the run must stop.
  private func waitForPermissionToStep() -> Bool {
    steppingOnce = false
    while true {
      for (command, source) in mailbox.drain() { apply(command, source: source) }
      if stopRequested { return false }
      if !paused { return true }
      if singleSteps > 0 {
        singleSteps -= 1
        steppingOnce = true
        return true
      }
      mailbox.wait(timeout: 0.5)
    }
  }

  private func apply(_ command: Command, source: ChangeSource) {
    switch command {
    case .set(.trainSize, let size):
      let clamped = Knob.trainSize.clamped(size)
      pendingTrainSize = (min(Int(clamped), dataset.train.count), source)
    case .set(let knob, let value):
      set(knob, to: value, source: source)
    case .pause:
      if !paused {
        paused = true
        emit(.paused(step: step))
      }
    case .resume:
      if paused {
        paused = false
        singleSteps = 0
        emit(.resumed(step: step))
      }
    case .singleStep:
      if paused { singleSteps += 1 }
    case .stop:
      stopRequested = true
    case .checkpoint:
      checkpointRequested = true
    }
  }

  /// Sets one knob, clamped to its range, and reports the change (if it is one).
  private func set(_ knob: Knob, to value: Double, source: ChangeSource) {
    guard let old = hyper[knob] else { return }
    hyper[knob] = value
    guard let new = hyper[knob], new != old else { return }
    emit(.hyperparameterChanged(change(knob, old, new, source)))
  }
}

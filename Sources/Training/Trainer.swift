import Datasets
import NeuralNet
import RunModel
import SystemIO

/// Runs one training run from start to finish on the calling thread, publishing `RunEvent`s.
///
/// The trainer owns the model; nothing else touches it. Commands arrive through the mailbox and
/// are applied at the top of a step, so a key press never lands in the middle of an update.
///
/// `run()` reads as the run's phases: the start of an epoch, one step, what follows a step,
/// the end of an epoch and the end of the run. The order in which they emit events is the run
/// log's order, so moving an `emit` between phases changes every log written afterwards.
public final class Trainer {
  public let configuration: TrainingConfiguration
  public let dataset: DatasetBundle
  public let network: Network
  public let learner: Learner
  let mailbox: CommandMailbox
  let emit: (RunEvent) -> Void
  let saver: CheckpointSaver?
  var checkpointRequested = false
  var epochsCompleted = 0
  /// Examples trained on, and a size asked for that takes effect at the next epoch.
  var trainSize: Int
  var pendingTrainSize: (size: Int, source: ChangeSource)?
  /// The first `trainSize` training examples, and this epoch's order of visiting them.
  var train: DataSplit
  var order: BatchOrder
  private let evaluator: Evaluator
  private var statistics: StatisticsCollector
  /// Weights from the last statistics step whose loss was finite: where a diverged run rolls back
  /// to (with the optimiser's moments cleared), so lowering the learning rate can recover it.
  var safeParameters: FloatBuffer
  var safeStep = 0
  private var trajectory: TrajectoryRecorder
  var hyper: Hyperparameters
  private var scheduleFactor = 1.0
  var paused = false
  var singleSteps = 0
  /// Whether the step about to run was granted by a single-step command (it is then reported in
  /// full, so the user sees exactly what one step did).
  var steppingOnce = false
  var stopRequested = false
  private(set) public var step = 0
  var epochPosition = 0.0
  private let clock = Stopwatch()
  /// Seconds spent paused, and since when the run has been paused: elapsed time, throughput and
  /// the ETA are training time, which a pause (a lesson's explanation, a break) is not.
  var pausedSeconds = 0.0
  var pausedSince: Double?
  /// Seconds of training so far: the run's wall time less its pauses (pacing counts: it is how
  /// fast this run was asked to train).
  var trainingSeconds: Double {
    clock.elapsed - pausedSeconds - (pausedSince.map { Stopwatch.now() - $0 } ?? 0)
  }
  /// This epoch's metrics, and those since the last progress event.
  var epochMetrics = MetricWindow()
  var progressMetrics = MetricWindow()
  /// The next of the epoch's quick validation points (1-based).
  private var nextQuickEvaluation = 1
  /// Steps taken in the current epoch (0 at its start and once it has ended): a checkpoint between
  /// two of its steps records it, with the epoch's sums, so a resumed run goes on from there.
  var stepsIntoEpoch = 0
  /// A resumed checkpoint's place in its epoch, until that epoch begins.
  private var resumedProgress: EpochProgress?
  private var bestValidation = BestValidation()
  /// Commands still to come at their steps.
  var script: CommandScript
  /// Steps per second at most (nil: full speed), and when the next step may start.
  var pace: Double?
  var nextStepTime = 0.0
  /// The loss the run started from (never below an untrained classifier's ln C), set by the
  /// first step. A step's mean loss over 100× this is an explosion even while it is finite;
  /// weights are kept as the rollback point only while the loss is within 3× of it (CS231n's
  /// early-stop rule), so a rollback never lands on weights already climbing towards one.
  var startLoss: Double?
  var explosionLimit: Double { 100 * (startLoss ?? .infinity) }
  var climbingLimit: Double { 3 * (startLoss ?? .infinity) }

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
    evaluator = Evaluator(network: network, cores: learner.threads)
    statistics = StatisticsCollector(parameterCount: network.parameterCount)
    safeParameters = FloatBuffer(count: network.parameterCount)
    trajectory = TrajectoryRecorder(parameterCount: network.parameterCount, seed: configuration.seed)
    hyper = configuration.hyperparameters
    script = configuration.script
    pace = configuration.pace
    safeParameters.copy(from: network.parameters)
    trainSize = min(max(1, configuration.trainSize ?? dataset.train.count), dataset.train.count)
    train = dataset.train.prefix(trainSize)
    order = BatchOrder(count: train.count, batchSize: configuration.batchSize)
    if let resume = configuration.resume { restore(resume) }
  }

  /// Takes a checkpoint's weights, optimiser state and position (validated by the loader: same
  /// architecture, so the buffers have the same sizes).
  private func restore(_ resume: CheckpointState) {
    network.parameters.base.update(from: resume.parameters, count: network.parameterCount)
    network.runningStats.base.update(from: resume.runningStats, count: network.runningStats.count)
    learner.optimizer.firstMoment.base.update(from: resume.firstMoment, count: resume.firstMoment.count)
    learner.optimizer.secondMoment.base.update(from: resume.secondMoment, count: resume.secondMoment.count)
    learner.optimizer.restore(stepCount: resume.optimizerSteps)
    step = resume.step
    epochsCompleted = resume.epochsCompleted
    resumedProgress = resume.epochProgress
    safeParameters.copy(from: network.parameters)
    safeStep = resume.step
  }

  var learningRate: Double { hyper.learningRate * scheduleFactor }
  private var statisticsEvery: Int { max(1, configuration.statisticsEvery) }
  private var classifies: Bool { network.spec.loss.reportsAccuracy }

  /// Trains until the last epoch, a stop command, early stopping or divergence.
  @discardableResult
  public func run() -> RunSummary {
    emit(.started(header(stepsPerEpoch: order.batchCount)))
    for warning in dataset.warnings { emit(.warning(warning)) }
    epochPosition = Double(epochsCompleted)
    if configuration.startPaused { pause() }
    let firstEpoch = epochsCompleted + 1
    var outcome = RunSummary.Outcome.finished
    for epoch in firstEpoch...max(firstEpoch, configuration.epochs) {
      beginEpoch(epoch)
      if let end = trainEpoch(epoch) {
        outcome = end
        break
      }
      if let end = endEpoch(epoch) {
        outcome = end
        break
      }
    }
    return endRun(outcome)
  }

  // MARK: Start of an epoch

  /// The schedule's learning rate, a train size asked for during the last epoch, and the shuffle.
  private func beginEpoch(_ epoch: Int) {
    // A scripted train size for this step must land before the epoch's data is chosen.
    applyScript()
    let factor = configuration.schedule.factor(epoch: epoch, of: configuration.epochs)
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
        order = BatchOrder(count: train.count, batchSize: configuration.batchSize)
        emit(.hyperparameterChanged(change(.trainSize, Double(old), Double(trainSize), pending.source)))
      }
    }
    // Each epoch's order depends only on the seed and the epoch, so a resumed run visits the
    // remaining epochs exactly as the uninterrupted run would have.
    var shuffler = SeededGenerator(
      seed: configuration.seed &+ 0x0005_4E55_FF1E &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
    order.shuffle(using: &shuffler)
    epochMetrics = MetricWindow()
    progressMetrics = MetricWindow()
    nextQuickEvaluation = 1
    stepsIntoEpoch = 0
    if let resumed = resumedProgress {
      resumedProgress = nil
      // The epoch's order is the uninterrupted run's: its first steps were taken before the
      // checkpoint, so they are passed over, quick evaluations and sums with them.
      stepsIntoEpoch = min(resumed.steps, order.batchCount)
      for batch in 0..<stepsIntoEpoch where quickEvaluationDue(after: batch) { nextQuickEvaluation += 1 }
      epochMetrics.add(
        lossSum: resumed.lossSum, correct: resumed.correct, rows: resumed.rows, seconds: resumed.seconds)
    }
  }

  /// The epoch's steps; returns how the run ends when it ends inside the epoch.
  private func trainEpoch(_ epoch: Int) -> RunSummary.Outcome? {
    for batch in stepsIntoEpoch..<order.batchCount {
      guard waitForPermissionToStep() else { return .stopped }
      if checkpointRequested {
        checkpointRequested = false
        saveCheckpoint(reason: .requested)
      }
      let collect = step % statisticsEvery == 0 || steppingOnce
      let (result, seconds) = takeStep(batch, of: epoch, collect: collect)
      let exploded = explodedLoss(result)
      guard result.status == .applied, exploded == nil else {
        if result.status == .applied {
          // The steps before it as one point, the exploded step as its own: averaged together
          // (a progress point every 25 steps) a loss of 1 350 read 36.4 on the chart and legend
          // while the divergence named 1 350.
          if progressMetrics.rows > 0 { publishProgress(beforeLatestStep: true) }
          progressMetrics = MetricWindow()
          progressMetrics.add(result, seconds: seconds)
        }
        if let end = handleDivergence(result, exploded: exploded) { return end }
        continue
      }
      afterStep(batch, result: result, seconds: seconds, collect: collect)
    }
    return nil
  }

  // MARK: One step

  /// The learner's update on one batch, timed. The step counts even when the update was refused,
  /// so a divergence is reported at the step that caused it.
  private func takeStep(_ batch: Int, of epoch: Int, collect: Bool) -> (StepOutcome, seconds: Double) {
    if collect { statistics.rememberParameters(of: network) }
    let settings = UpdateSettings(
      learningRate: Float(learningRate), momentum: Float(hyper.momentum), weightDecay: Float(hyper.l2))
    learner.seedDropout(forStep: step)
    let started = Stopwatch.now()
    let result = learner.step(
      batch: batch, of: order, from: train, settings: settings, dropout: Float(hyper.dropout))
    let seconds = Stopwatch.now() - started
    step += 1
    stepsIntoEpoch = batch + 1
    epochPosition = Double(epoch - 1) + Double(batch + 1) / Double(order.batchCount)
    return (result, seconds)
  }

  // MARK: After a step

  /// Layer statistics, the progress point and a quick validation, each when it is due.
  private func afterStep(_ batch: Int, result: StepOutcome, seconds: Double, collect: Bool) {
    epochMetrics.add(result, seconds: seconds)
    progressMetrics.add(result, seconds: seconds)
    if collect {
      if result.lossSum / Double(max(result.rows, 1)) <= climbingLimit {
        safeParameters.copy(from: statistics.parametersBeforeStep)
        safeStep = step - 1
      }
      trajectory.record(network.parameters, step: step)
      let layers = statistics.collect(
        learner: learner, rows: result.rows, gradientNorms: result.gradientNorms)
      emit(.layerStatistics(LayerSnapshot(step: step, epoch: epochPosition, layers: layers)))
    }
    if step % statisticsEvery == 0 || batch == order.batchCount - 1 || steppingOnce {
      publishProgress()
      progressMetrics = MetricWindow()
    }
    if quickEvaluationDue(after: batch) {
      nextQuickEvaluation += 1
      let quick = evaluator.evaluate(dataset.validation, limit: configuration.quickValidationSize)
      emit(
        .evaluation(
          Evaluation(
            step: step, epoch: epochPosition, split: .validation, loss: quick.loss,
            accuracy: quick.accuracy, examples: quick.examples)))
    }
  }

  /// `beforeLatestStep`: the window ends a step before the latest (which is published apart).
  func publishProgress(beforeLatestStep: Bool = false) {
    let back = beforeLatestStep ? 1 : 0
    emit(
      .progress(
        StepProgress(
          step: step - back, epoch: epochPosition - Double(back) / Double(max(order.batchCount, 1)),
          trainLoss: progressMetrics.meanLoss,
          trainAccuracy: progressMetrics.accuracy(classifies: classifies), learningRate: learningRate,
          samplesPerSecond: progressMetrics.samplesPerSecond, elapsed: trainingSeconds)))
  }

  /// Whether batch `batch` ends one of the `evaluationsPerEpoch - 1` evenly spaced stretches
  /// before the epoch's last (which the full validation covers).
  private func quickEvaluationDue(after batch: Int) -> Bool {
    let perEpoch = max(0, configuration.evaluationsPerEpoch)
    return perEpoch > 1 && nextQuickEvaluation < perEpoch
      && (batch + 1) * perEpoch >= nextQuickEvaluation * order.batchCount
  }

  // MARK: End of an epoch

  /// Full validation and what is drawn from it, the epoch's summary, a periodic checkpoint and
  /// early stopping. Returns `.earlyStopped` when patience has run out.
  private func endEpoch(_ epoch: Int) -> RunSummary.Outcome? {
    let validation = validate(epoch: epoch)
    epochsCompleted = epoch
    stepsIntoEpoch = 0
    emit(
      .epochEnded(
        EpochSummary(
          epoch: epoch, step: step, trainLoss: epochMetrics.meanLoss,
          trainAccuracy: epochMetrics.accuracy(classifies: classifies), validationLoss: validation.loss,
          validationAccuracy: validation.accuracy, learningRate: learningRate,
          samplesPerSecond: epochMetrics.samplesPerSecond, elapsed: trainingSeconds)))
    let every = configuration.checkpointEvery
    if every > 0 && epoch % every == 0 && epoch < configuration.epochs {
      saveCheckpoint(reason: .periodic(epochs: every))
    }
    let patienceLeft = bestValidation.note(
      loss: validation.loss, accuracy: validation.accuracy, patience: configuration.earlyStoppingPatience)
    return patienceLeft ? nil : .earlyStopped
  }

  /// Evaluates the whole validation set, then publishes it with the views drawn from the same
  /// weights: decision regions, the parameter trajectory and (classification) the confusion.
  private func validate(epoch: Int) -> (loss: Double, accuracy: Double?, examples: Int) {
    var predictions: [Int] = []
    let validation = evaluator.evaluate(dataset.validation, predictions: &predictions, collect: classifies)
    let at = Double(epoch)
    emit(
      .evaluation(
        Evaluation(
          step: step, epoch: at, split: .validation, loss: validation.loss, accuracy: validation.accuracy,
          examples: validation.examples)))
    let classes: Int? =
      if classifies, case .classification(let classes) = dataset.task { classes } else { nil }
    if let classes,
      let grid = DecisionGrid.make(
        network: network, dataset: dataset, classes: classes, step: step, epoch: at)
    {
      emit(.decisionRegions(grid))
    }
    if let path = trajectory.project(step: step, epoch: at) { emit(.trajectory(path)) }
    if let curve = LearnedCurve.make(
      network: network, dataset: dataset, dropout: hyper.dropout, step: step, epoch: at)
    {
      emit(.learnedCurve(curve))
    }
    if let classes,
      let uncertainty = DropoutUncertainty.make(
        evaluator: evaluator, dataset: dataset, classes: classes, dropout: hyper.dropout, step: step,
        epoch: at)
    {
      emit(.dropoutUncertainty(uncertainty))
    }
    if let classes {
      emit(
        .validationDetail(
          ValidationDetail.make(
            step: step, epoch: at, classes: classes, predictions: predictions, split: dataset.validation,
            imageShape: dataset.imageShape)))
    }
    return validation
  }

  // MARK: End of the run

  /// The test set (unless the weights diverged), the final checkpoint and the summary.
  private func endRun(_ outcome: RunSummary.Outcome) -> RunSummary {
    var summary = RunSummary(
      outcome: outcome, step: step, epochs: epochsCompleted, testLoss: nil, testAccuracy: nil,
      bestValidationLoss: bestValidation.loss, bestValidationAccuracy: bestValidation.accuracy, elapsed: 0)
    if outcome != .diverged {
      let test = evaluator.evaluate(dataset.test)
      summary.testLoss = test.loss
      summary.testAccuracy = test.accuracy
      emit(
        .evaluation(
          Evaluation(
            step: step, epoch: epochPosition, split: .test, loss: test.loss, accuracy: test.accuracy,
            examples: test.examples)))
      saveCheckpoint(reason: .end)
    }
    summary.elapsed = trainingSeconds
    emit(.finished(summary))
    return summary
  }

  private func header(stepsPerEpoch: Int) -> RunHeader {
    RunHeader(
      dataset: dataset.name, network: configuration.network, optimizer: configuration.optimizer,
      hyperparameters: hyper, batchSize: configuration.batchSize, epochs: configuration.epochs,
      schedule: configuration.schedule, seed: configuration.seed, threads: learner.threads,
      trainCount: trainSize, validationCount: dataset.validation.count,
      testCount: dataset.test.count, parameterCount: network.parameterCount, stepsPerEpoch: stepsPerEpoch,
      datasetChecksums: dataset.checksums, trainAvailable: dataset.train.count,
      earlyStoppingPatience: configuration.earlyStoppingPatience, lesson: configuration.lesson)
  }

}

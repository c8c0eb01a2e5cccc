import NeuralNet
import RunModel
import SystemIO

/// What reaches the trainer from outside between two steps: commands, pausing, checkpoints, and
/// the rollback a diverged run gets while someone is watching.
extension Trainer {
  /// Applies scripted and pending commands; while paused, sleeps until told to step, resume or
  /// stop; with a pace, waits for the step's time (still taking commands). Returns false when the
  /// run must stop.
  func waitForPermissionToStep() -> Bool {
    steppingOnce = false
    while true {
      applyScript()
      for (command, source) in mailbox.drain() { apply(command, source: source) }
      if stopRequested { return false }
      if paused && singleSteps > 0 {
        singleSteps -= 1
        steppingOnce = true
        return true
      }
      if paused {
        mailbox.wait(timeout: 0.5)
        continue
      }
      let wait = waitForPace()
      if wait <= 0 { return true }
      mailbox.wait(timeout: min(wait, 0.1))
    }
  }

  /// Seconds until the next step may start at the pace (≤ 0: now, and the step after is booked).
  private func waitForPace() -> Double {
    guard let pace, pace > 0 else { return 0 }
    let now = Stopwatch.now()
    if nextStepTime <= now {
      // Never bank time: after a pause or a slow step the pace starts over from now.
      nextStepTime = max(nextStepTime, now) + 1 / pace
      return 0
    }
    return nextStepTime - now
  }

  /// The script's commands due at this step, applied as if sent then.
  func applyScript() {
    for entry in script.take(dueAt: step) { apply(entry.command, source: entry.source) }
  }

  private func apply(_ command: Command, source: ChangeSource) {
    switch command {
    case .set(.trainSize, let size):
      let clamped = Knob.trainSize.clamped(size)
      pendingTrainSize = (min(Int(clamped), dataset.train.count), source)
    case .set(let knob, let value):
      set(knob, to: value, source: source)
    case .turn(.trainSize, let up):
      let size = Double(pendingTrainSize?.size ?? trainSize)
      let next = Knob.trainSize.step(from: size, up: up, limit: Double(dataset.train.count))
      if next != size { apply(.set(.trainSize, next), source: source) }
    case .turn(let knob, let up):
      guard let value = hyper[knob] else { return }
      set(knob, to: knob.step(from: value, up: up), source: source)
    case .pause:
      pause()
    case .resume:
      if paused {
        paused = false
        singleSteps = 0
        if let since = pausedSince { pausedSeconds += Stopwatch.now() - since }
        pausedSince = nil
        emit(.resumed(step: step))
      }
    case .singleStep:
      if paused { singleSteps += 1 }
    case .stop:
      stopRequested = true
    case .checkpoint:
      checkpointRequested = true
    case .findLearningRate:
      var sweep = findLearningRate()
      sweep.step = step
      sweep.epoch = epochPosition
      emit(.learningRateSweep(sweep))
    case .pace(let stepsPerSecond):
      pace = stepsPerSecond > 0 ? stepsPerSecond : nil
      nextStepTime = 0
    }
  }

  /// Pauses (once: pausing a paused run says nothing).
  func pause() {
    guard !paused else { return }
    paused = true
    pausedSince = Stopwatch.now()
    emit(.paused(step: step))
  }

  /// Sets one knob, clamped to its range, and reports the change (if it is one).
  private func set(_ knob: Knob, to value: Double, source: ChangeSource) {
    guard let old = hyper[knob] else { return }
    hyper[knob] = value
    guard let new = hyper[knob], new != old else { return }
    emit(.hyperparameterChanged(change(knob, old, new, source)))
  }

  func change(_ knob: Knob, _ old: Double, _ new: Double, _ source: ChangeSource) -> HyperparameterChange {
    HyperparameterChange(
      step: step, epoch: epochPosition, knob: knob, oldValue: old, newValue: new, source: source)
  }

  /// Restores the last safe weights and clears momentum (which would carry the explosion on).
  /// The step count goes on (a log's steps never repeat), so the message names the weights'
  /// step, not a step the run goes back to: "rolled back to step 0" followed by "resumed at
  /// step 4" read as a contradiction.
  func rollBack() {
    network.parameters.copy(from: safeParameters)
    learner.optimizer.firstMoment.fill(0)
    learner.optimizer.secondMoment.fill(0)
    emit(
      .warning(
        Self.rollbackMessage(safeStep: safeStep, optimizer: configuration.optimizer, momentum: hyper.momentum)
      ))
  }

  /// What a rollback says. Momentum is said to be cleared only where there was some: "momentum
  /// cleared" in the diverge lesson (momentum 0) puzzled a student.
  static func rollbackMessage(safeStep: Int, optimizer: OptimizerKind, momentum: Double) -> String {
    let cleared =
      optimizer == .adam ? ", Adam's moment estimates cleared" : (momentum > 0 ? ", momentum cleared" : "")
    // The resume key is the dashboard's, not a knob's; it has no home below the dashboard.
    return "weights of step \(safeStep) restored\(cleared): lower the rate "
      + "(\(Knob.learningRate.key(up: false))), then space"
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
      batchSize: configuration.batchSize, totalEpochs: configuration.epochs, trainSize: trainSize,
      schedule: configuration.schedule, epochProgress: epochProgress)
  }

  /// The epoch's place and sums when saved between two of its steps; nil at an epoch's end.
  private var epochProgress: EpochProgress? {
    guard stepsIntoEpoch > 0 else { return nil }
    return EpochProgress(
      steps: stepsIntoEpoch, lossSum: epochMetrics.lossSum, correct: epochMetrics.correct,
      rows: epochMetrics.rows, seconds: epochMetrics.seconds)
  }

  func saveCheckpoint(reason: CheckpointReason) {
    guard let saver else { return }
    switch saver(checkpointState(), reason) {
    case .success(let path):
      emit(.checkpoint(CheckpointRecord(step: step, epoch: epochPosition, path: path, reason: reason)))
    case .failure(let failure):
      emit(
        .checkpoint(
          CheckpointRecord(
            step: step, epoch: epochPosition, path: "", reason: reason, failure: failure.description)))
    }
  }
}

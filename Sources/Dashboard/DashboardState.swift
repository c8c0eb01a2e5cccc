import Diagnosis
import NeuralNet
import RunModel
import SystemIO
import Terminal

/// Everything the dashboard knows about a run, built from `RunEvent`s alone.
///
/// Live training and replay feed the same events, so every panel works for both.
public struct DashboardState: Sendable {
  public var header: RunHeader?
  /// The lab lesson the run was set up for, looked up by the header's name in the lesson table
  /// (an unknown name, from a damaged or newer log, shows nothing).
  public var lesson: Scenario? { header?.lesson.flatMap(Scenario.named) }
  public var runState: RunState = .starting
  public var step = 0
  public var epoch = 0.0
  public var samplesPerSecond = 0.0
  /// Seconds of the run at the last event, and the clock time it arrived (for a live clock).
  public var elapsed = 0.0
  public var elapsedClock = 0.0
  /// The knobs as the trainer last reported them; `value(of:)` adds the presses it has not
  /// answered yet, which is what the panel shows.
  public var hyperparameters = Hyperparameters(learningRate: 0)
  /// The learning rate in effect (the base × the schedule's factor), as the trainer last used it.
  public var learningRate = 0.0
  /// Knob changes sent from this dashboard and not yet answered by the trainer.
  var pending = PendingChanges()
  /// The latest marker's step and contents, so later events at the same step join its label.
  var lastMark: StepMark?
  /// The latest progress points (step, training seconds), for the ETA at the current speed.
  var recentProgress: [(step: Int, elapsed: Double)] = []
  public var trainLoss = SeriesBuffer<ChartPoint>()
  public var trainAccuracy = SeriesBuffer<ChartPoint>()
  /// The whole validation set at each epoch's end: the "val" of the charts, the diagnosis and the
  /// epoch lines.
  public var validationLoss = SeriesBuffer<ChartPoint>()
  public var validationAccuracy = SeriesBuffer<ChartPoint>()
  /// The quick looks inside an epoch, on a subset of `quickValidationExamples`: another sample,
  /// so another series with its own name (drawn in one with the full set, it made a sawtooth
  /// and a legend value that matched nothing else on screen).
  public var quickValidationLoss = SeriesBuffer<ChartPoint>()
  public var quickValidationAccuracy = SeriesBuffer<ChartPoint>()
  public var quickValidationExamples = 0
  public var epochs: [EpochSummary] = []
  public var markers: [ChartMarker] = []
  public var layers: [LayerStatistics] = []
  /// Per layer: activation quantiles and gradient norms over time.
  public var spreads: [String: SeriesBuffer<SpreadChart.Column>] = [:]
  public var gradientNorms: [String: SeriesBuffer<ChartPoint>] = [:]
  public var divergence: Divergence?
  public var summary: RunSummary?
  public var testAccuracy: Double?
  public var testLoss: Double?
  /// The step the layer panels' statistics were taken at.
  public var layersStep = 0
  /// Whether those statistics are of weights a divergence's rollback threw away (the run waits
  /// at its divergence): the panels say so, as "hidden1 dead 50 %, ‖g‖ 161" read as the run's.
  public var layersBeforeRollback: Bool {
    guard runState == .diverged, let divergence, !layers.isEmpty else { return false }
    return layersStep <= divergence.step
  }

  /// The status line's message and when it was set.
  public var message = ""
  public var messageIsWarning = false
  public var warnings: [String] = []
  public var lastCheckpoint: String?
  /// The latest confusion matrix and misclassified validation examples.
  public var validationDetail: ValidationDetail?
  /// The latest decision regions (2-D datasets).
  public var decisionGrid: DecisionGrid?
  /// The parameters' path on two principal components.
  public var trajectory: Trajectory?
  /// The latest learned curve (1-D regression).
  public var learnedCurve: LearnedCurve?
  /// An earlier run drawn beside this one (`train --compare LOG`).
  public var comparison: ComparisonRun?
  /// The latest Monte Carlo dropout view (dropout runs of classification sets).
  public var dropoutUncertainty: DropoutUncertainty?
  /// The latest learning-rate finder's sweep.
  public var learningRateSweep: LearningRateSweep?
  /// Training examples this epoch uses (the train-size keys change it at the next epoch;
  /// `value(of: .trainSize)` is the size asked for).
  public var trainSize = 0
  /// What the diagnosis reads: the same events, kept in bounded windows.
  public var history = RunHistory()

  public init() {}

  /// Steps in this epoch, at the train size it uses.
  public var stepsPerEpoch: Int { steps(trainSize: trainSize) }
  public var totalEpochs: Int { header?.epochs ?? 0 }
  /// Steps of the whole run: those of the epochs done, this epoch's at its train size and the
  /// rest at the size asked for, so the bar follows the train-size keys (and does not jump
  /// between an epoch's end and the next one's change of size).
  public var totalSteps: Int {
    guard let header else { return 0 }
    let completed = epochs.last?.epoch ?? Int(epoch.rounded(.down))
    let done = epochs.last?.step ?? completed * header.stepsPerEpoch
    let left = totalEpochs - completed
    guard left > 0 else { return done }
    let asked = steps(trainSize: Int(value(of: .trainSize)))
    // An epoch not yet begun (no step since the last ended) takes the size asked for.
    return step > done ? done + stepsPerEpoch + (left - 1) * asked : done + left * asked
  }
  /// The epoch the latest step belongs to, from 1 (the header and the replay's seek messages
  /// both say this one). A step that ends an epoch belongs to it, so at a boundary this is the
  /// epoch just completed.
  public var epochNumber: Int {
    let total = max(1, totalEpochs)
    return max(1, min(total, Int(saturating: (epoch - 1e-9).rounded(.up))))
  }
  public var isFinished: Bool { if case .finished = runState { return true } else { return false } }
  /// Finished, or interrupted (its log ended without a finish): nothing trains any more.
  public var hasEnded: Bool { isFinished || runState == .interrupted }

  /// Steps an epoch of `size` examples takes (the header's figure for the size it started with).
  func steps(trainSize size: Int) -> Int {
    guard let header else { return 0 }
    return size == header.trainCount
      ? header.stepsPerEpoch : (size + header.batchSize - 1) / max(1, header.batchSize)
  }

  /// Training seconds now (pauses excluded, as the trainer counts them): the last event's figure
  /// plus the wall time since, while running.
  public func elapsed(now: Double) -> Double {
    runState == .running ? elapsed + max(0, now - elapsedClock) : elapsed
  }

  /// Estimated seconds to the end: the steps left at the time per step of the latest progress
  /// points (evaluations included), never faster than `pace` allows.
  public func remaining(now: Double, pace: Double? = nil) -> Double? {
    guard runState == .running || runState == .paused, step > 0, totalSteps > step else { return nil }
    var perStep = elapsed(now: now) / Double(step)
    if let first = recentProgress.first, let last = recentProgress.last, last.step > first.step {
      perStep = (last.elapsed - first.elapsed) / Double(last.step - first.step)
    }
    if let pace, pace > 0 { perStep = max(perStep, 1 / pace) }
    // No training time measured yet (a watched run before its first progress record): no
    // estimate, rather than "ETA 0:00".
    guard perStep > 0, perStep.isFinite else { return nil }
    return perStep * Double(totalSteps - step)
  }

  /// The pace was changed: time per step measured before it says nothing about the steps after.
  public mutating func paceChanged() { recentProgress = Array(recentProgress.suffix(1)) }

  public mutating func apply(_ event: RunEvent, now: Double = 0) {
    history.record(event)
    switch event {
    case .started(let h): start(h, now: now)
    case .progress(let p): record(p, now: now)
    case .evaluation(let e):
      switch e.split {
      case .validation where e.isInsideEpoch:
        quickValidationExamples = e.examples
        quickValidationLoss.append(ChartPoint(e.epoch, e.loss))
        if let accuracy = e.accuracy { quickValidationAccuracy.append(ChartPoint(e.epoch, accuracy)) }
      case .validation:
        validationLoss.append(ChartPoint(e.epoch, e.loss))
        if let accuracy = e.accuracy { validationAccuracy.append(ChartPoint(e.epoch, accuracy)) }
      case .test:
        testLoss = e.loss
        testAccuracy = e.accuracy
      }
    case .layerStatistics(let snapshot): record(snapshot)
    case .hyperparameterChanged(let c): record(c)
    case .paused(let s):
      elapsed = elapsed(now: now)
      // Placed by its own step: no progress point may have arrived since the last marker.
      let at = stepsPerEpoch > 0 ? epoch + Double(s - step) / Double(stepsPerEpoch) : epoch
      step = s
      runState = divergence != nil && divergence?.step == s ? .diverged : .paused
      // A run that starts paused (a lesson behind its card) has nothing to mark at step 0.
      if s > 0 { mark(step: s, x: at) { $0.paused = true } }
      if runState == .paused {
        message = "paused at step \(s)"
        messageIsWarning = false
      }
    case .resumed(let s):
      runState = .running
      elapsedClock = now
      // A lesson started from its card was never running: "resumed at step 0" stayed on the
      // status line for the whole lesson.
      message = s == 0 ? "started" : "resumed at step \(s)"
      messageIsWarning = false
    case .diverged(let d):
      divergence = d
      runState = .diverged
      mark(step: d.step, x: d.epoch) { $0.diverged = true }
      message =
        "diverged at step \(d.step): \(d.reason) — lower the learning rate "
        + "(\(KeyMap.key(for: .learningRate, up: false))) and resume (\(KeyMap.label(.togglePause)))"
      messageIsWarning = true
    case .epochEnded(let e): record(e, now: now)
    case .finished(let s): finish(s)
    case .validationDetail(let d):
      validationDetail = d
    case .decisionRegions(let g):
      decisionGrid = g
    case .learnedCurve(let curve):
      learnedCurve = curve
    case .dropoutUncertainty(let u):
      dropoutUncertainty = u
    case .learningRateSweep(let sweep):
      learningRateSweep = sweep
      message =
        sweep.suggestion.map {
          "lr-find: suggested \(NumberFormat.compact($0)) — \(KeyMap.label(.applySuggestedRate)) applies it"
        } ?? "lr-find: no suggestion — \(sweep.withoutSuggestion)"
      messageIsWarning = false
    case .trajectory(let tr):
      trajectory = tr
    case .checkpoint(let c): record(c)
    case .warning(let text):
      // The run will not answer what it refused: nothing sent stays shown as on its way.
      if text.hasPrefix(Self.refusalPrefix) { pending = PendingChanges() }
      warnings.append(text)
      message = text
      messageIsWarning = true
    }
  }
  private mutating func start(_ h: RunHeader, now: Double) {
    header = h
    hyperparameters = h.hyperparameters
    trainSize = h.trainCount
    learningRate = h.hyperparameters.learningRate
    runState = .running
    elapsedClock = now
    message = "training \(h.dataset): \(h.network.summary), \(h.parameterCount) parameters"
  }

  private mutating func record(_ p: StepProgress, now: Double) {
    step = p.step
    epoch = p.epoch
    samplesPerSecond = p.samplesPerSecond
    learningRate = p.learningRate
    // The rate another program's `lr` command sets, so the panel and the keys go from it.
    if let rate = p.rateInEffect(writtenByNntop: header?.writer == nil) {
      hyperparameters.learningRate = rate
    }
    elapsed = p.elapsed
    elapsedClock = now
    recentProgress.append((p.step, p.elapsed))
    if recentProgress.count > 4 { recentProgress.removeFirst() }
    trainLoss.append(ChartPoint(p.epoch, p.trainLoss))
    if let accuracy = p.trainAccuracy { trainAccuracy.append(ChartPoint(p.epoch, accuracy)) }
    if runState == .paused || runState == .diverged {
      message = "one step: now at step \(p.step) (still paused)"
    }
  }

  /// An epoch's summary. Where no progress record has told of the epoch (the PyTorch client
  /// with `every=` longer than an epoch), it is what moves the step, the speed and the training
  /// curves: such a run finished with "step 0/600 · 0 samples/s" and "train -".
  private mutating func record(_ e: EpochSummary, now: Double) {
    epochs.append(e)
    elapsed = e.elapsed
    elapsedClock = now
    guard e.step > step else { return }
    let start = Double(e.epoch - 1)
    let toldOf = (trainLoss.last?.x ?? -1) > start
    step = e.step
    epoch = Double(e.epoch)
    samplesPerSecond = e.samplesPerSecond
    learningRate = e.learningRate
    guard !toldOf else { return }
    trainLoss.append(ChartPoint(Double(e.epoch), e.trainLoss))
    if let accuracy = e.trainAccuracy { trainAccuracy.append(ChartPoint(Double(e.epoch), accuracy)) }
  }

  private mutating func record(_ snapshot: LayerSnapshot) {
    layers = snapshot.layers
    layersStep = snapshot.step
    // A step's statistics come just before its progress point: the header must not trail the
    // reading (which names the step they came at) by one.
    step = max(step, snapshot.step)
    for layer in snapshot.layers {
      spreads[layer.name, default: SeriesBuffer(capacity: 1_024)].append(
        SpreadChart.Column(
          min: layer.min, q1: layer.quartiles[0], median: layer.quartiles[1], q3: layer.quartiles[2],
          max: layer.max))
      gradientNorms[layer.name, default: SeriesBuffer()].append(
        ChartPoint(snapshot.epoch, layer.gradientNorm))
    }
  }

  private mutating func record(_ c: HyperparameterChange) {
    guard c.source.isPerson else {
      // The schedule moves the rate in effect, not the base the keys turn: it is shown on the
      // learning-rate row, and marks nothing (only what a person did is marked).
      if c.knob == .learningRate { learningRate = c.newValue }
      return
    }
    if c.knob == .learningRate, c.oldValue > 0 { learningRate *= c.newValue / c.oldValue }
    if c.knob == .trainSize {
      trainSize = Int(saturating: c.newValue)
    } else {
      hyperparameters[c.knob] = c.newValue
    }
    // A watched run's writer answers commands from its command log as `command`.
    switch c.source {
    case .key, .command: pending.confirm(c, limit: limit(of: c.knob))
    default: break
    }
    mark(step: c.step, x: c.epoch) { $0.add(c) }
    // An answer to a press made before later ones: the status line already says the latest.
    guard pending.isEmpty(c.knob) else { return }
    // From where the knob stood before this step's first press: nine presses of `W` had read
    // "l2 0.002 → 0.005", as if the run had been at 0.002.
    let from =
      pending.finishBurst(of: c.knob, at: c.step) ?? lastMark?.turns.first { $0.knob == c.knob }?.from
      ?? c.oldValue
    message =
      "\(c.knob.markerName) \(NumberFormat.compact(from)) → \(NumberFormat.compact(c.newValue)) at step \(c.step)"
    messageIsWarning = false
  }

  /// Adds to the marker of `step` (one per step, whatever happened there).
  private mutating func mark(step: Int, x: Double, _ update: (inout StepMark) -> Void) {
    if var last = lastMark, last.step == step, !markers.isEmpty {
      update(&last)
      lastMark = last
      markers[markers.count - 1] = last.marker
    } else {
      var mark = StepMark(step: step, x: x)
      update(&mark)
      lastMark = mark
      markers.append(mark.marker)
    }
  }

  /// The log ended without a finish: its writer exited (a watch saw it go) or a replay reached
  /// the end of a log that has none. Nothing after this point reads commands.
  public mutating func markInterrupted(_ reason: String) {
    guard !hasEnded else { return }
    runState = .interrupted
    message = reason
    messageIsWarning = true
  }

  private mutating func finish(_ s: RunSummary) {
    summary = s
    runState = .finished(s.outcome)
    // A stop lands between progress records: the header shows where the run ended.
    step = max(step, s.step)
    elapsed = s.elapsed
    if let accuracy = s.testAccuracy {
      message =
        "\(s.outcome.rawValue): test accuracy \(NumberFormat.percent(accuracy)) — \(KeyMap.label(.quit)) to quit"
    } else if let loss = s.testLoss {
      message =
        "\(s.outcome.rawValue): test loss \(NumberFormat.compact(loss)) — \(KeyMap.label(.quit)) to quit"
    } else {
      message = "\(s.outcome.rawValue) — \(KeyMap.label(.quit)) to quit"
    }
    messageIsWarning = s.outcome == .diverged
  }

  private mutating func record(_ c: CheckpointRecord) {
    if let failure = c.failure {
      message = "checkpoint failed: \(failure)"
    } else {
      message = "checkpoint saved: \(c.path) (\(c.reason))"
      lastCheckpoint = c.path
    }
    messageIsWarning = c.failure != nil
  }

  /// How a run that follows a command log begins the warning for a command it cannot apply
  /// (docs/run-log.md).
  public static let refusalPrefix = "command refused:"

  /// Shows a change sent to the trainer at once, before it answers.
  mutating func request(_ change: PendingChanges.Change, of knob: Knob) { pending.add(change, to: knob) }

  /// Epochs since the best full validation loss so far (0: the latest is the best).
  public var epochsSinceBestValidation: Int {
    guard let best = epochs.indices.min(by: { epochs[$0].validationLoss < epochs[$1].validationLoss }) else {
      return 0
    }
    return epochs.count - 1 - best
  }
}

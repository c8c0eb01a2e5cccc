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
  public var runState: RunState = .starting
  public var step = 0
  public var epoch = 0.0
  public var samplesPerSecond = 0.0
  /// Seconds of the run at the last event, and the clock time it arrived (for a live clock).
  public var elapsed = 0.0
  public var elapsedClock = 0.0
  /// The knobs as last set (shown at once, before the trainer confirms).
  public var hyperparameters = Hyperparameters(learningRate: 0)
  /// The learning rate in effect (base × schedule).
  public var learningRate = 0.0
  public var trainLoss = SeriesBuffer<ChartPoint>()
  public var trainAccuracy = SeriesBuffer<ChartPoint>()
  public var validationLoss = SeriesBuffer<ChartPoint>()
  public var validationAccuracy = SeriesBuffer<ChartPoint>()
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
  /// The latest learning-rate finder's sweep.
  public var learningRateSweep: LearningRateSweep?
  /// Training examples in use (changed by the train-size keys at epoch boundaries).
  public var trainSize = 0
  /// What the diagnosis reads: the same events, kept in bounded windows.
  public var history = RunHistory()

  public init() {}

  public var stepsPerEpoch: Int { header?.stepsPerEpoch ?? 0 }
  public var totalEpochs: Int { header?.epochs ?? 0 }
  public var totalSteps: Int { stepsPerEpoch * totalEpochs }
  public var isFinished: Bool { if case .finished = runState { return true } else { return false } }

  /// Elapsed seconds now: the last event's figure plus the wall time since, while running.
  public func elapsed(now: Double) -> Double {
    runState == .running ? elapsed + max(0, now - elapsedClock) : elapsed
  }

  /// Estimated seconds to the end, from the pace of steps so far.
  public func remaining(now: Double) -> Double? {
    guard runState == .running || runState == .paused, step > 0, totalSteps > step else { return nil }
    let e = elapsed(now: now)
    return e / Double(step) * Double(totalSteps - step)
  }

  public mutating func apply(_ event: RunEvent, now: Double = 0) {
    history.record(event)
    switch event {
    case .started(let h): start(h, now: now)
    case .progress(let p): record(p, now: now)
    case .evaluation(let e):
      switch e.split {
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
      step = s
      runState = divergence != nil && divergence?.step == s ? .diverged : .paused
      // Placed by its own step: no progress point may have arrived since the last marker.
      let at = stepsPerEpoch > 0 ? Double(s) / Double(stepsPerEpoch) : epoch
      markers.append(ChartMarker(x: at, label: "pause"))
      if runState == .paused {
        message = "paused at step \(s)"
        messageIsWarning = false
      }
    case .resumed(let s):
      runState = .running
      elapsedClock = now
      message = "resumed at step \(s)"
      messageIsWarning = false
    case .diverged(let d):
      divergence = d
      runState = .diverged
      markers.append(ChartMarker(x: d.epoch, label: "diverged"))
      message =
        "diverged at step \(d.step): \(d.reason) — lower the learning rate "
        + "(\(KeyMap.key(for: .learningRate, up: false))) and resume (\(KeyMap.label(.togglePause)))"
      messageIsWarning = true
    case .epochEnded(let e):
      epochs.append(e)
      elapsed = e.elapsed
      elapsedClock = now
    case .finished(let s): finish(s)
    case .validationDetail(let d):
      validationDetail = d
    case .decisionRegions(let g):
      decisionGrid = g
    case .learnedCurve(let curve):
      learnedCurve = curve
    case .learningRateSweep(let sweep):
      learningRateSweep = sweep
      message =
        sweep.suggestion.map {
          "lr-find: suggested \(NumberFormat.compact($0)) — \(KeyMap.label(.applySuggestedRate)) applies it"
        } ?? "lr-find: no suggestion (\(sweep.stop) after \(sweep.rates.count) batches)"
      messageIsWarning = false
    case .trajectory(let tr):
      trajectory = tr
    case .checkpoint(let c): record(c)
    case .warning(let text):
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
    elapsed = p.elapsed
    elapsedClock = now
    trainLoss.append(ChartPoint(p.epoch, p.trainLoss))
    if let accuracy = p.trainAccuracy { trainAccuracy.append(ChartPoint(p.epoch, accuracy)) }
    if runState == .paused || runState == .diverged {
      message = "one step: now at step \(p.step) (still paused)"
    }
  }

  private mutating func record(_ snapshot: LayerSnapshot) {
    layers = snapshot.layers
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
    // The schedule moves the effective rate, not the base the keys turn.
    if c.source.isPerson || c.knob != .learningRate { setValue(c.newValue, of: c.knob) }
    let name = c.knob.markerName
    let arrow = c.newValue > c.oldValue ? "↑" : "↓"
    let value = c.knob.isCount ? String(Int(saturating: c.newValue)) : NumberFormat.compact(c.newValue)
    markers.append(ChartMarker(x: c.epoch, label: "\(name)\(arrow)\(value)"))
    message =
      "\(name) \(NumberFormat.compact(c.oldValue)) → \(NumberFormat.compact(c.newValue)) at step \(c.step)"
      + (c.source.isPerson ? "" : " (\(c.source))")
    messageIsWarning = false
  }

  private mutating func finish(_ s: RunSummary) {
    summary = s
    runState = .finished(s.outcome)
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

  /// A knob's value as the dashboard shows it (the base learning rate, not the scheduled one).
  public func value(of knob: Knob) -> Double {
    knob == .trainSize ? Double(trainSize) : hyperparameters[knob] ?? 0
  }

  /// Shows a knob's new value at once, before the trainer confirms it.
  public mutating func setValue(_ value: Double, of knob: Knob) {
    if knob == .trainSize {
      trainSize = Int(saturating: value)
    } else {
      hyperparameters[knob] = value
    }
  }

  /// Epochs since the best full validation loss so far (0: the latest is the best).
  public var epochsSinceBestValidation: Int {
    guard let best = epochs.indices.min(by: { epochs[$0].validationLoss < epochs[$1].validationLoss }) else {
      return 0
    }
    return epochs.count - 1 - best
  }
}

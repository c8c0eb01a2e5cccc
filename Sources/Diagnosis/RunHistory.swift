import NeuralNet
import RunModel

#if canImport(Glibc)
  import Glibc
#endif

/// The recent past of one run: everything the diagnosis reads, and nothing it does not.
///
/// It is built from `RunEvent`s one at a time, so a live run and a replayed log feed it the same
/// way. Windows are bounded (a run of a million steps must not grow it without end): the rules
/// only look at the last few records of each signal, except the epoch summaries, which are few.
public struct RunHistory: Sendable {
  /// Layer snapshots kept: enough to take a median over several batches (one batch overstates a
  /// dead fraction, CS231n) and to see a trend.
  public static let snapshotWindow = 20
  /// Progress records kept (each averages the steps since the one before).
  public static let progressWindow = 200
  /// Quick (inside-an-epoch) validation evaluations kept.
  public static let evaluationWindow = 60

  public private(set) var network: NetworkSpec?
  public private(set) var optimizer: OptimizerKind = .sgd
  /// The knobs as they are now: the header's values, then every change event applied.
  public private(set) var hyperparameters = Hyperparameters(learningRate: 0.05)
  /// The highest learning rate the run has trained at (a step taken under it): units killed by a
  /// high rate stay dead after it is lowered, and the reading must still name the rate that
  /// killed them. A rate set and turned again while paused killed nothing ("dead after lr 5" had
  /// named a rate no step was taken at).
  public private(set) var highestLearningRate = 0.0
  /// Training examples in use, and how many the dataset has (the train-size keys move between them).
  public private(set) var trainCount: Int?
  public private(set) var trainAvailable: Int?
  /// Validation examples: how noisy its accuracy is.
  public private(set) var validationCount: Int?
  public private(set) var stepsPerEpoch: Int?
  public private(set) var epochs: [EpochSummary] = []
  /// The training examples each epoch in `epochs` was trained on (nil where the run has not
  /// said): a gap is reported beside the size it was measured on, not one set after it.
  public private(set) var epochTrainCounts: [Int?] = []
  /// The step of each knob's latest change (any source): readings judged over epochs are taken
  /// from a change on, so a change is neither blamed for the numbers before it nor asked for
  /// again before it could act.
  public private(set) var lastChangeStep: [Knob: Int] = [:]
  /// Every recent change's knob and step, in order: an epoch that held any of them is judged as
  /// mixed even when the knob was turned again since (only the last turn is in `lastChangeStep`).
  public private(set) var changeSteps: [(knob: Knob, step: Int, up: Bool, value: Double)] = []
  /// Validation evaluations on a subset, inside an epoch (the full one at an epoch's end is in
  /// `epochs`). Short lessons may end before an epoch does: these are what they have.
  public private(set) var quickEvaluations: [Evaluation] = []
  public private(set) var progress: [StepProgress] = []
  public private(set) var snapshots: [LayerSnapshot] = []
  public private(set) var divergences: [Divergence] = []
  /// The lowest learning rate at which this run diverged or its loss exploded: the bottom of its
  /// diverging range. Nil while it has done neither.
  public private(set) var lowestDivergingRate: Double?
  /// The learning rate in force at the last divergence.
  public private(set) var lastDivergenceRate: Double?
  /// The first finite progress loss: the "initial loss" of CS231n's 3× early-stop rule.
  public private(set) var firstLoss: Double?
  /// The latest step any event named.
  public private(set) var step = 0
  public private(set) var paused = false
  /// How the run ended, once it has. No key turns a knob after that, so the reading must name a
  /// new run's flags instead (a finished run told "keep training" has nothing left to press).
  public private(set) var ending: RunSummary?
  /// The knobs as the run started: an ended run's reading carries over those turned since.
  public private(set) var startingHyperparameters = Hyperparameters(learningRate: 0.05)
  /// The knobs as set: the header's, then every change record, but not the rate another writer's
  /// scheduler moved without one. What a next run is told to start from: a StepLR run whose rate
  /// a person raised to 0.1 ended "new run with lr 0.00313", the scheduler's last decayed rate.
  public private(set) var setHyperparameters = Hyperparameters(learningRate: 0.05)
  /// Whether another writer's loop replaced the rate last set before its next record: OneCycleLR
  /// sets the rate from its own schedule, so `send lr 0.5` lasted one step, and the ended run had
  /// been told "new run with lr 0.5". Judged on the first progress record after the change.
  public private(set) var setRateOverridden = false
  private var rateSetAt: Int?
  public private(set) var startingTrainCount: Int?
  /// Knobs a person (a key, a script, a command) turned; a schedule's moves are not carried over.
  public private(set) var turnedByPerson: Set<Knob> = []
  /// The step a person first turned each knob at: whether the run got better after it decides
  /// whether an ended run's reading carries the knob over.
  public private(set) var firstPersonChangeStep: [Knob: Int] = [:]
  /// The epochs the run was started for: a run stopped early is offered those again.
  public private(set) var plannedEpochs: Int?
  /// The checkpoint written at the end, which `--resume` continues from.
  public private(set) var finalCheckpoint: String?
  /// Whether nntop's own trainer wrote the run (not the PyTorch client): only its runs take
  /// `nntop train` flags such as `--resume`.
  public private(set) var writtenByNntop = true

  public init() {}

  public init(events: some Sequence<RunEvent>) {
    for event in events { record(event) }
  }

  /// Takes one event into account; events the diagnosis does not read are ignored.
  public mutating func record(_ event: RunEvent) {
    switch event {
    case .started(let header): start(header)
    case .progress(let p):
      noteTrainedRate(at: p.step)
      record(progress: p)
    case .evaluation(let e):
      step = max(step, e.step)
      // A full evaluation sits at a whole epoch and repeats the epoch summary; quick ones never do.
      if e.split == .validation && e.isInsideEpoch {
        append(e, to: &quickEvaluations, limit: Self.evaluationWindow)
      }
    case .layerStatistics(let s):
      noteTrainedRate(at: s.step)
      step = max(step, s.step)
      append(s, to: &snapshots, limit: Self.snapshotWindow)
    case .hyperparameterChanged(let c): apply(c)
    case .paused(let s):
      paused = true
      step = max(step, s)
    case .resumed(let s):
      paused = false
      step = max(step, s)
    case .diverged(let d):
      step = max(step, d.step)
      append(d, to: &divergences, limit: 20)
      lastDivergenceRate = hyperparameters.learningRate
      noteDivergingRate(hyperparameters.learningRate)
    case .epochEnded(let e):
      step = max(step, e.step)
      epochs.append(e)
      epochTrainCounts.append(trainCount)
    case .checkpoint(let c) where c.reason == .end && c.failure == nil && !c.path.isEmpty:
      finalCheckpoint = c.path
    case .finished(let s):
      step = max(step, s.step)
      ending = s
    default: break
    }
  }

  private mutating func start(_ header: RunHeader) {
    network = header.network
    optimizer = header.optimizer
    hyperparameters = header.hyperparameters
    trainCount = header.trainCount
    trainAvailable = header.trainAvailable
    validationCount = header.validationCount
    stepsPerEpoch = header.stepsPerEpoch
    plannedEpochs = header.epochs
    startingHyperparameters = header.hyperparameters
    setHyperparameters = header.hyperparameters
    startingTrainCount = header.trainCount
    writtenByNntop = header.writer == nil
  }

  private mutating func record(progress p: StepProgress) {
    step = max(step, p.step)
    append(p, to: &progress, limit: Self.progressWindow)
    // A StepLR run read "learning rate too low … at lr 0.02" where the rate was 0.000625.
    if let rate = p.rateInEffect(writtenByNntop: writtenByNntop) {
      hyperparameters.learningRate = rate
      if let set = rateSetAt, p.step > set {
        let wanted = setHyperparameters.learningRate
        setRateOverridden = abs(rate - wanted) > 1e-6 * max(abs(wanted), 1e-12)
        rateSetAt = nil
      }
    }
    // The first record after a rollback may average in the steps that exploded: it says nothing
    // about the rate in force now.
    if let last = divergences.last, !progress.dropLast().contains(where: { $0.step > last.step }) { return }
    guard p.trainLoss.isFinite else {
      noteDivergingRate(hyperparameters.learningRate)
      return
    }
    if firstLoss == nil { firstLoss = p.trainLoss }
    if p.trainLoss > Thresholds.explosionFactor * referenceLoss {
      noteDivergingRate(hyperparameters.learningRate)
    }
  }

  private mutating func apply(_ change: HyperparameterChange) {
    step = max(step, change.step)
    if change.source.isPerson {
      turnedByPerson.insert(change.knob)
      if firstPersonChangeStep[change.knob] == nil { firstPersonChangeStep[change.knob] = change.step }
    }
    lastChangeStep[change.knob] = change.step
    append(
      (change.knob, change.step, change.newValue > change.oldValue, change.newValue), to: &changeSteps,
      limit: 256)
    if change.knob == .trainSize {
      // A count in the knob's range; a damaged log's NaN or 1e19 clamps instead of trapping.
      trainCount = Int(change.knob.clamped(change.newValue).rounded())
    } else {
      hyperparameters[change.knob] = change.newValue
      setHyperparameters[change.knob] = change.newValue
      if change.knob == .learningRate {
        rateSetAt = change.step
        setRateOverridden = false
      }
    }
  }

  /// A step taken after the rate's last change was taken at the rate in force.
  private mutating func noteTrainedRate(at step: Int) {
    let rate = hyperparameters.learningRate
    guard step > (lastChangeStep[.learningRate] ?? Int.min), rate.isFinite else { return }
    highestLearningRate = max(highestLearningRate, rate)
  }

  private mutating func noteDivergingRate(_ rate: Double) {
    lowestDivergingRate = min(lowestDivergingRate ?? rate, rate)
  }

  private func append<T>(_ value: T, to list: inout [T], limit: Int) {
    list.append(value)
    if list.count > limit { list.removeFirst(list.count - limit) }
  }
}

extension RunHistory {
  /// The loss an untrained classifier has: −ln(1/C) for C-way softmax (2.30 for 10 classes,
  /// CS231n/Karpathy), ln 2 for one sigmoid output; nil for regression, which has no such value.
  public var expectedInitialLoss: Double? {
    guard let network else { return log(10) }
    switch network.loss {
    case .softmaxCrossEntropy: return log(Double(max(network.outputSize, 2)))
    case .sigmoidBinaryCrossEntropy: return log(2)
    case .squaredError: return nil
    }
  }

  /// What "the initial loss" means for the explosion rule: the larger of the untrained loss and
  /// the first recorded one, so a first record already lowered by 50 steps of learning does not
  /// make an ordinary bump look like an explosion.
  public var referenceLoss: Double {
    let candidates = [expectedInitialLoss, firstLoss].compactMap { $0 }.filter { $0.isFinite && $0 > 0 }
    return candidates.max() ?? 1
  }

  /// Whether the run has come back from its last divergence: enough progress records after it,
  /// all finite and below the explosion line. A recovered run must stop being called diverging.
  public var recoveredFromDivergence: Bool {
    guard let last = divergences.last else { return true }
    let after = progress.filter { $0.step > last.step }
    guard after.count >= Thresholds.recoveryRecords else { return false }
    let line = Thresholds.explosionFactor * referenceLoss
    return after.suffix(Thresholds.recoveryRecords).allSatisfy {
      $0.trainLoss.isFinite && $0.trainLoss <= line
    }
  }

  /// Progress records since the last divergence (all of them when there was none): what trends
  /// are read from, so a rolled-back run is not judged by the losses it threw away.
  public var progressSinceDivergence: ArraySlice<StepProgress> {
    guard let last = divergences.last else { return progress[...] }
    let start = progress.firstIndex { $0.step > last.step } ?? progress.endIndex
    return progress[start...]
  }

  /// Names of hidden layers, in order, taken from the latest snapshot.
  var latestLayers: [LayerStatistics] { snapshots.last?.layers ?? [] }

  /// The median of `metric` for layer `index` over the last few snapshots: one batch is noisy.
  /// `after`: only snapshots taken after that step (a knob's change).
  func recentMedian(layer index: Int, after step: Int = Int.min, _ metric: (LayerStatistics) -> Double)
    -> Double?
  {
    let values = snapshots.suffix(Thresholds.medianSnapshots).filter { $0.step > step }.compactMap {
      snapshot in
      index < snapshot.layers.count ? metric(snapshot.layers[index]) : nil
    }
    return median(values)
  }
}

/// The middle value (the mean of the two middle ones for an even count); nil when empty.
func median(_ values: [Double]) -> Double? {
  guard !values.isEmpty else { return nil }
  let sorted = values.sorted { ($0.isNaN ? Double.infinity : $0) < ($1.isNaN ? Double.infinity : $1) }
  let mid = sorted.count / 2
  return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

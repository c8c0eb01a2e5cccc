import NeuralNet
import RunModel

/// Reads a run's recent history and says what is going on, most important first.
///
/// Pure: the same history always gives the same findings, and nothing is drawn or printed.
/// Rules are in three groups (stability, layer health, fit); docs/diagnosis.md lists each with
/// its threshold and source. Causes rank above the symptoms they explain, and the fit readings
/// (underfitting, good fit) are not given while a fault explains the numbers, because "lower L2"
/// is wrong advice for a network whose units are dead.
public enum Diagnosis {
  /// The findings for `history`, ranked; never empty.
  public static func findings(for history: RunHistory) -> [Finding] {
    let context = Context(history: history)
    var found = stabilityFindings(context)
    found += layerFindings(context, diverging: !found.isEmpty)
    let faulty = found.contains { $0.kind.rank < Finding.Kind.overfitting.rank }
    found += fitFindings(context, faulty: faulty)
    if found.isEmpty {
      found.append(warmingUp(context))
    }
    // The hard rule, as a last guard: a finding whose action cannot be carried out is dropped.
    var result = found.filter { context.allows($0.action) }
    if result.isEmpty { result = [warmingUp(context)] }
    var seen = Set<Finding.Kind>()
    let ranked = result.sorted { $0.kind.rank < $1.kind.rank }.filter { seen.insert($0.kind).inserted }
    guard let ending = history.ending else { return ranked }
    return ranked.map { afterEnd($0, context, ending) }
  }

  /// The most important finding.
  public static func top(for history: RunHistory) -> Finding {
    findings(for: history)[0]
  }

  static func warmingUp(_ c: Context) -> Finding {
    if let unlogged = epochsNotLogged(c) { return unlogged }
    let where_ =
      c.history.stepsPerEpoch.flatMap { $0 > 0 ? "step \(c.history.step) of \($0) in epoch 1" : nil }
      ?? "step \(c.history.step)"
    // Paused (a lesson behind its card at step 0), there is nothing to keep training: resume.
    return Finding(
      kind: .warmingUp, verdict: "warming up", reason: "no full epoch yet",
      evidence: where_ + ": the fit readings wait for its end",
      action: c.history.paused ? .resume : .keepTraining, remark: deadSoFar(c))
  }

  /// Units dead so far in a layer no rule names (not half dead, not dying): the dead-relu lesson
  /// after `l` read only "warming up" beside hidden1 at 41–45 % dead.
  static func deadSoFar(_ c: Context) -> String? {
    guard c.activation.canDie, let last = c.history.snapshots.last,
      let worst = last.layers.dropLast().max(by: { $0.deadFraction < $1.deadFraction }),
      worst.deadFraction >= Thresholds.dyingFraction
    else { return nil }
    return "\(worst.name) \(Format.percent(worst.deadFraction)) dead: those units pass no gradient, the rest "
      + "train on"
  }

  /// An epoch whose validation loss is not a number: the fit readings have nothing to judge.
  static func noValidation(_ c: Context, _ last: EpochSummary) -> Finding {
    let call = c.history.writtenByNntop ? "" : "; pass val_loss= to run.epoch(...)"
    return Finding(
      kind: .epochsNotLogged, verdict: "no validation loss",
      reason: "epoch \(last.epoch)'s validation loss is nan" + call,
      evidence: "the fit readings compare validation with training: none to compare", action: .keepTraining)
  }

  /// Steps past an epoch's worth with no epoch's end logged: a loop that never calls
  /// `run.epoch` (it had read "step 128 of 32 in epoch 1").
  static func epochsNotLogged(_ c: Context) -> Finding? {
    guard c.history.epochs.isEmpty, let perEpoch = c.history.stepsPerEpoch, perEpoch > 0,
      c.history.step > perEpoch
    else { return nil }
    let call = c.history.writtenByNntop ? "" : ": the loop never calls run.epoch(...)"
    return Finding(
      kind: .epochsNotLogged, verdict: "no epoch logged",
      reason: "step \(c.history.step), past one epoch's \(perEpoch) steps" + call,
      evidence: "the fit readings compare epochs' validation: none has been logged", action: .keepTraining)
  }
}

/// The history with the quantities several rules share worked out once.
struct Context {
  let history: RunHistory
  let hyper: Hyperparameters
  let network: NetworkSpec?
  /// A rate at or above this is in the diverging range: the lowest rate this run diverged at,
  /// or the optimiser's ceiling.
  let divergingRate: Double
  /// Progress since the last divergence: trends are read from these.
  let recent: [StepProgress]
  /// The latest change to a knob the fit readings' cures turn (L2, dropout, the train size).
  let fitChange: (knob: Knob, step: Int)?
  /// The epochs the overfitting and gap readings judge: from the last one that ended at or
  /// before `fitChange` (the numbers it was made against) on; all of them when none was made.
  /// Judged over all epochs, a run whose L2 had just been raised was told to raise it again,
  /// on a rise in validation loss from before the change.
  let fitEpochs: [EpochSummary]

  init(history: RunHistory) {
    self.history = history
    hyper = history.hyperparameters
    network = history.network
    let ceiling = history.optimizer == .adam ? Thresholds.adamRateCeiling : Thresholds.sgdRateCeiling
    divergingRate = min(history.lowestDivergingRate ?? ceiling, ceiling)
    recent = Array(history.progressSinceDivergence)
    let changes = Diagnosis.fitCures.compactMap { knob in
      history.lastChangeStep[knob].map { (knob: knob, step: $0) }
    }
    fitChange = changes.max { $0.step < $1.step }
    if let fitChange {
      let baseline = history.epochs.lastIndex { $0.step <= fitChange.step } ?? 0
      fitEpochs = Array(history.epochs[baseline...])
    } else {
      fitEpochs = history.epochs
    }
  }

  var learningRate: Double { hyper.learningRate }
  /// A rate at or above this kills ReLU units (SGD 0.2, Adam 3e-3): the dead-unit readings' one
  /// measure of "high".
  var highRate: Double { history.optimizer == .adam ? Thresholds.adamHighRate : Thresholds.sgdHighRate }
  var activation: Activation { network?.activation ?? .relu }

  /// Whether a key press can do `action`, and whether it is sane to ask for it: nothing lowered
  /// below the bottom of its key ladder (a regulariser at 0 included), nothing raised above its
  /// top (the train size also not above what the dataset has), and the learning rate never
  /// raised when one more step (×≈2) would reach the diverging range.
  func allows(_ action: Action) -> Bool {
    guard case .turn(let knob, let up) = action else { return true }
    guard let value = value(of: knob) else { return false }
    var top = knob.ladder[knob.ladder.count - 1]
    if knob == .trainSize { top = min(Double(history.trainAvailable ?? Int(value)), top) }
    if knob == .learningRate && up && !(value < divergingRate / 2) { return false }
    let tolerance = 1e-9 * max(1, abs(value))
    return up ? value < top - tolerance : value > knob.ladder[0] + tolerance
  }

  /// A knob's value as the run started (the train size as a count; 0 when the run has not said).
  func startingValue(of knob: Knob) -> Double {
    knob == .trainSize
      ? Double(history.startingTrainCount ?? 0) : history.startingHyperparameters[knob] ?? 0
  }

  /// A knob's value now: the header's, then every change applied (the train size is a count of
  /// examples, nil when the run has not said it).
  func value(of knob: Knob) -> Double? {
    knob == .trainSize ? history.trainCount.map(Double.init) : hyper[knob] ?? 0
  }

  /// A knob's value as set (`RunHistory.setHyperparameters`): where a next run starts from.
  func setValue(of knob: Knob) -> Double? {
    knob == .trainSize ? value(of: knob) : history.setHyperparameters[knob] ?? 0
  }

  /// `.turn(knob, up)` when allowed, else `fallback`.
  func turn(_ knob: Knob, up: Bool, else fallback: Action) -> Action {
    let action = Action.turn(knob, up: up)
    return allows(action) ? action : fallback
  }

  /// The training loss now: the median of the last three records (one is noisy).
  var currentLoss: Double? {
    median(recent.suffix(3).map(\.trainLoss))
  }

  /// No learning: hundreds of steps in and the loss still sits at the untrained value (2.30
  /// for ten classes).
  var stuck: Bool {
    guard let expected = history.expectedInitialLoss, let loss = currentLoss,
      let last = recent.last, last.step >= Thresholds.stuckSteps
    else { return false }
    return loss.isFinite && abs(loss - expected) <= Thresholds.stuckBand * expected
  }

  /// Whether the loss is still coming down: the last third of the recent records below the
  /// first third by 3 %.
  var improving: Bool {
    let window = recent.suffix(Thresholds.oscillationWindow).map(\.trainLoss)
    guard window.count >= 3 else { return true }
    let third = max(1, window.count / 3)
    guard let early = median(Array(window.prefix(third))), let late = median(Array(window.suffix(third)))
    else { return true }
    return late < 0.97 * early
  }

  /// Median over the last snapshots of each layer's `metric`, in layer order.
  func layerMedians(after step: Int = Int.min, _ metric: (LayerStatistics) -> Double) -> [(
    name: String, value: Double
  )] {
    history.latestLayers.indices.compactMap { i in
      history.recentMedian(layer: i, after: step, metric).map { (history.latestLayers[i].name, $0) }
    }
  }

  /// The step the learning rate last changed at, and how many snapshots have been taken since:
  /// update/weight ratios from before it belong to another rate ("updates ≤ 9e-06 of the
  /// weights at lr 0.0002" paired the ratios of 1e-4 with the rate just set).
  var rateChange: (step: Int, snapshotsSince: Int)? {
    guard let step = history.lastChangeStep[.learningRate] else { return nil }
    return (step, history.snapshots.filter { $0.step > step }.count)
  }

  /// The step update ratios are read after: the rate's last change once two snapshots have been
  /// taken since, else every snapshot (the caller says the rate is new where it matters).
  var updateRatiosAfter: Int {
    guard let change = rateChange, change.snapshotsSince >= 2 else { return Int.min }
    return change.step
  }

  /// Hidden layers only (every layer but the output one).
  func hiddenMedians(_ metric: (LayerStatistics) -> Double) -> [(name: String, value: Double)] {
    Array(layerMedians(metric).dropLast())
  }
}

import NeuralNet
import RunModel

/// What the per-layer statistics say: gradients that vanish or explode across the depth, units
/// that died or saturated, updates too small to learn.
extension Diagnosis {
  /// `unstable`: a stability finding was made, so "rate too low" would contradict it.
  static func layerFindings(_ c: Context, diverging unstable: Bool) -> [Finding] {
    guard !c.history.snapshots.isEmpty else {
      return unstable ? [] : notLearning(c, explained: false).map { [$0] } ?? []
    }
    var found: [Finding] = []
    let dead = deadUnits(c) ?? dyingUnits(c)
    // A dead layer passes back no gradient: the vanishing it causes is its symptom, not a cause.
    if let f = gradientFlow(c), dead == nil || f.kind != .vanishingGradients { found.append(f) }
    if let dead { found.append(dead) }
    if let f = saturatedUnits(c) { found.append(f) }
    if !unstable, let f = learningRateTooLow(c) { found.append(f) }
    if !unstable, let f = notLearning(c, explained: !found.isEmpty) { found.append(f) }
    return found
  }

  /// ‖g_first‖/‖g_last‖ from the medians of the last snapshots: far below 1 the early layers get
  /// no signal (vanishing, acted on only when training is also stuck, as AUTOTRAINER does), far
  /// above 1 they get too much (exploding, when the loss is not coming down).
  static func gradientFlow(_ c: Context) -> Finding? {
    let norms = c.layerMedians(\.gradientNorm)
    guard norms.count >= 2, let first = norms.first, let last = norms.last, last.value > 0,
      first.value.isFinite, last.value.isFinite
    else { return nil }
    let ratio = first.value / last.value
    // Decided on medians (one batch is noisy), said in the latest snapshot's numbers, which the
    // Gradients panel shows beside it: a student saw "output 0.101" here and 0.0656 there.
    let latest = c.history.latestLayers
    let shownFirst = latest.first?.gradientNorm ?? first.value
    let shownLast = latest.last?.gradientNorm ?? last.value
    let numbers =
      "\(first.name) ‖g‖ \(Format.number(shownFirst)) vs \(last.name) \(Format.number(shownLast))"
    let evidence =
      numbers + " (ratio \(Format.number(ratio)), median of the last \(Thresholds.medianSnapshots) snapshots)"
    if ratio < Thresholds.vanishingRatio && c.stuck {
      let loss = c.currentLoss.map(Format.number) ?? "?"
      return Finding(
        kind: .vanishingGradients, verdict: "vanishing gradients", reason: numbers,
        evidence: evidence + ", loss \(loss) stuck at the untrained value after \(c.history.step) steps",
        action: vanishingCure(c), remark: vanishingRemark(c))
    }
    if ratio > Thresholds.explodingRatio && !c.improving {
      let fallback: Action =
        c.network?.batchNorm == true ? lowerRateFlag(c) : .newRun([RunFlag("--batch-norm")])
      return Finding(
        kind: .explodingGradients, verdict: "exploding gradients", reason: numbers, evidence: evidence,
        action: c.turn(.learningRate, up: false, else: fallback),
        remark: "clip the gradient norm or normalise the layers if a lower rate does not help")
    }
    return nil
  }

  /// The new run that trains when gradients vanish, as measured on MNIST (8 layers of 128,
  /// 10 epochs; docs/diagnosis.md): tanh passes back a slope of 1 near zero, so with a naive init
  /// only the init is wrong and Xavier cures it (97.4 %); sigmoid's slope is at most 0.25, so
  /// eight layers shrink the gradient ≈ 4⁸× whatever the init (Xavier and He both stay at
  /// chance) and ReLU with He init is the cure (97.7 %); a ReLU network with a poor init only
  /// needs He; one already set up well gets batch norm, then fewer layers.
  static func vanishingCure(_ c: Context) -> Action {
    guard let network = c.network else { return .newRun([RunFlag("--batch-norm")]) }
    if network.activation == .tanh && network.initialization != .xavier {
      return .newRun([RunFlag("--init", "xavier")])
    }
    if network.activation.canSaturate || network.activation == .linear {
      return .newRun([RunFlag("--activation", "relu"), RunFlag("--init", "he")])
    }
    if network.initialization != .he {
      return .newRun([RunFlag("--init", "he")])
    }
    if !network.batchNorm {
      return .newRun([RunFlag("--batch-norm")])
    }
    let fewer = network.hiddenSizes.prefix(max(1, network.hiddenSizes.count / 2))
    return .newRun([RunFlag("--hidden", fewer.map(String.init).joined(separator: ","))])
  }

  static func vanishingRemark(_ c: Context) -> String {
    guard let network = c.network else { return "the early layers get no gradient to learn from" }
    let depth = network.hiddenSizes.count
    return "\(depth) \(network.activation.rawValue) layers with \(network.initialization.rawValue) init "
      + "shrink the gradient layer by layer (Glorot & Bengio 2010)"
  }

  /// A hidden ReLU layer mostly dead. A high rate is the usual killer (CS231n: up to 40 % of a
  /// network dies when the rate is too high), so lowering it comes first; at a modest rate the
  /// activation is to blame, and a dead unit rarely comes back, so it takes a new run. Units
  /// killed by a high rate stay dead after it is lowered: the reading then names that rate and
  /// asks for a new run below it, not for leaky ReLU at the rate now in force (which, with the
  /// lesson's rate kept, diverged).
  static func deadUnits(_ c: Context) -> Finding? {
    guard c.activation.canDie else { return nil }
    let dead = c.hiddenMedians(\.deadFraction)
    let hottest = c.layerMedians(\.updateRatio).map(\.value).max() ?? 0
    let high = c.highRate
    let killedAt = max(c.learningRate, c.history.highestLearningRate)
    let highEarlier = killedAt >= high && killedAt > c.learningRate
    // Decided on medians (one batch overstates it), reported as the latest reading, which is
    // what the Activations panel shows beside it.
    let latest = Dictionary(
      (c.history.snapshots.last?.layers ?? []).map { ($0.name, $0.deadFraction) },
      uniquingKeysWith: { a, _ in a })
    let now = dead.map { (name: $0.name, value: latest[$0.name] ?? $0.value) }
    // Just after a high rate was lowered the medians still hold the snapshots from before the
    // deaths: the latest decides then (the lesson read "warming up" with hidden2 64–70 % dead).
    let gate = highEarlier ? zip(dead, now).map { max($0.value, $1.value) } : dead.map(\.value)
    guard let worst = dead.max(by: { $0.value < $1.value }), (gate.max() ?? 0) > Thresholds.deadFraction
    else {
      return nil
    }
    var shown = now.max(by: { $0.value < $1.value }) ?? worst
    let others = now.filter { $0.name != shown.name }.map { "\($0.name) \(Format.percent($0.value))" }
    let evidence =
      "\(shown.name) \(Format.percent(shown.value)) dead"
      + (others.isEmpty ? "" : " (" + others.joined(separator: ", ") + ")")
      + ", lr \(Format.number(c.learningRate)), largest update/weight \(Format.number(hottest))"
    // After the rate was lowered from a high one, what the layer did since says whether the rate
    // now still kills (the updates stay over 1e-2 at the lesson's cure of 0.1 early on, so they
    // cannot say it); otherwise the rate, its updates and any divergence do.
    var trend = highEarlier ? deadTrendSinceRateChange(c, layer: shown.name, now: shown.value) : nil
    // Another layer still dying at the lowered rate is the one to name (hidden1 37 % → 47 % while
    // the reading spoke of hidden2, steady at 68 %).
    if highEarlier, trend != .dying,
      let dying = now.first(where: { deadTrendSinceRateChange(c, layer: $0.name, now: $0.value) == .dying })
    {
      shown = dying
      trend = .dying
    }
    let highNow =
      c.learningRate >= high
      || (trend.map { $0 == .dying }
        ?? (hottest > Thresholds.updateRatioHot || !c.history.divergences.isEmpty))
    let leaky = Action.newRun([RunFlag("--activation", "leaky-relu")])
    // A layer (almost) wholly dead passes no gradient: no key brings it back, only a new run.
    // On the median, with a margin once the layer has touched the line, so a layer at 93–96 %
    // does not flip between "keep training" and "new run" from one snapshot to the next.
    let typical = dead.first { $0.name == shown.name }?.value ?? shown.value
    let touched =
      c.history.snapshots.suffix(Thresholds.medianSnapshots).compactMap { snapshot in
        snapshot.layers.first { $0.name == shown.name }?.deadFraction
      }.max() ?? shown.value
    let beyondRescue =
      typical >= Thresholds.deadBeyondRescue
      || (typical >= Thresholds.deadBeyondRescue - 0.05 && touched >= Thresholds.deadBeyondRescue)
    let lowerRun = Action.newRun([RunFlag("--lr", Format.number(newRunRate(c, from: killedAt)))])
    let action: Action
    if highEarlier && trend != .dying && !beyondRescue {
      // The rate is down and the layer is not dying at it: the rest trains on, and units can
      // come back (the dead-relu lesson lowered at step 8: hidden2 64 % dead at step 9, 10 % at
      // the end). A new run is the ended run's advice, not the live one's: said live at step 15,
      // it gave up on a run that recovered.
      action = .keepTraining
    } else if highNow && !beyondRescue {
      action = c.turn(.learningRate, up: false, else: leaky)
    } else {
      action = highNow || highEarlier ? lowerRun : leaky
    }
    let rate =
      highEarlier
      ? "after lr \(Format.number(killedAt)) (now \(Format.number(c.learningRate)))"
      : "at lr \(Format.number(c.learningRate))"
    return Finding(
      kind: .deadUnits, verdict: "dead units",
      reason: "\(shown.name) \(Format.percent(shown.value)) dead \(rate)" + (trend?.words ?? ""),
      evidence: evidence, action: action,
      remark: deadRemark(killedAt: killedAt, high: high, lowered: highEarlier))
  }

  /// Leaky ReLU at the dead-relu lesson's rate of 0.5 diverged at step 17 (at 0.2 it trained);
  /// once the rate is lowered, that warning is about a run nobody is running any more.
  static func deadRemark(killedAt: Double, high: Double, lowered: Bool) -> String {
    if lowered {
      return "units killed at lr \(Format.number(killedAt)) may come back at the lower rate or stay dead "
        + "(the Activations panel shows which); a new run below it avoids them"
    }
    return killedAt >= high
      ? "dead units rarely come back; a lower --lr is the cure (leaky-relu alone may still diverge at lr \(Format.number(killedAt)))"
      : "dead units rarely come back: for a new run, --activation leaky-relu or a lower --lr"
  }

  /// The rate for a new run after a layer died at `rate`: a rung down, and below the rate this
  /// rule calls high. One rung at a time sent a student through dead run after dead run: on the
  /// spiral set lr 2 → 1 → 0.5 each killed every unit again, where 0.1 trains to 98 % (and the
  /// dead-relu lesson's own text says "a new run with --lr 0.1").
  static func newRunRate(_ c: Context, from rate: Double) -> Double {
    let high = c.highRate
    let below = Knob.learningRate.ladder.last { $0 < high } ?? Knob.learningRate.ladder[0]
    return min(Knob.learningRate.step(from: rate, up: false), below)
  }

  /// A hidden sigmoid/tanh layer mostly at its limits, where the gradient is near zero.
  static func saturatedUnits(_ c: Context) -> Finding? {
    guard c.activation.canSaturate, let network = c.network else { return nil }
    let saturated = c.hiddenMedians(\.saturatedFraction)
    guard let worst = saturated.max(by: { $0.value < $1.value }), worst.value > Thresholds.saturatedFraction
    else { return nil }
    // Driven there by the rate: a high rate whose loss sits far above the untrained one (a
    // classifier confidently wrong) is the cause, whatever the initialisation. A Xavier tanh run
    // at lr 0.5 ended at loss 99.7 and 10 % with hidden6 saturated, and was told "--batch-norm".
    if c.learningRate >= c.highRate, let untrained = c.history.expectedInitialLoss, let loss = c.currentLoss,
      loss > Thresholds.explosionFactor * untrained
    {
      return Finding(
        kind: .saturatedUnits, verdict: "saturated units",
        reason:
          "\(worst.name) \(Format.percent(worst.value)) saturated at lr \(Format.number(c.learningRate))",
        evidence: "\(worst.name) \(Format.percent(worst.value)) of outputs within 1 % of the "
          + "\(network.activation.rawValue)'s limits; train loss \(Format.number(loss)), over 3× the untrained "
          + Format.number(untrained),
        action: c.turn(.learningRate, up: false, else: lowerRateFlag(c)),
        remark: "updates this large push the units to their limits, where they pass back no gradient")
    }
    let action: Action
    if network.initialization != .xavier && network.initialization != .naive {
      action = .newRun([RunFlag("--init", "xavier")])
    } else if !network.batchNorm {
      action = .newRun([RunFlag("--batch-norm")])
    } else {
      action = .newRun([RunFlag("--activation", "relu"), RunFlag("--init", "he")])
    }
    return Finding(
      kind: .saturatedUnits, verdict: "saturated units",
      reason: "\(worst.name) \(Format.percent(worst.value)) saturated",
      evidence: "\(worst.name) \(Format.percent(worst.value)) of outputs within 1 % of the "
        + "\(network.activation.rawValue)'s limits, lr \(Format.number(c.learningRate))",
      action: action, remark: "a saturated unit passes back almost no gradient (CS231n)")
  }

  /// Every layer's updates far below the healthy ratio, with the run not yet good: the steps
  /// are too small, so the rate should go up (when one more step is still below the diverging
  /// range; otherwise nothing is said).
  static func learningRateTooLow(_ c: Context) -> Finding? {
    guard c.history.snapshots.count >= 2 else { return nil }
    if let change = c.rateChange, change.snapshotsSince < 2 { return nil }
    let ratios = c.layerMedians(after: c.updateRatiosAfter, \.updateRatio)
    guard let largest = ratios.map(\.value).max(), largest < Thresholds.updateRatioLow, largest.isFinite
    else { return nil }
    if let accuracy = c.recent.last?.trainAccuracy, accuracy >= 0.97 { return nil }
    let action = Action.turn(.learningRate, up: true)
    guard c.allows(action) else { return nil }
    let loss = c.currentLoss.map { ", train loss \(Format.number($0))" } ?? ""
    return Finding(
      kind: .learningRateTooLow, verdict: "learning rate too low",
      reason: "updates ≤ \(Format.number(largest)) of the weights at lr \(Format.number(c.learningRate))",
      evidence:
        "update/weight ratio ≤ \(Format.number(largest)) in every layer (\(Thresholds.updateRatioBand); "
        + "under \(Format.number(Thresholds.updateRatioLow)) too slow), "
        + "lr \(Format.number(c.learningRate))\(loss)",
      action: action)
  }

  /// The loss still at its untrained value after hundreds of steps, with no cause found above.
  static func notLearning(_ c: Context, explained: Bool) -> Finding? {
    guard !explained, c.stuck, let loss = c.currentLoss else { return nil }
    let largest = c.layerMedians(\.updateRatio).map(\.value).max()
    return Finding(
      kind: .notLearning, verdict: "not learning",
      reason: "loss \(Format.number(loss)) still at the untrained value",
      evidence: "loss \(Format.number(loss)) vs \(Format.number(c.history.expectedInitialLoss ?? 0)) "
        + "untrained, after \(c.history.step) steps"
        + largestUpdateEvidence(largest),
      action: stuckAction(c, largestUpdate: largest))
  }

  /// What gets a network that is not learning going: a higher rate when its updates are tiny,
  /// else normalisation, which lets a signal through a network that cannot pass one.
  static func stuckAction(_ c: Context, largestUpdate: Double?) -> Action {
    let fallback: Action =
      c.network?.batchNorm == true ? .keepTraining : .newRun([RunFlag("--batch-norm")])
    guard let largestUpdate, largestUpdate < 1e-3 else { return fallback }
    return c.turn(.learningRate, up: true, else: fallback)
  }

  /// The evidence's note of the largest update/weight ratio that `stuckAction` weighed, if any.
  static func largestUpdateEvidence(_ largest: Double?) -> String {
    largest.map { ", largest update/weight \(Format.number($0))" } ?? ""
  }
}

import RunModel

/// Divergence, explosion and oscillation: the learning rate is too high for this network.
extension Diagnosis {
  static func stabilityFindings(_ c: Context) -> [Finding] {
    if let diverging = diverging(c) { return [diverging] }
    var found: [Finding] = []
    if let explosion = explodingLoss(c) { found.append(explosion) }
    if let high = learningRateTooHigh(c) { found.append(high) }
    return found
  }

  /// A smaller rate for a new run, when the key can go no lower.
  static func lowerRateFlag(_ c: Context) -> Action {
    .newRun([RunFlag("--lr", Format.number(c.learningRate / 10))])
  }

  /// The run diverged and has not come back: finite, unexploded losses for a few records after
  /// the last divergence end this reading (a rolled-back run that trains again is not diverging).
  static func diverging(_ c: Context) -> Finding? {
    let h = c.history
    guard let last = h.divergences.last, !h.recoveredFromDivergence else { return nil }
    let rate = h.lastDivergenceRate ?? c.learningRate
    let count = h.divergences.count
    let times = count > 1 ? " (\(count) divergences)" : ""
    let evidence =
      "\(last.reason) at step \(last.step), lr \(Format.number(rate))\(times); "
      + "now lr \(Format.number(c.learningRate))"
    // Once the rate is a step below where it diverged and below the optimiser's ceiling, the
    // fix is in: the run should resume and show whether it holds.
    if c.learningRate <= rate / 2 && c.learningRate < c.divergingRate {
      return Finding(
        kind: .diverging, verdict: "diverged", reason: "lr lowered to \(Format.number(c.learningRate))",
        evidence: evidence, action: h.paused ? .resume : .keepTraining,
        remark: "the weights were rolled back to before the explosion")
    }
    return Finding(
      kind: .diverging, verdict: "diverging",
      reason: "\(last.reason) at step \(last.step) with lr \(Format.number(rate))", evidence: evidence,
      action: c.turn(.learningRate, up: false, else: lowerRateFlag(c)),
      remark: "a loss that explodes almost always means the learning rate is too high (CS231n)")
  }

  /// The loss is not finite or has grown past 3× its initial value with no divergence event yet:
  /// the guard only catches non-finite numbers, so an explosion can run on.
  static func explodingLoss(_ c: Context) -> Finding? {
    guard let record = c.recent.last else { return nil }
    let latest = record.trainLoss
    let reference = c.history.referenceLoss
    let line = Thresholds.explosionFactor * reference
    guard !latest.isFinite || latest > line else { return nil }
    // The rate of the record that exploded, not the one set since: "lr 0.1" had stood beside a
    // loss of 11.5 taken at 0.5, and the student who had just lowered it was told to again.
    let evidence =
      "train loss \(Format.number(latest)) at step \(record.step), initial "
      + "\(Format.number(reference)), lr \(Format.number(record.learningRate))"
    let lowered =
      (c.history.lastChangeStep[.learningRate] ?? Int.min) >= record.step
      && c.learningRate < record.learningRate
    return Finding(
      kind: .explodingLoss, verdict: "loss exploding",
      reason: "loss \(Format.number(latest)), over 3× the initial \(Format.number(reference))"
        + (lowered
          ? " at lr \(Format.number(record.learningRate)), now \(Format.number(c.learningRate))" : ""),
      evidence: evidence,
      action: lowered ? .keepTraining : c.turn(.learningRate, up: false, else: lowerRateFlag(c)),
      remark: lowered
        ? "the next records show whether the lower rate holds"
        : "stop a run whose loss exceeds 3× the initial loss (CS231n lecture 6)")
  }

  /// Progress records merged (step-weighted) until each spans `minimumSteps` steps: a record over
  /// a couple of batches bounces with the sampling noise alone, which must not read as a rate
  /// that is too high. Records every 50 steps (the default) stay as they are.
  static func grouped(_ records: [StepProgress], minimumSteps: Int) -> [Double] {
    var groups: [Double] = []
    var sum = 0.0
    var steps = 0
    var previousStep = records.first.map { $0.step - 1 } ?? 0
    for record in records {
      let span = max(1, record.step - previousStep)
      previousStep = record.step
      sum += record.trainLoss * Double(span)
      steps += span
      if steps >= minimumSteps {
        groups.append(sum / Double(steps))
        sum = 0
        steps = 0
      }
    }
    return groups
  }

  /// Too high a rate without blowing up: the loss bounces up and down without net progress (by
  /// more than the sampling noise of a run near its floor), or the updates are a tenth of the
  /// weights or more.
  static func learningRateTooHigh(_ c: Context) -> Finding? {
    // Losses from before a change to the data or a regulariser are another problem's: after `E`
    // took the overfit lesson from 1 000 to 10 000 examples, its training loss rose (new
    // examples) and read as "loss bounces" for an epoch.
    let since = c.fitChange?.step ?? Int.min
    let window = grouped(c.recent.filter { $0.step > since }, minimumSteps: Thresholds.oscillationGroupSteps)
      .suffix(Thresholds.oscillationWindow)
    let floor = Thresholds.oscillationFloor * c.history.referenceLoss
    var rises = 0
    for (a, b) in zip(window, window.dropFirst())
    where b > a * (1 + Thresholds.oscillationRise) && b - a >= floor {
      rises += 1
    }
    let pairs = max(window.count - 1, 1)
    let oscillating =
      window.count >= Thresholds.oscillationMinimum
      && Double(rises) / Double(pairs) >= Thresholds.oscillationShare
      && (window.last ?? 0) >= 0.95 * (window.first ?? 0)
    let ratios = c.layerMedians(\.updateRatio).map(\.value)
    let ratio = median(ratios)
    let hot = ratio.map { $0 > Thresholds.updateRatioHigh } ?? false
    if hot, !oscillating, let ratio, let decay = weightDecayTooStrong(c, ratio: ratio) { return decay }
    guard oscillating || hot else { return nil }
    var evidence: [String] = []
    if oscillating, let first = window.first, let last = window.last {
      evidence.append(
        "loss rose in \(rises) of \(pairs) records, \(Format.number(first)) → \(Format.number(last))")
    }
    if hot, let ratio {
      evidence.append(
        "update/weight ratio \(Format.number(ratio)) (\(Thresholds.updateRatioBand); over "
          + "\(Format.number(Thresholds.updateRatioHigh)) too fast)")
    }
    evidence.append("lr \(Format.number(c.learningRate))")
    let reason =
      oscillating
      ? "loss bounces (\(rises) rises in \(pairs) records)"
      : "updates \(Format.number(ratio ?? 0)) of the weights per step (recent median)"
    return Finding(
      kind: .learningRateTooHigh, verdict: "learning rate too high", reason: reason,
      evidence: evidence.joined(separator: ", "),
      action: c.turn(.learningRate, up: false, else: lowerRateFlag(c)))
  }

  /// Updates a tenth of the weights or more while L2 alone takes a large share of each weight a
  /// step (SGD with momentum μ: lr · λ / (1 − μ) once the momentum has built up): the weights
  /// shrink and every update is large beside them. Lowering the rate would shrink both, but the
  /// knob the person turned to get here is L2, and lowering it is the cure.
  static func weightDecayTooStrong(_ c: Context, ratio: Double) -> Finding? {
    let h = c.hyper
    guard c.history.optimizer == .sgd, h.l2 > 0, h.momentum < 1 else { return nil }
    let share = h.learningRate * h.l2 / (1 - h.momentum)
    guard share >= Thresholds.decayShareOfHighUpdates else { return nil }
    let l2 = Format.knob(.l2, h.l2)
    return Finding(
      kind: .weightDecayTooStrong, verdict: "L2 too strong",
      reason: "L2 \(l2) takes \(Format.percent(share)) of each weight a step",
      evidence:
        "update/weight ratio \(Format.number(ratio)) (recent median; \(Thresholds.updateRatioBand)), of which L2 "
        + "\(l2) × lr \(Format.number(h.learningRate)) ÷ (1 − momentum \(Format.number(h.momentum))) = "
        + Format.number(share),
      action: c.turn(.l2, up: false, else: c.turn(.learningRate, up: false, else: lowerRateFlag(c))))
  }
}

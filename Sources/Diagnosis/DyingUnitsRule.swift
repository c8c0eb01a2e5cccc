import RunModel

/// Units dying now, before the dead-units rule can say so: that rule waits for the median of
/// several snapshots to pass one half, and in the dead-relu lesson (lr 0.5) that came at step
/// ≈ 15, when 72 % of hidden1 was already dead and pressing `l` could no longer save it. The
/// trend shows earlier: hidden2 went 1 % → 7 % → 20 % → 24 % → 64 % dead over steps 1–9, with
/// every layer's updates above 1e-2 of its weights.
extension Diagnosis {
  static func dyingUnits(_ c: Context) -> Finding? {
    guard c.activation.canDie else { return nil }
    let window = c.history.snapshots.suffix(Thresholds.medianSnapshots)
    guard window.count >= Thresholds.dyingSnapshots, let first = window.first, let last = window.last
    else { return nil }
    let high = c.highRate
    let hottest = c.layerMedians(\.updateRatio).map(\.value).max() ?? 0
    // A rate already lowered is the fix in progress: the units that died stay dead, and the
    // dead-units rule names the rate that killed them.
    let lowered = c.learningRate < c.history.highestLearningRate
    if lowered && c.history.highestLearningRate >= high && c.learningRate < high {
      return dyingAfterLowering(c)
    }
    guard c.learningRate >= high || (hottest > Thresholds.updateRatioHot && !lowered) else { return nil }
    let hidden = last.layers.indices.dropLast()
    let dying = hidden.compactMap { i -> (name: String, from: Double, now: Double)? in
      guard i < first.layers.count else { return nil }
      let recent = window.suffix(3).compactMap { i < $0.layers.count ? $0.layers[i].deadFraction : nil }
      // The median of the last three, or the last two in a row: the lesson's 1 % → 7 % → 20 % by
      // step 5 is two snapshots of deaths, where the median waited for a third (step 7, after
      // the card's "first ≈ 5 steps").
      let lastTwo = Array(recent.suffix(2))
      let twoInARow =
        lastTwo.count == 2 && lastTwo[0] >= Thresholds.dyingRise / 2 && lastTwo[1] >= Thresholds.dyingFraction
      guard let typical = median(recent), typical >= Thresholds.dyingFraction || twoInARow,
        max(typical, lastTwo.last ?? 0) - first.layers[i].deadFraction >= Thresholds.dyingRise
      else { return nil }
      return (last.layers[i].name, first.layers[i].deadFraction, last.layers[i].deadFraction)
    }
    guard let worst = dying.max(by: { $0.now < $1.now }) else { return nil }
    return unitsDying(
      c, worst, how: "in \(last.step - first.step) steps at lr \(Format.number(c.learningRate))",
      steps: (first.step, last.step), detail: "largest update/weight \(Format.number(hottest))",
      remark: "dead units rarely come back: lower the rate while most are alive (CS231n)")
  }

  /// "units dying: hidden2 dead 0.8 % → 24 % in 6 steps at lr 0.5 → lower the learning rate (l)".
  static func unitsDying(
    _ c: Context, _ layer: (name: String, from: Double, now: Double), how: String, steps: (Int, Int),
    detail: String, remark: String
  ) -> Finding {
    let reason = "\(layer.name) dead \(Format.percent(layer.from)) → \(Format.percent(layer.now)) \(how)"
    return Finding(
      kind: .deadUnits, verdict: "units dying", reason: reason,
      evidence: reason + " (steps \(steps.0)–\(steps.1)), \(detail)",
      action: c.turn(.learningRate, up: false, else: lowerRateFlag(c)), remark: remark)
  }

  /// After a high rate was lowered, a layer still dying at the new one, before it is half dead
  /// (the dead-units rule's line): the dead-relu lesson lowered at step 5, as its card says, had
  /// hidden1 climb 5 % → 33 % over thirty steps while the reading said "warming up".
  static func dyingAfterLowering(_ c: Context) -> Finding? {
    guard let last = c.history.snapshots.last else { return nil }
    let change = c.rateChange?.step ?? Int.min
    let since = c.history.snapshots.filter { $0.step > change }
    // The first snapshot of the window the trend is judged on (`deadTrendSinceRateChange`).
    let from = since.suffix(Thresholds.medianSnapshots).first ?? last
    let dying = last.layers.dropLast().compactMap { layer -> (name: String, from: Double, now: Double)? in
      guard deadTrendSinceRateChange(c, layer: layer.name, now: layer.deadFraction) == .dying,
        let then = from.layers.first(where: { $0.name == layer.name })?.deadFraction
      else { return nil }
      return (layer.name, then, layer.deadFraction)
    }
    guard let worst = dying.max(by: { $0.now - $0.from < $1.now - $1.from }) else {
      return justLowered(c, last, snapshotsSince: since.count)
    }
    let rate = Format.number(c.learningRate)
    let how =
      since.count <= Thresholds.medianSnapshots
      ? "since the rate was lowered to \(rate)"
      : "in \(last.step - from.step) steps at the lowered rate \(rate)"
    return unitsDying(
      c, worst, how: how,
      steps: (from.step, last.step),
      detail: "highest rate \(Format.number(c.history.highestLearningRate))",
      remark: "still dying at the lower rate: a step lower keeps more of the rest alive")
  }

  /// Right after a killing rate was lowered, too few snapshots to tell whether units still die:
  /// said so, with what died, rather than "warming up: no full epoch yet" beside a layer going
  /// 24 % → 48 % dead (the dead-relu lesson, steps 7–12 after `l` twice).
  static func justLowered(_ c: Context, _ last: LayerSnapshot, snapshotsSince: Int) -> Finding? {
    guard snapshotsSince < Thresholds.dyingSnapshots,
      let worst = last.layers.dropLast().max(by: { $0.deadFraction < $1.deadFraction }),
      worst.deadFraction >= Thresholds.dyingFraction
    else { return nil }
    let rate = "lr \(Format.number(c.history.highestLearningRate)) (now \(Format.number(c.learningRate)))"
    return Finding(
      kind: .deadUnits, verdict: "dead units",
      reason: "\(worst.name) \(Format.percent(worst.deadFraction)) dead after \(rate), just lowered",
      evidence: last.layers.dropLast().map { "\($0.name) \(Format.percent($0.deadFraction))" }
        .joined(separator: ", ") + " dead at step \(last.step)",
      action: .keepTraining,
      remark: "momentum carries the old steps for a few more: the next snapshots show whether units still die"
    )
  }

  /// What a layer's dead fraction did since the learning rate last changed.
  enum DeadTrend: Equatable {
    /// Fewer than `Thresholds.dyingSnapshots` snapshots since: too soon to tell.
    case settling
    /// Rising by `Thresholds.dyingRise` or more since: the rate now still kills.
    case dying
    /// Well below its peak since (or its first reading since): the run mends by itself (the
    /// dead-relu lesson lowered to 0.1 at step 8: hidden2 70 % → 45 % by step 30).
    case comingBack(from: Double)
    case steady

    /// ", down from 70 %" after the reason.
    var words: String {
      switch self {
      case .settling: return ", just lowered"
      case .comingBack(let peak): return ", down from \(Format.percent(peak))"
      case .dying: return ", still dying"
      case .steady: return ""
      }
    }
  }

  /// A layer's dead fraction at each snapshot since the learning rate last changed.
  static func deadFractionsSinceRateChange(_ c: Context, layer: String) -> [Double] {
    let change = c.rateChange?.step ?? Int.min
    return c.history.snapshots.filter { $0.step > change }.compactMap { snapshot in
      snapshot.layers.first { $0.name == layer }?.deadFraction
    }
  }

  /// Dying is judged on the last `Thresholds.medianSnapshots` since the change, not all of them:
  /// the dead-relu lesson's hidden1 rose 30 % → 40 % in the steps after `l` (momentum still
  /// carrying the old rate's steps), then held at 38–42 % for twenty steps, and "still dying →
  /// lower the learning rate" stood all that while. Coming back is judged on the peak since.
  static func deadTrendSinceRateChange(_ c: Context, layer: String, now: Double) -> DeadTrend {
    let values = deadFractionsSinceRateChange(c, layer: layer)
    let window = values.suffix(Thresholds.medianSnapshots)
    guard values.count >= Thresholds.dyingSnapshots, let first = window.first, let peak = values.max() else {
      return .settling
    }
    // Still dying while the last three snapshots reached the rise and the latest has not fallen
    // well back from them: a layer levelled off at 40–46 % had read "lower the rate" and "keep
    // training" by turns on a few points of noise.
    let recentPeak = values.suffix(3).max() ?? now
    // And while the window one snapshot back was dying and this one still rises by half as much:
    // a layer climbing 9 → 27 % read "units dying" and "warming up" by turns as its window slid
    // across the ten-point line (the dead-relu lesson, `l` twice at step 5).
    let earlier = values.dropLast().suffix(Thresholds.medianSnapshots)
    let wasDying =
      earlier.count >= Thresholds.dyingSnapshots
      && (earlier.last ?? 0) - (earlier.first ?? 0) >= Thresholds.dyingRise
    if now - first >= Thresholds.dyingRise
      || (recentPeak - first >= Thresholds.dyingRise && recentPeak - now < Thresholds.dyingRise / 2)
      || (wasDying && now - first >= Thresholds.dyingRise / 2)
    {
      return .dying
    }
    if peak - now >= Thresholds.dyingRise { return .comingBack(from: peak) }
    return .steady
  }
}

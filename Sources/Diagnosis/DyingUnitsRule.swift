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
    let dying = last.layers.dropLast().compactMap { layer -> (name: String, from: Double, now: Double)? in
      guard deadTrendSinceRateChange(c, layer: layer.name, now: layer.deadFraction) == .dying,
        let first = since.first?.layers.first(where: { $0.name == layer.name })?.deadFraction
      else { return nil }
      return (layer.name, first, layer.deadFraction)
    }
    guard let worst = dying.max(by: { $0.now - $0.from < $1.now - $1.from }), let from = since.first else {
      return nil
    }
    return unitsDying(
      c, worst, how: "since the rate was lowered to \(Format.number(c.learningRate))",
      steps: (from.step, last.step),
      detail: "highest rate \(Format.number(c.history.highestLearningRate))",
      remark: "still dying at the lower rate: a step lower keeps more of the rest alive")
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

  static func deadTrendSinceRateChange(_ c: Context, layer: String, now: Double) -> DeadTrend {
    let change = c.rateChange?.step ?? Int.min
    let values = c.history.snapshots.filter { $0.step > change }.compactMap { snapshot in
      snapshot.layers.first { $0.name == layer }?.deadFraction
    }
    guard values.count >= Thresholds.dyingSnapshots, let first = values.first, let peak = values.max() else {
      return .settling
    }
    // Still dying while the last three snapshots reached the rise and the latest has not fallen
    // well back from them: a layer levelled off at 40–46 % had read "lower the rate" and "keep
    // training" by turns on a few points of noise.
    let recentPeak = values.suffix(3).max() ?? now
    if now - first >= Thresholds.dyingRise
      || (recentPeak - first >= Thresholds.dyingRise && recentPeak - now < Thresholds.dyingRise / 2)
    {
      return .dying
    }
    if peak - now >= Thresholds.dyingRise { return .comingBack(from: peak) }
    return .steady
  }
}

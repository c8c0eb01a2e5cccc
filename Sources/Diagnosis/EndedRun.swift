import RunModel

/// The reading of a run that has ended. No key turns a knob and nothing trains any more, so "raise
/// L2 (W)" and "keep training" would both be advice nobody can follow: each finding keeps its
/// verdict and numbers, and its action becomes what the next run should do differently — with
/// the knobs the person turned during this run carried over, since a new run starts from the
/// command line's values ("new run with --epochs 20" after lowering the rate to 0.1 would lose it).
extension Diagnosis {
  static func afterEnd(_ finding: Finding, _ c: Context, _ ending: RunSummary) -> Finding {
    var result = finding
    if finding.kind == .epochsNotLogged {
      // Not too short: no epoch was logged, and a new run would not change that.
      result.action = .nothingToChange
      return result
    }
    if finding.kind == .warmingUp {
      result.verdict = "too short to judge"
      result.reason = "ended before a full epoch"
    }
    if finding.kind == .settling {
      // No epoch showed the last change: the next run tries the value from its start.
      result.verdict = "changed too late to judge"
      result.evidence = finding.reason + "; no epoch after it"
      if !changedKnobs(c, finding.kind).isEmpty {
        result.action = nextRun(c, finding.kind, [])
        return result
      }
    }
    switch finding.action {
    case .turn(.learningRate, up: false) where finding.kind == .diverging:
      // A run that ended diverging gets the rule's own new-run rate, a tenth: one that surely
      // lies below the diverging range, where "below 5" would invite 4.9.
      result.action = nextRun(c, finding.kind, lowerRateFlag(c).flags)
    case .turn(let knob, let up):
      // A value a decade on, not one rung: one rung is often too little for a whole run (the slow
      // lesson needs six to eight presses); "--l2 below 0.05" could not be typed.
      result.action = nextRun(
        c, finding.kind, [RunFlag(knob.flag, Format.knob(knob, nextRunValue(c, knob, up: up)))])
    case .keepTraining, .resume:
      if finding.kind == .diverging {
        // The rate was lowered after the divergence: the carried rate is what the next run needs.
        result.action = nextRun(c, finding.kind, [])
      } else if finding.kind == .growingGap && !validationAtItsBest(c),
        case .turn(let knob, let up) = varianceCure(c)
      {
        // A growing gap with validation past its best: more epochs would widen it; the next run
        // takes the variance cure (after `E` once in the overfit lesson it had read "new run
        // with --train-size 2000", the settings it ended at, on a gap of 0.215 still growing).
        result.action = nextRun(
          c, finding.kind, [RunFlag(knob.flag, Format.knob(knob, nextRunValue(c, knob, up: up)))])
        result.remark = nil
      } else if finding.kind == .goodFit || (finding.kind == .growingGap && !validationAtItsBest(c)) {
        // A gap of noise (val loss 0.0900 → 0.0925 after the underfit lesson's cure) with no cure
        // left to turn calls for no change.
        result.action =
          changedKnobs(c, finding.kind).isEmpty ? .nothingToChange : nextRun(c, finding.kind, [])
        if finding.kind == .growingGap { result.remark = nil }
      } else if finding.kind == .deadUnits {
        // Training on was the live advice while the rate was down; for the next run, a rate
        // below the one that killed them.
        let killedAt = max(c.learningRate, c.history.highestLearningRate)
        result.action = nextRun(
          c, finding.kind, [RunFlag("--lr", Format.number(newRunRate(c, from: killedAt)))])
      } else {
        let epochs = moreEpochs(c, ending)
        result.action = nextRun(c, finding.kind, [RunFlag("--epochs", String(epochs))])
        let remarks = [resumeRemark(c, epochs: epochs), finding.remark].compactMap { $0 }
        result.remark = remarks.isEmpty ? nil : remarks.joined(separator: "; ")
      }
    case .newRun(let flags):
      result.action = nextRun(c, finding.kind, flags)
    case .nothingToChange:
      break
    }
    if case .newRun(let flags) = result.action, let note = leftOutNote(c, finding.kind, flags: flags) {
      result.remark = Format.joined([note, result.remark])
    }
    return result
  }

  /// "the next run leaves learning rate at 0.05: 0.5 did not improve validation" for each turned
  /// knob the next run's flags leave at its starting value because it did not help (said as what
  /// the next run does: "left at 0" had read as false beside a panel showing dropout 0.2).
  static func leftOutNote(_ c: Context, _ kind: Finding.Kind, flags: [RunFlag]) -> String? {
    let named = Set(flags.map(\.name))
    let notes = unhelpfulKnobs(c, kind).filter { !named.contains($0.flag) }.compactMap { knob -> String? in
      let start = c.startingValue(of: knob)
      let now = c.setValue(of: knob) ?? 0
      guard now != start else { return nil }
      let why =
        overridden(c, knob)
        ? "the loop's scheduler replaced it by the next record"
        : worksAgainst(kind, knob, up: now > start)
          ? "works against the \(problem(kind)) this run ended with" : "did not improve validation"
      return
        "the next run leaves \(knob.label) at \(Format.knob(knob, start)): \(Format.knob(knob, now)) \(why)"
    }
    return notes.isEmpty ? nil : notes.joined(separator: "; ")
  }

  /// A new run's value for a knob the live reading would turn: three rungs of its key ladder (a
  /// decade of the 1-2-5 ladders, L2 0.05 → 0.005, lr 1e-4 → 1e-3; train size 1 000 → 10 000), as
  /// far as the dataset and the hard rule's diverging range allow; L2 from none, `firstL2`.
  static func nextRunValue(_ c: Context, _ knob: Knob, up: Bool) -> Double {
    // From the run's start when it ended on the wrong side of it: L2 raised to 0.2 in the underfit
    // lesson (started at 0.05) had ended "--l2 0.02", less of a cure than the start allowed.
    let start = c.startingValue(of: knob)
    let now = c.setValue(of: knob) ?? 0
    var value = up ? max(now, start) : min(now, start)
    if knob == .l2 && value == 0 && up { return Thresholds.firstL2 }
    let limit = knob == .trainSize ? Double(c.history.trainAvailable ?? Int.max) : .infinity
    for _ in 0..<3 {
      let next = knob.step(from: value, up: up, limit: limit)
      if knob == .learningRate && up && !(next < c.divergingRate / 2) { break }
      value = next
    }
    return value
  }

  /// A new run with the knobs this run ended at (where they differ from how it started) and
  /// `flags`, which win over a carried knob of the same name.
  static func nextRun(_ c: Context, _ kind: Finding.Kind, _ flags: [RunFlag]) -> Action {
    let named = Set(flags.map(\.name))
    return .newRun(changedKnobs(c, kind).filter { !named.contains($0.name) } + flags)
  }

  /// The knobs a person turned during the run and that helped (or were not yet judged), at their
  /// values when it ended, in the knob table's order.
  static func changedKnobs(_ c: Context, _ kind: Finding.Kind) -> [RunFlag] {
    let unhelpful = unhelpfulKnobs(c, kind)
    return Knob.allCases.filter { c.history.turnedByPerson.contains($0) && !unhelpful.contains($0) }
      .compactMap { knob in
        let now = c.setValue(of: knob) ?? 0
        let start = c.startingValue(of: knob)
        return now == start ? nil : RunFlag(knob.flag, Format.knob(knob, now))
      }
  }

  /// Whether validation got better once a person turned `knob` to where it ended: the best
  /// validation loss of the epochs trained wholly after the last turn below the best one before
  /// the first turn (the untrained loss when none had ended) by 1 %. A last turn no whole epoch
  /// followed is untested, and carried.
  /// Carrying every turn told a student who raised the rate to 0.5 in the vanishing lesson (loss
  /// still 2.30) to start the next run at 0.5, where Xavier's cure then blew up.
  static func helped(_ c: Context, _ knob: Knob) -> Bool {
    guard let first = c.history.firstPersonChangeStep[knob] else { return true }
    // The value the run ended at is what would be carried: judged by the epochs after its own
    // turn, untested when none followed it (`w` pressed six times just before the end, after a
    // `W` that had made things worse, was left out as "did not improve").
    let last = c.history.lastChangeStep[knob] ?? first
    let after = c.history.epochs.filter { c.start(of: $0) >= last }.map(\.validationLoss).filter(\.isFinite)
    guard let best = after.min() else { return true }
    // Against the best the run had reached before the first turn, not the last epoch before it:
    // the overfit lesson's training data cut to a quarter at epoch 12 (val loss 0.434, rising
    // from its best 0.395) was carried into the next run because the next epochs' 0.429 beat 0.434.
    let reached = c.history.epochs.filter { $0.step <= first }.map(\.validationLoss).filter(\.isFinite).min()
    let before = reached ?? c.history.referenceLoss
    return best < before * (1 - Thresholds.helpedImprovement)
  }

  /// The knobs a person turned that did not help: said beside the next run's flags, so a left-out
  /// setting is not a silent surprise.
  static func unhelpfulKnobs(_ c: Context, _ kind: Finding.Kind) -> [Knob] {
    Knob.allCases.filter { knob in
      c.history.turnedByPerson.contains(knob)
        && (!helped(c, knob) || overridden(c, knob)
          || worksAgainst(kind, knob, up: (c.setValue(of: knob) ?? 0) > c.startingValue(of: knob)))
    }
  }

  /// What `worksAgainst` works against, in words.
  static func problem(_ kind: Finding.Kind) -> String {
    switch kind {
    case .overfitting, .growingGap, .highVariance: return "gap"
    case .underfitting: return "underfitting"
    case .learningRateTooLow: return "slow learning"
    default: return "instability"
    }
  }

  /// Whether a knob turned this way works against the reading the run ended with: the overfit
  /// lesson's data cut 1 000 → 500 at epoch 2 "helped" (validation was still falling from its
  /// untrained start) and had been carried into "new run with --train-size 500 --l2 0.001".
  static func worksAgainst(_ kind: Finding.Kind, _ knob: Knob, up: Bool) -> Bool {
    switch kind {
    case .overfitting, .growingGap, .highVariance:
      return !up && [Knob.trainSize, .l2, .dropout].contains(knob)
    case .underfitting(.regularisation): return up && (knob == .l2 || knob == .dropout)
    case .learningRateTooLow: return knob == .learningRate && !up
    case .learningRateTooHigh, .diverging, .explodingLoss: return knob == .learningRate && up
    default: return false
    }
  }

  /// A rate another writer's scheduler replaced at once was never trained at: not carried.
  static func overridden(_ c: Context, _ knob: Knob) -> Bool {
    knob == .learningRate && c.history.setRateOverridden
  }

  /// Whether the last epoch's validation loss is the best since the last change to a cure.
  static func validationAtItsBest(_ c: Context) -> Bool {
    guard let last = c.fitEpochs.last else { return true }
    return c.fitEpochs.allSatisfy { last.validationLoss <= $0.validationLoss }
  }

  /// A run stopped before its planned epochs is offered them again; one that went the distance and
  /// was still improving, twice as many.
  static func moreEpochs(_ c: Context, _ ending: RunSummary) -> Int {
    let done = max(ending.epochs, 1)
    if let planned = c.history.plannedEpochs, ending.epochs < planned { return planned }
    return done * 2
  }

  /// The run's own final checkpoint carries on where it stopped, which saves repeating the epochs.
  static func resumeRemark(_ c: Context, epochs: Int) -> String? {
    guard c.history.writtenByNntop, let path = c.history.finalCheckpoint else { return nil }
    return "or go on from this run: --resume \(path) --epochs \(epochs)"
  }
}

extension Action {
  /// The flags of a new run (empty for any other action).
  var flags: [RunFlag] {
    if case .newRun(let flags) = self { return flags }
    return []
  }
}

extension Format {
  /// A knob's value as a flag takes it: counts whole, others as the findings write numbers.
  static func knob(_ knob: Knob, _ value: Double) -> String {
    knob.isCount ? String(Int(value.rounded())) : number(value)
  }
}

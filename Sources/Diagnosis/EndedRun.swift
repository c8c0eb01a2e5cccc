import RunModel

/// The reading of a run that has ended. No key turns a knob and nothing trains any more, so "raise
/// L2 (W)" and "keep training" would both be advice nobody can follow: each finding keeps its
/// verdict and numbers, and its action becomes what the next run should do differently — with
/// the knobs the person turned during this run carried over, since a new run starts from the
/// command line's values ("new run with --epochs 20" after lowering the rate to 0.1 would lose it).
extension Diagnosis {
  static func afterEnd(_ finding: Finding, _ c: Context, _ ending: RunSummary) -> Finding {
    var result = finding
    if finding.kind == .warmingUp {
      result.verdict = "too short to judge"
      result.reason = "ended before a full epoch"
    }
    if finding.kind == .settling {
      // No epoch showed the last change: the next run tries the value from its start.
      result.verdict = "changed too late to judge"
      result.evidence = finding.reason + "; no epoch after it"
      if !changedKnobs(c).isEmpty {
        result.action = nextRun(c, [])
        return result
      }
    }
    switch finding.action {
    case .turn(.learningRate, up: false) where finding.kind == .diverging:
      // A run that ended diverging gets the rule's own new-run rate, a tenth: one that surely
      // lies below the diverging range, where "below 5" would invite 4.9.
      result.action = nextRun(c, lowerRateFlag(c).flags)
    case .turn(let knob, let up):
      // The direction from where the run ended, not one rung: one rung is often too little for a
      // whole run (the slow lesson needs six to eight presses).
      let value = Format.knob(knob, c.value(of: knob) ?? 0)
      result.action = nextRun(c, [RunFlag(knob.flag, (up ? "above " : "below ") + value)])
    case .keepTraining, .resume:
      if finding.kind == .diverging {
        // The rate was lowered after the divergence: the carried rate is what the next run needs.
        result.action = nextRun(c, [])
      } else if finding.kind == .goodFit || (finding.kind == .growingGap && !validationAtItsBest(c)) {
        // A growing gap with validation past its best: more epochs would widen it, and a gap of
        // noise (val loss 0.0900 → 0.0925 after the underfit lesson's cure) calls for no change.
        result.action = changedKnobs(c).isEmpty ? .nothingToChange : nextRun(c, [])
        if finding.kind == .growingGap { result.remark = nil }
      } else if finding.kind == .deadUnits {
        // Training on was the live advice while the rate was down; for the next run, a rate
        // below the one that killed them.
        let killedAt = max(c.learningRate, c.history.highestLearningRate)
        result.action = nextRun(c, [RunFlag("--lr", Format.number(newRunRate(c, from: killedAt)))])
      } else {
        let epochs = moreEpochs(c, ending)
        result.action = nextRun(c, [RunFlag("--epochs", String(epochs))])
        let remarks = [resumeRemark(c, epochs: epochs), finding.remark].compactMap { $0 }
        result.remark = remarks.isEmpty ? nil : remarks.joined(separator: "; ")
      }
    case .newRun(let flags):
      result.action = nextRun(c, flags)
    case .nothingToChange:
      break
    }
    return result
  }

  /// A new run with the knobs this run ended at (where they differ from how it started) and
  /// `flags`, which win over a carried knob of the same name.
  static func nextRun(_ c: Context, _ flags: [RunFlag]) -> Action {
    let named = Set(flags.map(\.name))
    return .newRun(changedKnobs(c).filter { !named.contains($0.name) } + flags)
  }

  /// The knobs a person turned during the run, at their values when it ended, in the knob
  /// table's order.
  static func changedKnobs(_ c: Context) -> [RunFlag] {
    Knob.allCases.filter(c.history.turnedByPerson.contains).compactMap { knob in
      let now = c.value(of: knob) ?? 0
      let start =
        knob == .trainSize
        ? Double(c.history.startingTrainCount ?? 0) : c.history.startingHyperparameters[knob] ?? 0
      return now == start ? nil : RunFlag(knob.flag, Format.knob(knob, now))
    }
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

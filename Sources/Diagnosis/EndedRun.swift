import RunModel

/// The reading of a run that has ended. No key turns a knob and nothing trains any more, so "raise
/// L2 (W)" and "keep training" would both be advice nobody can follow: each finding keeps its
/// verdict and numbers, and its action becomes what the next run should do differently.
extension Diagnosis {
  static func afterEnd(_ finding: Finding, _ c: Context, _ ending: RunSummary) -> Finding {
    var result = finding
    if finding.kind == .warmingUp {
      result.verdict = "too short to judge"
      result.reason = "ended before a full epoch"
    }
    switch finding.action {
    case .turn(.learningRate, up: false) where finding.kind == .diverging:
      // A run that ended diverging gets the rule's own new-run rate, a tenth: one that surely
      // lies below the diverging range, where "below 5" would invite 4.9.
      result.action = lowerRateFlag(c)
    case .turn(let knob, let up):
      result.action = .newRunMoving(knob, up: up, from: value(of: knob, c))
    case .keepTraining, .resume:
      if finding.kind == .diverging {
        // The rate was lowered after the divergence: that rate is what the next run should use.
        result.action = .newRun([RunFlag(Knob.learningRate.flag, Format.number(c.learningRate))])
      } else if finding.kind == .goodFit {
        result.action = .nothingToChange
      } else {
        let epochs = moreEpochs(c, ending)
        result.action = .newRun([RunFlag("--epochs", String(epochs))])
        result.remark = [resumeRemark(c, epochs: epochs), finding.remark].compactMap { $0 }.joined(
          separator: "; ")
        if result.remark?.isEmpty == true { result.remark = nil }
      }
    case .newRun, .newRunMoving, .nothingToChange:
      break
    }
    return result
  }

  /// The knob's value when the run ended (the train size is a count of examples).
  static func value(of knob: Knob, _ c: Context) -> Double {
    knob == .trainSize ? Double(c.history.trainCount ?? 0) : c.hyper[knob] ?? 0
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

import RunModel

/// The knobs as the dashboard shows and turns them: the trainer's last word with this
/// dashboard's unanswered key presses applied.
extension DashboardState {
  /// A knob's value as the panel shows it: the trainer's last word with this dashboard's
  /// unanswered presses applied (the base learning rate, not the scheduled one; the train size
  /// asked for, not the one this epoch uses).
  public func value(of knob: Knob) -> Double {
    let reported = knob == .trainSize ? Double(trainSize) : hyperparameters[knob] ?? 0
    return pending.value(of: knob, from: reported, limit: limit(of: knob))
  }

  /// The learning rate in effect once the unanswered presses land (the base × the schedule's
  /// factor).
  public var effectiveLearningRate: Double {
    let base = hyperparameters.learningRate
    guard header?.schedule != .constant, base > 0 else { return value(of: .learningRate) }
    return value(of: .learningRate) * learningRate / base
  }

  /// How far a knob's keys may go: the train size stops at what the dataset has.
  func limit(of knob: Knob) -> Double {
    knob == .trainSize ? Double(header?.trainAvailable ?? Int(Int32.max)) : .infinity
  }
}

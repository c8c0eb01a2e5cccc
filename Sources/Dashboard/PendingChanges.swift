import RunModel

/// Knob changes this dashboard has sent that the trainer has not confirmed yet.
///
/// A key press shows its value at once, but the trainer's answers arrive later, one per press.
/// Were each answer shown as it came, a press made before the answer to the one before it would
/// be drawn over by an older value (and a command computed from that value would skip a rung or
/// go the wrong way). So the panel shows the trainer's last word with the unanswered presses
/// applied on top, and an answer retires the presses it accounts for.
struct PendingChanges: Sendable {
  enum Change: Sendable, Equatable {
    /// One rung up or down (`Command.turn`).
    case turn(up: Bool)
    /// A value (`Command.set`, e.g. the finder's suggestion).
    case set(Double)
  }

  private var changes: [Knob: [Change]] = [:]
  /// Where each knob stood before the first answer of presses still being answered, and at which
  /// step: presses answered over two steps had read "l2 0.01 → 0.001", from the second step's
  /// first answer, where `w` five times had turned it from 0.05.
  private var burstStart: [Knob: (value: Double, step: Int)] = [:]

  mutating func add(_ change: Change, to knob: Knob) { changes[knob, default: []].append(change) }

  func isEmpty(_ knob: Knob) -> Bool { changes[knob]?.isEmpty ?? true }

  /// `value` with the unanswered changes to `knob` applied, as the trainer will apply them.
  func value(of knob: Knob, from value: Double, limit: Double) -> Double {
    (changes[knob] ?? []).reduce(value) { Self.apply($1, to: $0, knob: knob, limit: limit) }
  }

  /// Retires the fewest unanswered changes that lead from the answer's old value to its new one:
  /// one per press, or several when the trainer folds them into one (the train size, at the next
  /// epoch). When none do, the trainer and the screen disagree and the trainer's word stands: all
  /// are dropped, and the answers still on their way bring the panel up to date.
  mutating func confirm(_ change: HyperparameterChange, limit: Double) {
    guard let list = changes[change.knob], !list.isEmpty else { return }
    if burstStart[change.knob] == nil { burstStart[change.knob] = (change.oldValue, change.step) }
    var value = change.oldValue
    for (index, pending) in list.enumerated() {
      value = Self.apply(pending, to: value, knob: change.knob, limit: limit)
      if value == change.newValue {
        changes[change.knob] = Array(list.dropFirst(index + 1))
        return
      }
    }
    changes[change.knob] = []
  }

  /// Once every press of `knob` is answered: where the knob stood before the first of those
  /// answers, when they began at an earlier step than `step` (nil otherwise); forgotten then.
  mutating func finishBurst(of knob: Knob, at step: Int) -> Double? {
    guard isEmpty(knob), let start = burstStart.removeValue(forKey: knob) else { return nil }
    return start.step < step ? start.value : nil
  }

  private static func apply(_ change: Change, to value: Double, knob: Knob, limit: Double) -> Double {
    switch change {
    case .turn(let up): return knob.step(from: value, up: up, limit: limit)
    case .set(let target): return knob.clamped(target)
    }
  }
}

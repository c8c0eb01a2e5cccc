import Foundation
import RunModel

/// A command-line flag for a new run, when no key can fix what was found.
public struct RunFlag: Sendable, Equatable, Hashable {
  /// "--init", "--batch-norm".
  public var name: String
  /// "he"; nil for a switch such as `--batch-norm`.
  public var value: String?

  public init(_ name: String, _ value: String? = nil) {
    self.name = name
    self.value = value
  }

  public var text: String { value.map { "\(name) \($0)" } ?? name }

  /// "lr 5", "batch-norm": the setting in words, for a run nntop's flags did not start.
  public var words: String {
    let bare = String(name.drop { $0 == "-" })
    return value.map { "\(bare) \($0)" } ?? bare
  }
}

/// The one thing a finding asks for, as data, so the screen and the console can word it and
/// tests can check it.
public enum Action: Sendable, Equatable, Hashable {
  /// Turn a knob one key press up or down.
  case turn(Knob, up: Bool)
  /// Start again with these flags (all of them: they work together).
  case newRun([RunFlag])
  /// Nothing to change: let it train.
  case keepTraining
  /// The fix is in and the run is paused: resume it (the dashboard names its key).
  case resume
  /// The run has ended well: no next run needs anything different.
  case nothingToChange

  /// "lower L2 (w)": the key letters come from the knob table (which the key map binds).
  /// `nntopFlags`: a new run is worded as `nntop train` flags; false for a run another program
  /// wrote (the PyTorch client), whose user sets the same things in their own script.
  public func text(keys: (Knob, Bool) -> String = Action.tableKeys, nntopFlags: Bool = true) -> String {
    switch self {
    case .turn(let knob, let up):
      let key = keys(knob, up)
      let suffix = key.isEmpty ? "" : " (\(key))"
      if knob == .trainSize { return (up ? "more" : "fewer") + " training examples" + suffix }
      let article = knob == .learningRate ? "the " : ""
      return (up ? "raise " : "lower ") + article + knob.label + suffix
    case .newRun(let flags):
      return "new run with "
        + (nntopFlags ? flags.map(\.text).joined(separator: " ") : flags.map(\.words).joined(separator: ", "))
    case .keepTraining:
      return "keep training"
    case .resume:
      return "resume"
    case .nothingToChange:
      return "nothing to change"
    }
  }

  /// The keys the knob table gives each knob.
  public static func tableKeys(_ knob: Knob, _ up: Bool) -> String { String(knob.key(up: up)) }
}

/// What makes a model underfit, which decides the cure.
public enum UnderfitCause: String, Sendable, Equatable, Hashable {
  /// L2 or dropout that is on and strong holds the model back: lower it.
  case regularisation
  /// Too few units to fit the data: a wider network (a new run).
  case capacity
  /// Updates too small to get anywhere in the time given: raise the learning rate.
  case slowOptimisation
}

/// One reading of the run: what is wrong (or right), the numbers that show it, and what to do.
public struct Finding: Sendable, Equatable {
  public enum Kind: Sendable, Equatable, Hashable {
    case diverging
    case explodingLoss
    case explodingGradients
    case deadUnits
    case vanishingGradients
    case saturatedUnits
    case learningRateTooHigh
    /// Updates far too large because L2 takes a large share of each weight every step.
    case weightDecayTooStrong
    case learningRateTooLow
    case notLearning
    case overfitting
    case underfitting(UnderfitCause)
    /// A knob turned on a weak run made its training clearly worse.
    case worseSinceChange
    case growingGap
    case highVariance
    case stillImproving
    case goodFit
    /// A knob turned inside the last epoch: the gap readings wait for the next.
    case settling
    /// Steps past an epoch's worth, none of them ending an epoch; or epochs without a validation
    /// loss: either way the fit readings have nothing to judge.
    case epochsNotLogged
    case warmingUp

    /// Lower comes first: instabilities, then the causes a key or a new run can fix, then the
    /// symptoms they explain, then the fit readings, which mean little while something is broken.
    public var rank: Int {
      switch self {
      case .diverging: return 0
      case .explodingLoss: return 1
      case .explodingGradients: return 2
      case .deadUnits: return 3
      case .vanishingGradients: return 4
      case .saturatedUnits: return 5
      case .learningRateTooHigh, .weightDecayTooStrong: return 6
      case .learningRateTooLow: return 7
      case .notLearning: return 8
      case .overfitting: return 9
      case .underfitting, .worseSinceChange: return 10
      case .growingGap: return 11
      case .highVariance: return 11
      case .stillImproving: return 12
      case .goodFit: return 13
      case .settling: return 13
      case .warmingUp, .epochsNotLogged: return 14
      }
    }

    /// Whether this reading is a fault (as opposed to a fit reading or "all is well").
    public var isProblem: Bool {
      rank <= Kind.overfitting.rank || self == .growingGap || self == .highVariance || isUnderfitting
    }

    public var isUnderfitting: Bool {
      if case .underfitting = self { return true }
      return false
    }
  }

  public var kind: Kind
  /// "underfitting", "vanishing gradients".
  public var verdict: String
  /// The reason in one clause, for the one-line summary: "L2 0.05 holds the weights down".
  public var reason: String
  /// The numbers behind it, for a panel: "train acc 86 %, val acc 86 %, gap 0.01".
  public var evidence: String
  public var action: Action
  /// A further word for a panel, e.g. that dead units rarely come back.
  public var remark: String?

  public init(
    kind: Kind, verdict: String, reason: String, evidence: String, action: Action, remark: String? = nil
  ) {
    self.kind = kind
    self.verdict = verdict
    self.reason = reason
    self.evidence = evidence
    self.action = action
    self.remark = remark
  }

  /// `underfitting: L2 0.05 holds the weights down → lower L2 (w)`: what headless epoch lines
  /// end with.
  public func summary(keys: (Knob, Bool) -> String = Action.tableKeys, nntopFlags: Bool = true) -> String {
    "\(verdict): \(reason) → \(action.text(keys: keys, nntopFlags: nntopFlags))"
  }
}

/// Numbers in findings: three significant figures, exponents for the very small or large
/// ("5e-06", "0.13", "3.84e+22"), so evidence reads like the screen's axes.
enum Format {
  /// Remarks side by side ("a; b"), nil when there are none (an empty remark drew an empty row).
  static func joined(_ remarks: [String?]) -> String? {
    let present = remarks.compactMap { $0 }
    return present.isEmpty ? nil : present.joined(separator: "; ")
  }

  static func number(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    if value == 0 { return "0" }
    return String(format: "%.3g", value)
  }

  /// "86 %": a fraction as a whole percentage (one decimal under 10 % and above 99 %).
  /// "down 0.698 %", "up 64.4 %": a change in words (a bare "-0.698 %" left its sign to guess).
  static func change(from old: Double, to new: Double) -> String {
    let change = (new / old - 1) * 100
    return change < 0 ? "down \(number(-change)) %" : "up \(number(change)) %"
  }

  static func percent(_ fraction: Double) -> String {
    let p = fraction * 100
    let digits = (p > 0 && p < 10) || (p > 99 && p < 100) ? 1 : 0
    return String(format: "%.\(digits)f %%", p)
  }
}

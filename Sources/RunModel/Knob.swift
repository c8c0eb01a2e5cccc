import NeuralNet
import SystemIO

/// A setting a person may turn while a run goes on: the one table every module reads.
///
/// The trainer applies knobs through `Hyperparameters[knob]`, the dashboard binds their keys and
/// draws their rows, the run log names them, and the command line checks its flags against their
/// ranges — so a new knob is one new case here plus the trainer's use of it.
public enum Knob: String, CaseIterable, Sendable, Codable {
  // The raw value is the name in run logs (`"knob": "lr"`); it never changes.
  case learningRate = "lr"
  case momentum
  case dropout
  case l2
  case trainSize = "train_size"

  /// The name people read: panel rows, help, findings.
  public var label: String {
    switch self {
    case .learningRate: return "learning rate"
    case .momentum: return "momentum"
    case .dropout: return "dropout"
    case .l2: return "L2"
    case .trainSize: return "train size"
    }
  }

  /// The short name on chart markers and the status line: "lr↑0.1", "data↓500" (not "n", which is
  /// also the one-step key).
  public var markerName: String {
    switch self {
    case .learningRate: return "lr"
    case .momentum: return "mom"
    case .dropout: return "dropout"
    case .l2: return "l2"
    case .trainSize: return "data"
    }
  }

  /// The `nntop train` flag that sets its starting value: what a finished run's reading names,
  /// since no key turns a knob once the run is over.
  public var flag: String {
    switch self {
    case .learningRate: return "--lr"
    case .momentum: return "--momentum"
    case .dropout: return "--dropout"
    case .l2: return "--l2"
    case .trainSize: return "--train-size"
    }
  }

  /// The keys that turn it down and up (lower case down, upper case up).
  public var keys: (down: Character, up: Character) {
    switch self {
    case .learningRate: return ("l", "L")
    case .momentum: return ("m", "M")
    case .dropout: return ("d", "D")
    case .l2: return ("w", "W")
    case .trainSize: return ("e", "E")
    }
  }

  /// The key that moves the knob one way.
  public func key(up: Bool) -> Character { up ? keys.up : keys.down }

  /// What the keys do, for the help overlay.
  public func help(up: Bool) -> String {
    switch self {
    case .learningRate: return up ? "learning rate up a rung" : "learning rate down a rung"
    case .momentum: return up ? "momentum up (SGD)" : "momentum down (SGD)"
    case .dropout: return up ? "dropout up (+0.05)" : "dropout down (−0.05)"
    case .l2: return up ? "L2 strength up" : "L2 strength down"
    case .trainSize: return up ? "more training examples" : "fewer training examples"
    }
  }

  /// Values a command may set; anything outside is clamped. The command line uses the same ranges,
  /// and each ladder spans its range, so any value a flag accepts the keys can reach and leave.
  public var range: ClosedRange<Double> {
    switch self {
    case .trainSize: return 1...Double(Int32.max)
    default: return ladder[0]...ladder[ladder.count - 1]
    }
  }

  /// Values a run log may record: a run another trainer wrote (a PyTorch loop at lr 50) was run
  /// with them whatever nntop's own flags allow, and refusing them lost the whole header. Any
  /// finite value from 0, dropout up to 1. What nntop trains with (flags, commands, checkpoints)
  /// stays within `range`.
  public var recordedRange: ClosedRange<Double> {
    self == .dropout ? 0...1 : 0...Double.greatestFiniteMagnitude
  }

  /// Whether turning it changes anything for this optimiser (Adam has no momentum knob: its
  /// β₁ is fixed), so the dashboard can say so instead of sending a change that does nothing.
  public func applies(to optimizer: OptimizerKind) -> Bool { self != .momentum || optimizer == .sgd }

  /// Whether values are counts (shown and sent as whole numbers).
  public var isCount: Bool { self == .trainSize }

  /// The values the keys step through: 1-2-5 for the learning rate, 0.05 for dropout, 1-2-5 for
  /// L2, doublings for the train size (capped at what the dataset has). Except for the train size
  /// (whose top is the dataset's), the ends are the range's ends.
  public var ladder: [Double] {
    switch self {
    case .learningRate:
      return [
        1e-6, 2e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2,
        0.5,
        1, 2, 3, 5, 10,
      ]
    case .momentum: return [0, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999]
    case .dropout: return (0...19).map { Double($0) / 20 }  // k/20 rounds to the decimal
    case .l2:
      return [0, 1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]
    case .trainSize: return [100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 55_000]
    }
  }

  /// The next value up (or down) the ladder from `value`, never above `limit` (the train size
  /// stops at what the dataset has). A value between two rungs (typed on the command line) moves
  /// to its neighbour; one beyond the ladder's end stays put: up never lowers, down never raises.
  public func step(from value: Double, up: Bool, limit: Double = .infinity) -> Double {
    let tolerance = 1e-9 * max(1, abs(value))
    if up {
      let next = ladder.first { $0 > value + tolerance } ?? value
      return max(value, min(next, limit))
    }
    return ladder.last { $0 < value - tolerance } ?? value
  }

  /// Knobs that are `Hyperparameters` fields (the train size belongs to the data instead).
  var field: WritableKeyPath<Hyperparameters, Double>? {
    switch self {
    case .learningRate: return \.learningRate
    case .momentum: return \.momentum
    case .dropout: return \.dropout
    case .l2: return \.l2
    case .trainSize: return nil
    }
  }

  /// Clamps a requested value into the range (NaN becomes the lower bound).
  public func clamped(_ value: Double) -> Double {
    value.isNaN ? range.lowerBound : min(max(value, range.lowerBound), range.upperBound)
  }
}

/// Who turned a knob or sent a command: recorded with every change, so a replay can say why.
public enum ChangeSource: Sendable, Equatable, CustomStringConvertible {
  /// A key in the dashboard, by its label ("l", "space", "right").
  case key(String)
  /// The learning-rate schedule (not a person: no marker, no console line).
  case schedule
  /// A termination signal.
  case signal
  /// A command script (`--script`).
  case script
  /// A command from a program or test.
  case command
  /// Anything else found in a log.
  case other(String)

  public init(_ text: String) {
    switch text {
    case "schedule": self = .schedule
    case "signal": self = .signal
    case "script": self = .script
    case "command": self = .command
    default:
      if text.hasPrefix("key "), text.count > 4 {
        self = .key(String(text.dropFirst(4)))
      } else {
        self = .other(text)
      }
    }
  }

  /// The text in logs: "key l", "schedule", ...
  public var description: String {
    switch self {
    case .key(let key): return "key \(key)"
    case .schedule: return "schedule"
    case .signal: return "signal"
    case .script: return "script"
    case .command: return "command"
    case .other(let text): return text
    }
  }

  /// Whether a person made this change (schedules do not get markers or console lines).
  public var isPerson: Bool { self != .schedule }
}

/// Why a checkpoint is written; the saver names its file after this.
public enum CheckpointReason: Sendable, Equatable, CustomStringConvertible {
  /// Every N epochs (`--checkpoint-every`).
  case periodic(epochs: Int)
  /// Asked for (key c or a command).
  case requested
  /// At the end of the run.
  case end
  /// A reason this version does not know, read from a log.
  case other(String)

  public init(_ text: String) {
    switch text {
    case "requested": self = .requested
    case "end": self = .end
    default:
      let words = text.split(separator: " ")
      if words.count == 3, words[0] == "every", let n = Int(words[1]), n > 0,
        words[2] == (n == 1 ? "epoch" : "epochs")
      {
        self = .periodic(epochs: n)
      } else {
        self = .other(text)
      }
    }
  }

  public var description: String {
    switch self {
    case .periodic(let n): return "every \(n.counted("epoch"))"
    case .requested: return "requested"
    case .end: return "end"
    case .other(let text): return text
    }
  }
}

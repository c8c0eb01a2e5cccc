import RunModel

/// Where the run is, as the header shows it.
public enum RunState: Sendable, Equatable {
  case starting, running, paused, diverged
  case finished(RunSummary.Outcome)
  /// The log ends without a finish (its writer exited: Ctrl-C, an exception, kill -9), as
  /// `nntop runs` lists such a run.
  case interrupted

  public var label: String {
    switch self {
    case .starting: return "STARTING"
    case .running: return "RUNNING"
    case .paused: return "PAUSED"
    case .diverged: return "DIVERGED"
    case .interrupted: return "INTERRUPTED"
    case .finished(let outcome):
      switch outcome {
      case .finished: return "FINISHED"
      case .stopped: return "STOPPED"
      case .diverged: return "DIVERGED"
      case .earlyStopped: return "EARLY-STOPPED"
      }
    }
  }
}

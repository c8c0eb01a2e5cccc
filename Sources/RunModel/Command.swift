import Dispatch
import Synchronization

/// A request from outside the training queue; applied between two steps, never inside one.
public enum Command: Sendable, Equatable {
  /// Turn a knob to a value (clamped to its range). The train size takes effect at the next
  /// epoch; every other knob at the next step.
  case set(Knob, Double)
  /// Move a knob one rung along its ladder from the value the trainer holds (what a key press
  /// sends). Stepping where the value lives keeps every press one rung, in order, however fast
  /// they come: a value computed by the sender from a stale copy could skip rungs or go the wrong
  /// way. The train size steps from the size asked for next, if any, and stops at the dataset's.
  case turn(Knob, up: Bool)
  case pause
  case resume
  /// While paused: run exactly one step, then stay paused.
  case singleStep
  case stop
  /// Save a checkpoint before the next step.
  case checkpoint
  /// Train at most this many steps per second (0: as fast as possible), so a lesson can be watched.
  case pace(Double)
  /// Sweep the learning rate before the next step (the weights are put back afterwards).
  case findLearningRate
}

/// The thread-safe hand-off from the UI (or a test) to the trainer.
///
/// Posting never blocks; the trainer drains everything at the top of each step, and while paused
/// it sleeps on the semaphore so a key press wakes it at once instead of at the next poll.
public final class CommandMailbox: Sendable {
  private let pending = Mutex<[(Command, ChangeSource)]>([])
  private let wake = DispatchSemaphore(value: 0)

  public init() {}

  /// `source` says who asked and is recorded with the change it causes.
  public func post(_ command: Command, source: ChangeSource = .command) {
    pending.withLock { $0.append((command, source)) }
    wake.signal()
  }

  /// Everything posted since the last call, oldest first.
  public func drain() -> [(Command, ChangeSource)] {
    pending.withLock { queue in
      defer { queue = [] }; return queue
    }
  }

  /// Blocks until something is posted or `timeout` passes.
  public func wait(timeout seconds: Double) {
    _ = wake.wait(timeout: .now() + seconds)
  }
}

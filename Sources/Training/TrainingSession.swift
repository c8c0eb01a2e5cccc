import Datasets
import Dispatch
import RunModel
import Synchronization

/// A run on its own DispatchQueue, steered through a mailbox from any thread.
///
/// The model never leaves the queue: the trainer is created inside the queue's closure, and the
/// only things shared with other threads are this Sendable session, its mailbox and the events.
public final class TrainingSession: Sendable {
  public let mailbox = CommandMailbox()
  private let queue = DispatchQueue(label: "nntop.training", qos: .userInitiated)
  private let finished = DispatchSemaphore(value: 0)
  private let summary = Mutex<RunSummary?>(nil)

  public init() {}

  /// Starts training; `sink` is called on the training queue for every event.
  public func start(
    configuration: TrainingConfiguration, dataset: DatasetBundle, saver: CheckpointSaver? = nil,
    sink: @escaping @Sendable (RunEvent) -> Void
  ) {
    let mailbox = mailbox
    queue.async { [self] in
      let trainer = Trainer(
        configuration: configuration, dataset: dataset, mailbox: mailbox, saver: saver, emit: sink)
      let result = trainer.run()
      summary.withLock { $0 = result }
      finished.signal()
    }
  }

  /// Blocks until the run ends and returns how it ended.
  public func waitUntilFinished() -> RunSummary {
    finished.wait()
    finished.signal()
    return summary.withLock { $0! }
  }
}

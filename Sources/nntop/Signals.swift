import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// SIGINT, SIGTERM and SIGHUP, turned from process-killers into requests to stop cleanly: the one
/// place the command line installs them, for headless runs and dashboards alike.
///
/// The signals are ignored at the process level and delivered through Dispatch signal sources,
/// so the handler runs on an ordinary thread (not in a signal handler) and may post a command or
/// set a flag; the run then ends between two steps, its log and checkpoint intact.
final class TerminationSignals {
  /// The last signal received, 0 while none has (shared with the handlers' thread).
  private final class Received: Sendable {
    let number = Atomic<Int32>(0)
  }

  private let received: Received
  private let sources: [DispatchSourceSignal]

  /// Starts listening; `handler` (if any) also runs for each signal.
  init(handler: (@Sendable (Int32) -> Void)? = nil) {
    let received = Received()
    self.received = received
    sources = [SIGINT, SIGTERM, SIGHUP].map { signalNumber in
      signal(signalNumber, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
      source.setEventHandler { @Sendable in
        received.number.store(signalNumber, ordering: .relaxed)
        handler?(signalNumber)
      }
      source.resume()
      return source
    }
  }

  var raised: Bool { received.number.load(ordering: .relaxed) != 0 }
  /// The shell's convention for "ended by signal N".
  var exitStatus: Int32 { 128 + received.number.load(ordering: .relaxed) }

  /// Stops listening (the signals stay ignored until the process ends).
  func cancel() { sources.forEach { $0.cancel() } }
}

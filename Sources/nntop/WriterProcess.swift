import Foundation
import RunLog

/// Whether the process that writes a run log is still there, from the pid and hostname its
/// header names. Only a writer on this host can be asked; elsewhere, or in a log written before
/// headers named the pid, nothing is known and a watch goes on waiting.
enum WriterProcess {
  /// This machine's name, as run headers record it.
  static var hostname: String {
    var host = [CChar](repeating: 0, count: 256)
    gethostname(&host, host.count - 1)
    return String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// True when the writer has exited (no process has its pid on this host), false when one
  /// does (a reused pid reads as alive: the watch then keeps waiting, as before), nil when it
  /// cannot be known.
  static func hasExited(_ context: RunContext?) -> Bool? {
    guard let context, let pid = context.pid, pid > 0, pid <= Int(Int32.max), context.hostname == hostname
    else {
      return nil
    }
    if kill(pid_t(pid), 0) == 0 { return false }
    return errno == ESRCH ? true : false
  }

  /// What a watch or `send` says of a writer that exited without finishing its log.
  static func exitedMessage(_ context: RunContext?) -> String {
    "the run's writer (pid \(context?.pid ?? 0)) exited without finishing its log: the run was interrupted"
  }
}

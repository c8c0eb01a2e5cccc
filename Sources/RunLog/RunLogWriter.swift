import Foundation
import RunModel
import Synchronization
import SystemIO

#if canImport(Glibc)
  import Glibc
#endif

/// Why a log could not be opened; the exit code follows sysexits (73: cannot create).
public struct RunLogError: Error, CustomStringConvertible, Sendable {
  public let description: String
  public let exitCode: Int32
}

/// Appends records to a run log: one `write` per record (so a reader never sees half a line
/// from a live writer), `fsync` after the records that matter (header, changes, pauses,
/// divergence, epoch ends, the end).
///
/// A failed write (a full disk) or a log deleted under the run is reported once through
/// `onFailure` and training goes on: the log keeps every record written before it, and later
/// records are dropped.
public final class RunLogWriter: Sendable {
  public let path: String
  private let state: Mutex<State>
  private let onFailure: @Sendable (String) -> Void
  private let context: RunContext
  private let clock: @Sendable () -> Double

  struct State {
    var fd: Int32
    var failed = false
  }

  /// Creates the file (and its folder); fails if it cannot, before training starts. A new log
  /// never overwrites an old one (`mustCreate`; off only to write to a device such as /dev/full).
  public init(
    path: String, context: RunContext, clock: @escaping @Sendable () -> Double,
    onFailure: @escaping @Sendable (String) -> Void, mustCreate: Bool = true
  ) throws(RunLogError) {
    self.path = path
    self.context = context
    self.clock = clock
    self.onFailure = onFailure
    let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
    if !folder.isEmpty { try RunLogWriter.makeFolders(folder) }
    let fd = open(path, O_WRONLY | O_CREAT | (mustCreate ? O_EXCL : 0) | O_APPEND | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      let reason = String(cString: strerror(errno))
      throw RunLogError(description: "cannot create run log \(path): \(reason)", exitCode: 73)
    }
    state = Mutex(State(fd: fd))
  }

  deinit { state.withLock { if $0.fd >= 0 { Glibc.close($0.fd) } } }

  public static func makeFolders(_ folder: String) throws(RunLogError) {
    var built = folder.hasPrefix("/") ? "" : "."
    for part in folder.split(separator: "/") {
      built += "/" + part
      if mkdir(built, 0o755) != 0 && errno != EEXIST {
        let reason = String(cString: strerror(errno))
        throw RunLogError(description: "cannot create folder \(built): \(reason)", exitCode: 73)
      }
    }
  }

  /// Writes one event as one line.
  public func write(_ event: RunEvent) {
    var record = TimedEvent(time: clock(), event: event)
    if case .started = event { record.time = 0 }
    let line = RecordEncoder.line(record, context: context) + "\n"
    let key = RecordEncoder.isKey(event)
    let failure: String? = state.withLock { s in
      guard !s.failed, s.fd >= 0 else { return nil }
      if let reason = SystemIO.writeAll(s.fd, Array(line.utf8)) {
        s.failed = true
        return "run log \(path): write failed (\(reason)); training goes on, the log stops here"
      }
      if key {
        fsync(s.fd)
        // Writes to a deleted file (its folder removed mid-run) succeed and vanish: noticed here.
        var info = stat()
        if fstat(s.fd, &info) == 0 && info.st_nlink == 0 {
          s.failed = true
          return
            "run log \(path) was deleted while the run wrote it; training goes on, nothing more is logged"
        }
      }
      return nil
    }
    if let failure { onFailure(failure) }
  }

  /// Closes the file (after the final record).
  public func close() {
    state.withLock { s in
      if s.fd >= 0 {
        fsync(s.fd)
        Glibc.close(s.fd)
        s.fd = -1
      }
    }
  }

  public var hasFailed: Bool { state.withLock { $0.failed } }
}

/// Where logs go by default: `runs/20261121-231405-mnist.jsonl`.
public enum RunLogNaming {
  public static func defaultPath(dataset: String, folder: String = "runs") -> String {
    var now = time(nil)
    var parts = tm()
    localtime_r(&now, &parts)
    func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
    let stamp =
      "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))-"
      + "\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))"
    var path = "\(folder)/\(stamp)-\(dataset).jsonl"
    var n = 2
    while access(path, F_OK) == 0 || !checkpoints(ofLog: path).isEmpty {
      path = "\(folder)/\(stamp)-\(dataset)-\(n).jsonl"
      n += 1
    }
    return path
  }

  /// The checkpoints a run logged at `path` writes or wrote beside it (`NAME.final`,
  /// `NAME.epochNNNN`, `NAME.stepN`, each `.safetensors`), as they are in its folder now: a new
  /// run under that name would overwrite them, since a log deleted by hand leaves them behind.
  public static func checkpoints(ofLog path: String) -> [String] {
    let base = path.hasSuffix(".jsonl") ? String(path.dropLast(6)) : path
    let slash = base.lastIndex(of: "/")
    let folder = slash.map { String(base[..<$0]) } ?? "."
    let name = slash.map { String(base[base.index(after: $0)...]) } ?? base
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "/" : folder)
    else { return [] }
    return entries.filter { entry in
      guard entry.hasPrefix(name + "."), entry.hasSuffix(".safetensors") else { return false }
      let middle = entry.dropFirst(name.count + 1).dropLast(".safetensors".count)
      let digits = { (prefix: String) in
        middle.hasPrefix(prefix) && middle.count > prefix.count
          && middle.dropFirst(prefix.count).allSatisfy { $0.isASCII && $0.isNumber }
      }
      return middle == "final" || digits("epoch") || digits("step")
    }.sorted().map { (slash == nil ? "" : folder + "/") + $0 }
  }

  /// ISO 8601 UTC time for the header.
  public static func timestamp() -> String {
    var now = time(nil)
    var parts = tm()
    gmtime_r(&now, &parts)
    func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
      + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
  }
}

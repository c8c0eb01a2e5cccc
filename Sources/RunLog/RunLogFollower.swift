import Foundation
import RunModel
import SystemIO

#if canImport(Glibc)
  import Glibc
#endif

/// Reads a log that another process is still writing: each `poll` returns the records completed
/// since the last one. A partial last line is kept until its newline arrives.
public final class RunLogFollower {
  public let path: String
  private var fd: Int32
  private var pending: [UInt8] = []
  private var lineNumber = 0
  public private(set) var skipped: [String] = []
  public private(set) var finished = false
  /// The warning that says the writer's loop raised (`RunEvent.raisedMessage`): no more records
  /// will come.
  public private(set) var raised: String?
  /// The header's facts about the writer, once its line has been read.
  public private(set) var context: RunContext?
  /// Why following stopped early (nil otherwise): the log was cut shorter than what was read or
  /// replaced, or it is no run log at all (a folder, or a file whose first line is no header: a
  /// watch of one had waited for records forever).
  public private(set) var stoppedBecause: String?
  /// Bytes read from the file so far.
  private var consumed = 0

  /// Opens `path`. With `waitingForFile`, a log that does not exist yet is not an error (like
  /// `tail -F`): `poll` keeps looking for it, and `appeared` says when it has.
  public init(path: String, waitingForFile: Bool = false) throws(RunLogError) {
    self.path = path
    fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      let code = errno
      // Waiting is for a run about to start, not for a path that cannot be one: a folder that
      // does not exist (a typo) had a watch wait forever.
      if code == ENOENT && waitingForFile {
        let folder = (path as NSString).deletingLastPathComponent
        var info = stat()
        guard stat(folder.isEmpty ? "." : folder, &info) == 0 else {
          throw RunLogError(
            description: "\(path): no such folder \(folder) (a run makes its log's folder when it starts)",
            exitCode: 66)
        }
        return
      }
      throw RunLogError(
        description: "\(path): \(code == ENOENT ? "no such file" : String(cString: strerror(code)))",
        exitCode: code == ENOENT ? 66 : 74)
    }
    if let kind = Self.notRegular(fd) { throw RunLogError(description: "\(path): \(kind)", exitCode: 65) }
  }

  /// "is a directory, not a regular file" for anything but a regular file.
  static func notRegular(_ fd: Int32) -> String? {
    var info = stat()
    guard fstat(fd, &info) == 0, info.st_mode & S_IFMT != S_IFREG else { return nil }
    return info.st_mode & S_IFMT == S_IFDIR ? "is a directory, not a regular file" : "is not a regular file"
  }

  deinit { if fd >= 0 { close(fd) } }

  /// Whether the log exists (always, unless waiting for it).
  public var appeared: Bool { fd >= 0 }

  /// Complete records appended since the last call.
  public func poll() -> [TimedEvent] {
    if fd < 0 {
      fd = open(path, O_RDONLY | O_CLOEXEC)
      guard fd >= 0 else { return [] }
      if let kind = Self.notRegular(fd) {
        stoppedBecause = "\(path) \(kind)"
        finished = true
        return []
      }
    }
    // After a cut, nothing more is read (records after a run's end still are: a finder's sweep
    // or a last view may follow the summary).
    guard stoppedBecause == nil else { return [] }
    // A file shorter than what was read was cut (or replaced): nothing read from it now would
    // follow on from what was shown, so following stops and says so.
    var info = stat()
    if fstat(fd, &info) == 0, Int(info.st_size) < consumed {
      stoppedBecause =
        "\(path) was cut to \(info.st_size) bytes while it was being watched (\(consumed) had been read)"
      finished = true
      return []
    }
    // The same for a file replaced under its name (a new inode): what was shown is not in it.
    var current = stat()
    if stat(path, &current) == 0, current.st_ino != info.st_ino || current.st_dev != info.st_dev {
      stoppedBecause = "\(path) was replaced by another file while it was being watched"
      finished = true
      return []
    }
    // A read error leaves what was read; the next poll tries again.
    let before = pending.count
    SystemIO.readAvailable(fd, appendingTo: &pending)
    consumed += pending.count - before
    guard let lastNewline = pending.lastIndex(of: 0x0A) else { return [] }
    var contents = RunLogContents()
    var start = 0
    for i in 0...lastNewline where pending[i] == 0x0A {
      lineNumber += 1
      RunLogReader.parseLine(pending[start..<i], number: lineNumber, into: &contents)
      start = i + 1
      if lineNumber == 1 && contents.header == nil {
        // A log's first line is its header: anything else is not a log a writer is still filling.
        stoppedBecause = "\(path) is not a run log (\(contents.skipped.first ?? "line 1: not a header"))"
        finished = true
        pending.removeAll()
        return []
      }
    }
    pending.removeSubrange(0...lastNewline)
    skipped += contents.skipped
    if let read = contents.context { context = read }
    if let line = contents.nextRunLine {
      skipped.append("line \(line): another run starts here (a second header); its records are not shown")
    }
    if contents.summary != nil { finished = true }
    if let message = contents.records.compactMap(\.event.raisedMessage).last { raised = message }
    return contents.records
  }
}

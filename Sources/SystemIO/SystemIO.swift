#if canImport(Glibc)
  import Glibc
#endif

/// POSIX reads and writes that finish the job: every module that touches a file descriptor
/// (datasets, run logs, checkpoints, console output) uses these, so an interrupted system call
/// (EINTR, e.g. a signal arriving mid-write) is retried in one place instead of six.
public enum SystemIO {
  /// Writes all of `bytes`; returns nil on success, or why it stopped (errno text, or "nothing
  /// written" when the descriptor accepted nothing).
  @discardableResult
  public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> String? {
    var offset = 0
    return bytes.withUnsafeBytes { raw -> String? in
      while offset < raw.count {
        let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
        if n < 0 && errno == EINTR { continue }
        if n < 0 { return String(cString: strerror(errno)) }
        if n == 0 { return "nothing written" }
        offset += n
      }
      return nil
    }
  }

  /// Opens /dev/null on whichever of descriptors 0, 1 and 2 is closed, as daemons do. Run
  /// first thing: otherwise the first file opened (the run log) lands on a closed stdout and
  /// every console line is written into it.
  public static func openStandardDescriptors() {
    for fd in Int32(0)...2 where fcntl(fd, F_GETFD) < 0 && errno == EBADF {
      let opened = open("/dev/null", O_RDWR)
      if opened >= 0 && opened != fd {
        dup2(opened, fd)
        close(opened)
      }
    }
  }

  /// Opens `path` for reading, refusing anything but a regular file: a FIFO would block the open or
  /// the read forever, and a device can be endless. Opened without blocking, checked, then made
  /// blocking again. Returns the descriptor, or why not.
  public static func openRegularFile(_ path: String) -> Result<Int32, OpenFailure> {
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else {
      return .failure(errno == ENOENT ? .missing : .failed(Errno(code: errno).description))
    }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      let problem = Errno(code: errno).description
      close(fd)
      return .failure(.failed(problem))
    }
    let kind = info.st_mode & S_IFMT
    guard kind == S_IFREG else {
      close(fd)
      let name =
        kind == S_IFDIR
        ? "a directory" : kind == S_IFIFO ? "a FIFO" : kind == S_IFCHR ? "a device" : "not a file"
      return .failure(.notRegular("is \(name), not a regular file"))
    }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    return .success(fd)
  }

  /// Why `openRegularFile` failed.
  public enum OpenFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case missing
    case failed(String)
    case notRegular(String)

    public var description: String {
      switch self {
      case .missing: return "no such file"
      case .failed(let reason), .notRegular(let reason): return reason
      }
    }
  }

  /// Reads into `buffer` until it is full or the end of the file; returns the bytes read, or
  /// the errno of a failed read.
  public static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno>
  {
    var done = 0
    while done < buffer.count {
      let n = read(fd, buffer.baseAddress! + done, buffer.count - done)
      if n < 0 && errno == EINTR { continue }
      if n < 0 { return .failure(Errno(code: errno)) }
      if n == 0 { break }
      done += n
    }
    return .success(done)
  }

  /// Reads until the end of the file (or, for a pipe or a growing file, until nothing more is
  /// there now), appending to `bytes`; returns the errno of a failed read, if any.
  @discardableResult
  public static func readAvailable(_ fd: Int32, appendingTo bytes: inout [UInt8]) -> Errno? {
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n < 0 { return Errno(code: errno) }
      if n == 0 { return nil }
      bytes.append(contentsOf: chunk[0..<n])
    }
  }
}

/// A failed system call's errno, with its text.
public struct Errno: Error, Sendable, Equatable, CustomStringConvertible {
  public let code: Int32
  public init(code: Int32) { self.code = code }
  public var description: String { String(cString: strerror(code)) }
}

extension Double {
  /// How nntop spells a non-finite number everywhere (screens, console lines, run logs):
  /// "nan", "inf", "-inf"; nil for finite values.
  public var nonFiniteText: String? {
    if isNaN { return "nan" }
    if isInfinite { return self > 0 ? "inf" : "-inf" }
    return nil
  }
}

extension String {
  /// The text safe to show on a terminal: control characters (C0, DEL and C1, ESC among them)
  /// become "?" (tabs and line breaks a space), and text longer than `limit` characters is cut
  /// with "…". Every string read from a file or the environment passes through this before a
  /// terminal sees it, so a damaged or hostile file cannot set the window title, switch screens or
  /// clear them, and a 10 MB value is not echoed whole.
  public func printable(limit: Int = 200) -> String {
    var out = String.UnicodeScalarView()
    var count = 0
    for scalar in unicodeScalars {
      if count == limit {
        out.append("…")
        break
      }
      switch scalar.value {
      case 0x09, 0x0A, 0x0D: out.append(" ")
      // C0, DEL, C1, and the bidirectional overrides that reorder what follows them.
      case 0x00..<0x20, 0x7F..<0xA0, 0x202A...0x202E, 0x2066...0x2069: out.append("?")
      default: out.append(scalar)
      }
      count += 1
    }
    return String(out)
  }
}

extension Int {
  /// "1 epoch", "3 epochs": the count and its noun with an English plural "s", in every line that
  /// counts something (a lone "1 epochs" is what a spelled-out test in each place let through).
  public func counted(_ noun: String) -> String { "\(self) \(noun)\(self == 1 ? "" : "s")" }

  /// The double rounded toward zero, as `Int(_:)` does, but total: NaN is 0 and magnitudes beyond
  /// 2⁶² are clamped, where `Int(_:)` traps. Display code converts numbers from damaged logs and
  /// diverged runs with this, so no value can bring the screen down.
  public init(saturating value: Double) {
    let limit = 4.611_686_018_427_388e18  // 2⁶²: room left for adding to the result
    self = value.isNaN ? 0 : Int(Swift.min(Swift.max(value, -limit), limit))
  }
}

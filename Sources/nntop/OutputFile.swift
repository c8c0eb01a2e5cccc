import Foundation
import SystemIO

#if canImport(Glibc)
  import Glibc
#endif

/// Writing a command's result to `--output`: atomically (a temporary file renamed into place)
/// over regular files only. A symlink is written through to its target, a device or a pipe is
/// written to as it is (renaming over `/dev/full` would replace the device with a file), and the
/// command's own input is never overwritten. An existing file is replaced only when asked: an
/// export over another run's log had replaced it with CSV, as `--log` and `--tensorboard` never do.
enum OutputFile {
  static func write(_ text: String, to path: String, input: String, replacing: Bool) throws {
    let target = resolved(path)
    if let inputIdentity = identity(input), identity(target) == inputIdentity {
      throw fail("--output \(path) is the input \(input): refusing to overwrite it", code: 64)
    }
    var info = stat()
    let exists = stat(target, &info) == 0
    if exists && (info.st_mode & S_IFMT) == S_IFREG && !replacing {
      throw fail("--output \(path) already exists: pass --replace to overwrite it", code: 73)
    }
    if exists && (info.st_mode & S_IFMT) != S_IFREG {
      let fd = open(target, O_WRONLY | O_CLOEXEC)
      guard fd >= 0 else { throw fail("cannot write \(path): \(Errno(code: errno))", code: 73) }
      defer { close(fd) }
      if let failure = SystemIO.writeAll(fd, Array(text.utf8)) {
        throw fail("cannot write \(path): \(failure)", code: 74)
      }
      return
    }
    do {
      try text.write(toFile: target, atomically: true, encoding: .utf8)
    } catch {
      throw fail("cannot write \(path): \(error.localizedDescription)", code: 73)
    }
  }

  /// The path with its symlinks followed (the last one too, when it dangles into an existing
  /// folder), so the rename lands on the file the link names.
  static func resolved(_ path: String) -> String {
    var current = path
    for _ in 0..<40 {
      guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else {
        return current
      }
      let folder = (current as NSString).deletingLastPathComponent
      current = destination.hasPrefix("/") || folder.isEmpty ? destination : folder + "/" + destination
    }
    return current
  }

  /// Device and inode, to recognise one file under two names.
  static func identity(_ path: String) -> [UInt64]? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return [UInt64(info.st_dev), UInt64(info.st_ino)]
  }
}

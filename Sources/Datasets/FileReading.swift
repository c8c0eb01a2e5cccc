import SystemIO

#if canImport(Glibc)
  import Glibc
#endif

/// Whole-file reads with POSIX calls, so a missing or unreadable file becomes a `DatasetError`
/// naming the path instead of an opaque Foundation error.
public enum FileReading {
  public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

  public static func readAll(_ path: String) throws(DatasetError) -> [UInt8] {
    let fd: Int32
    switch SystemIO.openRegularFile(path) {
    case .success(let opened): fd = opened
    case .failure(.notRegular(let reason)): throw DatasetError(.invalid, path: path, reason)
    case .failure(let failure): throw DatasetError(.missing, path: path, failure.description)
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw DatasetError(.invalid, path: path, "cannot stat file") }
    var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
    let done: Int
    switch bytes.withUnsafeMutableBytes({ SystemIO.readFully(fd, into: $0) }) {
    case .success(let count): done = count
    case .failure(let failure): throw DatasetError(.invalid, path: path, "read error: \(failure)")
    }
    if done < bytes.count { bytes.removeSubrange(done...) }
    return bytes
  }
}

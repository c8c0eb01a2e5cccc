import ArgumentParser
import Datasets

#if canImport(Glibc)
  import Glibc
#endif

/// Prints `nntop: error: MESSAGE` on stderr and exits with `code`: the one way commands fail.
func fail(_ message: String, code: Int32) -> ExitCode {
  printError("nntop: error: \(message)")
  return ExitCode(code)
}

func printError(_ message: String) {
  writeAll(STDERR_FILENO, message + "\n")
}

func printWarning(_ message: String) {
  writeAll(STDERR_FILENO, "nntop: warning: \(message)\n")
}

/// Prints a line on stdout with one unbuffered write, so piped output arrives line by line and
/// lines from two threads never interleave.
func printLine(_ line: String) {
  writeAll(STDOUT_FILENO, line + "\n")
}

func writeAll(_ fd: Int32, _ text: String) {
  var bytes = Array(text.utf8)
  var offset = 0
  while offset < bytes.count {
    let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
    if n < 0 && errno == EINTR { continue }
    if n <= 0 { return }
    offset += n
  }
}

/// The path of the running executable (to find datasets next to an installed binary).
func executablePath() -> String? {
  var buffer = [CChar](repeating: 0, count: 4096)
  let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
  guard n > 0 else { return nil }
  return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

extension DatasetError {
  var exit: ExitCode { fail(description, code: exitCode) }
}

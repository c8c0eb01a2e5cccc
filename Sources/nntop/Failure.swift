import ArgumentParser
import Datasets
import Synchronization
import SystemIO

#if canImport(Glibc)
  import Glibc
#endif

/// Prints `nntop: error: MESSAGE` on stderr and exits with `code`: the one way commands fail.
func fail(_ message: String, code: Int32) -> ExitCode {
  printError("nntop: error: \(message)")
  return ExitCode(code)
}

func printError(_ message: String) {
  writeAll(STDERR_FILENO, terminalSafe(message) + "\n")
}

func printWarning(_ message: String) {
  writeAll(STDERR_FILENO, "nntop: warning: \(terminalSafe(message))\n")
}

/// Prints a line on stdout with one unbuffered write, so piped output arrives line by line and
/// lines from two threads never interleave.
func printLine(_ line: String) {
  writeAll(STDOUT_FILENO, terminalSafe(line) + "\n")
}

/// Text for the terminal: what nntop prints often quotes a file (a warning record, a theme
/// value, a path), so every line loses its control characters and is cut at 2 000 characters.
func terminalSafe(_ text: String) -> String {
  text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).printable(limit: 2_000) }
    .joined(separator: "\n")
}

/// Why writing to stdout failed (a full disk, `/dev/full`), if it did: the command still ends
/// as it would, then `NNTop.main` says so and exits 74 instead of a silent 0.
let standardOutputFailure = Mutex<String?>(nil)

func writeAll(_ fd: Int32, _ text: String) {
  if let failure = SystemIO.writeAll(fd, Array(text.utf8)), fd == STDOUT_FILENO {
    standardOutputFailure.withLock { $0 = $0 ?? failure }
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

import Foundation
import NeuralNet
import RunLog
import RunModel
import Synchronization
import SystemIO
import Training

#if canImport(Glibc)
  import Glibc
#endif

/// Where a run log's write failures are reported: the console or the dashboard's status line.
final class WarningRelay: Sendable {
  private let target = Mutex<(@Sendable (String) -> Void)?>(nil)
  func route(to handler: @escaping @Sendable (String) -> Void) { target.withLock { $0 = handler } }
  func post(_ message: String) {
    if let handler = target.withLock({ $0 }) { handler(message) } else { printWarning(message) }
  }
}

enum RunLogSetup {
  /// Opens the run's log before training starts; exit 73 when it cannot be created.
  static func open(path: String?, dataset: String, resumedFrom: String?, relay: WarningRelay) throws
    -> RunLogWriter
  {
    let context = RunContext(
      command: CommandLine.arguments, created: RunLogNaming.timestamp(), hostname: WriterProcess.hostname,
      cores: Parallel.cores, resumedFrom: resumedFrom, pid: Int(getpid()))
    let start = Stopwatch()
    if let path, let existing = RunLogNaming.checkpoints(ofLog: path).first {
      throw fail(
        "\(existing) already exists: a run logged as \(path) would overwrite its checkpoints "
          + "(choose another place with --log PATH, or --no-log)", code: 73)
    }
    do {
      return try RunLogWriter(
        path: path ?? RunLogNaming.defaultPath(dataset: dataset), context: context, clock: { start.elapsed },
        onFailure: { relay.post($0) })
    } catch {
      throw fail(
        error.description + " (choose another place with --log PATH, or --no-log)", code: error.exitCode)
    }
  }

  /// Reads a whole log for replay, export or listing; exit 66 when missing, 65 when it holds no record.
  /// Why a file could not be read as a run log, and the exit code that says so.
  struct ReadProblem: Error {
    let message: String
    let code: Int32
  }

  static func read(_ path: String) throws -> RunLogContents {
    switch load(path) {
    case .success(let contents): return contents
    case .failure(let problem): throw fail(problem.message, code: problem.code)
    }
  }

  /// `read` without printing: for callers that skip a file and go on (`view` of a folder).
  static func load(_ path: String) -> Result<RunLogContents, ReadProblem> {
    let fd: Int32
    switch SystemIO.openRegularFile(path) {
    case .success(let opened): fd = opened
    case .failure(.missing): return .failure(ReadProblem(message: "\(path): no such file", code: 66))
    case .failure(.notRegular(let reason)):
      return .failure(ReadProblem(message: "\(path): \(reason)", code: 65))
    case .failure(let failure):
      return .failure(ReadProblem(message: "\(path): cannot read the file: \(failure)", code: 74))
    }
    defer { close(fd) }
    var bytes: [UInt8] = []
    if let failure = SystemIO.readAvailable(fd, appendingTo: &bytes) {
      return .failure(ReadProblem(message: "\(path): cannot read the file: \(failure)", code: 74))
    }
    let contents = RunLogReader.parse(bytes)
    guard !contents.records.isEmpty else {
      return .failure(ReadProblem(message: "\(path): not a run log (no readable record)", code: 65))
    }
    return .success(contents)
  }
}

import Foundation

/// Runs the built `nntop` executable as a user would and keeps its exit status and output.
public struct Run: Sendable {
  public let status: Int32
  public let stdout: String
  public let stderr: String

  public init(status: Int32, stdout: String, stderr: String) {
    self.status = status
    self.stdout = stdout
    self.stderr = stderr
  }

  /// The built executable: the test bundle (this process) sits next to the products it was built
  /// with.
  public static var executable: URL {
    var url = URL(
      fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "")
    url.deleteLastPathComponent()
    return url.appendingPathComponent("nntop")
  }

  /// Runs `nntop` with `arguments` (without `NNTOP_DATA` from the caller's environment, plus
  /// `environment`) and waits for it to exit.
  public static func nntop(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
    var env = ProcessInfo.processInfo.environment
    env["NNTOP_DATA"] = nil
    for (key, value) in environment { env[key] = value }
    return try program(executable, arguments, environment: env)
  }

  /// Runs any program (the real clients: Python with TensorBoard or NumPy) and waits for it.
  public static func program(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil)
    throws -> Run
  {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read both pipes before waiting, so a chatty process cannot block on a full pipe.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }

  /// Starts `nntop` with `arguments` in the background, its output discarded (or its standard
  /// output written to the file `output`, its standard error to `errors`); the caller waits for
  /// what it needs and stops or waits for the process.
  public static func start(_ arguments: [String], output: String? = nil, errors: String? = nil) throws
    -> Process
  {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    func handle(_ path: String?) -> FileHandle {
      guard let path, FileManager.default.createFile(atPath: path, contents: nil),
        let handle = FileHandle(forWritingAtPath: path)
      else { return FileHandle.nullDevice }
      return handle
    }
    process.standardOutput = handle(output)
    process.standardError = handle(errors)
    try process.run()
    return process
  }
}

extension Process {
  /// Ends a process started by a test: SIGTERM, then SIGKILL if it is still there after
  /// `grace` seconds, and waits for it, so no test leaves a process behind.
  public func stop(grace: Double = 3) {
    guard isRunning else { return }
    terminate()
    let deadline = Date().addingTimeInterval(grace)
    while isRunning, Date() < deadline { usleep(10_000) }
    if isRunning { kill(processIdentifier, SIGKILL) }
    waitUntilExit()
  }
}

/// Places in the repository (tests run from the package root).
public enum Repository {
  /// The package root.
  public static var root: String { FileManager.default.currentDirectoryPath }

  /// The datasets shipped with the repository (`datasets/`).
  public static var datasets: String { root + "/datasets" }

  /// Logs and checkpoints written by earlier versions (`Tests/Golden/`).
  public static var golden: String { root + "/Tests/Golden" }

  /// The themes shipped with the repository (`themes/`).
  public static var themes: String { root + "/themes" }
}

import Foundation
import TestSupport
import Testing

/// What the command line does with hostile surroundings: closed or full standard output, logs
/// whose text carries terminal escape sequences.
@Suite struct HostileInputTests {
  /// Runs `nntop` through the shell, so its descriptors can be redirected (`>&-`, `>/dev/full`).
  static func shell(_ arguments: [String], redirect: String) throws -> Run {
    let quoted = arguments.map { "'\($0)'" }.joined(separator: " ")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "exec '\(Run.executable.path)' \(quoted) \(redirect)"]
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus, stdout: "", stderr: String(decoding: errData, as: UTF8.self))
  }

  /// A full disk under stdout is an error (74), not a silent success, for every command that
  /// prints its result.
  @Test(arguments: [
    ["replay", "--no-tui", "Tests/Golden/circles.jsonl"], ["runs", "Tests/Golden"],
    ["export", "--csv", "Tests/Golden/circles.jsonl"],
    ["train", "xor", "--no-tui", "--no-log", "--epochs", "1"],
  ])
  func aFailedWriteToStdoutExits74(arguments: [String]) throws {
    let run = try Self.shell(arguments, redirect: ">/dev/full")
    #expect(run.status == 74)
    #expect(run.stderr.contains("nntop: error: cannot write to standard output: No space left on device"))
  }

  /// With stdout closed, the run log must not be opened on descriptor 1 and receive the
  /// console's lines.
  @Test func aClosedStdoutDoesNotCaptureTheRunLog() throws {
    let folder = TemporaryFolder("nntop-closed")
    let log = folder.file("run.jsonl")
    let run = try Self.shell(["train", "xor", "--no-tui", "--epochs", "1", "--log", log], redirect: ">&-")
    #expect(run.status == 0, "\(run.stderr)")
    let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
    #expect(lines.count > 3)
    #expect(lines.allSatisfy { $0.hasPrefix("{") }, "console lines in the log")
  }

  /// A warning record carrying escape sequences (window title, clear screen, alternate screen)
  /// reaches the terminal without them, and a 100 000-character one is cut.
  @Test func textFromALogReachesTheTerminalWithoutControlCharacters() throws {
    let folder = TemporaryFolder("nntop-inject")
    var lines = try String(contentsOfFile: "Tests/Golden/circles.jsonl", encoding: .utf8)
      .split(separator: "\n").map(String.init)
    let evil = "\u{1B}]0;PWNED\u{07}\u{1B}[2J\u{1B}[?1049h\u{9B}31m evil"
    for message in [evil, String(repeating: "x", count: 100_000)] {
      let record: [String: Any] = ["type": "warning", "t": 0.5, "message": message]
      lines.insert(String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self), at: 1)
    }
    let path = folder.write("evil.jsonl", text: lines.joined(separator: "\n") + "\n")
    let run = try Run.nntop(["replay", "--no-tui", path])
    #expect(run.status == 0)
    #expect(run.stderr.contains("nntop: warning: ?]0;PWNED??[2J?[?1049h?31m evil"))
    #expect(!run.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B })
    #expect(run.stderr.count < 5_000)
  }

  /// A network too large for the machine is refused before the log or the screen is opened,
  /// with the estimate and the limit; NNTOP_MEMORY_LIMIT moves the limit.
  @Test func aNetworkBeyondTheMemoryLimitIsRefusedBeforeAnythingOpens() throws {
    let folder = TemporaryFolder("nntop-memory")
    let log = folder.file("big.jsonl")
    let run = try Run.nntop(["train", "xor", "--hidden", "65536,65536", "--no-tui", "--log", log])
    #expect(run.status == 64)
    #expect(run.stderr.contains("nntop: error: 2-65536-65536-1 relu needs about 10"))
    #expect(run.stderr.contains("GB to train (4.3 billion parameters), more than the limit of"))
    #expect(!FileManager.default.fileExists(atPath: log))
    let small = try Run.nntop(
      ["train", "xor", "--hidden", "64", "--no-tui", "--no-log", "--epochs", "1"],
      environment: ["NNTOP_MEMORY_LIMIT": "100K"])
    #expect(small.status == 64)
    #expect(small.stderr.contains("more than the limit of 102 kB (NNTOP_MEMORY_LIMIT)"))
    let bad = try Run.nntop(
      ["train", "xor", "--no-tui", "--no-log"], environment: ["NNTOP_MEMORY_LIMIT": "lots"])
    #expect(bad.status == 64 && bad.stderr.contains("NNTOP_MEMORY_LIMIT must be a number of bytes"))
  }

  /// A log or a checkpoint that is a FIFO is refused instead of blocking forever.
  @Test func aFIFOForALogOrACheckpointIsRefused() throws {
    let folder = TemporaryFolder("nntop-fifo")
    for (name, command) in [("a.jsonl", ["replay", "--no-tui"]), ("a.safetensors", ["eval"])] {
      let path = folder.file(name)
      #expect(mkfifo(path, 0o600) == 0)
      let run = try Run.nntop(command + [path])
      #expect(run.status == 65)
      #expect(run.stderr.contains("\(path): is a FIFO, not a regular file"))
    }
  }
}

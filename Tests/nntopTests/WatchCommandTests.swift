import Foundation
import TestSupport
import Testing

@Suite struct WatchCommandTests {
  /// A second process follows the log while the first writes it, and ends with the same lines.
  @Test func watchFollowsALiveRunToItsEnd() throws {
    let folder = TemporaryFolder("nntop-runs")
    let log = folder.path + "/live.jsonl"
    let writer = Process()
    writer.executableURL = Run.executable
    writer.arguments = ["train", "spiral", "--epochs", "300", "--log", log, "--threads", "1"]
    let writerOutput = Pipe()
    writer.standardOutput = writerOutput
    writer.standardError = FileHandle.nullDevice
    try writer.run()
    waitUntil("the log to appear") { FileManager.default.fileExists(atPath: log) }
    let watch = try Run.nntop(["watch", "--no-tui", log])
    let written = String(decoding: writerOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    writer.waitUntilExit()
    #expect(watch.status == 0, "\(watch.stderr)")
    #expect(watch.stdout == written)
    #expect(watch.stdout.contains("finished after 300 epochs"))
  }

  /// Like `tail -F`: a log that does not exist yet is waited for (saying so), then followed to
  /// the run's end, exit 0. It used to exit 66 at once.
  @Test func watchWaitsForALogThatDoesNotExistYet() throws {
    let folder = TemporaryFolder("nntop-runs")
    let log = folder.path + "/later.jsonl"
    let stdout = folder.path + "/watch.out"
    let stderr = folder.path + "/watch.err"
    _ = FileManager.default.createFile(atPath: stdout, contents: nil)
    _ = FileManager.default.createFile(atPath: stderr, contents: nil)
    let watcher = Process()
    watcher.executableURL = Run.executable
    watcher.arguments = ["watch", "--no-tui", log]
    watcher.standardOutput = FileHandle(forWritingAtPath: stdout)
    watcher.standardError = FileHandle(forWritingAtPath: stderr)
    try watcher.run()
    defer { watcher.stop() }
    waitUntil("the watcher to say it is waiting") {
      (try? String(contentsOfFile: stderr, encoding: .utf8))?.contains("waiting for \(log) to appear") == true
    }
    #expect(watcher.isRunning)
    let writer = try Run.nntop(["train", "xor", "--epochs", "3", "--threads", "1", "--no-tui", "--log", log])
    #expect(writer.status == 0)
    waitUntil("the watcher to exit") { !watcher.isRunning }
    #expect(watcher.terminationStatus == 0)
    let watched = try String(contentsOfFile: stdout, encoding: .utf8)
    #expect(watched == writer.stdout)
    #expect(watched.contains("finished after 3 epochs"))
  }

  /// A watched run that diverged exits 1, as `train` does (it had exited 0).
  @Test func aWatchedRunThatDivergedExitsOne() throws {
    let folder = TemporaryFolder("nntop-runs")
    let log = folder.file("diverged.jsonl")
    let trained = try Run.nntop(["train", "spiral", "--lr", "10", "--epochs", "3", "--no-tui", "--log", log])
    #expect(trained.status == 1 && trained.stderr.contains("training diverged"), "\(trained.stderr)")
    let watched = try Run.nntop(["watch", "--no-tui", log])
    #expect(watched.status == 1, "\(watched.stderr)")
    #expect(watched.stdout.contains("diverged at step"))
  }

  /// A log in a folder that does not exist is a typo, not a run about to start: it had waited
  /// forever. The screen refuses it the same way, before it opens.
  @Test(arguments: [["--no-tui"], []])
  func aLogInNoFolderIsRefused(display: [String]) throws {
    let folder = TemporaryFolder("nntop-runs")
    let log = folder.file("missing/dir/run.jsonl")
    let result = try Run.nntop(["watch"] + display + [log])
    #expect(result.status == 66)
    #expect(
      result.stderr
        == "nntop: error: \(log): no such folder \(folder.file("missing/dir")) (a run makes its log's folder when it starts)\n"
    )
  }

  /// A log cut while watched used to stop updating for ever; a writer killed with kill -9 left the
  /// watch waiting in silence. Now the cut ends the watch (exit 65, saying so), and a quiet log is
  /// named after `Watch.quietSeconds` (10 s) with how to leave.
  @Test func aCutLogEndsTheWatchAndAQuietOneIsNamed() throws {
    let folder = TemporaryFolder("nntop-runs")
    let log = folder.file("cut.jsonl")
    // The golden run without its end: a writer that stopped (kill -9) mid-run.
    let lines = try String(contentsOfFile: Repository.golden + "/circles.jsonl", encoding: .utf8)
      .split(separator: "\n").filter { !$0.contains("\"finished\"") }
    folder.write("cut.jsonl", text: lines.joined(separator: "\n") + "\n")
    let (watcher, said) = try Self.watchInBackground(log, folder: folder)
    defer { watcher.stop() }
    waitUntil("the quiet log to be named", deadline: .seconds(60)) {
      said().contains("no new records in \(log) for 10 s — is the writer gone? (Ctrl-C leaves)")
    }
    #expect(watcher.isRunning)
    // Cut in place to its header, as `: > cut.jsonl` or a writer reopening the file would.
    let handle = try #require(FileHandle(forWritingAtPath: log))
    try handle.truncate(atOffset: UInt64(lines[0].utf8.count + 1))
    try handle.close()
    waitUntil("the watch to end") { !watcher.isRunning }
    #expect(watcher.terminationStatus == 65)
    #expect(said().contains("\(log) was cut to "), "\(said())")
  }

  /// A paused writer has nothing to write: the watch asked "is the writer gone?" ten seconds into
  /// every pause. It asks again once the run has resumed and gone quiet.
  @Test func aPausedRunIsNotAskedAboutItsWriter() throws {
    let folder = TemporaryFolder("nntop-runs")
    let lines = try String(contentsOfFile: Repository.golden + "/circles.jsonl", encoding: .utf8)
      .split(separator: "\n").prefix(4)
    folder.write(
      "paused.jsonl",
      text: lines.joined(separator: "\n") + "\n{\"type\": \"paused\", \"step\": 1, \"t\": 0.5}\n")
    let log = folder.file("paused.jsonl")
    let (watcher, said) = try Self.watchInBackground(log, folder: folder)
    defer { watcher.stop() }
    Thread.sleep(forTimeInterval: 12)
    #expect(watcher.isRunning)
    #expect(!said().contains("is the writer gone"), "\(said())")
    let handle = try #require(FileHandle(forWritingAtPath: log))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data("{\"type\": \"resumed\", \"step\": 1, \"t\": 13}\n".utf8))
    try handle.close()
    waitUntil("the quiet log to be named", deadline: .seconds(60)) { said().contains("is the writer gone") }
  }

  /// A writer killed with kill -9 left the watch waiting (and, on the dashboard, RUNNING, with
  /// keys that said "sent"). Its header names its pid: on this host the watch sees it gone.
  @Test func aWriterKilledMidRunEndsTheWatch() throws {
    let folder = TemporaryFolder("nntop-runs")
    let log = folder.file("killed.jsonl")
    let writer = Process()
    writer.executableURL = Run.executable
    writer.arguments = ["train", "spiral", "--epochs", "300", "--log", log, "--threads", "1"]
    writer.standardOutput = FileHandle.nullDevice
    writer.standardError = FileHandle.nullDevice
    try writer.run()
    waitUntil("the first epoch") {
      ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("\"type\": \"epoch\"")
    }
    kill(writer.processIdentifier, SIGKILL)
    writer.waitUntilExit()
    let watch = try Run.nntop(["watch", "--no-tui", log])
    #expect(watch.status == 1)
    #expect(
      watch.stderr.contains(
        "the run's writer (pid \(writer.processIdentifier)) exited without finishing its log: the run was interrupted"
      ),
      "\(watch.stderr)")
  }

  /// `watch --no-tui LOG` running on, and what it has said on stderr so far.
  static func watchInBackground(_ log: String, folder: TemporaryFolder) throws -> (Process, () -> String) {
    let stderr = folder.file("watch.err")
    _ = FileManager.default.createFile(atPath: stderr, contents: nil)
    let watcher = Process()
    watcher.executableURL = Run.executable
    watcher.arguments = ["watch", "--no-tui", log]
    watcher.standardOutput = FileHandle.nullDevice
    watcher.standardError = FileHandle(forWritingAtPath: stderr)
    try watcher.run()
    return (watcher, { (try? String(contentsOfFile: stderr, encoding: .utf8)) ?? "" })
  }
}

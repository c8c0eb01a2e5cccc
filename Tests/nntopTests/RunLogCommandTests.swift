import Foundation
import RunModel
import Testing

/// A scratch folder for logs, removed afterwards.
final class ScratchFolder {
  let path = NSTemporaryDirectory() + "nntop-runs-" + UUID().uuidString
  init() { try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
  deinit { try? FileManager.default.removeItem(atPath: path) }
}

@Suite struct RunLogCommandTests {
  @Test func headlessRunAndItsReplayPrintTheSameLines() throws {
    let folder = ScratchFolder()
    let log = folder.path + "/a.jsonl"
    let live = try Run.nntop([
      "train", "gaussians", "--epochs", "4", "--lr", "0.1", "--log", log, "--threads", "1",
    ])
    #expect(live.status == 0, "\(live.stderr)")
    #expect(live.stderr.contains("nntop: run log \(log)"))
    let replay = try Run.nntop(["replay", "--no-tui", log])
    #expect(replay.status == 0, "\(replay.stderr)")
    #expect(replay.stdout == live.stdout)
    // Header, four epochs, the final checkpoint, the result.
    #expect(replay.stdout.split(separator: "\n").count == 7)
    #expect(replay.stdout.contains("checkpoint \(folder.path)/a.final.safetensors (end, step 128)"))
  }

  @Test func runsListsAndExportWritesCSV() throws {
    let folder = ScratchFolder()
    _ = try Run.nntop(["train", "xor", "--epochs", "3", "--log", folder.path + "/one.jsonl"])
    _ = try Run.nntop(["train", "sine", "--lr", "10", "--epochs", "20", "--log", folder.path + "/two.jsonl"])
    let runs = try Run.nntop(["runs", folder.path])
    #expect(runs.status == 0)
    let lines = runs.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 3)
    #expect(lines[0].hasPrefix("date"))
    #expect(lines[1].contains("one") && lines[1].contains("xor") && lines[1].contains("2-32-32-1"))
    #expect(lines[1].contains("3/3") && lines[1].hasSuffix("finished"))
    #expect(lines[2].contains("two") && lines[2].hasSuffix("diverged"))
    let csv = try Run.nntop(["export", folder.path + "/one.jsonl", "--csv"])
    #expect(csv.status == 0)
    let rows = csv.stdout.split(separator: "\n")
    #expect(rows.count == 4)
    #expect(
      rows[0] == "epoch,step,train_loss,train_acc,val_loss,val_acc,lr,samples_per_second,elapsed_seconds")
    #expect(rows[1].hasPrefix("1,32,"))
    #expect(rows[3].split(separator: ",").count == 9)
  }

  @Test func badLogsAndPathsGiveTheirExitCodes() throws {
    let folder = ScratchFolder()
    let missing = try Run.nntop(["replay", "--no-tui", folder.path + "/none.jsonl"])
    #expect(missing.status == 66)
    #expect(missing.stderr == "nntop: error: \(folder.path)/none.jsonl: no such file\n")
    let garbage = folder.path + "/garbage.jsonl"
    try "not a log\n".write(toFile: garbage, atomically: true, encoding: .utf8)
    let bad = try Run.nntop(["replay", "--no-tui", garbage])
    #expect(bad.status == 65)
    #expect(bad.stderr == "nntop: error: \(garbage): not a run log (no readable record)\n")
    let cannot = try Run.nntop(["train", "xor", "--epochs", "1", "--log", "/proc/nntop/run.jsonl"])
    #expect(cannot.status == 73)
    #expect(cannot.stderr.hasPrefix("nntop: error: cannot create folder /proc/nntop"))
    #expect(cannot.stdout.isEmpty)  // refused before training started
    let exists = try Run.nntop(["train", "xor", "--epochs", "1", "--log", garbage])
    #expect(exists.status == 73)
    #expect(exists.stderr.contains("File exists"))
  }

  /// kill -9 at random moments: the log always replays up to its last complete record.
  @Test func killedRunsLeaveReplayableLogs() throws {
    let folder = ScratchFolder()
    for attempt in 0..<4 {
      let log = folder.path + "/killed-\(attempt).jsonl"
      let process = Process()
      process.executableURL = Run.executable
      process.arguments = ["train", "spiral", "--epochs", "100000", "--log", log, "--stats-every", "1"]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      usleep(UInt32(300_000 + attempt * 170_000))
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      let replay = try Run.nntop(["replay", "--no-tui", log])
      #expect(replay.status == 0, "\(replay.stderr)")
      #expect(replay.stdout.hasPrefix("nntop: spiral"))
      #expect(!replay.stderr.contains("skipped"), "\(replay.stderr)")
      let runs = try Run.nntop(["runs", folder.path])
      #expect(runs.stdout.contains("killed-\(attempt)"))
    }
    let runs = try Run.nntop(["runs", folder.path])
    #expect(runs.stdout.split(separator: "\n").dropFirst().allSatisfy { $0.hasSuffix("interrupted") })
  }
}

@Suite struct CheckpointCommandTests {
  @Test func checkpointsResumeExactlyAndEvaluate() throws {
    let folder = ScratchFolder()
    let first = try Run.nntop([
      "train", "gaussians", "--epochs", "4", "--checkpoint-every", "2", "--log", folder.path + "/a.jsonl",
      "--threads", "1",
    ])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(
      first.stdout.contains("checkpoint \(folder.path)/a.epoch0002.safetensors (every 2 epochs, step 64)"))
    #expect(first.stdout.contains("checkpoint \(folder.path)/a.final.safetensors (end, step 128)"))
    // Resuming after epoch 2 repeats epochs 3 and 4 exactly.
    let resumed = try Run.nntop([
      "train", "gaussians", "--resume", folder.path + "/a.epoch0002.safetensors", "--log",
      folder.path + "/b.jsonl",
      "--threads", "1",
    ])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(
      resumed.stderr.contains("resuming from \(folder.path)/a.epoch0002.safetensors after epoch 2 (step 64)"))
    func epochLines(_ text: String) -> [String] {
      text.split(separator: "\n").filter { $0.hasPrefix("epoch 3/4") || $0.hasPrefix("epoch 4/4") }
        .map { String($0.split(separator: "lr")[0]) }
    }
    #expect(epochLines(resumed.stdout).count == 2)
    #expect(epochLines(resumed.stdout) == epochLines(first.stdout))
    // The final checkpoint evaluates to the run's own test accuracy.
    let eval = try Run.nntop(["eval", folder.path + "/a.final.safetensors"])
    #expect(eval.status == 0, "\(eval.stderr)")
    let final = first.stdout.split(separator: "\n").last.map(String.init) ?? ""
    let accuracy = String(final.split(separator: " ").last ?? "")
    #expect(eval.stdout.hasPrefix("test accuracy \(accuracy), "), "\(eval.stdout) vs \(final)")
    // A checkpoint of another architecture or dataset is refused.
    let wrong = try Run.nntop([
      "train", "gaussians", "--resume", folder.path + "/a.final.safetensors", "--hidden", "8", "--no-log",
    ])
    #expect(wrong.status == 64)
    #expect(wrong.stderr.contains("wrong architecture"))
    let other = try Run.nntop([
      "train", "spiral", "--resume", folder.path + "/a.final.safetensors", "--no-log",
    ])
    #expect(other.status == 64)
    #expect(other.stderr.contains("trained on gaussians, not spiral"))
  }

  @Test func afterKillDashNineTheLastCheckpointLoads() throws {
    let folder = ScratchFolder()
    let process = Process()
    process.executableURL = Run.executable
    process.arguments = [
      "train", "spiral", "--epochs", "100000", "--checkpoint-every", "1", "--log", folder.path + "/k.jsonl",
    ]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    usleep(900_000)
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
      $0.hasSuffix(".safetensors")
    }
    .sorted()
    #expect(!files.isEmpty)
    #expect(!files.contains { $0.hasPrefix(".") })  // no temporary file ever visible under the real name
    let last = try #require(files.last)
    let eval = try Run.nntop(["eval", folder.path + "/" + last])
    #expect(eval.status == 0, "\(eval.stderr)")
    #expect(eval.stdout.hasPrefix("test accuracy "))
  }

  @Test func damagedCheckpointsAreRefused() throws {
    let folder = ScratchFolder()
    let path = folder.path + "/bad.safetensors"
    try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
    let eval = try Run.nntop(["eval", path])
    #expect(eval.status == 65)
    #expect(eval.stderr == "nntop: error: \(path): bad header: 3 bytes, too short for a safetensors file\n")
    let missing = try Run.nntop(["eval", folder.path + "/none.safetensors"])
    #expect(missing.status == 66)
  }
}

@Suite struct WatchCommandTests {
  /// A second process follows the log while the first writes it, and ends with the same lines.
  @Test func watchFollowsALiveRunToItsEnd() throws {
    let folder = ScratchFolder()
    let log = folder.path + "/live.jsonl"
    let writer = Process()
    writer.executableURL = Run.executable
    writer.arguments = ["train", "spiral", "--epochs", "300", "--log", log, "--threads", "1"]
    let writerOutput = Pipe()
    writer.standardOutput = writerOutput
    writer.standardError = FileHandle.nullDevice
    try writer.run()
    let deadline = Date().addingTimeInterval(30)
    while !FileManager.default.fileExists(atPath: log) && Date() < deadline { usleep(10_000) }
    let watch = try Run.nntop(["watch", "--no-tui", log])
    let written = String(decoding: writerOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    writer.waitUntilExit()
    #expect(watch.status == 0, "\(watch.stderr)")
    #expect(watch.stdout == written)
    #expect(watch.stdout.contains("finished after 300 epochs"))
  }
}

import Foundation
import TestSupport
import Testing

@Suite struct RunLogCommandTests {
  @Test func headlessRunAndItsReplayPrintTheSameLines() throws {
    let folder = TemporaryFolder("nntop-runs")
    let log = folder.path + "/a.jsonl"
    let live = try Run.nntop([
      "train", "gaussians", "--epochs", "4", "--lr", "0.1", "--log", log, "--threads", "1",
    ])
    #expect(live.status == 0, "\(live.stderr)")
    #expect(live.stderr.contains("nntop: run log \(log)"))
    let replay = try Run.nntop(["replay", "--no-tui", log])
    #expect(replay.status == 0, "\(replay.stderr)")
    #expect(replay.stdout == live.stdout)
    // Header, four epochs, the final checkpoint, the reading at the end, the result.
    #expect(replay.stdout.split(separator: "\n").count == 8)
    #expect(replay.stdout.contains("checkpoint \(folder.path)/a.final.safetensors (end, step 128)"))
  }

  /// A lesson's log names the lesson, so its replay can show the lesson's card (`i`).
  @Test(
    .enabled(
      if: FileManager.default.fileExists(atPath: Repository.datasets + "/mnist/t10k-images-idx3-ubyte.gz")))
  func aLessonsLogNamesTheLesson() throws {
    let folder = TemporaryFolder("nntop-runs")
    let log = folder.path + "/slow.jsonl"
    let run = try Run.nntop([
      "train", "mnist", "--scenario", "slow", "--train-size", "500", "--epochs", "1", "--no-tui", "--log",
      log,
      "--data", Repository.datasets, "--threads", "1",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let header = try String(contentsOfFile: log, encoding: .utf8).prefix { $0 != "\n" }
    #expect(header.contains("\"lesson\": \"slow\""))
  }

  @Test func runsListsAndExportWritesCSV() throws {
    let folder = TemporaryFolder("nntop-runs")
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
    let folder = TemporaryFolder("nntop-runs")
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

  /// kill -9 at moments spread over the run (once the log has grown past a size that differs from
  /// attempt to attempt, while records are being written): the log always replays up to its last
  /// complete record.
  @Test func killedRunsLeaveReplayableLogs() throws {
    let folder = TemporaryFolder("nntop-runs")
    for (attempt, size) in [4_000, 40_000, 120_000, 300_000].enumerated() {
      let log = folder.file("killed-\(attempt).jsonl")
      let process = try Run.start([
        "train", "spiral", "--epochs", "100000", "--log", log, "--stats-every", "1",
      ])
      waitUntil("killed-\(attempt).jsonl to reach \(size) bytes", deadline: .seconds(60)) {
        Self.size(of: log) >= size
      }
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

  /// A log without its end reads "running" while its writer is there, "interrupted" once it is
  /// gone (a live run had been listed as interrupted beside a watch showing it RUNNING).
  @Test func aRunStillGoingIsListedAsRunning() throws {
    let folder = TemporaryFolder("nntop-runs")
    let log = folder.file("going.jsonl")
    let process = try Run.start(["train", "spiral", "--epochs", "100000", "--log", log])
    waitUntil("the log's header", deadline: .seconds(60)) { Self.size(of: log) > 500 }
    let going = try Run.nntop(["runs", folder.path])
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(going.stdout.split(separator: "\n").last?.hasSuffix("running") == true, "\(going.stdout)")
    let gone = try Run.nntop(["runs", folder.path])
    #expect(gone.stdout.split(separator: "\n").last?.hasSuffix("interrupted") == true, "\(gone.stdout)")
  }

  /// The size of the file at `path` in bytes, 0 while it does not exist.
  static func size(of path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
  }

  /// Like `ls -tr`: by start time (from the header, not the file's name or mtime), oldest first;
  /// the activation shown; a resumed run's epochs as the span it trained; `--sort`, `-r` and
  /// filters as `ls` and `ps` users expect.
  @Test func runsSortByStartTimeWithTheActivationAndResumedEpochs() throws {
    let folder = TemporaryFolder("nntop-runs")
    let circles = try String(contentsOfFile: Repository.golden + "/circles.jsonl", encoding: .utf8)
    let resumed = try String(contentsOfFile: Repository.golden + "/resumed.jsonl", encoding: .utf8)
    func write(_ text: String, _ name: String, created: String, activation: String = "relu") throws {
      try text.replacing(#""created": "2026-11-22T04:23:14Z""#, with: "\"created\": \"\(created)\"")
        .replacing(#""activation": "relu""#, with: "\"activation\": \"\(activation)\"")
        .write(toFile: folder.path + "/\(name).jsonl", atomically: true, encoding: .utf8)
    }
    try write(circles, "alpha", created: "2026-03-01T10:00:00Z", activation: "tanh")
    try write(circles, "zeta", created: "2026-01-01T10:00:00Z")
    try write(resumed, "middle", created: "2026-02-01T10:00:00Z")
    func column(_ arguments: [String], _ index: Int) throws -> [String] {
      let run = try Run.nntop(["runs", folder.path] + arguments)
      #expect(run.status == 0, "\(run.stderr)")
      return run.stdout.split(separator: "\n").dropFirst().map {
        String($0.split(separator: " ", omittingEmptySubsequences: true)[index])
      }
    }
    #expect(try column([], 2) == ["zeta", "middle", "alpha"])
    #expect(try column(["-r"], 2) == ["alpha", "middle", "zeta"])
    #expect(try column(["--sort", "name"], 2) == ["alpha", "middle", "zeta"])
    #expect(try column([], 5) == ["relu", "relu", "tanh"])
    #expect(try column([], 6) == ["3/3", "2-3/3", "3/3"])
    let header = try Run.nntop(["runs", folder.path]).stdout.split(separator: "\n")[0]
    #expect(header.contains("activation") && header.contains("epochs"))
    #expect(try column(["--outcome", "finished", "--dataset", "circles"], 2).count == 3)
    let none = try Run.nntop(["runs", folder.path, "--dataset", "mnist"])
    #expect(none.stdout == "no run logs in \(folder.path) match\n")
    // export needs no --csv: CSV is its only format.
    let csv = try Run.nntop(["export", folder.path + "/zeta.jsonl"])
    #expect(csv.status == 0 && csv.stdout.hasPrefix("epoch,step,train_loss"), "\(csv.stderr)")
  }
}

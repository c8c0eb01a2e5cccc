import EventFiles
import Foundation
import TestSupport
import Testing

/// `nntop view` on logdirs written by the real writers (PyTorch's SummaryWriter, TensorBoard's own
/// classes for the TF2 forms), against the listing TensorBoard's EventAccumulator gives for them,
/// and on damaged, hostile and growing files.
@Suite struct ViewCommandTests {
  static let fixtures = Repository.root + "/Tests/Fixtures/tensorboard"

  @Test func theListingEqualsTensorBoardsOwnReader() throws {
    let run = try Run.nntop(["view", Self.fixtures + "/logdir", "--no-tui"])
    #expect(run.status == 0, "\(run.stderr)")
    let expected = try String(contentsOfFile: Self.fixtures + "/expected.txt", encoding: .utf8)
    #expect(run.stdout == expected)
    #expect(run.stderr.isEmpty)
  }

  /// Every fixture event file cut every 29 bytes: the whole records before the cut are listed,
  /// a cut inside a record is said (one warning), a file with no whole scalar yet is exit 66,
  /// never a crash.
  @Test func aCutFileListsItsWholeRecords() throws {
    let source = Self.fixtures + "/logdir/pytorch_new_style"
    let file = try #require(try FileManager.default.contentsOfDirectory(atPath: source).first)
    let bytes = try #require(FileManager.default.contents(atPath: source + "/" + file))
    let folder = TemporaryFolder("nntop-view")
    var counts: [Int] = []
    for cut in stride(from: 0, through: bytes.count, by: 29) {
      folder.write("events.out.tfevents.1.cut", [UInt8](bytes.prefix(cut)))
      let run = try Run.nntop(["view", folder.path, "--no-tui"])
      let listed = !run.stdout.isEmpty
      #expect(run.status == (listed ? 0 : 66), "cut \(cut): \(run.stderr)")
      let said = run.stderr.split(separator: "\n")
      #expect(
        said.allSatisfy { $0.hasSuffix("ends in an incomplete record (cut short, or still being written)") }
          || (!listed && said.last?.contains("error: no scalars in the run") == true),
        "cut \(cut): \(run.stderr)")
      let loss = run.stdout.split(separator: "\n").first {
        $0.hasPrefix((folder.path as NSString).lastPathComponent + " loss ")
      }
      counts.append(loss.flatMap { Int($0.split(separator: " ")[2].dropFirst("points=".count)) } ?? 0)
    }
    #expect(counts == counts.sorted() && counts.last == 3)
  }

  @Test func aDamagedFileIsNamedWithItsOffsetAndTheRestStillShows() throws {
    let folder = TemporaryFolder("nntop-view")
    let writer = try EventFileWriter(folder: folder.file("good"), wallTime: 1, host: "h")
    let bad = try EventFileWriter(folder: folder.file("bad"), wallTime: 1, host: "h")
    for step in 1...3 {
      let event = Event(
        wallTime: 1, step: Int64(step), values: [TaggedValue(tag: "loss", value: .scalar(0.5))])
      writer.append(event)
      bad.append(event)
    }
    try writer.flush()
    try bad.flush()
    var bytes = [UInt8](try #require(FileManager.default.contents(atPath: bad.path)))
    bytes[bytes.count - 20] ^= 0xFF
    folder.write("bad/" + (bad.path.split(separator: "/").last.map(String.init) ?? ""), bytes)
    let run = try Run.nntop(["view", folder.path, "--no-tui"])
    #expect(run.status == 0)
    #expect(run.stdout.contains("bad loss points=2 last_step=2 last=0.5"))
    #expect(run.stdout.contains("good loss points=3 last_step=3 last=0.5"))
    #expect(run.stderr.contains(bad.path) && run.stderr.contains("data fails its checksum at offset"))
  }

  @Test func nothingToShowIsAnErrorAndHostileNamesAreDefused() throws {
    let folder = TemporaryFolder("nntop-view")
    let empty = try Run.nntop(["view", folder.path, "--no-tui"])
    #expect(empty.status == 66 && empty.stderr.contains("no runs under"))
    // A file that is not a run log, alone: skipped, and then nothing is left (it exited 0).
    let script = folder.write("train.jsonl", text: "import torch\n")
    let notALog = try Run.nntop(["view", script, "--no-tui"])
    #expect(notALog.status == 65, "\(notALog.stderr)")
    #expect(
      notALog.stderr == "nntop: warning: \(script): not a run log (no readable record); skipped\n"
        + "nntop: error: no readable runs under \(script)\n")
    #expect(notALog.stdout.isEmpty)
    let writer = try EventFileWriter(folder: folder.file("r"), wallTime: 1, host: "h")
    writer.append(
      Event(
        wallTime: 1, step: 1,
        values: [TaggedValue(tag: "\u{1B}]0;owned\u{07}\u{1B}[2Jloss two", value: .scalar(.infinity))]))
    try writer.flush()
    let run = try Run.nntop(["view", folder.path, "--no-tui"])
    #expect(run.stdout == "r ?]0;owned??[2Jloss_two points=1 last_step=1 last=inf\n")
  }

  /// Runs with nothing to list: an empty event file (66), a file that only looks like one (65,
  /// named as not an event file); a path that does not exist is the one line of the error.
  @Test func runsWithoutScalarsAndMissingPathsAreErrorsOfOneLine() throws {
    let folder = TemporaryFolder("nntop-view")
    for sub in ["empty", "foreign"] {
      try FileManager.default.createDirectory(atPath: folder.file(sub), withIntermediateDirectories: true)
    }
    let empty = folder.write("empty/events.out.tfevents.1.h", [])
    let emptyRun = try Run.nntop(["view", folder.file("empty"), "--no-tui"])
    #expect(emptyRun.status == 66 && emptyRun.stdout.isEmpty, "\(emptyRun)")
    #expect(emptyRun.stderr == "nntop: error: no scalars in the run under \(folder.file("empty"))\n")
    let foreign = folder.write("foreign/events.out.tfevents.1.h", Array("hello world, not records".utf8))
    let short = folder.write("foreign/events.out.tfevents.2.h", Array("hi".utf8))
    let foreignRun = try Run.nntop(["view", folder.file("foreign"), "--no-tui"])
    #expect(foreignRun.status == 65, "\(foreignRun)")
    #expect(
      foreignRun.stderr
        == "nntop: warning: \(foreign): not an event file (a record length that fails its checksum at its start)\n"
        + "nntop: warning: \(short): ends in an incomplete record (cut short, or still being written)\n"
        + "nntop: error: no scalars in the run under \(folder.file("foreign"))\n")
    let missing = try Run.nntop(["view", folder.file("nowhere"), "--no-tui"])
    #expect(missing.status == 66)
    #expect(missing.stderr == "nntop: error: \(folder.file("nowhere")): No such file or directory\n")
    _ = empty
  }

  /// As TensorBoard does, a folder without runs yet is waited for when following (the viewer
  /// started before the trainer); without --follow it is an error (above).
  @Test func followingAnEmptyFolderWaitsForItsFirstRun() throws {
    let folder = TemporaryFolder("nntop-view")
    let logdir = folder.file("logdir")
    try FileManager.default.createDirectory(atPath: logdir, withIntermediateDirectories: true)
    let output = folder.file("out.txt")
    let process = try Run.start(
      ["view", logdir, "--no-tui", "--follow"], output: output, errors: folder.file("errors.txt"))
    defer { process.stop() }
    func shown() -> String { String(decoding: folder.read("out.txt"), as: UTF8.self) }
    let errors = { String(decoding: folder.read("errors.txt"), as: UTF8.self) }
    waitUntil("the waiting note") { errors().contains("no runs under \(logdir) yet: waiting for") }
    #expect(process.isRunning)
    let writer = try EventFileWriter(folder: logdir + "/run1", wallTime: 1, host: "h")
    writer.append(Event(wallTime: 1, step: 3, values: [TaggedValue(tag: "loss", value: .scalar(0.25))]))
    try writer.flush()
    waitUntil("the first run") { shown().contains("run1 loss points=1 last_step=3 last=0.25") }
  }

  @Test func followingPicksUpAppendedRecordsAndNewFiles() throws {
    let folder = TemporaryFolder("nntop-view")
    let writer = try EventFileWriter(folder: folder.file("run"), wallTime: 1, host: "h")
    writer.append(Event(wallTime: 1, step: 1, values: [TaggedValue(tag: "loss", value: .scalar(1))]))
    try writer.flush()
    let output = folder.file("out.txt")
    let process = try Run.start(["view", folder.path, "--no-tui", "--follow"], output: output)
    defer { process.stop() }
    func shown() -> String { String(decoding: folder.read("out.txt"), as: UTF8.self) }
    waitUntil("the first record") { shown().contains("run loss points=1 ") }
    writer.append(Event(wallTime: 2, step: 2, values: [TaggedValue(tag: "loss", value: .scalar(0.5))]))
    try writer.flush()
    waitUntil("the appended record") { shown().contains("run loss points=2 last_step=2 last=0.5") }
    let second = try EventFileWriter(folder: folder.file("run2"), wallTime: 3, host: "h")
    second.append(Event(wallTime: 3, step: 7, values: [TaggedValue(tag: "acc", value: .scalar(0.25))]))
    try second.flush()
    waitUntil("the new run") { shown().contains("run2 acc points=1 last_step=7 last=0.25") }
    // A run log that appears and grows is followed as an event file is: it had been read once,
    // so a run still training stood still (and one started after the view never came).
    let lines = try String(contentsOfFile: Repository.golden + "/circles.jsonl", encoding: .utf8)
      .split(separator: "\n", omittingEmptySubsequences: true)
    let progress = lines.indices.filter { lines[$0].hasPrefix("{\"type\": \"progress\"") }
    folder.write("live.jsonl", text: lines[...progress[1]].joined(separator: "\n") + "\n")
    waitUntil("the new run log") { shown().contains("live.jsonl train/loss points=2 ") }
    folder.append(
      "live.jsonl", Array((lines[(progress[1] + 1)...progress[3]].joined(separator: "\n") + "\n").utf8))
    waitUntil("its appended records") { shown().contains("live.jsonl train/loss points=4 ") }
    // A signal ends the follow at once (it once ran on after the test, SIGTERM left ignored).
    process.terminate()
    waitUntil("the exit after SIGTERM") { !process.isRunning }
    #expect(process.terminationStatus == 128 + SIGTERM)
  }
}

/// `train --compare LOG` checks its log before anything is written.
@Suite struct CompareFlagTests {
  @Test func aMissingComparisonLogIsRefusedBeforeTheRunLogIsMade() throws {
    let folder = TemporaryFolder("nntop-compare")
    let log = folder.file("new.jsonl")
    let run = try Run.nntop([
      "train", "xor", "--epochs", "1", "--compare", folder.file("none.jsonl"), "--log", log, "--no-tui",
    ])
    #expect(run.status == 66 && run.stderr.contains("none.jsonl"), "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: log))
    let ok = try Run.nntop([
      "train", "xor", "--epochs", "1", "--compare", Repository.golden + "/circles.jsonl", "--no-log",
      "--no-tui",
    ])
    #expect(ok.status == 0 && ok.stderr.contains("--compare draws on the dashboard"))
  }
}

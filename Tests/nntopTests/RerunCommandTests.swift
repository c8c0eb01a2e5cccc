import Foundation
import TestSupport
import Testing

/// `nntop rerun LOG` trains the logged run again, with every recorded command at its step: the
/// same records (apart from times and file names) and the same epoch lines (apart from speed).
@Suite struct RerunCommandTests {
  /// A log's records without what differs between two identical runs: times, throughput, the
  /// header's creation, command line and machine, and file paths.
  static func records(_ path: String) throws -> [NSDictionary] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      var kept = object
      for key in ["t", "elapsed", "samples_per_second", "created", "command", "machine", "path"] {
        kept[key] = nil
      }
      return kept as NSDictionary
    }
  }

  /// Epoch and final lines without throughput and times.
  static func lines(_ text: String) -> [String] {
    text.split(separator: "\n").map {
      String($0).replacing(/[0-9]+ samples\/s  [0-9.]+s/, with: "").replacing(/steps, [0-9.]+s/, with: "")
    }.filter { !$0.hasPrefix("checkpoint ") }
  }

  @Test func aScriptedHeadlessRunRepeatsExactly() throws {
    let folder = TemporaryFolder("nntop-rerun")
    let script = folder.write(
      "lesson.script",
      text: "10 lr 0.1\n20 pause\n20 step\n21 step\n22 dropout 0.1\n22 resume\n40 l2 0.001\n"
        + "50 train_size 500\n70 stop\n")
    let original = try Run.nntop([
      "train", "circles", "--epochs", "5", "--threads", "1", "--script", script, "--log",
      folder.file("a.jsonl"),
    ])
    #expect(original.status == 0, "\(original.stderr)")
    #expect(original.stdout.contains("train_size 1000 → 500 at step 64 (script)"))
    let again = try Run.nntop(["rerun", folder.file("a.jsonl"), "--no-tui", "--log", folder.file("b.jsonl")])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(Self.lines(again.stdout) == Self.lines(original.stdout))
    let first = try Self.records(folder.file("a.jsonl"))
    #expect(first.count > 20)
    #expect(try Self.records(folder.file("b.jsonl")) == first)
  }

  @Test func refusesWhatIsNotATrainingLog() throws {
    let folder = TemporaryFolder("nntop-rerun")
    let junk = folder.write("junk.jsonl", text: "not json\n")
    let run = try Run.nntop(["rerun", junk, "--no-tui", "--no-log"])
    #expect(run.status == 65)
    #expect(run.stderr.contains("not a run log"))
    let missing = try Run.nntop(["rerun", folder.file("none.jsonl"), "--no-tui", "--no-log"])
    #expect(missing.status == 66)
  }
}

/// Key presses in the dashboard (tmux), then `rerun` headless: every record the same.
@Suite(.enabled(if: TmuxSession.available, "tmux is not installed"))
struct RerunKeyPressTests {
  @Test func aRunSteeredByKeysRepeatsBitForBit() throws {
    let folder = TemporaryFolder("nntop-rerun")
    let log = folder.file("keys.jsonl")
    let session = try TmuxSession([
      "train", "circles", "--epochs", "30", "--threads", "1", "--pace", "100", "--log", log,
    ])
    session.waitFor("steps") { (stepShown($0) ?? 0) > 40 }
    try session.send("L")
    session.waitFor("the change") { $0.contains("lr 0.05 → 0.1 at step") }
    try session.send("Space")
    session.waitFor("PAUSED") { $0.contains("PAUSED") }
    try session.send("D")
    try session.send("n")
    session.waitFor("one step") { $0.contains("one step: now at step") }
    try session.send("Space")
    // 900 steps at ≤ 100 a second in a debug build: generous, for a loaded machine.
    session.waitFor("the end", deadline: .seconds(240)) { $0.contains("FINISHED") }
    try session.send("q")
    session.waitFor("exit") { $0.contains("exit=0") }
    let again = try Run.nntop(["rerun", log, "--no-tui", "--log", folder.file("again.jsonl")])
    #expect(again.status == 0, "\(again.stderr)")
    let first = try RerunCommandTests.records(log)
    #expect(first.contains { $0["source"] as? String == "key L" })
    #expect(first.contains { $0["source"] as? String == "key D" })
    #expect(try RerunCommandTests.records(folder.file("again.jsonl")) == first)
  }
}

/// What would make a rerun another run is said before it trains: a damaged line may have held a
/// command, and a resumed run's checkpoint must still be the one it went on from.
@Suite struct RerunFaithfulnessTests {
  @Test func aDamagedLineIsSaidAndAReplacedCheckpointRefused() throws {
    let folder = TemporaryFolder("nntop-rerun")
    let script = folder.write("s.txt", text: "40 lr 0.01\n70 l2 0.001\n")
    let logged = try Run.nntop([
      "train", "circles", "--epochs", "4", "--threads", "1", "--checkpoint-every", "1", "--script", script,
      "--log", folder.file("a.jsonl"), "--no-tui",
    ])
    #expect(logged.status == 0, "\(logged.stderr)")
    var text = try String(contentsOfFile: folder.file("a.jsonl"), encoding: .utf8)
    text = text.replacing("\"knob\": \"l2\"", with: "\"knob\": \"l3\"")
    try text.write(toFile: folder.file("damaged.jsonl"), atomically: true, encoding: .utf8)
    let rerun = try Run.nntop(["rerun", folder.file("damaged.jsonl"), "--no-tui", "--no-log"])
    #expect(rerun.status == 0)
    #expect(
      rerun.stderr.contains(
        "1 damaged line not repeated: a command on one is lost, and the rerun can differ"),
      "\(rerun.stderr)")
    // Resumed after epoch 3; that checkpoint then replaced by epoch 1's.
    let resumed = try Run.nntop([
      "train", "circles", "--resume", folder.file("a.epoch0003.safetensors"), "--threads", "1",
      "--log", folder.file("b.jsonl"), "--no-tui",
    ])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    try FileManager.default.removeItem(atPath: folder.file("a.epoch0003.safetensors"))
    try FileManager.default.copyItem(
      atPath: folder.file("a.epoch0001.safetensors"), toPath: folder.file("a.epoch0003.safetensors"))
    let replaced = try Run.nntop(["rerun", folder.file("b.jsonl"), "--no-tui", "--no-log"])
    #expect(replaced.status == 65, "\(replaced)")
    #expect(replaced.stderr.contains("is after epoch 1 (step "), "\(replaced.stderr)")
    #expect(replaced.stderr.contains("went on from after epoch 3: the checkpoint has changed since"))
    #expect(replaced.stdout.isEmpty)
  }
}

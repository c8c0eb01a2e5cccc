import Foundation
import TestSupport
import Testing

@Suite struct CheckpointCommandTests {
  @Test func checkpointsResumeExactlyAndEvaluate() throws {
    let folder = TemporaryFolder("nntop-runs")
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
    let folder = TemporaryFolder("nntop-runs")
    let process = try Run.start([
      "train", "spiral", "--epochs", "100000", "--checkpoint-every", "1", "--log", folder.file("k.jsonl"),
    ])
    func checkpoints() -> [String] {
      ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter {
        $0.hasSuffix(".safetensors")
      }
      .sorted()
    }
    // Killed while it goes on writing a checkpoint every epoch.
    waitUntil("three checkpoints", deadline: .seconds(60)) {
      checkpoints().filter { !$0.hasPrefix(".") }.count >= 3
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    let files = checkpoints()
    #expect(!files.isEmpty)
    #expect(!files.contains { $0.hasPrefix(".") })  // no temporary file ever visible under the real name
    let last = try #require(files.last)
    let eval = try Run.nntop(["eval", folder.path + "/" + last])
    #expect(eval.status == 0, "\(eval.stderr)")
    #expect(eval.stdout.hasPrefix("test accuracy "))
  }

  @Test func damagedCheckpointsAreRefused() throws {
    let folder = TemporaryFolder("nntop-runs")
    let path = folder.path + "/bad.safetensors"
    try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
    let eval = try Run.nntop(["eval", path])
    #expect(eval.status == 65)
    #expect(eval.stderr == "nntop: error: \(path): bad header: 3 bytes, too short for a safetensors file\n")
    let missing = try Run.nntop(["eval", folder.path + "/none.safetensors"])
    #expect(missing.status == 66)
  }

  /// A file with only the weights and the metadata evaluation needs (as another tool would
  /// write it) evaluates to the same numbers; resuming from it is refused with the reason.
  @Test func aWeightsOnlyFileEvaluatesButCannotBeResumed() throws {
    let folder = TemporaryFolder("nntop-runs")
    let first = try Run.nntop([
      "train", "gaussians", "--epochs", "2", "--log", folder.path + "/a.jsonl", "--threads", "1",
    ])
    #expect(first.status == 0, "\(first.stderr)")
    let full = folder.path + "/a.final.safetensors"
    let (metadata, tensors) = try Safetensors.parse(Array(try Data(contentsOf: URL(fileURLWithPath: full))))
    let kept = try #require(metadata).filter { ["format", "version", "dataset", "network"].contains($0.key) }
    let weightsOnly = folder.path + "/w.safetensors"
    try Data(
      try Safetensors.encode(metadata: kept, tensors: tensors.filter { !$0.name.hasPrefix("optimizer.") })
    )
    .write(to: URL(fileURLWithPath: weightsOnly))
    let original = try Run.nntop(["eval", full])
    let stripped = try Run.nntop(["eval", weightsOnly])
    #expect(stripped.status == 0, "\(stripped.stderr)")
    // The same accuracy and loss; only the training position (step, epochs) is unknown.
    #expect(stripped.stdout.split(separator: "(")[0] == original.stdout.split(separator: "(")[0])
    let resumed = try Run.nntop(["train", "gaussians", "--resume", weightsOnly, "--epochs", "4", "--no-log"])
    #expect(resumed.status == 64)
    #expect(resumed.stderr.contains("holds weights only") && resumed.stderr.contains("`nntop eval` reads it"))
    // A run log passed to eval is named, with what to pass instead.
    let log = try Run.nntop(["eval", folder.path + "/a.jsonl"])
    #expect(log.status == 65)
    #expect(log.stderr.contains("this is a run log (JSON Lines), not a checkpoint"), "\(log.stderr)")
  }
}

/// A log deleted by hand leaves its checkpoints behind: a new run under that name would have
/// written over them.
@Suite struct CheckpointNameReuseTests {
  @Test func aRunIsNotLoggedWhereItWouldOverwriteCheckpoints() throws {
    let folder = TemporaryFolder("nntop-runs")
    let final = folder.write("stale.final.safetensors", text: "kept\n")
    let run = try Run.nntop([
      "train", "spiral", "--epochs", "1", "--log", folder.file("stale.jsonl"), "--no-tui",
    ])
    #expect(run.status == 73, "\(run)")
    #expect(
      run.stderr
        == "nntop: error: \(final) already exists: a run logged as \(folder.file("stale.jsonl")) would overwrite "
        + "its checkpoints (choose another place with --log PATH, or --no-log)\n")
    #expect(try String(contentsOfFile: final, encoding: .utf8) == "kept\n")
    #expect(!FileManager.default.fileExists(atPath: folder.file("stale.jsonl")))
    // Names that only begin the same are another run's.
    folder.write("fresh.final-copy.safetensors", text: "x")
    folder.write("fresh2.epoch0001.safetensors", text: "x")
    let other = try Run.nntop([
      "train", "spiral", "--epochs", "1", "--log", folder.file("fresh.jsonl"), "--no-tui",
    ])
    #expect(other.status == 0, "\(other)")
  }
}

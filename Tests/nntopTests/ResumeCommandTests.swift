import Foundation
import TestSupport
import Testing

/// `train --resume` continues the checkpoint's run: what it fixed is kept (and said), and flags
/// that contradict it are refused rather than ignored.
@Suite struct ResumeCommandTests {
  /// A run on 300 of 1 000 examples, saved at its end after 2 epochs.
  static func subsetCheckpoint(in folder: TemporaryFolder) throws -> String {
    let first = try Run.nntop([
      "train", "spiral", "--epochs", "2", "--train-size", "300", "--log", folder.path + "/a.jsonl",
      "--threads", "1",
    ])
    #expect(first.status == 0, "\(first.stderr)")
    return folder.path + "/a.final.safetensors"
  }

  /// It used to switch silently to all 1 000 examples.
  @Test func resumeKeepsTheCheckpointsTrainSizeAndSaysSo() throws {
    let folder = TemporaryFolder("nntop-runs")
    let checkpoint = try Self.subsetCheckpoint(in: folder)
    let log = folder.path + "/b.jsonl"
    let resumed = try Run.nntop([
      "train", "spiral", "--resume", checkpoint, "--epochs", "3", "--log", log, "--threads", "1",
    ])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stdout.contains(", 300 train / 500 validation"), "\(resumed.stdout)")
    #expect(resumed.stderr.contains("keeping the checkpoint's train size, 300 of 1000 examples"))
    let header = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")[0]
    #expect(header.contains("\"train\": 300") && header.contains("\"resumed_from\": \"\(checkpoint)\""))
    // A flag still says otherwise.
    let all = try Run.nntop([
      "train", "spiral", "--resume", checkpoint, "--epochs", "3", "--train-size", "1000", "--no-log",
    ])
    #expect(all.status == 0 && all.stdout.contains(", 1000 train / "), "\(all.stderr)")
  }

  /// `--optimizer`, `--activation`, `--batch-norm`, `--batch` and `--init` used to be ignored.
  @Test func resumeRefusesFlagsThatContradictTheCheckpoint() throws {
    let folder = TemporaryFolder("nntop-runs")
    let checkpoint = try Self.subsetCheckpoint(in: folder)
    let refused = try Run.nntop([
      "train", "spiral", "--resume", checkpoint, "--epochs", "3", "--optimizer", "adam", "--activation",
      "tanh", "--batch-norm", "--batch", "64", "--no-log",
    ])
    #expect(refused.status == 64)
    for expected in [
      "--optimizer adam (it was trained with sgd)", "--activation tanh (it uses relu)",
      "--batch-norm (it has no batch normalisation)", "--batch 64 (it used 32)", "without --resume",
    ] {
      #expect(refused.stderr.contains(expected), "\(expected) in \(refused.stderr)")
    }
    #expect(refused.stdout.isEmpty)
    // Flags that agree with the checkpoint are fine.
    let agreeing = try Run.nntop([
      "train", "spiral", "--resume", checkpoint, "--epochs", "3", "--optimizer", "sgd", "--batch", "32",
      "--no-log",
    ])
    #expect(agreeing.status == 0, "\(agreeing.stderr)")
  }

  /// The seed also generates a synthetic set's data: resuming without --seed used to train the
  /// rest of the run on seed 0's data. Now it keeps the checkpoint's, and the epochs after the
  /// checkpoint are those of the uninterrupted run.
  @Test func resumeKeepsTheCheckpointsSeed() throws {
    let folder = TemporaryFolder("nntop-runs")
    let first = try Run.nntop([
      "train", "spiral", "--seed", "7", "--epochs", "3", "--checkpoint-every", "2", "--log",
      folder.path + "/a.jsonl", "--threads", "1",
    ])
    #expect(first.status == 0, "\(first.stderr)")
    let resumed = try Run.nntop([
      "train", "spiral", "--resume", folder.path + "/a.epoch0002.safetensors", "--no-log", "--threads", "1",
    ])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    func lastEpoch(_ text: String) -> String? {
      text.split(separator: "\n").first { $0.hasPrefix("epoch 3/3") }.map {
        String($0.split(separator: "lr")[0])
      }
    }
    #expect(lastEpoch(resumed.stdout) != nil && lastEpoch(resumed.stdout) == lastEpoch(first.stdout))
    #expect(resumed.stdout.contains("seed 7"))
    // The schedule too: a cosine run resumed without --schedule stays cosine.
    let cosine = try Run.nntop([
      "train", "spiral", "--epochs", "3", "--schedule", "cosine", "--checkpoint-every", "1", "--log",
      folder.path + "/c.jsonl", "--threads", "1",
    ])
    let continued = try Run.nntop([
      "train", "spiral", "--resume", folder.path + "/c.epoch0001.safetensors", "--no-log", "--threads", "1",
    ])
    #expect(continued.status == 0, "\(continued.stderr)")
    func rates(_ text: String) -> [String] {
      text.split(separator: "\n").filter { $0.hasPrefix("epoch 2/3") || $0.hasPrefix("epoch 3/3") }
        .map { String($0.split(separator: "  ").first { $0.hasPrefix("lr ") } ?? "") }
    }
    #expect(
      rates(continued.stdout).count == 2 && rates(continued.stdout) == rates(cosine.stdout),
      "\(continued.stdout)")
    let other = try Run.nntop([
      "train", "spiral", "--resume", folder.path + "/a.epoch0002.safetensors", "--seed", "8", "--no-log",
    ])
    #expect(other.status == 64)
    #expect(other.stderr.contains("--seed 8 (it was trained with seed 7"))
  }
}

/// A checkpoint taken between two steps of an epoch (a key's, or a stop's) goes on from the next
/// step: the resumed run had restarted the epoch and trained its first steps twice (135 steps
/// for a 120-step run), and with dropout its masks came from a generator run on from the start.
@Suite struct MidEpochResumeTests {
  @Test func aCheckpointInsideAnEpochContinuesItExactly() throws {
    let folder = TemporaryFolder("nntop-runs")
    let script = folder.write("c.txt", text: "40 checkpoint\n")
    let common = ["train", "spiral", "--epochs", "3", "--dropout", "0.2", "--threads", "2"]
    let full = try Run.nntop(common + ["--script", script, "--log", folder.path + "/a.jsonl"])
    #expect(full.status == 0, "\(full.stderr)")
    let checkpoint = folder.path + "/a.step40.safetensors"
    let resumed = try Run.nntop(["train", "spiral", "--resume", checkpoint, "--no-log", "--threads", "2"])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stderr.contains("at step 40, 8 steps into epoch 2"), "\(resumed.stderr)")
    // Every number of the epochs after it, the interrupted epoch's averages included.
    func numbers(_ text: String) -> [String] {
      text.split(separator: "\n").filter { $0.hasPrefix("epoch 2/3") || $0.hasPrefix("epoch 3/3") }
        .map { String($0.split(separator: "samples/s")[0].split(separator: "  ").dropLast().joined()) }
    }
    #expect(
      numbers(resumed.stdout).count == 2 && numbers(resumed.stdout) == numbers(full.stdout),
      "\(resumed.stdout)")
    let finals = [full.stdout, resumed.stdout].map { $0.split(separator: "\n").last.map(String.init) ?? "" }
    #expect(finals[1].hasPrefix("finished after 3 epochs (96 steps"), "\(finals)")
    #expect(finals[0].split(separator: ":").last == finals[1].split(separator: ":").last)
  }
}

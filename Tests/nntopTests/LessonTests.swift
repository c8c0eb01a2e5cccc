import Foundation
import TestSupport
import Testing

/// Every lesson on the real MNIST (shortened with `--train-size` and `--epochs`): the headless
/// epoch lines end with the diagnosis's top finding, which must name the lesson's real cause
/// during the lesson; and the fix the lesson advertises, applied by a `--script` (the commands
/// its keys send) or by its flag, must change both the finding and the outcome.
@Suite(
  .enabled(
    if: FileManager.default.fileExists(
      atPath: Repository.datasets + "/mnist/t10k-images-idx3-ubyte.gz")))
struct LessonTests {
  struct Outcome {
    let run: Run
    /// The finding each epoch line ends with ("verdict: reason → action").
    let findings: [String]
    /// The last line's test accuracy in percent.
    let testAccuracy: Double
  }

  /// The epoch lines' readings, as a headless run prints them: actions without the dashboard's
  /// keys (no key works where lines are printed).
  func lesson(_ name: String, _ extra: [String], script: String? = nil) throws -> Outcome {
    let folder = TemporaryFolder("nntop-lesson")
    var arguments = [
      "train", "mnist", "--scenario", name, "--no-log", "--data", Repository.datasets, "--threads", "2",
    ]
    if let script { arguments += ["--script", folder.write("fix.script", text: script)] }
    let run = try Run.nntop(arguments + extra)
    let lines = run.stdout.split(separator: "\n").map(String.init)
    let findings = lines.filter { $0.hasPrefix("epoch ") }.compactMap { line in
      line.range(of: "  · ").map { String(line[$0.upperBound...]) }
    }
    let last = lines.last ?? ""
    let accuracy = Double(last.split(separator: " ").last?.dropLast() ?? "") ?? 0
    return Outcome(run: run, findings: findings, testAccuracy: accuracy)
  }

  @Test func underfitNamesTheL2AndLoweringItLearns() throws {
    let lesson = try lesson("underfit", ["--epochs", "4", "--train-size", "10000"])
    #expect(lesson.run.status == 0, "\(lesson.run.stderr)")
    #expect(lesson.findings.last == "underfitting: L2 0.05 holds the weights down → lower L2")
    // Five presses of w take L2 from 0.05 to 1e-3; the script sends that after epoch 3.
    let fixed = try self.lesson(
      "underfit", ["--epochs", "5", "--train-size", "10000"], script: "237 l2 0.001\n")
    #expect(fixed.run.stdout.contains("l2 0.05 → 0.001 at step 237 (script)"))
    #expect(!(fixed.findings.last ?? "").hasPrefix("underfitting"), "\(fixed.findings)")
    #expect(fixed.testAccuracy > lesson.testAccuracy + 3, "\(lesson.testAccuracy) → \(fixed.testAccuracy)")
  }

  @Test func slowNamesTheRateAndRaisingItLearns() throws {
    let lesson = try lesson("slow", ["--epochs", "2", "--train-size", "5000"])
    #expect(lesson.run.status == 0, "\(lesson.run.stderr)")
    #expect(lesson.findings.last?.hasPrefix("learning rate too low") == true, "\(lesson.findings)")
    #expect(lesson.findings.last?.hasSuffix("→ raise the learning rate") == true)
    #expect(lesson.testAccuracy < 30)
    let fixed = try self.lesson("slow", ["--epochs", "2", "--train-size", "5000"], script: "40 lr 0.05\n")
    #expect(!(fixed.findings.last ?? "").hasPrefix("learning rate too low"), "\(fixed.findings)")
    #expect(fixed.testAccuracy > 65, "\(fixed.testAccuracy)")
  }

  /// The lesson as a student on two cores gets it (the whole training set, seed 0): the units
  /// die within the steps the text promises, whether or not the few left blow the loss up after.
  @Test func deadReLUKillsTheUnitsWithinFortySteps() throws {
    let folder = TemporaryFolder("nntop-lesson")
    let log = folder.file("dead.jsonl")
    let run = try Run.nntop([
      "train", "mnist", "--scenario", "dead-relu", "--log", log, "--data", Repository.datasets, "--threads",
      "2", "--epochs", "1", "--no-tui",
    ])
    #expect(run.status == 0 || run.status == 1, "\(run.stderr)")
    let dead = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").compactMap {
      line -> Double? in
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        object["type"] as? String == "layers", let step = object["step"] as? Int, step <= 40,
        let layers = object["layers"] as? [[String: Any]],
        let first = layers.first(where: { $0["name"] as? String == "hidden1" })
      else { return nil }
      return first["dead"] as? Double
    }
    #expect((dead.max() ?? 0) >= 0.9, "hidden1's dead fraction by step 40: \(dead)")
    if run.status == 1 { #expect(run.stdout.contains("diverged at step")) }
  }

  @Test func deadReLUNamesTheRateAndLoweringItEarlyKeepsUnitsAlive() throws {
    let lesson = try lesson("dead-relu", ["--epochs", "1", "--train-size", "12800"])
    #expect(lesson.run.status == 0, "\(lesson.run.stderr)")
    let finding = try #require(lesson.findings.last)
    #expect(finding.hasPrefix("dead units: hidden"), "\(finding)")
    // Dying: lower the rate (l); wholly dead (≥ 95 %): a new run with a lower one.
    #expect(
      finding.hasSuffix("→ lower the learning rate") || finding.hasSuffix("→ new run with --lr 0.1"),
      "\(finding)")
    #expect(!finding.contains("L2") && !finding.contains("dropout"))
    // Pressing l early (the script sends the value after 10 steps) keeps the units alive.
    let fixed = try self.lesson(
      "dead-relu", ["--epochs", "1", "--train-size", "12800"], script: "10 lr 0.05\n")
    #expect(!(fixed.findings.last ?? "").hasPrefix("dead units"), "\(fixed.findings)")
    #expect(fixed.testAccuracy > 88, "\(fixed.testAccuracy)")
    #expect(fixed.testAccuracy > lesson.testAccuracy + 10)
  }

  @Test func vanishingNamesTheInitAndXavierTrains() throws {
    let lesson = try lesson("vanishing", ["--epochs", "2", "--train-size", "12800"])
    #expect(lesson.run.status == 0, "\(lesson.run.stderr)")
    let finding = try #require(lesson.findings.last)
    #expect(finding.hasPrefix("vanishing gradients: hidden1 ‖g‖"), "\(finding)")
    #expect(finding.hasSuffix("→ new run with --init xavier"))
    #expect(lesson.testAccuracy < 20)
    #expect(lesson.run.stderr.contains("run again with --init xavier"))
    let fixed = try self.lesson("vanishing", ["--epochs", "2", "--train-size", "12800", "--init", "xavier"])
    #expect(!(fixed.findings.last ?? "").hasPrefix("vanishing"), "\(fixed.findings)")
    #expect(fixed.testAccuracy > 85, "\(fixed.testAccuracy)")
    // The lesson's text is about the naive init; the run says it is not the lesson's run.
    #expect(
      lesson.run.stderr.contains("nntop: this run differs from the lesson: epochs 2\n"),
      "\(lesson.run.stderr)")
    #expect(fixed.run.stderr.contains("nntop: this run differs from the lesson: init xavier, epochs 2\n"))
  }

  @Test func overfitNamesTheRisingValidationAndL2StopsIt() throws {
    let lesson = try lesson("overfit", ["--epochs", "10"])
    #expect(lesson.run.status == 0, "\(lesson.run.stderr)")
    let finding = try #require(lesson.findings.last)
    #expect(finding.hasPrefix("overfitting: "), "\(lesson.findings)")
    #expect(finding.hasSuffix("→ raise L2"))
    // W pressed up to L2 5e-3 (the script sends it after epoch 6, where validation bottoms out).
    let fixed = try self.lesson("overfit", ["--epochs", "14"], script: "48 l2 0.005\n")
    #expect(!(fixed.findings.last ?? "").hasPrefix("overfitting"), "\(fixed.findings)")
    #expect(fixed.run.stdout.contains("l2 0 → 0.005 at step 48 (script)"))
  }

  @Test func divergeShowsTheExplosionAndStopsHeadless() throws {
    let folder = TemporaryFolder("nntop-lesson")
    let log = folder.file("diverge.jsonl")
    let run = try Run.nntop([
      "train", "mnist", "--scenario", "diverge", "--log", log, "--data", Repository.datasets,
      "--threads", "2", "--epochs", "1", "--train-size", "12800",
    ])
    #expect(run.status == 1)
    #expect(run.stderr.contains("is over 100× its start"), "\(run.stderr)")
    let records = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").compactMap {
      try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
    let losses = records.filter { $0["type"] as? String == "progress" }.compactMap {
      ($0["train_loss"] as? NSNumber)?.doubleValue
    }
    // The chart gets the climb, a point per step (lr 3 explodes within 3–5 steps): points well
    // above the start before the guard trips.
    #expect(losses.count >= 3)
    #expect(losses.filter { $0 > 5 }.count >= 2, "\(losses)")
  }

  @Test func unknownScenarioIsAUsageError() throws {
    let run = try Run.nntop(["train", "mnist", "--scenario", "magic", "--no-log"])
    #expect(run.status == 64)
    #expect(run.stderr.contains("The value 'magic' is invalid for '--scenario <scenario>'"))
    #expect(run.stderr.contains("- overfit"))
  }
}

/// The learning-rate finder's suggestion lands in the reference recipe's working range
/// (784-256-128-10, SGD with momentum 0.9, batch 128): two epochs reach ≥ 96.5 % (measured:
/// 96.7 % at 0.055, 97.0 % at 0.1 (the suggestion is 0.079); 97 % in two epochs is within seed noise of
/// every rate tried, so the 97 % is not asserted).
@Suite(
  .enabled(
    if: FileManager.default.fileExists(
      atPath: Repository.datasets + "/mnist/t10k-images-idx3-ubyte.gz")))
struct LRFindCommandTests {
  @Test func theSuggestionTrainsTheReferenceRecipe() throws {
    let find = try Run.nntop(["lr-find", "mnist", "--data", Repository.datasets, "--threads", "2"])
    #expect(find.status == 0, "\(find.stderr)")
    let line = try #require(
      find.stdout.split(separator: "\n").last { $0.hasPrefix("suggested learning rate: ") })
    let rate = try #require(Double(line.dropFirst("suggested learning rate: ".count).prefix { $0 != " " }))
    #expect(rate > 1e-3 && rate < 1, "\(line)")
    let train = try Run.nntop([
      "train", "mnist", "--epochs", "2", "--lr", String(rate), "--data", Repository.datasets, "--threads",
      "2",
      "--no-log",
    ])
    #expect(train.status == 0, "\(train.stderr)")
    let last = train.stdout.split(separator: "\n").last.map(String.init) ?? ""
    let accuracy = Double(last.split(separator: " ").last?.dropLast() ?? "") ?? 0
    #expect(accuracy >= 96.5, "\(last)")
  }
}

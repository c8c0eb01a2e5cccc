import Foundation
import TestSupport
import Testing

/// Each scenario, run headless on the real MNIST (shortened), shows its lesson in the statistics
/// it logs.
@Suite(
  .enabled(
    if: FileManager.default.fileExists(
      atPath: Repository.datasets + "/mnist/t10k-images-idx3-ubyte.gz")))
struct ScenarioTests {
  /// Runs a scenario and returns its log's records.
  func run(_ name: String, _ extra: [String]) throws -> (Run, [[String: Any]]) {
    let folder = TemporaryFolder("nntop-runs")
    let log = folder.path + "/s.jsonl"
    let run = try Run.nntop(
      [
        "train", "mnist", "--scenario", name, "--log", log, "--data", Repository.datasets,
        "--threads", "2",
      ]
        + extra)
    let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    let records = text.split(separator: "\n").compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
    return (run, records)
  }

  func epochs(_ records: [[String: Any]]) -> [(train: Double, val: Double, trainAcc: Double)] {
    records.filter { $0["type"] as? String == "epoch" }.map {
      (
        ($0["train_loss"] as? NSNumber)?.doubleValue ?? .nan,
        ($0["val_loss"] as? NSNumber)?.doubleValue ?? .nan,
        ($0["train_acc"] as? NSNumber)?.doubleValue ?? .nan
      )
    }
  }

  func layers(_ records: [[String: Any]]) -> [[[String: Any]]] {
    records.filter { $0["type"] as? String == "layers" }.compactMap { $0["layers"] as? [[String: Any]] }
  }

  func number(_ layer: [String: Any], _ key: String) -> Double {
    (layer[key] as? NSNumber)?.doubleValue ?? .nan
  }

  @Test func overfitValidationLossTurnsUpWhileTrainingLossFalls() throws {
    let (run, records) = try run("overfit", ["--epochs", "15"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("scenario overfit: watch for validation loss turns up"))
    let e = epochs(records)
    let best = e.indices.min { e[$0].val < e[$1].val }!
    #expect(best < e.count - 1)
    #expect(e.last!.val > e[best].val * 1.05, "\(e.map(\.val))")
    #expect(e.last!.train < e[best].train / 2)
  }

  @Test func underfitLossesStayHighAndClose() throws {
    let (run, records) = try run("underfit", ["--epochs", "3"])
    #expect(run.status == 0)
    let last = try #require(epochs(records).last)
    #expect(last.trainAcc < 0.9)
    #expect(abs(last.val - last.train) < 0.1 * last.val)
  }

  @Test func divergeTripsTheGuard() throws {
    let (run, records) = try run("diverge", ["--epochs", "2"])
    #expect(run.status == 1)  // headless: a divergence ends the run
    #expect(records.contains { $0["type"] as? String == "diverged" })
  }

  @Test func vanishingGradientsInTheFirstLayer() throws {
    let (run, records) = try run("vanishing", ["--epochs", "1", "--train-size", "6400"])
    #expect(run.status == 0)
    let last = try #require(layers(records).last)
    let first = number(last[0], "grad_norm")
    let output = number(last[last.count - 1], "grad_norm")
    #expect(first < output / 100, "first \(first), last \(output)")
  }

  @Test func deadReLUFractionClimbs() throws {
    let (run, records) = try run("dead-relu", ["--epochs", "1", "--train-size", "12800"])
    #expect(run.status == 0)
    let snapshots = layers(records)
    let start = number(snapshots.first![0], "dead")
    let end = number(snapshots.last![0], "dead")
    #expect(end > 0.5 && end > start + 0.4, "dead fraction \(start) → \(end)")
  }

  @Test func slowLossCreeps() throws {
    let (run, records) = try run("slow", ["--epochs", "2", "--train-size", "5000"])
    #expect(run.status == 0)
    let e = epochs(records)
    #expect(e.count == 2)
    #expect(e[1].train < e[0].train)
    #expect(e[1].train > 1.5)
  }

  @Test func unknownScenarioIsAUsageError() throws {
    let run = try Run.nntop(["train", "mnist", "--scenario", "magic", "--no-log"])
    #expect(run.status == 64)
    #expect(run.stderr.contains("The value 'magic' is invalid for '--scenario <scenario>'"))
    #expect(run.stderr.contains("- overfit"))
  }
}

import Foundation
import TestSupport
import Testing

/// `nntop eval` gives, to the last bit, the numbers the run's own evaluation gave.
@Suite struct EvalExactTests {
  static var data: String { FileManager.default.currentDirectoryPath + "/datasets" }

  /// A two-thread MNIST run's final test evaluation (from its log, at full precision) against
  /// `eval --json` of its final checkpoint, with OpenBLAS allowed two threads: products split
  /// among BLAS threads round differently, so an evaluator that left them on gave other bits.
  @Test(.enabled(if: FileManager.default.fileExists(atPath: data + "/mnist/train-images-idx3-ubyte.gz")))
  func evalOfTheFinalCheckpointGivesTheRunsTestFiguresExactly() throws {
    let folder = TemporaryFolder("nntop-eval")
    let train = try Run.nntop([
      "train", "mnist", "--data", Self.data, "--no-tui", "--epochs", "1", "--train-size", "2560",
      "--threads", "2", "--log", folder.file("r.jsonl"),
    ])
    #expect(train.status == 0, "\(train.stderr)")
    let records = try String(contentsOfFile: folder.file("r.jsonl"), encoding: .utf8).split(separator: "\n")
    let test = try #require(
      records.compactMap { line -> [String: Any]? in
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
          object["type"] as? String == "evaluation", object["split"] as? String == "test"
        else { return nil }
        return object
      }.last)
    let eval = try Run.nntop(
      ["eval", folder.file("r.final.safetensors"), "--data", Self.data, "--json"],
      environment: ["OPENBLAS_NUM_THREADS": "2"])
    #expect(eval.status == 0, "\(eval.stderr)")
    let result = try #require(
      try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
    #expect(result["split"] as? String == "test")
    #expect(result["examples"] as? Int == 10_000)
    #expect(result["epochs"] as? Int == 1)
    let logged = try #require(test["loss"] as? Double)
    let evaluated = try #require(result["loss"] as? Double)
    #expect(evaluated == logged, "eval \(evaluated) vs the run's \(logged)")
    #expect(result["accuracy"] as? Double == test["acc"] as? Double)
    // The plain line counts one epoch as one.
    let plain = try Run.nntop(["eval", folder.file("r.final.safetensors"), "--data", Self.data])
    #expect(plain.stdout.hasSuffix("step 20, 1 epoch)\n"), "\(plain.stdout)")
  }

  /// --json prints the plain evaluation only.
  @Test func jsonAndMonteCarloTogetherAreRefused() throws {
    let run = try Run.nntop(["eval", "x.safetensors", "--json", "--mc", "5"])
    #expect(run.status == 64)
    #expect(run.stderr.contains("--json prints the plain evaluation; leave out --mc"), "\(run.stderr)")
  }
}

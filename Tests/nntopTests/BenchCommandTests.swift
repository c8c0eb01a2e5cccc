import Foundation
import TestSupport
import Testing

/// `nntop bench` keeps the reference trainers' JSON lines while training with the shared step.
@Suite struct BenchCommandTests {
  static var data: String { FileManager.default.currentDirectoryPath + "/datasets" }

  @Test(.enabled(if: FileManager.default.fileExists(atPath: data + "/mnist/train-images-idx3-ubyte.gz")))
  func printsConfigEvaluationEpochAndSummaryLines() throws {
    let run = try Run.nntop([
      "bench", "--data", Self.data, "--epochs", "1", "--hidden", "16", "--threads", "1", "--eval-every",
      "200",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let kinds = run.stdout.split(separator: "\n").map { line in
      line.split(separator: ",")[0].replacingOccurrences(of: "{\"kind\": ", with: "")
    }
    #expect(kinds == ["\"config\"", "\"eval\"", "\"eval\"", "\"epoch\"", "\"summary\""])
    #expect(run.stdout.contains("\"samples_seen\": 25600"))
    // One epoch of 60000 images on a small network learns well past chance.
    let epoch = try #require(run.stdout.split(separator: "\n").first { $0.contains("\"kind\": \"epoch\"") })
    let accuracy = epoch.split(separator: "\"test_acc\": ")[1].split(separator: ",")[0]
    #expect((Double(accuracy) ?? 0) > 0.85, "\(epoch)")
  }
}

import Foundation
import TestSupport
import Testing

/// `nntop eval CKPT --mc N`: weight scaling and Monte Carlo averaging side by side.
@Suite struct EvalMonteCarloTests {
  @Test func reportsBothReadingsForADropoutRun() throws {
    let folder = TemporaryFolder("nntop-mc")
    let log = folder.file("c.jsonl")
    let train = try Run.nntop([
      "train", "circles", "--epochs", "5", "--dropout", "0.3", "--threads", "1", "--no-tui", "--log", log,
    ])
    #expect(train.status == 0, "\(train.stderr)")
    let run = try Run.nntop(["eval", folder.file("c.final.safetensors"), "--mc", "20"])
    #expect(run.status == 0, "\(run.stderr)")
    let lines = run.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "MC dropout on 500 test examples: 20 passes at dropout 0.3")
    #expect(lines.contains { $0.hasPrefix("weight scaling ") && $0.contains("%") })
    #expect(lines.contains { $0.hasPrefix("MC averaging ") && $0.contains("%") })
    // Averaging over masks spreads the probabilities: more entropy than the single pass.
    func entropy(_ prefix: String) -> Double {
      Double(lines.first { $0.hasPrefix(prefix) }?.split(separator: " ").last ?? "") ?? .nan
    }
    #expect(entropy("MC averaging") > entropy("weight scaling"))
  }

  @Test func aRegressionCheckpointIsRefused() throws {
    let folder = TemporaryFolder("nntop-mc")
    let train = try Run.nntop([
      "train", "sine", "--epochs", "2", "--threads", "1", "--no-tui", "--log", folder.file("s.jsonl"),
    ])
    #expect(train.status == 0, "\(train.stderr)")
    let run = try Run.nntop(["eval", folder.file("s.final.safetensors"), "--mc", "5"])
    #expect(run.status == 64)
    #expect(run.stderr.contains("--mc compares class predictions"))
  }
}

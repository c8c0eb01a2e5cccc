import Foundation
import TestSupport
import Testing

/// Flags that used to be accepted and silently replaced or ignored: each is now refused with its
/// reason, or (for more threads than cores) lowered with a warning and recorded as run.
@Suite struct SilentAcceptanceTests {
  @Test(arguments: [
    (
      ["train", "xor", "--schedule", "step::", "--no-tui", "--no-log"],
      "The value 'step::' is invalid for '--schedule"
    ),
    (["train", "xor", "--log", "a.jsonl", "--no-log"], "--log a.jsonl and --no-log contradict each other"),
    (
      ["train", "xor", "--batch", "5000", "--no-tui", "--no-log"],
      "batch 5000 is larger than the 1000 training examples of xor"
    ),
    (["bench", "--lr", "0"], "--lr must be in [1e-06, 10], got 0.0"),
    (["bench", "--wd", "nan"], "--wd must be in [0, 1], got nan"),
  ])
  func contradictoryOrImpossibleFlagsAreRefused(arguments: [String], message: String) throws {
    let run = try Run.nntop(arguments)
    #expect(run.status == 64)
    #expect(run.stderr.contains(message), "\(run.stderr)")
  }

  @Test func moreThreadsThanCoresAreLoweredAndRecordedAsRun() throws {
    let folder = TemporaryFolder("nntop-threads")
    let log = folder.file("run.jsonl")
    let run = try Run.nntop(["train", "xor", "--threads", "64", "--epochs", "1", "--no-tui", "--log", log])
    let cores = ProcessInfo.processInfo.activeProcessorCount
    #expect(run.status == 0)
    #expect(run.stderr.contains("--threads 64: this machine has \(cores) core"))
    let header = try String(contentsOfFile: log, encoding: .utf8).prefix { $0 != "\n" }
    #expect(header.contains("\"threads\": \(min(cores, 64))"))
  }
}

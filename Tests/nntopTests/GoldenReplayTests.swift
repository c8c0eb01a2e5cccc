import Foundation
import TestSupport
import Testing

/// `nntop replay --no-tui` of logs written by earlier versions prints exactly what those runs
/// printed (Tests/Golden/NAME.txt), so headless output stays stable across refactorings.
@Suite struct GoldenReplayTests {
  static let folder = Repository.golden

  @Test(arguments: ["mnist-subset", "circles", "diverged", "resumed"])
  func replayPrintsTheLinesTheRunPrinted(name: String) throws {
    let expected = try String(contentsOfFile: "\(Self.folder)/\(name).txt", encoding: .utf8)
    let run = try Run.nntop(["replay", "--no-tui", "\(Self.folder)/\(name).jsonl"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.isEmpty)
    #expect(run.stdout == expected)
  }
}

import Foundation
import TestSupport
import Testing

@Suite struct InitStatsCommandTests {
  @Test func printsTheLectureTable() throws {
    let run = try Run.nntop(["init-stats", "--width", "100", "--samples", "100"])
    #expect(run.status == 0)
    let lines = run.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 12)
    #expect(lines[0] == "10 tanh layers of 100 units, 100 standard normal inputs: activation mean / std")
    #expect(lines[1].hasPrefix("layer naive") && lines[1].contains("xavier") && lines[1].contains("he"))
    #expect(lines[11].hasPrefix("10 "))
    let bad = try Run.nntop(["init-stats", "--layers", "0"])
    #expect(bad.status == 64)
  }
}

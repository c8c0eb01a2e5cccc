import Foundation
import RunLog
import RunModel
import Testing

@Suite struct DamageTests {
  /// Cut at every byte: never a crash, exactly the complete records before the cut, and the torn
  /// tail reported.
  @Test func truncationAtEveryByteKeepsTheCompleteRecords() {
    let bytes = LogFixture.bytes
    let ends = LogFixture.lineEnds
    for cut in 0...bytes.count {
      let contents = RunLogReader.parse(Array(bytes.prefix(cut)))
      let complete = ends.filter { $0 <= cut }.count
      #expect(contents.records.count == complete, "cut at \(cut)")
      #expect(contents.skipped.isEmpty, "cut at \(cut): \(contents.skipped)")
      #expect(contents.tornTailBytes == cut - (ends.last { $0 <= cut } ?? 0), "cut at \(cut)")
    }
  }

  @Test func aFlippedByteSkipsOnlyItsRecord() {
    let bytes = LogFixture.bytes
    let ends = LogFixture.lineEnds
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<300 {
      var damaged = bytes
      // Damage a byte inside a record other than the header (not a newline).
      let line = Int.random(in: 1..<ends.count, using: &rng)
      let start = ends[line - 1]
      let offset = Int.random(in: start..<(ends[line] - 1), using: &rng)
      damaged[offset] ^= UInt8.random(in: 1...255, using: &rng)
      if damaged[offset] == 0x0A { damaged[offset] = 0x7B }
      let contents = RunLogReader.parse(damaged)
      // Either the record still parses (a digit changed into another) or it alone is skipped.
      #expect(contents.records.count >= ends.count - 1)
      #expect(contents.skipped.count <= 1)
      if contents.skipped.count == 1 { #expect(contents.skipped[0].hasPrefix("line \(line + 1):")) }
      #expect(contents.header != nil)
    }
  }

  @Test func garbageIsNotALog() {
    let contents = RunLogReader.parse(Array("hello\n{\"type\": 3}\n\u{0}\u{1}\n".utf8))
    #expect(contents.records.isEmpty)
    #expect(contents.skipped.count == 3)
  }
}

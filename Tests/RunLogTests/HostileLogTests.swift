import Foundation
import RunLog
import RunModel
import Testing

/// Logs that are wrong rather than cut: impossible positions, a byte-order mark, two runs in one
/// file. Each is read as far as it makes sense and the reader says what was wrong.
@Suite struct HostileLogTests {
  static var lines: [String] {
    String(decoding: LogFixture.bytes, as: UTF8.self).split(separator: "\n").map(String.init)
  }

  static func parse(_ lines: [String]) -> RunLogContents {
    RunLogReader.parse(Array((lines.joined(separator: "\n") + "\n").utf8))
  }

  /// The fixture with `key` of its first `type` record set to `value`.
  static func edited(_ type: String, _ key: String, _ value: Any) throws -> [String] {
    var copy = lines
    for (index, line) in copy.enumerated() {
      guard var record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        record["type"] as? String == type
      else { continue }
      record[key] = value
      copy[index] = String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self)
      return copy
    }
    Issue.record("no \(type) record")
    return copy
  }

  @Test func impossiblePositionsAndCountsAreRefusedWithTheirReason() throws {
    let cases: [(String, String, Any, String)] = [
      ("epoch", "epoch", -3, "'epoch' is -3, outside 0...100000"),
      ("epoch", "epoch", 1e12, "'epoch' is 1000000000000, outside 0...100000"),
      ("header", "epochs", -5, "'epochs' is -5, outside 0...100000"),
      ("progress", "step", 1e14, "'step' is 100000000000000, outside 0...1099511627776"),
      ("finished", "t", 1e19, "'t' is 1e+19, outside 0.0...5000000000.0"),
      ("progress", "epoch", "inf", "'epoch' is inf, outside 0.0...100000.0"),
    ]
    for (type, key, value, reason) in cases {
      let contents = Self.parse(try Self.edited(type, key, value))
      #expect(
        contents.skipped.count == 1 && contents.skipped.first?.hasSuffix(reason) == true,
        "\(contents.skipped)")
    }
  }

  @Test func aByteOrderMarkIsPassedOverAndMentioned() {
    let contents = RunLogReader.parse([0xEF, 0xBB, 0xBF] + LogFixture.bytes)
    #expect(contents.records.count == Self.lines.count && contents.header != nil)
    #expect(contents.warnings(path: "a.jsonl") == ["a.jsonl: starts with a UTF-8 byte-order mark (ignored)"])
  }

  /// Two logs concatenated: the first run alone is read (not "6/3"), and the reader says where
  /// the second begins.
  @Test func aSecondHeaderIsASecondRun() {
    let contents = Self.parse(Self.lines + Self.lines)
    #expect(contents.records.count == Self.lines.count)
    #expect(contents.nextRunLine == Self.lines.count + 1)
    #expect(
      contents.warnings(path: "a.jsonl")
        == [
          "a.jsonl: line \(Self.lines.count + 1) starts another run (a second header); only the first run is read"
        ])
  }
}

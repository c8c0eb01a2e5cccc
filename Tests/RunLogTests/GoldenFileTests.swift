import Foundation
import RunLog
import TestSupport
import Testing

/// Files written by earlier versions of nntop (Tests/Golden): each must still read, and writing
/// what was read must give back the same bytes, so logs and checkpoints stay stable across
/// refactorings and every older file keeps replaying.
@Suite struct GoldenFileTests {
  static let folder = Repository.golden
  static let logs = ["mnist-subset", "circles", "diverged", "resumed"]

  static func lines(_ name: String) throws -> [Substring] {
    let text = try String(contentsOfFile: "\(folder)/\(name).jsonl", encoding: .utf8)
    return text.split(separator: "\n")
  }

  @Test(arguments: logs)
  func everyRecordReEncodesToTheSameBytes(name: String) throws {
    let lines = try Self.lines(name)
    #expect(lines.count > 3)
    for (index, line) in lines.enumerated() {
      let decoded = try RecordDecoder.decode(line)
      #expect((decoded.context != nil) == (index == 0), "\(name) line \(index + 1)")
      #expect(
        RecordEncoder.line(decoded.record, context: decoded.context) == String(line),
        "\(name) line \(index + 1)")
    }
  }

  @Test(arguments: ["circles.epoch0001", "circles.final"])
  func checkpointReEncodesToTheSameBytes(name: String) throws {
    let path = "\(Self.folder)/\(name).safetensors"
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    let state = try CheckpointFile.decode(bytes, path: path)
    #expect(CheckpointFile.encode(state) == bytes)
  }
}

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
      let record = try RecordDecoder.record(line)
      let context = index == 0 ? try Self.context(line) : nil
      #expect(RecordEncoder.line(record, context: context) == String(line), "\(name) line \(index + 1)")
    }
  }

  @Test(arguments: ["circles.epoch0001", "circles.final"])
  func checkpointReEncodesToTheSameBytes(name: String) throws {
    let path = "\(Self.folder)/\(name).safetensors"
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    let state = try CheckpointFile.decode(bytes, path: path)
    #expect(CheckpointFile.encode(state) == bytes)
  }

  /// The header's run context (command line, creation time, machine), read back from the line.
  static func context(_ line: Substring) throws -> RunContext {
    guard case .object(let object) = try JSONParser.parse(line),
      case .string(let created)? = object["created"],
      case .array(let command)? = object["command"],
      case .object(let machine)? = object["machine"],
      case .string(let hostname)? = machine["hostname"],
      case .number(let cores)? = machine["cores"]
    else { throw NoRunContext() }
    var resumedFrom: String?
    if case .string(let path)? = object["resumed_from"] { resumedFrom = path }
    return RunContext(
      command: command.compactMap { if case .string(let s) = $0 { s } else { nil } }, created: created,
      hostname: hostname, cores: Int(cores), resumedFrom: resumedFrom)
  }

  struct NoRunContext: Error {}
}

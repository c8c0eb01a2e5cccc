import Foundation
import RunModel
import TestSupport
import Testing

@testable import RunLog

/// The command log beside a run log, on its own: its name, every command's line and its reading
/// back, refusals of what a reader must not apply, appends that stay whole lines, and the Python
/// client's copy of the knob ranges.
@Suite struct CommandLogTests {
  static let sendable: [Command] = [
    .set(.learningRate, 0.01), .set(.momentum, 0.95), .set(.dropout, 0.3), .set(.l2, 1e-4),
    .set(.trainSize, 500), .pause, .resume, .singleStep, .stop, .checkpoint,
  ]

  @Test func theCommandLogSitsBesideTheRunLog() {
    #expect(
      CommandLog.path(forRunLog: "runs/20261129-160802-mnist.jsonl") == "runs/20261129-160802-mnist.commands")
    #expect(CommandLog.path(forRunLog: "/tmp/x") == "/tmp/x.commands")
  }

  @Test func everyCommandReadsBackFromItsLine() throws {
    for command in Self.sendable {
      let line = try #require(CommandLog.line(command, sent: 1_764_432_000.5))
      #expect(try CommandLog.command(Substring(line)) == command)
    }
    #expect(
      CommandLog.line(.set(.learningRate, 0.01), sent: 2)
        == "{\"command\": \"set\", \"knob\": \"lr\", \"value\": 0.01, \"sent\": 2.0}")
    #expect(CommandLog.line(.singleStep, sent: 2) == "{\"command\": \"step\", \"sent\": 2.0}")
  }

  @Test func commandsOnlyNntopsTrainerTakesHaveNoLine() {
    #expect(CommandLog.line(.pace(5), sent: 0) == nil)
    #expect(CommandLog.line(.findLearningRate, sent: 0) == nil)
  }

  @Test func badLinesAreRefusedWithTheirReason() {
    let cases: [(String, String)] = [
      ("garbage", "not valid JSON"),
      ("[1, 2]", "not a JSON object"),
      ("{\"command\": \"set\", \"knob\": \"lr\", \"val", "not valid JSON"),
      ("{\"command\": \"fly\"}", "unknown command 'fly'"),
      ("{\"command\": \"set\", \"knob\": \"speed\", \"value\": 1}", "unknown knob 'speed'"),
      ("{\"command\": \"set\", \"knob\": \"lr\", \"value\": 20}", "lr 20.0 is outside 1e-06 … 10.0"),
      (
        "{\"command\": \"set\", \"knob\": \"dropout\", \"value\": -0.1}", "dropout -0.1 is outside 0.0 … 0.95"
      ),
      ("{\"command\": \"set\", \"knob\": \"lr\", \"value\": \"nan\"}", "lr needs a finite number"),
      ("{\"command\": \"set\", \"knob\": \"lr\"}", "lr needs a finite number"),
    ]
    for (line, reason) in cases {
      #expect(throws: RecordError.self) { try CommandLog.command(Substring(line)) }
      do {
        _ = try CommandLog.command(Substring(line))
      } catch {
        #expect(error.description.contains(reason), "\(line): \(error.description)")
      }
    }
  }

  @Test func appendsAreWholeLinesInOrder() throws {
    let folder = TemporaryFolder("command-log")
    let runLog = folder.write("run.jsonl", text: "")
    try CommandLog.append(.set(.learningRate, 0.02), toRunLog: runLog, sent: 1)
    try CommandLog.append(.pause, toRunLog: runLog, sent: 2)
    let text = String(decoding: folder.read("run.commands"), as: UTF8.self)
    #expect(text.hasSuffix("\n"))
    let lines = text.split(separator: "\n")
    #expect(try lines.map { try CommandLog.command($0) } == [.set(.learningRate, 0.02), .pause])
  }

  @Test func aCommandLogThatCannotBeOpenedSaysSo() {
    #expect(throws: RunLogError.self) {
      try CommandLog.append(.stop, toRunLog: "/nonexistent-folder/run.jsonl", sent: 0)
    }
  }

  /// python/nntop/commands.py spells the ranges again (it cannot import Swift): they must agree.
  @Test func thePythonClientsKnobTableIsKnobs() throws {
    let source = try String(contentsOfFile: Repository.root + "/python/nntop/commands.py", encoding: .utf8)
    for knob in Knob.allCases {
      let prefix = "    \"\(knob.rawValue)\": ("
      let line = try #require(source.split(separator: "\n").first { $0.hasPrefix(prefix) }, "\(knob)")
      let numbers = line.dropFirst(prefix.count).prefix { $0 != ")" }.split(separator: ",")
        .compactMap { Double(String($0).trimmingCharacters(in: .whitespaces)) }
      #expect(numbers == [knob.range.lowerBound, knob.range.upperBound], "\(knob)")
    }
  }
}

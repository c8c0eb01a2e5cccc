import Foundation
import NeuralNet
import RunModel
import Synchronization
import Testing

@testable import RunLog

/// A realistic log: a short real training run's events, encoded.
enum LogFixture {
  static let events: [RunEvent] = {
    var events: [RunEvent] = []
    let spec = NetworkSpec(inputSize: 2, hiddenSizes: [8], outputSize: 3)
    let header = RunHeader(
      dataset: "spiral", network: spec, optimizer: .sgd, hyperparameters: Hyperparameters(learningRate: 0.05),
      batchSize: 32, epochs: 2, schedule: .step(every: 1, factor: 0.5), seed: 18_446_744_073_709_551_615,
      threads: 1,
      trainCount: 1000, validationCount: 500, testCount: 500, parameterCount: 51, stepsPerEpoch: 32,
      datasetChecksums: ["a.gz": "0b36"])
    events.append(.started(header))
    events.append(
      .progress(
        StepProgress(
          step: 5, epoch: 0.15625, trainLoss: 1.0986, trainAccuracy: 0.34, learningRate: 0.05,
          samplesPerSecond: 1e5,
          elapsed: 0.01)))
    events.append(
      .layerStatistics(
        LayerSnapshot(
          step: 5, epoch: 0.15625,
          layers: [
            LayerStatistics(
              name: "hidden1", units: 8, mean: 0.25, std: 0.5, min: 0, max: 2, quartiles: [0, 0.1, 0.4],
              histogram: [10, 5, 0, 1], deadFraction: 0.125, saturatedFraction: 0, weightNorm: 3,
              gradientNorm: .infinity,
              updateRatio: .nan)
          ])))
    events.append(
      .hyperparameterChanged(
        HyperparameterChange(
          step: 6, epoch: 0.2, knob: .dropout, oldValue: 0, newValue: 0.05, source: .key("D"))))
    events.append(.paused(step: 6))
    events.append(.resumed(step: 6))
    events.append(
      .evaluation(
        Evaluation(step: 8, epoch: 0.25, split: .validation, loss: .nan, accuracy: nil, examples: 500)))
    events.append(.diverged(Divergence(step: 9, epoch: 0.3, reason: "loss is nan", layer: nil)))
    events.append(.warning("a \"quoted\"\nwarning"))
    events.append(
      .validationDetail(
        ValidationDetail(
          step: 32, epoch: 1, classes: 3, confusion: [5, 1, 0, 0, 4, 2, 1, 0, 6],
          mistakes: [ValidationDetail.Mistake(label: 0, predicted: 1, pixels: [0, 17, 255, 128])],
          imageRows: 2,
          imageCols: 2)))
    events.append(
      .decisionRegions(
        DecisionGrid(
          step: 32, epoch: 1, columns: 2, rows: 1, xRange: -1.5...1.25, yRange: -0.5...2, classes: 3,
          predictions: [0, 2], confidence: [9, 4],
          points: [DecisionGrid.Point(x: 0.1, y: -0.3, label: 2, validation: true)])))
    events.append(
      .trajectory(
        Trajectory(
          step: 32, epoch: 1, points: [(-1.5, 0.25), (1.5, -0.25)], steps: [1, 31], explained: [0.9, 0.05])))
    events.append(
      .epochEnded(
        EpochSummary(
          epoch: 1, step: 32, trainLoss: 0.5, trainAccuracy: 0.8, validationLoss: 0.45,
          validationAccuracy: 0.82,
          learningRate: 0.05, samplesPerSecond: 123_456.789, elapsed: 0.3)))
    events.append(
      .finished(
        RunSummary(
          outcome: .earlyStopped, step: 64, epochs: 2, testLoss: 0.4, testAccuracy: nil,
          bestValidationLoss: 0.45,
          bestValidationAccuracy: 0.82, elapsed: 0.6)))
    return events
  }()

  static var bytes: [UInt8] {
    let context = RunContext(
      command: ["nntop", "train", "spiral"], created: "2026-11-21T00:00:00Z", hostname: "h", cores: 2)
    let text = events.enumerated().map { i, event in
      RecordEncoder.line(TimedEvent(time: Double(i) * 0.1, event: event), context: context) + "\n"
    }.joined()
    return Array(text.utf8)
  }

  /// Byte offsets just after each record's newline.
  static var lineEnds: [Int] { bytes.enumerated().filter { $0.element == 0x0A }.map { $0.offset + 1 } }
}

@Suite struct RecordTests {
  @Test func everyEventKindRoundTripsExactly() throws {
    let contents = RunLogReader.parse(LogFixture.bytes)
    #expect(contents.skipped.isEmpty, "\(contents.skipped)")
    #expect(contents.tornTailBytes == 0)
    #expect(contents.records.count == LogFixture.events.count)
    // Re-encoding what was read gives the same bytes: nothing was lost or rounded.
    let context = RunContext(
      command: ["nntop", "train", "spiral"], created: "2026-11-21T00:00:00Z", hostname: "h", cores: 2)
    let again = contents.records.map { RecordEncoder.line($0, context: context) + "\n" }.joined()
    #expect(Array(again.utf8) == LogFixture.bytes)
    #expect(contents.header?.seed == 18_446_744_073_709_551_615)
    #expect(contents.header?.schedule == .step(every: 1, factor: 0.5))
    #expect(contents.summary?.outcome == .earlyStopped)
  }

  @Test func nonFiniteNumbersAreExplicitStrings() {
    let text = String(decoding: LogFixture.bytes, as: UTF8.self)
    #expect(text.contains("\"grad_norm\": \"inf\""))
    #expect(text.contains("\"update_ratio\": \"nan\""))
    #expect(text.contains("\"loss\": \"nan\""))
    // Valid JSON for any parser: every line parses with JSONSerialization.
    for line in text.split(separator: "\n") {
      #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil)
    }
  }

  @Test func headerCarriesCommandMachineAndVersion() throws {
    let first = String(decoding: LogFixture.bytes.prefix { $0 != 0x0A }, as: UTF8.self)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
    #expect(object["type"] as? String == "header")
    #expect((object["version"] as? NSNumber)?.intValue == 1)
    #expect(object["command"] as? [String] == ["nntop", "train", "spiral"])
    #expect((object["machine"] as? [String: Any])?["cores"] as? Int == 2)
  }
}

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

@Suite struct WriterTests {
  func temporaryPath() -> String { NSTemporaryDirectory() + "nntop-log-\(UUID().uuidString)/run.jsonl" }

  @Test func writerCreatesFoldersWritesLinesAndReadsBack() throws {
    let path = temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
    let writer = try RunLogWriter(
      path: path, context: RunContext(command: ["x"], created: "now", hostname: "h", cores: 1),
      clock: { 1.5 },
      onFailure: { _ in })
    for event in LogFixture.events { writer.write(event) }
    writer.close()
    let data = try #require(FileManager.default.contents(atPath: path))
    let contents = RunLogReader.parse([UInt8](data))
    #expect(contents.records.count == LogFixture.events.count)
    #expect(contents.records[0].time == 0)
    #expect(contents.records[1].time == 1.5)
  }

  @Test func anExistingFileOrAnUnwritableFolderIsExitCode73() throws {
    let path = temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
    let context = RunContext(command: [], created: "", hostname: "", cores: 1)
    _ = try RunLogWriter(path: path, context: context, clock: { 0 }, onFailure: { _ in })
    #expect(throws: RunLogError.self) {
      _ = try RunLogWriter(path: path, context: context, clock: { 0 }, onFailure: { _ in })
    }
    do {
      _ = try RunLogWriter(path: "/proc/nntop/run.jsonl", context: context, clock: { 0 }, onFailure: { _ in })
      Issue.record("created a log under /proc")
    } catch {
      #expect(error.exitCode == 73)
      #expect(error.description.hasPrefix("cannot create folder /proc/nntop"))
    }
  }

  @Test func aFullDiskWarnsOnceAndTrainingGoesOn() throws {
    // /dev/full fails every write with ENOSPC; the writer reports it once and stops writing.
    let failures = FailureCounter()
    let writer = try RunLogWriter(
      path: "/dev/full", context: RunContext(command: [], created: "", hostname: "", cores: 1), clock: { 0 },
      onFailure: { failures.add($0) }, mustCreate: false)
    for event in LogFixture.events { writer.write(event) }
    #expect(failures.messages.count == 1)
    #expect(failures.messages.first?.contains("No space left on device") == true)
    #expect(writer.hasFailed)
  }

  @Test func followerEndsWithExactlyTheWritersRecords() throws {
    let path = temporaryPath()
    let folder = (path as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    let follower = try RunLogFollower(path: path)
    var received: [TimedEvent] = []
    var rng = SystemRandomNumberGenerator()
    let bytes = LogFixture.bytes
    var offset = 0
    while offset < bytes.count {
      let chunk = Int.random(in: 1...97, using: &rng)
      let end = min(bytes.count, offset + chunk)
      handle.write(Data(bytes[offset..<end]))
      offset = end
      received += follower.poll()
    }
    received += follower.poll()
    try handle.close()
    #expect(received.count == LogFixture.events.count)
    #expect(follower.finished)
    #expect(follower.skipped.isEmpty)
    let original = RunLogReader.parse(bytes).records
    let context = RunContext(
      command: ["nntop", "train", "spiral"], created: "2026-11-21T00:00:00Z", hostname: "h", cores: 2)
    #expect(
      received.map { RecordEncoder.line($0, context: context) }
        == original.map { RecordEncoder.line($0, context: context) })
  }
}

final class FailureCounter: Sendable {
  private let storage = Mutex<[String]>([])
  func add(_ message: String) { storage.withLock { $0.append(message) } }
  var messages: [String] { storage.withLock { $0 } }
}

import Foundation
import NeuralNet
import RunModel
import Testing

@testable import RunLog

/// The field tables: a header's run context round-trips (including the checkpoint a run resumed
/// from), damaged values are refused with a reason instead of trapping, and checkpoints describe
/// their network with the very bytes a log header uses.
@Suite struct RecordCodecTests {
  static let resumed = RunContext(
    command: ["nntop", "train", "spiral", "--resume", "a.safetensors"], created: "2026-11-21T00:00:00Z",
    hostname: "h", cores: 2, resumedFrom: "runs/a.final.safetensors")

  static var header: TimedEvent { TimedEvent(time: 0, event: LogFixture.events[0]) }

  /// The fixture's line of each record type, by type.
  static func line(_ type: String) throws -> String {
    let lines = LogFixture.events.map { RecordEncoder.line(TimedEvent(time: 0.5, event: $0)) }
    return try #require(lines.first { $0.hasPrefix("{\"type\": \"\(type)\"") })
  }

  /// The fixture's header changed by `change`: its line, and the header read back from it.
  static func roundTrip(_ change: (inout RunHeader) -> Void) throws -> (line: String, read: RunHeader?) {
    guard case .started(var header) = LogFixture.events[0] else { return ("", nil) }
    change(&header)
    let line = RecordEncoder.line(TimedEvent(time: 0, event: .started(header)))
    guard case .started(let read) = try RecordDecoder.decode(Substring(line)).record.event else {
      return (line, nil)
    }
    return (line, read)
  }

  /// The writer's pid round-trips inside `machine`; a log from before it reads as nil.
  @Test func theWritersPidRoundTrips() throws {
    guard case .started(let header) = LogFixture.events[0] else { return }
    var context = Self.resumed
    context.pid = 4_242
    let line = RecordEncoder.line(TimedEvent(time: 0, event: .started(header)), context: context)
    #expect(line.contains("\"machine\": {\"hostname\": \"h\", \"cores\": 2, \"pid\": 4242}"), "\(line)")
    #expect(try RecordDecoder.decode(Substring(line)).context?.pid == 4_242)
    let old = RecordEncoder.line(TimedEvent(time: 0, event: .started(header)), context: Self.resumed)
    #expect(!old.contains("pid"))
    #expect(try RecordDecoder.decode(Substring(old)).context?.pid == nil)
  }

  /// The PyTorch client's `name=` is the user's: a newline in it split a row of `nntop runs`.
  @Test func aDatasetNameReadsOnOneLine() throws {
    let (_, read) = try Self.roundTrip { $0.dataset = "tab\tnew\nline\u{1B}[2J" }
    #expect(read?.dataset == "tab?new?line?[2J")
  }

  /// A log records what a run was trained with, whoever trained it: a PyTorch loop at lr 50 (it
  /// diverged) lost its whole header to nntop's own flag range. A value no run can have is still
  /// refused; checkpoints, which nntop trains from, keep the flag ranges (HostileCheckpointTests).
  @Test func aHeaderKeepsKnobsBeyondNntopsOwnRanges() throws {
    let (_, read) = try Self.roundTrip {
      $0.hyperparameters = Hyperparameters(learningRate: 50, momentum: 1.5, dropout: 0.99, l2: 3)
    }
    let h = try #require(read?.hyperparameters)
    #expect(h.learningRate == 50 && h.momentum == 1.5 && h.dropout == 0.99 && h.l2 == 3)
    for bad in [#""lr": -1"#, #""lr": "nan""#, #""lr": "inf""#, #""dropout": 1.5"#] {
      let (line, _) = try Self.roundTrip { _ in }
      let key = String(bad.prefix { $0 != ":" })
      let damaged = line.replacingOccurrences(
        of: #"\#(key): [^,}]+"#, with: bad, options: .regularExpression)
      #expect(damaged != line)
      #expect(throws: RecordError.self, "\(bad)") { try RecordDecoder.decode(Substring(damaged)) }
    }
  }

  /// A C1 control (U+009B is CSI to a terminal in UTF-8 mode) reads as "?" as well.
  @Test func aDatasetNameLosesItsC1Controls() throws {
    let (_, read) = try Self.roundTrip { $0.dataset = "a\u{9B}2Jb\u{85}c\u{A0}d" }
    #expect(read?.dataset == "a?2Jb?c\u{A0}d")
  }

  /// A loop's own epoch metrics round-trip in name order; an epoch without them keeps its bytes.
  @Test func epochMetricsRoundTripAndAreLeftOutWhenNone() throws {
    let plain = EpochSummary(
      epoch: 1, step: 10, trainLoss: 0.5, trainAccuracy: 0.8, validationLoss: 0.6, validationAccuracy: 0.7,
      learningRate: 0.1, samplesPerSecond: 100, elapsed: 1)
    #expect(!RecordEncoder.line(TimedEvent(time: 1, event: .epochEnded(plain))).contains("metrics"))
    var withMetrics = plain
    withMetrics.metrics = ["top5": 0.95, "f1": .nan]
    let line = RecordEncoder.line(TimedEvent(time: 1, event: .epochEnded(withMetrics)))
    #expect(line.contains("\"metrics\": {\"f1\": \"nan\", \"top5\": 0.95}"), "\(line)")
    guard case .epochEnded(let read) = try RecordDecoder.decode(Substring(line)).record.event else {
      Issue.record("not an epoch: \(line)")
      return
    }
    #expect(read.metrics["top5"] == 0.95 && read.metrics["f1"]?.isNaN == true && read.metrics.count == 2)
  }

  /// Another program's metrics: names on one line and cut at 100 characters, values that are not
  /// numbers left out (not the whole epoch), at most 64 kept.
  @Test func hostileEpochMetricsAreTamedNotFatal() throws {
    let many = (0..<100).map { String(format: "\"m%03d\": %d", $0, $0) }.joined(separator: ", ")
    let long = String(repeating: "a", count: 300)
    let line =
      #"{"type": "epoch", "t": 1, "epoch": 1, "step": 10, "train_loss": 0.5, "train_acc": null, "val_loss": 0.6, "#
      + #""val_acc": null, "lr": 0.1, "samples_per_second": 1, "elapsed": 1, "metrics": {"bad\n\u001b[2J": 1, "#
      + #""text": "high", "list": [1], "\#(long)": 2, \#(many)}}"#
    guard case .epochEnded(let read) = try RecordDecoder.decode(Substring(line)).record.event else {
      Issue.record("not an epoch: \(line)")
      return
    }
    #expect(read.metrics.count == 64)
    #expect(read.metrics["bad??[2J"] == 1)
    #expect(read.metrics[String(repeating: "a", count: 100)] == 2)
    #expect(read.metrics["m061"] == 61 && read.metrics["m062"] == nil)
    #expect(read.metrics["text"] == nil && read.metrics["list"] == nil)
    #expect(read.metrics.keys.allSatisfy { $0.count <= 100 && !$0.contains("\n") })
    let notAnObject = line.replacingOccurrences(of: #""metrics": {"#, with: #""metrics": 3, "x": {"#)
    #expect(throws: RecordError.self) { try RecordDecoder.decode(Substring(notAnObject)) }
  }

  @Test func anotherWritersHeaderNamesItAndNntopsKeepsItsBytes() throws {
    #expect(!RecordEncoder.line(Self.header).contains("writer"))
    let (line, read) = try Self.roundTrip { $0.writer = "pytorch" }
    #expect(line.contains("\"writer\": \"pytorch\""))
    #expect(read?.writer == "pytorch")
  }

  @Test func aLessonsHeaderNamesItAndOtherRunsKeepTheirBytes() throws {
    #expect(!RecordEncoder.line(Self.header).contains("lesson"))
    let (line, read) = try Self.roundTrip { $0.lesson = "dead-relu" }
    #expect(line.contains("\"lesson\": \"dead-relu\""))
    #expect(read?.lesson == "dead-relu")
  }

  @Test func aResumedRunsHeaderNamesItsCheckpointAndReadsBack() throws {
    let line = RecordEncoder.line(Self.header, context: Self.resumed)
    #expect(line.hasSuffix(", \"resumed_from\": \"runs/a.final.safetensors\"}"))
    let decoded = try RecordDecoder.decode(Substring(line))
    #expect(decoded.context == Self.resumed)
    #expect(RecordEncoder.line(decoded.record, context: decoded.context) == line)
  }

  @Test func otherHeadersHaveNoResumedFromKey() throws {
    var context = Self.resumed
    context.resumedFrom = nil
    let line = RecordEncoder.line(Self.header, context: context)
    #expect(!line.contains("resumed_from"))
    #expect(line.hasSuffix("\"machine\": {\"hostname\": \"h\", \"cores\": 2}}"))
    #expect(try RecordDecoder.decode(Substring(line)).context == context)
    // A header written without a context reads back without one.
    let bare = RecordEncoder.line(Self.header)
    #expect(!bare.contains("created"))
    let decoded = try RecordDecoder.decode(Substring(bare))
    #expect(decoded.context == nil)
    #expect(RecordEncoder.line(decoded.record) == bare)
  }

  @Test func theReaderKeepsTheRunContext() throws {
    let bytes = Array((RecordEncoder.line(Self.header, context: Self.resumed) + "\n").utf8)
    let contents = RunLogReader.parse(bytes + LogFixture.bytes.drop { $0 != 0x0A }.dropFirst())
    #expect(contents.context == Self.resumed)
    #expect(contents.skipped.isEmpty, "\(contents.skipped)")
  }

  /// Each damage, and the reason the reader gives for skipping the line.
  static let damage: [(type: String, old: String, new: String, reason: String)] = [
    ("progress", "\"step\": 5,", "\"step\": 5.5,", "'step' is not a whole number"),
    ("progress", "\"step\": 5,", "\"step\": \"nan\",", "'step' is not a whole number"),
    ("progress", "\"lr\": ", "\"lx\": ", "missing or bad 'lr'"),
    ("evaluation", "\"validation\"", "\"train\"", "bad split 'train'"),
    ("change", "\"dropout\"", "\"warmth\"", "bad knob 'warmth'"),
    ("layers", "[0.0, 0.1, 0.4]", "[0.0, 0.1]", "layers[0]: bad quartiles"),
    ("layers", "[10, 5, 0, 1]", "[10, 5, 0, \"inf\"]", "layers[0]: 'histogram[3]' is not a whole number"),
    ("validation_detail", "\"classes\": 3", "\"classes\": 2", "bad confusion matrix"),
    ("validation_detail", "\"0011", "\"0g11", "mistakes[0]: missing or bad 'pixels'"),
    ("decision_regions", "[-1.5, 1.25]", "[1.25, -1.5]", "missing or bad 'x_range'"),
    (
      "decision_regions", "\"columns\": 2, \"rows\": 1",
      "\"columns\": 99999999999999, \"rows\": 99999999999999", "bad decision grid"
    ),
    (
      "decision_regions", "[0.1, -0.3, 2, 1]", "[0.1, -0.3, \"nan\", 1]",
      "points[0]: 'label' is not a whole number"
    ),
    ("trajectory", "[-1.5, 0.25, 1]", "[-1.5, 0.25]", "missing or bad 'points[0]'"),
    ("finished", "\"early-stopped\"", "\"exploded\"", "bad outcome 'exploded'"),
    ("header", "\"version\": 1", "\"version\": 2", "log format version 2, this nntop reads 1"),
    ("header", "\"input\": 2", "\"input\": 0", "network: input width 0 is outside 1...65536"),
    (
      "header", "\"seed\": \"18446744073709551615\"", "\"seed\": 18446744073709551615",
      "missing or bad 'seed'"
    ),
    ("header", "\"type\": \"header\"", "\"type\": \"headline\"", "unknown record type 'headline'"),
  ]

  @Test(arguments: damage)
  func aDamagedValueIsRefusedWithItsReason(type: String, old: String, new: String, reason: String) throws {
    let line = try Self.line(type)
    #expect(line.contains(old), "\(type) has no \(old)")
    let damaged = line.replacingOccurrences(of: old, with: new)
    #expect(throws: Never.self) { try RecordDecoder.decode(Substring(line)) }
    do {
      _ = try RecordDecoder.decode(Substring(damaged))
      Issue.record("read \(damaged)")
    } catch {
      #expect(error.description == reason)
    }
  }

  @Test func checkpointsDescribeTheNetworkWithTheHeadersBytes() throws {
    let state = CheckpointTests.state(batchNorm: true, optimizer: .sgd)
    let bytes = CheckpointFile.encode(state)
    var length = 0
    for i in 0..<8 { length |= Int(bytes[i]) << (8 * i) }
    guard
      case .object(let header) = try JSONParser.parse(
        Substring(decoding: bytes[8..<(8 + length)], as: UTF8.self)),
      case .object(let meta)? = header["__metadata__"],
      case .string(let network)? = meta["network"],
      case .string(let hyperparameters)? = meta["hyperparameters"]
    else { throw RecordError(description: "no metadata") }
    var run = try #require(
      LogFixture.events.first.flatMap { if case .started(let h) = $0 { h } else { nil } })
    run.network = state.network
    run.hyperparameters = state.hyperparameters
    let line = RecordEncoder.line(TimedEvent(time: 0, event: .started(run)))
    #expect(line.contains("\"network\": \(network), "))
    #expect(line.contains("\"hyperparameters\": \(hyperparameters), "))
    #expect(
      network == "{\"input\": 5, \"hidden\": [7, 4], \"output\": 3, \"activation\": \"relu\", "
        + "\"loss\": \"softmax-cross-entropy\", \"batch_norm\": true, \"init\": \"he\"}")
  }

  @Test func damagedCheckpointMetadataIsRefusedWithItsReason() {
    let good = CheckpointFile.encode(CheckpointTests.state())
    let checks = CheckpointTests()
    #expect(
      checks.problem(checks.edit(good, "\"optimizer_steps\": \"321\"", "\"optimizer_steps\": \"-21\""))
        == "bad header: 'optimizer_steps' is -21, outside 0...1099511627776")
    #expect(
      checks.problem(checks.edit(good, "\"format\": \"nntop", "\"format\": \"other"))
        == "bad header: not an nntop checkpoint")
    #expect(
      checks.problem(checks.edit(good, "\\\"input\\\": 5", "\\\"input\\\": 0"))
        == "bad header: network: input width 0 is outside 1...65536")
  }

  @Test func everyEventHasOneRecordTypeAndTheKeyOnesAreSynced() {
    let types = LogFixture.events.map { RecordKind.of($0).type }
    #expect(Set(types).count == types.count)
    #expect(Set(RecordKind.all.map(\.type)).count == RecordKind.all.count)
    let synced = RecordKind.all.filter(\.isKey).map(\.type)
    #expect(
      synced == [
        "header", "change", "paused", "resumed", "diverged", "epoch", "finished", "checkpoint", "lr_sweep",
      ])
  }

  /// The PyTorch client adds the metrics nntop has no field for under `metrics` in an epoch
  /// record (docs/run-log.md); the reader passes over them and reads the rest.
  @Test func anEpochRecordsExtraMetricsArePassedOver() throws {
    let line =
      "{\"type\": \"epoch\", \"t\": 3.0, \"epoch\": 2, \"step\": 20, \"train_loss\": 1.0, "
      + "\"train_acc\": null, \"val_loss\": 0.5, \"val_acc\": 0.75, \"lr\": 0.1, \"samples_per_second\": 400.0, "
      + "\"elapsed\": 3.0, \"metrics\": {\"f1\": 0.7, \"auc\": \"nan\"}}"
    guard case .epochEnded(let summary) = try RecordDecoder.record(Substring(line)).event else {
      Issue.record("not an epoch record")
      return
    }
    #expect(summary.epoch == 2 && summary.step == 20 && summary.validationAccuracy == 0.75)
  }
}

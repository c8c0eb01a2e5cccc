import NeuralNet
import RunModel

/// Why a line is not a record.
public struct RecordError: Error, CustomStringConvertible, Sendable {
  public let description: String
}

/// A log line read back: the record, and for a header the run context it was written with.
public struct DecodedLine: Sendable {
  public var record: TimedEvent
  public var context: RunContext?
}

/// A payload with the time of its record, so the record's `t` is one more field of the table.
struct Timed<Payload: Sendable>: Sendable {
  var time: Double
  var payload: Payload
}

/// One record type: its `type` name, the event it carries, its field table, and whether losing it
/// would change what a replay shows (then it is worth an fsync).
struct RecordKind: Sendable {
  let type: String
  let isKey: Bool
  /// Whether an event is of this kind.
  let carries: @Sendable (RunEvent) -> Bool
  /// The line's keys, or nil when the event is another kind's.
  let encode: @Sendable (TimedEvent, RunContext?) -> [(String, JSONValue)]?
  let decode: @Sendable ([String: JSONNode]) throws(RecordError) -> DecodedLine

  /// `preamble`: keys written between `type` and `t` (the header's format version).
  init<Payload>(
    _ type: String, key isKey: Bool = false, _ payload: ObjectCodec<Payload>, preamble: [Field<Payload>] = [],
    embed: @escaping @Sendable (Payload) -> (RunEvent, RunContext?),
    extract: @escaping @Sendable (RunEvent, RunContext?) -> Payload?
  ) {
    let lift = { (field: Field<Payload>) in field.lifted(\Timed<Payload>.payload) }
    let timed = ObjectCodec(
      blank: Timed(time: 0, payload: payload.blank),
      preamble.map(lift) + [Field("t", \.time, .seconds)] + payload.fields.map(lift),
      check: { payload.check($0.payload) })
    self.type = type
    self.isKey = isKey
    carries = { extract($0, nil) != nil }
    encode = { record, context in
      extract(record.event, context).map {
        [("type", .string(type))] + timed.pairs(Timed(time: record.time, payload: $0))
      }
    }
    decode = { object throws(RecordError) in
      let value = try timed.decode(object)
      let (event, context) = embed(value.payload)
      return DecodedLine(record: TimedEvent(time: value.time, event: event), context: context)
    }
  }

  /// A kind whose event is all there is to it (every kind but the header).
  init<Payload>(
    _ type: String, key isKey: Bool = false, _ payload: ObjectCodec<Payload>,
    embed: @escaping @Sendable (Payload) -> RunEvent, extract: @escaping @Sendable (RunEvent) -> Payload?
  ) {
    self.init(type, key: isKey, payload, embed: { (embed($0), nil) }, extract: { event, _ in extract(event) })
  }
}

extension RecordKind {
  /// Every record type of format version 1 (docs/run-log.md). A new event is one entry here and
  /// one field table.
  static let all: [RecordKind] = [
    RecordKind(
      "header", key: true, HeaderFields.record,
      preamble: [
        .constant("version", RecordEncoder.version, .int) {
          "log format version \($0), this nntop reads \(RecordEncoder.version)"
        }
      ],
      embed: { (.started($0.header), $0.context) },
      extract: { event, context in
        if case .started(let h) = event { HeaderRecord(header: h, context: context) } else { nil }
      }),
    RecordKind("progress", EventFields.progress, embed: { .progress($0) }) {
      if case .progress(let p) = $0 { p } else { nil }
    },
    RecordKind("evaluation", EventFields.evaluation, embed: { .evaluation($0) }) {
      if case .evaluation(let e) = $0 { e } else { nil }
    },
    RecordKind("layers", EventFields.layers, embed: { .layerStatistics($0) }) {
      if case .layerStatistics(let s) = $0 { s } else { nil }
    },
    RecordKind("change", key: true, EventFields.change, embed: { .hyperparameterChanged($0) }) {
      if case .hyperparameterChanged(let c) = $0 { c } else { nil }
    },
    RecordKind("paused", key: true, EventFields.step, embed: { .paused(step: $0) }) {
      if case .paused(let step) = $0 { step } else { nil }
    },
    RecordKind("resumed", key: true, EventFields.step, embed: { .resumed(step: $0) }) {
      if case .resumed(let step) = $0 { step } else { nil }
    },
    RecordKind("diverged", key: true, EventFields.divergence, embed: { .diverged($0) }) {
      if case .diverged(let d) = $0 { d } else { nil }
    },
    RecordKind("epoch", key: true, EventFields.epoch, embed: { .epochEnded($0) }) {
      if case .epochEnded(let e) = $0 { e } else { nil }
    },
    RecordKind("finished", key: true, EventFields.finished, embed: { .finished($0) }) {
      if case .finished(let s) = $0 { s } else { nil }
    },
    RecordKind("warning", EventFields.warning, embed: { .warning($0) }) {
      if case .warning(let message) = $0 { message } else { nil }
    },
    RecordKind("validation_detail", EventFields.validationDetail, embed: { .validationDetail($0) }) {
      if case .validationDetail(let d) = $0 { d } else { nil }
    },
    RecordKind("decision_regions", EventFields.decisionRegions, embed: { .decisionRegions($0) }) {
      if case .decisionRegions(let g) = $0 { g } else { nil }
    },
    RecordKind("trajectory", EventFields.trajectory, embed: { .trajectory($0) }) {
      if case .trajectory(let t) = $0 { t } else { nil }
    },
    RecordKind("checkpoint", key: true, EventFields.checkpoint, embed: { .checkpoint($0) }) {
      if case .checkpoint(let c) = $0 { c } else { nil }
    },
    RecordKind("learned_curve", EventFields.learnedCurve, embed: { .learnedCurve($0) }) {
      if case .learnedCurve(let c) = $0 { c } else { nil }
    },
    RecordKind("dropout_uncertainty", EventFields.dropoutUncertainty, embed: { .dropoutUncertainty($0) }) {
      if case .dropoutUncertainty(let u) = $0 { u } else { nil }
    },
    RecordKind("lr_sweep", key: true, EventFields.learningRateSweep, embed: { .learningRateSweep($0) }) {
      if case .learningRateSweep(let s) = $0 { s } else { nil }
    },
  ]

  static let byType: [String: RecordKind] = Dictionary(uniqueKeysWithValues: all.map { ($0.type, $0) })

  /// The kind of an event; every event has one (the list covers `RunEvent`'s cases).
  static func of(_ event: RunEvent) -> RecordKind {
    guard let kind = all.first(where: { $0.carries(event) }) else {
      preconditionFailure("no record kind for \(event)")
    }
    return kind
  }
}

/// Turns records into JSON Lines (format version 1, documented in docs/run-log.md).
public enum RecordEncoder {
  public static let version = 1

  /// The record as one line (no newline); `context` is written into a header only.
  public static func line(_ record: TimedEvent, context: RunContext? = nil) -> String {
    let pairs = RecordKind.of(record.event).encode(record, context) ?? []
    return JSONValue.object(pairs).text
  }

  /// Records worth an fsync: losing them would change what a replay shows or concludes.
  public static func isKey(_ event: RunEvent) -> Bool {
    RecordKind.of(event).isKey
  }
}

/// Reads one JSON line back into a record.
public enum RecordDecoder {
  public static func record(_ line: Substring) throws(RecordError) -> TimedEvent {
    try decode(line).record
  }

  /// The record and, for a header, its run context: everything the line holds.
  public static func decode(_ line: Substring) throws(RecordError) -> DecodedLine {
    guard case .object(let object) = try JSONParser.parse(line) else {
      throw RecordError(description: "not a JSON object")
    }
    let type = try Conversion<String>.string.read(object["type"], "type")
    guard let kind = RecordKind.byType[type] else {
      throw RecordError(description: "unknown record type '\(type)'")
    }
    return try kind.decode(object)
  }
}

import NeuralNet
import RunModel

/// Facts about the run that are not training events: written into the header record.
public struct RunContext: Sendable {
  public var command: [String]
  public var created: String
  public var hostname: String
  public var cores: Int
  /// The checkpoint this run continues from, if any.
  public var resumedFrom: String?

  public init(command: [String], created: String, hostname: String, cores: Int, resumedFrom: String? = nil) {
    self.command = command
    self.created = created
    self.hostname = hostname
    self.cores = cores
    self.resumedFrom = resumedFrom
  }
}

/// Turns records into JSON Lines (format version 1, documented in docs/run-log.md).
public enum RecordEncoder {
  public static let version = 1

  public static func line(_ record: TimedEvent, context: RunContext? = nil) -> String {
    object(record, context: context).text
  }

  static func number(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }

  static func object(_ record: TimedEvent, context: RunContext?) -> JSONValue {
    let t: (String, JSONValue) = ("t", .number(record.time))
    switch record.event {
    case .started(let h):
      var pairs: [(String, JSONValue)] = [
        ("type", .string("header")), ("version", .integer(version)), t,
        ("dataset", .string(h.dataset)),
        (
          "network",
          .object([
            ("input", .integer(h.network.inputSize)),
            ("hidden", .array(h.network.hiddenSizes.map { .integer($0) })),
            ("output", .integer(h.network.outputSize)),
            ("activation", .string(h.network.activation.rawValue)),
            ("loss", .string(h.network.loss.rawValue)), ("batch_norm", .bool(h.network.batchNorm)),
            ("init", .string(h.network.initialization.rawValue)),
          ])
        ),
        ("optimizer", .string(h.optimizer.rawValue)),
        (
          "hyperparameters",
          .object([
            ("lr", .number(h.hyperparameters.learningRate)),
            ("momentum", .number(h.hyperparameters.momentum)),
            ("dropout", .number(h.hyperparameters.dropout)), ("l2", .number(h.hyperparameters.l2)),
          ])
        ),
        ("batch", .integer(h.batchSize)), ("epochs", .integer(h.epochs)),
        ("schedule", .string(h.schedule.specification)), ("seed", .string(String(h.seed))),
        ("threads", .integer(h.threads)), ("train", .integer(h.trainCount)),
        ("validation", .integer(h.validationCount)), ("test", .integer(h.testCount)),
        ("parameters", .integer(h.parameterCount)), ("steps_per_epoch", .integer(h.stepsPerEpoch)),
        ("train_available", .integer(h.trainAvailable)),
        ("early_stopping", .integer(h.earlyStoppingPatience)),
        (
          "dataset_checksums",
          .object(h.datasetChecksums.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })
        ),
      ]
      if let context {
        pairs += [
          ("created", .string(context.created)), ("command", .array(context.command.map { .string($0) })),
          (
            "machine", .object([("hostname", .string(context.hostname)), ("cores", .integer(context.cores))])
          ),
        ]
      }
      return .object(pairs)
    case .progress(let p):
      return .object([
        ("type", .string("progress")), t, ("step", .integer(p.step)), ("epoch", .number(p.epoch)),
        ("train_loss", .number(p.trainLoss)), ("train_acc", number(p.trainAccuracy)),
        ("lr", .number(p.learningRate)),
        ("samples_per_second", .number(p.samplesPerSecond)), ("elapsed", .number(p.elapsed)),
      ])
    case .evaluation(let e):
      return .object([
        ("type", .string("evaluation")), t, ("step", .integer(e.step)), ("epoch", .number(e.epoch)),
        ("split", .string(e.split.rawValue)), ("loss", .number(e.loss)), ("acc", number(e.accuracy)),
        ("examples", .integer(e.examples)),
      ])
    case .layerStatistics(let s):
      return .object([
        ("type", .string("layers")), t, ("step", .integer(s.step)), ("epoch", .number(s.epoch)),
        (
          "layers",
          .array(
            s.layers.map { l in
              .object([
                ("name", .string(l.name)), ("units", .integer(l.units)), ("mean", .number(l.mean)),
                ("std", .number(l.std)), ("min", .number(l.min)), ("max", .number(l.max)),
                ("quartiles", .array(l.quartiles.map { .number($0) })),
                ("histogram", .array(l.histogram.map { .integer($0) })), ("dead", .number(l.deadFraction)),
                ("saturated", .number(l.saturatedFraction)), ("weight_norm", .number(l.weightNorm)),
                ("grad_norm", .number(l.gradientNorm)), ("update_ratio", .number(l.updateRatio)),
              ])
            })
        ),
      ])
    case .hyperparameterChanged(let c):
      return .object([
        ("type", .string("change")), t, ("step", .integer(c.step)), ("epoch", .number(c.epoch)),
        ("knob", .string(c.knob.rawValue)), ("old", .number(c.oldValue)), ("new", .number(c.newValue)),
        ("source", .string(c.source.description)),
      ])
    case .paused(let step):
      return .object([("type", .string("paused")), t, ("step", .integer(step))])
    case .resumed(let step):
      return .object([("type", .string("resumed")), t, ("step", .integer(step))])
    case .diverged(let d):
      return .object([
        ("type", .string("diverged")), t, ("step", .integer(d.step)), ("epoch", .number(d.epoch)),
        ("reason", .string(d.reason)), ("layer", d.layer.map { .string($0) } ?? .null),
      ])
    case .epochEnded(let e):
      return .object([
        ("type", .string("epoch")), t, ("epoch", .integer(e.epoch)), ("step", .integer(e.step)),
        ("train_loss", .number(e.trainLoss)), ("train_acc", number(e.trainAccuracy)),
        ("val_loss", .number(e.validationLoss)), ("val_acc", number(e.validationAccuracy)),
        ("lr", .number(e.learningRate)), ("samples_per_second", .number(e.samplesPerSecond)),
        ("elapsed", .number(e.elapsed)),
      ])
    case .finished(let s):
      return .object([
        ("type", .string("finished")), t, ("outcome", .string(s.outcome.rawValue)),
        ("step", .integer(s.step)),
        ("epochs", .integer(s.epochs)), ("test_loss", number(s.testLoss)),
        ("test_acc", number(s.testAccuracy)),
        ("best_val_loss", number(s.bestValidationLoss)), ("best_val_acc", number(s.bestValidationAccuracy)),
        ("elapsed", .number(s.elapsed)),
      ])
    case .warning(let message):
      return .object([("type", .string("warning")), t, ("message", .string(message))])
    case .validationDetail(let d):
      return .object([
        ("type", .string("validation_detail")), t, ("step", .integer(d.step)), ("epoch", .number(d.epoch)),
        ("classes", .integer(d.classes)), ("confusion", .array(d.confusion.map { .integer($0) })),
        ("image_rows", .integer(d.imageRows)), ("image_cols", .integer(d.imageCols)),
        (
          "mistakes",
          .array(
            d.mistakes.map { m in
              .object([
                ("label", .integer(m.label)), ("predicted", .integer(m.predicted)),
                ("pixels", .string(hex(m.pixels))),
              ])
            })
        ),
      ])
    case .decisionRegions(let g):
      return .object([
        ("type", .string("decision_regions")), t, ("step", .integer(g.step)), ("epoch", .number(g.epoch)),
        ("columns", .integer(g.columns)), ("rows", .integer(g.rows)),
        ("x_range", .array([.number(g.xRange.lowerBound), .number(g.xRange.upperBound)])),
        ("y_range", .array([.number(g.yRange.lowerBound), .number(g.yRange.upperBound)])),
        ("classes", .integer(g.classes)), ("predictions", .string(hex(g.predictions))),
        ("confidence", .string(hex(g.confidence))),
        (
          "points",
          .array(
            g.points.map {
              .array([.number($0.x), .number($0.y), .integer($0.label), .integer($0.validation ? 1 : 0)])
            })
        ),
      ])
    case .trajectory(let tr):
      return .object([
        ("type", .string("trajectory")), t, ("step", .integer(tr.step)), ("epoch", .number(tr.epoch)),
        ("explained", .array(tr.explained.map { .number($0) })),
        (
          "points",
          .array(zip(tr.points, tr.steps).map { .array([.number($0.x), .number($0.y), .integer($1)]) })
        ),
      ])
    case .checkpoint(let c):
      return .object([
        ("type", .string("checkpoint")), t, ("step", .integer(c.step)), ("epoch", .number(c.epoch)),
        ("path", .string(c.path)), ("reason", .string(c.failure ?? c.reason.description)),
        ("failed", .bool(c.failure != nil)),
      ])
    }
  }

  /// Bytes as lower-case hex: compact, and readable by any tool.
  static func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for b in bytes {
      out.append(digits[Int(b >> 4)])
      out.append(digits[Int(b & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Records worth an fsync: losing them would change what a replay shows or concludes.
  public static func isKey(_ event: RunEvent) -> Bool {
    switch event {
    case .started, .hyperparameterChanged, .paused, .resumed, .diverged, .epochEnded, .finished, .checkpoint:
      return true
    default: return false
    }
  }
}

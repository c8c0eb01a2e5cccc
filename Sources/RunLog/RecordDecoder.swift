import NeuralNet
import RunModel

/// Why a line is not a record.
public struct RecordError: Error, CustomStringConvertible, Sendable {
  public let description: String
}

/// Reads one JSON line back into a record.
public enum RecordDecoder {
  public static func record(_ line: Substring) throws(RecordError) -> TimedEvent {
    guard case .object(let object) = try JSONParser.parse(line) else {
      throw RecordError(description: "not a JSON object")
    }
    let fields = Fields(object)
    let type = try fields.string("type")
    let time = try fields.number("t")
    let event: RunEvent
    switch type {
    case "header": event = .started(try header(fields))
    case "progress":
      event = .progress(
        StepProgress(
          step: try fields.int("step"), epoch: try fields.number("epoch"),
          trainLoss: try fields.number("train_loss"),
          trainAccuracy: try fields.optionalNumber("train_acc"), learningRate: try fields.number("lr"),
          samplesPerSecond: try fields.number("samples_per_second"), elapsed: try fields.number("elapsed")))
    case "evaluation":
      guard let split = Evaluation.Split(rawValue: try fields.string("split")) else {
        throw RecordError(description: "unknown split")
      }
      event = .evaluation(
        Evaluation(
          step: try fields.int("step"), epoch: try fields.number("epoch"), split: split,
          loss: try fields.number("loss"),
          accuracy: try fields.optionalNumber("acc"), examples: try fields.int("examples")))
    case "layers":
      guard case .array(let list)? = object["layers"] else { throw RecordError(description: "no layers") }
      var layers: [LayerStatistics] = []
      for node in list {
        guard case .object(let item) = node else { throw RecordError(description: "bad layer") }
        let f = Fields(item)
        layers.append(
          LayerStatistics(
            name: try f.string("name"), units: try f.int("units"), mean: try f.number("mean"),
            std: try f.number("std"),
            min: try f.number("min"), max: try f.number("max"), quartiles: try f.numbers("quartiles"),
            histogram: try f.numbers("histogram").map { Int($0) }, deadFraction: try f.number("dead"),
            saturatedFraction: try f.number("saturated"), weightNorm: try f.number("weight_norm"),
            gradientNorm: try f.number("grad_norm"), updateRatio: try f.number("update_ratio")))
      }
      guard layers.allSatisfy({ $0.quartiles.count == 3 }) else {
        throw RecordError(description: "bad quartiles")
      }
      event = .layerStatistics(
        LayerSnapshot(step: try fields.int("step"), epoch: try fields.number("epoch"), layers: layers))
    case "change":
      guard let knob = Knob(rawValue: try fields.string("knob")) else {
        throw RecordError(description: "unknown knob")
      }
      event = .hyperparameterChanged(
        HyperparameterChange(
          step: try fields.int("step"), epoch: try fields.number("epoch"), knob: knob,
          oldValue: try fields.number("old"),
          newValue: try fields.number("new"), source: ChangeSource(try fields.string("source"))))
    case "paused": event = .paused(step: try fields.int("step"))
    case "resumed": event = .resumed(step: try fields.int("step"))
    case "diverged":
      event = .diverged(
        Divergence(
          step: try fields.int("step"), epoch: try fields.number("epoch"),
          reason: try fields.string("reason"),
          layer: fields.optionalString("layer")))
    case "epoch":
      event = .epochEnded(
        EpochSummary(
          epoch: try fields.int("epoch"), step: try fields.int("step"),
          trainLoss: try fields.number("train_loss"),
          trainAccuracy: try fields.optionalNumber("train_acc"),
          validationLoss: try fields.number("val_loss"),
          validationAccuracy: try fields.optionalNumber("val_acc"), learningRate: try fields.number("lr"),
          samplesPerSecond: try fields.number("samples_per_second"), elapsed: try fields.number("elapsed")))
    case "finished":
      guard let outcome = RunSummary.Outcome(rawValue: try fields.string("outcome")) else {
        throw RecordError(description: "unknown outcome")
      }
      event = .finished(
        RunSummary(
          outcome: outcome, step: try fields.int("step"), epochs: try fields.int("epochs"),
          testLoss: try fields.optionalNumber("test_loss"),
          testAccuracy: try fields.optionalNumber("test_acc"),
          bestValidationLoss: try fields.optionalNumber("best_val_loss"),
          bestValidationAccuracy: try fields.optionalNumber("best_val_acc"),
          elapsed: try fields.number("elapsed")))
    case "warning": event = .warning(try fields.string("message"))
    case "validation_detail":
      guard case .array(let list)? = object["mistakes"] else { throw RecordError(description: "no mistakes") }
      var mistakes: [ValidationDetail.Mistake] = []
      for node in list {
        guard case .object(let item) = node else { throw RecordError(description: "bad mistake") }
        let m = Fields(item)
        guard let pixels = unhex(try m.string("pixels")) else { throw RecordError(description: "bad pixels") }
        mistakes.append(
          ValidationDetail.Mistake(
            label: try m.int("label"), predicted: try m.int("predicted"), pixels: pixels))
      }
      let classes = try fields.int("classes")
      let confusion = try fields.numbers("confusion").map { Int($0) }
      guard classes > 0, classes <= 1_000, confusion.count == classes * classes else {
        throw RecordError(description: "bad confusion matrix")
      }
      event = .validationDetail(
        ValidationDetail(
          step: try fields.int("step"), epoch: try fields.number("epoch"), classes: classes,
          confusion: confusion,
          mistakes: mistakes, imageRows: try fields.int("image_rows"), imageCols: try fields.int("image_cols")
        ))
    case "decision_regions":
      let columns = try fields.int("columns")
      let rows = try fields.int("rows")
      let xr = try fields.numbers("x_range")
      let yr = try fields.numbers("y_range")
      guard columns > 0, rows > 0, columns * rows <= 1_000_000, xr.count == 2, yr.count == 2, xr[0] <= xr[1],
        yr[0] <= yr[1], let predictions = unhex(try fields.string("predictions")),
        let confidence = unhex(try fields.string("confidence")), predictions.count == columns * rows,
        confidence.count == columns * rows, case .array(let list)? = object["points"]
      else { throw RecordError(description: "bad decision grid") }
      var points: [DecisionGrid.Point] = []
      for node in list {
        guard case .array(let v) = node, v.count == 4, let x = Fields.number(from: v[0]),
          let y = Fields.number(from: v[1]), let label = Fields.number(from: v[2]),
          let val = Fields.number(from: v[3])
        else { throw RecordError(description: "bad point") }
        points.append(DecisionGrid.Point(x: x, y: y, label: Int(label), validation: val != 0))
      }
      event = .decisionRegions(
        DecisionGrid(
          step: try fields.int("step"), epoch: try fields.number("epoch"), columns: columns, rows: rows,
          xRange: xr[0]...xr[1], yRange: yr[0]...yr[1], classes: try fields.int("classes"),
          predictions: predictions,
          confidence: confidence, points: points))
    case "trajectory":
      guard case .array(let list)? = object["points"] else { throw RecordError(description: "no points") }
      var points: [(x: Double, y: Double)] = []
      var steps: [Int] = []
      for node in list {
        guard case .array(let v) = node, v.count == 3, let x = Fields.number(from: v[0]),
          let y = Fields.number(from: v[1]), let s = Fields.number(from: v[2])
        else { throw RecordError(description: "bad trajectory point") }
        points.append((x, y))
        steps.append(Int(s))
      }
      event = .trajectory(
        Trajectory(
          step: try fields.int("step"), epoch: try fields.number("epoch"), points: points, steps: steps,
          explained: try fields.numbers("explained")))
    case "checkpoint":
      event = .checkpoint(
        CheckpointRecord(
          step: try fields.int("step"), epoch: try fields.number("epoch"), path: try fields.string("path"),
          reason: CheckpointReason(try fields.string("reason")),
          failure: fields.raw["failed"] == .bool(true) ? try fields.string("reason") : nil))
    default: throw RecordError(description: "unknown record type '\(type)'")
    }
    return TimedEvent(time: time, event: event)
  }

  static func header(_ f: Fields) throws(RecordError) -> RunHeader {
    let version = try f.int("version")
    guard version == RecordEncoder.version else {
      throw RecordError(
        description: "log format version \(version), this nntop reads \(RecordEncoder.version)")
    }
    let n = Fields(try f.object("network"))
    let h = Fields(try f.object("hyperparameters"))
    guard let activation = Activation(rawValue: try n.string("activation")),
      let loss = LossFunction(rawValue: try n.string("loss")),
      let initialization = Initialization(rawValue: try n.string("init")),
      let optimizer = OptimizerKind(rawValue: try f.string("optimizer")),
      let schedule = LearningRateSchedule(parsing: try f.string("schedule")),
      let seed = UInt64(try f.string("seed"))
    else { throw RecordError(description: "bad header values") }
    let spec = NetworkSpec(
      inputSize: try n.int("input"), hiddenSizes: try n.numbers("hidden").map { Int($0) },
      outputSize: try n.int("output"),
      activation: activation, loss: loss, batchNorm: n.raw["batch_norm"] == .bool(true),
      initialization: initialization)
    var checksums: [String: String] = [:]
    if case .object(let sums)? = f.raw["dataset_checksums"] {
      for (name, node) in sums { if case .string(let digest) = node { checksums[name] = digest } }
    }
    return RunHeader(
      dataset: try f.string("dataset"), network: spec, optimizer: optimizer,
      hyperparameters: Hyperparameters(
        learningRate: try h.number("lr"), momentum: try h.number("momentum"),
        dropout: try h.number("dropout"),
        l2: try h.number("l2")),
      batchSize: try f.int("batch"), epochs: try f.int("epochs"), schedule: schedule, seed: seed,
      threads: try f.int("threads"), trainCount: try f.int("train"), validationCount: try f.int("validation"),
      testCount: try f.int("test"), parameterCount: try f.int("parameters"),
      stepsPerEpoch: try f.int("steps_per_epoch"),
      datasetChecksums: checksums, trainAvailable: try? f.int("train_available"),
      earlyStoppingPatience: (try? f.int("early_stopping")) ?? 0)
  }
}

func unhex(_ text: String) -> [UInt8]? {
  let chars = Array(text.utf8)
  guard chars.count % 2 == 0 else { return nil }
  func value(_ c: UInt8) -> UInt8? {
    switch c {
    case 48...57: return c - 48
    case 97...102: return c - 87
    default: return nil
    }
  }
  var out = [UInt8]()
  out.reserveCapacity(chars.count / 2)
  var i = 0
  while i < chars.count {
    guard let high = value(chars[i]), let low = value(chars[i + 1]) else { return nil }
    out.append(high << 4 | low)
    i += 2
  }
  return out
}

/// Typed access to a decoded JSON object, with the explicit non-finite encodings.
struct Fields {
  let raw: [String: JSONNode]
  init(_ raw: [String: JSONNode]) { self.raw = raw }

  func string(_ key: String) throws(RecordError) -> String {
    guard case .string(let value)? = raw[key] else {
      throw RecordError(description: "missing or bad '\(key)'")
    }
    return value
  }

  func optionalString(_ key: String) -> String? {
    if case .string(let value)? = raw[key] { return value }
    return nil
  }

  func object(_ key: String) throws(RecordError) -> [String: JSONNode] {
    guard case .object(let value)? = raw[key] else {
      throw RecordError(description: "missing or bad '\(key)'")
    }
    return value
  }

  static func number(from node: JSONNode?) -> Double? {
    switch node {
    case .number(let v)?: return v
    case .string("nan")?: return .nan
    case .string("inf")?: return .infinity
    case .string("-inf")?: return -.infinity
    default: return nil
    }
  }

  func number(_ key: String) throws(RecordError) -> Double {
    guard let value = Fields.number(from: raw[key]) else {
      throw RecordError(description: "missing or bad '\(key)'")
    }
    return value
  }

  func optionalNumber(_ key: String) throws(RecordError) -> Double? {
    guard let node = raw[key], node != .null else { return nil }
    guard let number = Fields.number(from: node) else { throw RecordError(description: "bad '\(key)'") }
    return number
  }

  func int(_ key: String) throws(RecordError) -> Int {
    let value = try number(key)
    guard value.isFinite, value == value.rounded(), abs(value) < 1e15 else {
      throw RecordError(description: "'\(key)' is not a whole number")
    }
    return Int(value)
  }

  func numbers(_ key: String) throws(RecordError) -> [Double] {
    guard case .array(let list)? = raw[key] else { throw RecordError(description: "missing or bad '\(key)'") }
    var result: [Double] = []
    for item in list {
      guard let n = Fields.number(from: item) else {
        throw RecordError(description: "bad number in '\(key)'")
      }
      result.append(n)
    }
    return result
  }
}

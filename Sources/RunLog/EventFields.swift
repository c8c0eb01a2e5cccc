import NeuralNet
import RunModel

/// The field table of every event payload but the header, in the order the keys are written
/// (docs/run-log.md lists them). Each table is both how the payload is written and how it is read.
enum EventFields {
  static let progress = ObjectCodec(
    blank: StepProgress(
      step: 0, epoch: 0, trainLoss: 0, trainAccuracy: nil, learningRate: 0, samplesPerSecond: 0, elapsed: 0),
    [
      Field("step", \.step, .step), Field("epoch", \.epoch, .epochPosition),
      Field("train_loss", \.trainLoss, .number),
      Field("train_acc", \.trainAccuracy, .optional(.number)), Field("lr", \.learningRate, .number),
      Field("samples_per_second", \.samplesPerSecond, .number), Field("elapsed", \.elapsed, .number),
    ])

  static let evaluation = ObjectCodec(
    blank: Evaluation(step: 0, epoch: 0, split: .validation, loss: 0, accuracy: nil, examples: 0),
    [
      Field("step", \.step, .step), Field("epoch", \.epoch, .epochPosition), Field("split", \.split, .name),
      Field("loss", \.loss, .number), Field("acc", \.accuracy, .optional(.number)),
      Field("examples", \.examples, .int),
    ])

  static let layer = ObjectCodec(
    blank: LayerStatistics(
      name: "", units: 0, mean: 0, std: 0, min: 0, max: 0, quartiles: [], histogram: [], deadFraction: 0,
      saturatedFraction: 0, weightNorm: 0, gradientNorm: 0, updateRatio: 0),
    [
      Field("name", \.name, .string), Field("units", \.units, .int), Field("mean", \.mean, .number),
      Field("std", \.std, .number), Field("min", \.min, .number), Field("max", \.max, .number),
      Field("quartiles", \.quartiles, .list(.number)), Field("histogram", \.histogram, .list(.int)),
      Field("dead", \.deadFraction, .number), Field("saturated", \.saturatedFraction, .number),
      Field("weight_norm", \.weightNorm, .number), Field("grad_norm", \.gradientNorm, .number),
      Field("update_ratio", \.updateRatio, .number),
    ],
    check: { $0.quartiles.count == 3 ? nil : "bad quartiles" })

  static let layers = ObjectCodec(
    blank: LayerSnapshot(step: 0, epoch: 0, layers: []),
    [
      Field("step", \.step, .step), Field("epoch", \.epoch, .epochPosition),
      Field("layers", \.layers, .list(layer.object)),
    ])

  static let change = ObjectCodec(
    blank: HyperparameterChange(
      step: 0, epoch: 0, knob: .learningRate, oldValue: 0, newValue: 0, source: .command),
    [
      Field("step", \.step, .step), Field("epoch", \.epoch, .epochPosition), Field("knob", \.knob, .name),
      Field("old", \.oldValue, .number), Field("new", \.newValue, .number),
      Field("source", \.source, .text({ $0.description }, { ChangeSource($0) })),
    ])

  static let learnedCurveFields: [Field<LearnedCurve>] = [
    Field("step", \LearnedCurve.step, .step), Field("epoch", \LearnedCurve.epoch, .epochPosition),
    Field("xs", \LearnedCurve.xs, .list(.number)), Field("mean", \LearnedCurve.mean, .list(.number)),
    Field("spread", \LearnedCurve.spread, .list(.number)),
    Field("points_x", \LearnedCurve.pointsX, .list(.number)),
    Field("points_y", \LearnedCurve.pointsY, .list(.number)),
  ]

  static let learnedCurve = ObjectCodec(
    blank: LearnedCurve(step: 0, epoch: 0, xs: [], mean: [], spread: [], pointsX: [], pointsY: []),
    learnedCurveFields, check: checkCurve)

  static func checkCurve(_ c: LearnedCurve) -> String? {
    let n = c.xs.count
    return c.mean.count == n && c.spread.count == n && c.pointsY.count == c.pointsX.count
      ? nil : "bad learned curve"
  }

  static let learningRateSweep = ObjectCodec(
    blank: LearningRateSweep(rates: [], losses: [], smoothed: [], stop: "", suggestion: nil),
    [
      Field("step", \.step, .step), Field("epoch", \.epoch, .epochPosition),
      Field("rates", \.rates, .list(.number)),
      Field("losses", \.losses, .list(.number)), Field("smoothed", \.smoothed, .list(.number)),
      Field("stop", \.stop, .string), Field("suggestion", \.suggestion, .optional(.number)),
    ],
    check: { $0.losses.count == $0.rates.count && $0.smoothed.count == $0.rates.count ? nil : "bad sweep" })

  /// `paused` and `resumed` carry only the step.
  static let step = ObjectCodec(blank: 0, [Field("step", \.self, .step)])

  static let warning = ObjectCodec(blank: "", [Field("message", \.self, .string)])

  static let divergence = ObjectCodec(
    blank: Divergence(step: 0, epoch: 0, reason: "", layer: nil),
    [
      Field("step", \.step, .step), Field("epoch", \.epoch, .epochPosition),
      Field("reason", \.reason, .string),
      Field("layer", \.layer, .optional(.string)),
    ])

  static let epoch = ObjectCodec(
    blank: EpochSummary(
      epoch: 0, step: 0, trainLoss: 0, trainAccuracy: nil, validationLoss: 0, validationAccuracy: nil,
      learningRate: 0, samplesPerSecond: 0, elapsed: 0),
    [
      Field("epoch", \.epoch, .epoch), Field("step", \.step, .step),
      Field("train_loss", \.trainLoss, .number),
      Field("train_acc", \.trainAccuracy, .optional(.number)), Field("val_loss", \.validationLoss, .number),
      Field("val_acc", \.validationAccuracy, .optional(.number)), Field("lr", \.learningRate, .number),
      Field("samples_per_second", \.samplesPerSecond, .number), Field("elapsed", \.elapsed, .number),
      Field("metrics", \.metrics, .metrics, whenMissing: { _ in [:] }),
    ])

  static let finished = ObjectCodec(
    blank: RunSummary(
      outcome: .finished, step: 0, epochs: 0, testLoss: nil, testAccuracy: nil, bestValidationLoss: nil,
      bestValidationAccuracy: nil, elapsed: 0),
    [
      Field("outcome", \.outcome, .name), Field("step", \.step, .step), Field("epochs", \.epochs, .epoch),
      Field("test_loss", \.testLoss, .optional(.number)),
      Field("test_acc", \.testAccuracy, .optional(.number)),
      Field("best_val_loss", \.bestValidationLoss, .optional(.number)),
      Field("best_val_acc", \.bestValidationAccuracy, .optional(.number)),
      Field("elapsed", \.elapsed, .number),
    ])

  static let mistake = ObjectCodec(
    blank: ValidationDetail.Mistake(label: 0, predicted: 0, pixels: []),
    [Field("label", \.label, .int), Field("predicted", \.predicted, .int), Field("pixels", \.pixels, .hex)])

  static let validationDetail = ObjectCodec(
    blank: ValidationDetail(
      step: 0, epoch: 0, classes: 0, confusion: [], mistakes: [], imageRows: 0, imageCols: 0),
    [
      Field("step", \.step, .step), Field("epoch", \.epoch, .epochPosition),
      Field("classes", \.classes, .int),
      Field("confusion", \.confusion, .list(.int)), Field("image_rows", \.imageRows, .int),
      Field("image_cols", \.imageCols, .int), Field("mistakes", \.mistakes, .list(mistake.object)),
    ],
    check: { d in
      d.classes > 0 && d.classes <= 1_000 && d.confusion.count == d.classes * d.classes
        ? nil : "bad confusion matrix"
    })

  /// A data point drawn over the decision regions: `[x, y, label, validation]`.
  static let point = ObjectCodec(
    blank: DecisionGrid.Point(x: 0, y: 0, label: 0, validation: false),
    [
      Field("x", \.x, .number), Field("y", \.y, .number), Field("label", \.label, .int),
      Field("validation", \.validation, .flag),
    ])

  static let decisionRegions = ObjectCodec(
    blank: DecisionGrid(
      step: 0, epoch: 0, columns: 0, rows: 0, xRange: 0...0, yRange: 0...0, classes: 0, predictions: [],
      confidence: [], points: []),
    [
      Field("step", \.step, .step), Field("epoch", \.epoch, .epochPosition),
      Field("columns", \.columns, .int),
      Field("rows", \.rows, .int), Field("x_range", \.xRange, .range), Field("y_range", \.yRange, .range),
      Field("classes", \.classes, .int), Field("predictions", \.predictions, .hex),
      Field("confidence", \.confidence, .hex), Field("points", \.points, .list(point.tuple)),
    ],
    check: { g in
      // Sizes first: their product must not overflow.
      guard g.columns > 0, g.rows > 0, g.columns <= 1_000_000, g.rows <= 1_000_000,
        g.columns * g.rows <= 1_000_000, g.predictions.count == g.columns * g.rows,
        g.confidence.count == g.columns * g.rows
      else { return "bad decision grid" }
      return nil
    })

  /// One snapshot on the trajectory: `[x, y, step]`.
  struct TrajectoryPoint: Sendable {
    var x = 0.0
    var y = 0.0
    var step = 0
  }

  static let trajectoryPoint = ObjectCodec(
    blank: TrajectoryPoint(),
    [Field("x", \.x, .number), Field("y", \.y, .number), Field("step", \.step, .step)])

  static let trajectory = ObjectCodec(
    blank: Trajectory(step: 0, epoch: 0, points: [], steps: [], explained: []),
    [
      Field("step", \.step, .step), Field("epoch", \.epoch, .epochPosition),
      Field("explained", \.explained, .list(.number)),
      // Coordinates and steps are two arrays in memory and one list of triples in the file.
      Field(
        "points", get: { t in zip(t.points, t.steps).map { TrajectoryPoint(x: $0.x, y: $0.y, step: $1) } },
        set: { t, list in
          t.points = list.map { (x: $0.x, y: $0.y) }
          t.steps = list.map(\.step)
        }, .list(trajectoryPoint.tuple)),
    ])

  static let checkpoint = ObjectCodec(
    blank: CheckpointRecord(step: 0, epoch: 0, path: "", reason: .end),
    [
      Field("step", \.step, .step), Field("epoch", \.epoch, .epochPosition), Field("path", \.path, .string),
      // A failed checkpoint says why in `reason`; `failed` tells which it is. The text is kept
      // as the failure until `failed` says otherwise, so a failure reads back exactly.
      Field(
        "reason", get: { $0.failure ?? $0.reason.description },
        set: { c, text in
          c.reason = CheckpointReason(text)
          c.failure = text
        }, .string),
      Field(
        "failed", get: { $0.failure != nil }, set: { c, failed in if !failed { c.failure = nil } }, .bool,
        whenMissing: { _ in false }),
    ])
}

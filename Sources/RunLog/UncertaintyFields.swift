import RunModel

/// The `dropout_uncertainty` record's field tables (docs/run-log.md).
extension EventFields {
  static let uncertainExample = ObjectCodec(
    blank: DropoutUncertainty.Example(label: 0, mean: [], spread: [], pixels: []),
    [
      Field("label", \.label, .int), Field("mean", \.mean, .list(.number)),
      Field("spread", \.spread, .list(.number)), Field("pixels", \.pixels, .hex),
    ],
    check: { $0.mean.count == $0.spread.count ? nil : "bad uncertain example" })

  static let uncertaintyPlane = ObjectCodec(
    blank: DropoutUncertainty.Plane(columns: 0, rows: 0, xRange: 0...0, yRange: 0...0, entropy: []),
    [
      Field("columns", \.columns, .int), Field("rows", \.rows, .int), Field("x_range", \.xRange, .range),
      Field("y_range", \.yRange, .range), Field("entropy", \.entropy, .hex),
    ],
    check: { p in
      // Sizes first: their product must not overflow.
      guard p.columns > 0, p.rows > 0, p.columns <= 1_000_000, p.rows <= 1_000_000,
        p.columns * p.rows <= 1_000_000, p.entropy.count == p.columns * p.rows
      else { return "bad uncertainty plane" }
      return nil
    })

  static let dropoutUncertainty = ObjectCodec(
    blank: DropoutUncertainty(
      step: 0, epoch: 0, passes: 0, dropout: 0, classes: 0, examined: 0, weightScalingAccuracy: 0,
      averagedAccuracy: 0, weightScalingEntropy: 0, averagedEntropy: 0, examples: [], imageRows: 0,
      imageCols: 0, plane: nil),
    [
      Field("step", \.step, .int), Field("epoch", \.epoch, .number), Field("passes", \.passes, .int),
      Field("dropout", \.dropout, .number), Field("classes", \.classes, .int),
      Field("examined", \.examined, .int), Field("ws_acc", \.weightScalingAccuracy, .number),
      Field("mc_acc", \.averagedAccuracy, .number), Field("ws_entropy", \.weightScalingEntropy, .number),
      Field("mc_entropy", \.averagedEntropy, .number), Field("image_rows", \.imageRows, .int),
      Field("image_cols", \.imageCols, .int), Field("examples", \.examples, .list(uncertainExample.object)),
      Field("plane", \.plane, .optional(uncertaintyPlane.object, omitted: true)),
    ],
    check: { u in
      guard u.classes > 1, u.classes <= 1_000, u.passes > 0,
        u.examples.allSatisfy({ $0.mean.count == u.classes })
      else { return "bad dropout uncertainty" }
      return nil
    })
}

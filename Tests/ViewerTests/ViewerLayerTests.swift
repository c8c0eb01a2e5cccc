import EventFiles
import Terminal
import TestSupport
import Testing
import Viewer

/// `h`: a TensorBoard run's histograms in the dashboard's per-layer panel, by the documented
/// mapping from tag to layer, at the latest step or at the cursor.
@Suite struct ViewerLayerTests {
  @Test func tagsMapToLayersAsDocumented() {
    let cases: [(String, String, LayerTag.Quantity)] = [
      ("fc1.weight", "fc1", .weight), ("fc1.bias", "fc1", .bias), ("fc1.grad", "fc1", .gradient),
      ("gradients/fc1", "fc1", .gradient), ("activations/fc1", "fc1", .activations),
      ("layer1/activations", "layer1", .activations), ("dense/kernel_0", "dense", .weight),
      ("encoder.layer2.bias", "encoder.layer2", .bias), ("weights/conv1", "conv1", .weight),
      ("grad_norm", "grad_norm", .other), ("activations", "activations", .other),
    ]
    for (tag, layer, quantity) in cases {
      #expect(LayerTag(tag) == LayerTag(layer: layer, quantity: quantity), "\(tag)")
    }
    #expect(LayerTag("fc1.weight").rowName == "fc1 weight" && LayerTag("activations/fc1").rowName == "fc1")
    // A gradient names its parameter: PyTorch's `0.weight.grad` and `0.bias.grad` had both read "0 grad".
    #expect(LayerTag("0.weight.grad") == LayerTag(layer: "0", quantity: .gradient, gradientOf: .weight))
    #expect(
      LayerTag("0.weight.grad").rowName == "0 weight grad" && LayerTag("0.bias.grad").rowName == "0 bias grad"
    )
    #expect(LayerTag("gradients/fc1").rowName == "fc1 grad")
  }

  /// Keras' `[k, 3]` tensor histogram (-1…0: 3, 0…1: 5, 1…2: 3) by hand: mean
  /// (3·−0.5 + 5·0.5 + 3·1.5) / 11 = 0.5; 24 bins of 0.125, the middle third 5/8 per bin against
  /// 3/8 on either side; quartiles uniform within buckets: 11/4 = 2.75 of the first 3 → −0.0833.
  @Test func aHistogramsStatisticsAreWorkedOutFromItsBuckets() throws {
    var data = RunData()
    data.add(
      Event(
        wallTime: 1, step: 3,
        values: [
          TaggedValue(
            tag: "dense/kernel_0",
            value: .histogram(
              Histogram(buckets: [
                HistogramBucket(left: -1, right: 0, count: 3), HistogramBucket(left: 0, right: 1, count: 5),
                HistogramBucket(left: 1, right: 2, count: 3),
              ])))
        ]))
    let snapshot = try #require(LayerHistograms.snapshots(of: data).last)
    let layer = try #require(snapshot.layers.first)
    #expect(layer.name == "dense weight" && layer.min == -1 && layer.max == 2 && layer.units == 11)
    #expect(abs(layer.mean - 0.5) < 1e-12 && abs(layer.std - (6.0 / 11).squareRoot()) < 1e-12)
    #expect(
      layer.histogram == Array(repeating: 600_000, count: 8) + Array(repeating: 1_000_000, count: 8)
        + Array(repeating: 600_000, count: 8))
    #expect(abs(layer.quartiles[0] - (-1 + 2.75 / 3)) < 1e-12 && abs(layer.quartiles[1] - 0.5) < 1e-12)
  }

  /// Esc goes back before it quits: from the layers to the charts, from a picked tag to the
  /// standard charts, then out. `c` and `t` leave the layers too (they had done nothing there).
  @Test func escapeGoesBackBeforeItQuits() throws {
    var state = ViewerState()
    state.update([try Self.fixtureRun("pytorch_layers")])
    state.handle(.character("h"))
    #expect(state.showsHistograms)
    state.handle(.escape)
    #expect(!state.showsHistograms && !state.quitRequested)
    state.handle(.character("t"))
    #expect(state.picked != nil)
    state.handle(.escape)
    #expect(state.picked == nil && !state.quitRequested)
    state.handle(.escape)
    #expect(state.quitRequested)
    var other = ViewerState()
    other.update([try Self.fixtureRun("pytorch_layers")])
    other.handle(.character("h"))
    other.handle(.character("c"))
    #expect(!other.showsHistograms)
    other.handle(.character("h"))
    other.handle(.character("t"))
    #expect(!other.showsHistograms && other.picked != nil)
  }

  static func fixtureRun(_ name: String) throws -> ViewedRun {
    let path = Repository.root + "/Tests/Fixtures/tensorboard/logdir/" + name
    let found = try #require(RunDiscovery.runs(under: [path]).runs.first)
    guard case .eventFiles(let files) = found.source else { throw CancellationError() }
    let run = EventRun(name: name, files: files)
    run.poll()
    return ViewedRun(name: name, data: run.data)
  }

  /// PyTorch's parameters, a gradient and hooked activations (Tests/Fixtures/tensorboard/
  /// make_fixtures.py): one row each, layer by layer, ranges as TensorBoard's reader gives them
  /// (fc1.weight at step 20: min −0.4711, max 0.4513; at step 10: −0.4744, 0.452).
  @Test func pyTorchHistogramsFillTheLayerPanelAtTheLatestStepOrTheCursor() throws {
    var state = ViewerState()
    state.update([try Self.fixtureRun("pytorch_layers")])
    state.handle(.character("h"))
    let context = RenderContext(theme: .builtIn, glyphs: .unicode)
    var frame = ViewerRenderer(state: state, context: context).render(width: 120, height: 40)
    #expect(frame.find("Layers · pytorch_layers") != nil && frame.find("step 20 (latest)") != nil)
    let names = [
      "fc1 μ", "fc1 weight μ", "fc1 bias μ", "fc1 weight grad μ", "fc2 μ", "fc2 weight μ", "fc2 bias μ",
    ]
    let rows = try names.map { try #require(frame.find($0)).y }
    #expect(rows == rows.sorted() && Set(rows).count == names.count)
    // Each layer's range under its name, on the last row of its band.
    #expect(frame.line(rows[2] - 1).contains("-0.471 … 0.451"))
    // The activations after ReLU: everything at 0 or above, the tallest bar at 0 (the left end).
    let fc1 = try #require(frame.find("fc1 μ"))
    #expect(frame.line(rows[1] - 1).contains(" 0 … 1.92"))
    #expect(frame[fc1.x, fc1.y + 1].character == "█" && frame[fc1.x + 10, fc1.y + 1].character == " ")
    // The dashboard's own panel: its legend for the spread over the steps.
    #expect(frame.find("over steps → ░ min–max ▒ middle half █ median") != nil)
    state.handle(.left)
    state.handle(.left)
    frame = ViewerRenderer(state: state, context: context).render(width: 120, height: 40)
    #expect(frame.find("step 10 (cursor)") != nil)
    let bias = try #require(frame.find("fc1 bias μ"))
    #expect(frame.line(bias.y - 1).contains("-0.474 … 0.452"))
  }

  /// More layers than rows: the rest are counted, with no key named (the viewer has no zoom).
  @Test func layersThatDoNotFitAreCountedWithoutAKeyThatDoesNotExist() throws {
    var data = RunData()
    let values = (1...12).map { i in
      TaggedValue(
        tag: "activations/l\(i)",
        value: .histogram(Histogram(buckets: [HistogramBucket(left: 0, right: 1, count: 4)])))
    }
    data.add(Event(wallTime: 1, step: 1, values: values))
    var state = ViewerState()
    state.update([("run", data)])
    state.handle(.character("h"))
    let frame = ViewerRenderer(state: state, context: RenderContext(theme: .builtIn, glyphs: .unicode))
      .render(width: 80, height: 14)
    // The first eight and the last (the output end, which lessons compare the first against).
    let rows = try (Array(1...8) + [12]).map { try #require(frame.find("l\($0) μ0.5")).y }
    #expect(rows == Array(rows[0]..<(rows[0] + 9)))
    #expect(frame.find("l9 μ0.5") == nil)
    let more = try #require(frame.find("+3 more"))
    #expect(more.y == rows[8] + 1 && !frame.line(more.y).contains("shows all"))
  }

  /// Weights of 4.98, 4.99, 5.01 and 5.02 fall in one of TensorBoard's buckets (4.98…5.02 once cut
  /// to the range): its centre alone says σ 0; the record's exact sums say μ 5, σ 0.0158. A layer
  /// whose run recorded its dead fraction (nntop's logs and exports) shows it; others say nothing
  /// of dead units.
  @Test func exactMomentsGiveTheSpreadAndARecordedDeadFractionIsShown() throws {
    var data = RunData()
    let tight = [HistogramBucket(left: 4.98, right: 5.02, count: 4)]
    let activations = [
      HistogramBucket(left: 0, right: 1, count: 3), HistogramBucket(left: 1, right: 2, count: 1),
    ]
    data.add(
      Event(
        wallTime: 1, step: 5,
        values: [
          TaggedValue(
            tag: "fc1.weight",
            value: .histogram(
              Histogram(buckets: tight, moments: HistogramMoments(count: 4, sum: 20, sumOfSquares: 100.001)))),
          TaggedValue(tag: "fc2.weight", value: .histogram(Histogram(buckets: tight))),
          TaggedValue(tag: "activations/hidden1", value: .histogram(Histogram(buckets: activations))),
          TaggedValue(tag: SummaryTag.deadFraction + "hidden1", value: .scalar(0.25)),
          TaggedValue(tag: "activations/hidden2", value: .histogram(Histogram(buckets: activations))),
        ]))
    var state = ViewerState()
    state.update([("run", data)])
    state.handle(.character("h"))
    let frame = ViewerRenderer(state: state, context: RenderContext(theme: .builtIn, glyphs: .unicode))
      .render(width: 100, height: 30)
    #expect(frame.find("fc1 weight μ5 σ0.0158") != nil)
    #expect(frame.find("fc2 weight μ5 σ0") != nil)
    #expect(frame.find("hidden1 dead 25% μ0.75") != nil)
    let hidden2 = try #require(frame.find("hidden2 μ0.75"))
    #expect(!frame.line(hidden2.y).contains("dead"))
  }

  @Test func kerasTensorHistogramsAndRunsWithoutHistograms() throws {
    var state = ViewerState()
    state.update([try Self.fixtureRun("keras/train"), try Self.fixtureRun("ddp")])
    state.handle(.character("h"))
    let context = RenderContext(theme: .builtIn, glyphs: .unicode)
    var frame = ViewerRenderer(state: state, context: context).render(width: 100, height: 30)
    // The last epoch's buckets (-1…0: 3, 0…1: 5, 1…2: 3): mean 0.5, as worked out above.
    #expect(frame.find("dense weight μ0.5 σ0.739") != nil && frame.find("-1 … 2") != nil)
    state.handle(.down)
    frame = ViewerRenderer(state: state, context: context).render(width: 100, height: 30)
    #expect(frame.find("no histograms in this run") != nil)
  }
}

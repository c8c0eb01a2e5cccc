import EventFiles
import RunModel
import Terminal
import Testing
import Viewer

/// The cursor (← →, end) on the charts, `f` on it, and the log axis of the focused chart.
@Suite struct ViewerCursorTests {
  static let context = ViewerTests.context

  /// An nntop run log of three epochs (ends at steps 50, 100, 150) with checkpoints at `saved`.
  static func logRun(checkpoints saved: [Int] = [50, 100]) -> ViewedRun {
    let checkpoints = saved.map { step in
      CheckpointRecord(
        step: step, epoch: Double(step / 50), path: "/runs/a.epoch000\(step / 50).safetensors",
        reason: .periodic(epochs: 1))
    }
    let origin = RunLogOrigin(
      path: "/runs/a.jsonl", epochEnds: [(1, 50), (2, 100), (3, 150)], checkpoints: checkpoints)
    return ViewedRun(name: "a.jsonl", data: ViewerTests.run(2), origin: origin)
  }

  /// Where `text` is on the charts (below the header, which names the cursor too).
  static func onCharts(_ frame: Buffer, _ text: String) -> (x: Int, y: Int)? {
    for y in 1..<frame.height {
      if let range = frame.line(y).range(of: text) {
        return (
          frame.line(y).unicodeScalars.distance(from: frame.line(y).startIndex, to: range.lowerBound), y
        )
      }
    }
    return nil
  }

  /// The column of the cursor's line: the `┊` just left of its label.
  static func cursorColumn(_ frame: Buffer, label: String) throws -> Int {
    let at = try #require(onCharts(frame, label))
    #expect(frame[at.x - 1, at.y + 1].character == "┊")
    #expect(frame[at.x - 1, at.y + 1].foreground == context.color(.marker))
    return at.x - 1
  }

  /// One run with test, validation and training losses (steps 0…190, each tag's value scale /
  /// (step/10 + 1)): the legend lists training, validation, test, and at the cursor each line's
  /// value there (latest without a cursor).
  @Test func theLegendListsTrainingFirstAndGivesTheValuesAtTheCursor() throws {
    var data = ViewerTests.run(8, tags: ["test/loss"])
    for (tag, scale) in [("validation/loss", 4.0), ("train/loss", 2.0)] {
      for event in ViewerTests.run(scale, tags: [tag]).scalars[tag] ?? [] {
        data.add(
          Event(
            wallTime: event.wallTime, step: event.step,
            values: [TaggedValue(tag: tag, value: .scalar(event.value))]))
      }
    }
    var state = ViewerState()
    state.update([ViewedRun(name: "r", data: data)])
    state.handle(.character("s"))  // smoothing to the next weight does not move the legend's raw values
    let latest = ViewerTests.frame(state)
    let legend = try #require(Self.onCharts(latest, "train/loss"))
    #expect(
      latest.line(legend.y).contains("train/loss 0.1  ┅ validation/loss 0.2  · test/loss 0.4"),
      "\(latest.line(legend.y))")
    state.handle(.left)
    state.handle(.left)  // step 180: 2/19, 4/19, 8/19
    #expect(state.cursor == 180)
    let atCursor = ViewerTests.frame(state)
    #expect(
      atCursor.line(legend.y).contains("train/loss 0.105  ┅ validation/loss 0.211  · test/loss 0.421"),
      "\(atCursor.line(legend.y))")
  }

  @Test func theCursorStopsAtEpochEndsAndIsDrawnOnEveryChart() throws {
    var state = ViewerState()
    state.update([Self.logRun()])
    #expect(state.cursorStops == [50, 100, 150])
    #expect(ViewerTests.frame(state).find("cursor: latest") != nil)
    state.handle(.left)
    #expect(state.cursor == 150)
    state.handle(.left)
    var frame = ViewerTests.frame(state)
    #expect(frame.find("cursor: epoch 2 · step 100") != nil)
    let at100 = try Self.cursorColumn(frame, label: "epoch 2 · step 100")
    state.handle(.left)
    frame = ViewerTests.frame(state)
    let at50 = try Self.cursorColumn(frame, label: "epoch 1 · step 50")
    state.handle(.left)  // stays on the first stop
    #expect(state.cursor == 50)
    state.handle(.right)
    state.handle(.right)
    frame = ViewerTests.frame(state)
    // The label goes left of its line near the right edge: find the line from the row below.
    let label = try #require(Self.onCharts(frame, "epoch 3 · step 150"))
    let row = Array(frame.line(label.y + 1).unicodeScalars)
    let at150 = try #require(row.indices.first { $0 > at100 && row[$0] == "┊" })
    // Steps 50, 100, 150 on an axis from 0 to 190: equal steps apart, within a column's rounding.
    #expect(abs((at150 - at100) - (at100 - at50)) <= 1 && at100 - at50 > 10)
    state.handle(.right)  // past the last stop: the latest again
    #expect(state.cursor == nil)
    state.handle(.left)
    state.handle(.end)
    frame = ViewerTests.frame(state)
    #expect(state.cursor == nil && frame.find("cursor: latest") != nil && frame.find("┊") == nil)
  }

  @Test func fForksARunLogFromTheCheckpointAtOrBeforeTheCursor() throws {
    var state = ViewerState()
    state.update([Self.logRun(), ViewedRun(name: "tb", data: ViewerTests.run(1))])
    state.handle(.left)
    state.handle(.left)
    state.handle(.left)  // epoch 1, step 50: its checkpoint
    state.handle(.character("f"))
    #expect(state.quitRequested)
    #expect(state.forkRequest?.log == "/runs/a.jsonl")
    #expect(state.forkRequest?.checkpoint.path == "/runs/a.epoch0001.safetensors")
    // Without a cursor: the last checkpoint.
    var latest = ViewerState()
    latest.update([Self.logRun()])
    latest.handle(.character("f"))
    #expect(latest.forkRequest?.checkpoint.step == 100)
  }

  @Test func fSaysOnScreenWhyItCannotFork() throws {
    var state = ViewerState()
    state.update([
      Self.logRun(checkpoints: [100]), Self.logRun(checkpoints: []),
      ViewedRun(name: "tb", data: ViewerTests.run(1)),
    ])
    state.runs[1].name = "bare.jsonl"
    // The cursor before the only checkpoint.
    state.handle(.left)
    state.handle(.left)
    state.handle(.left)
    state.handle(.character("f"))
    #expect(state.message == ForkPoint.noCheckpoint(atOrBefore: 50))
    var frame = ViewerTests.frame(state)
    let said = try #require(frame.find("no checkpoint at or before step 50"))
    #expect(said.y == frame.height - 1 && frame[said.x, said.y].foreground == Self.context.color(.highlight))
    state.handle(.down)
    state.handle(.character("f"))
    #expect(state.message?.hasPrefix("bare.jsonl has no checkpoints") == true)
    state.handle(.down)
    state.handle(.character("f"))
    frame = ViewerTests.frame(state)
    #expect(frame.find("f forks nntop run logs with checkpoints; tb is a TensorBoard run") != nil)
    #expect(!state.quitRequested && state.forkRequest == nil)
    // The next key clears the message: the footer's keys are back, fork among them.
    state.handle(.character("x"))
    frame = ViewerTests.frame(state)
    #expect(state.message == nil && frame.find("f fork") != nil && frame.find("←/→ cursor") != nil)
  }

  /// The fork's own check (the executable's: a dataset nntop does not train, a checkpoint it
  /// cannot resume) is asked of the run first, then of the checkpoint; its reason is said and
  /// nothing is forked. A run with no checkpoints at all hears of its dataset, not of
  /// `--checkpoint-every`, a flag its trainer does not have.
  @Test func theForkCheckIsAskedBeforeLeaving() throws {
    var state = ViewerState()
    var foreign = Self.logRun(checkpoints: [])
    foreign.origin?.forkCheck = { $0 == nil ? "cannot fork: nntop does not train mnist-torch" : nil }
    var pt = Self.logRun(checkpoints: [100])
    pt.origin?.forkCheck = { $0.map { "cannot fork: step \($0.step) is a .pt file" } }
    pt.name = "pt.jsonl"
    state.update([foreign, pt])
    state.handle(.character("f"))
    #expect(state.message == "cannot fork: nntop does not train mnist-torch")
    state.handle(.down)
    state.handle(.character("f"))
    #expect(state.message == "cannot fork: step 100 is a .pt file")
    #expect(!state.quitRequested && state.forkRequest == nil)
    // Without a reason the fork goes ahead.
    state.runs[1].origin?.forkCheck = { _ in nil }
    state.handle(.character("f"))
    #expect(state.forkRequest?.checkpoint.step == 100 && state.quitRequested)
  }

  /// A loss below 0 (an ELBO, a shifted objective) on a log axis: the chart says how many points it
  /// cannot draw, and 0 sits on its floor row; `tab` moves `g` to the accuracy chart only.
  @Test func gTurnsTheFocusedChartLogarithmicAndSaysWhatItCannotDraw() throws {
    var data = RunData()
    for (step, loss) in [-0.5, -0.25, 0, 0.5, 1, 2].enumerated() {
      data.add(
        Event(
          wallTime: 1, step: Int64(step),
          values: [
            TaggedValue(tag: "loss", value: .scalar(loss)),
            TaggedValue(tag: "accuracy", value: .scalar(0.5 + Double(step) / 20)),
          ]))
    }
    var state = ViewerState()
    state.update([("run", data)])
    state.handle(.character("S"))  // raw: the curve is the points
    state.handle(.character("g"))
    var frame = ViewerTests.frame(state)
    let loss = try #require(frame.find("Loss"))
    let note = try #require(frame.find("log · 2 <0 not drawn · tab ▸"))
    #expect(note.y == loss.y)
    // Log axis (0.5 … 2, padded by 0.05 decades): the ends labelled by the data, the middle 1,
    // and the floor row "0".
    let rows = (loss.y + 1..<frame.height).map { frame.line($0) }
    let top = try #require(rows.firstIndex { $0.contains("││  2│") }, "\(rows)")
    #expect(rows[top + 4].contains("││  1│") && rows[top + 8].contains("││0.5│"), "\(rows)")
    #expect(rows[top + 9].contains("││  0│"))
    let accuracy = try #require(frame.find("Accuracy"))
    #expect(!frame.line(accuracy.y).contains("log"))
    state.handle(.tab)
    state.handle(.character("g"))
    frame = ViewerTests.frame(state)
    #expect(frame.line(try #require(frame.find("Accuracy")).y).contains("log · tab ▸"))
    #expect(frame.line(try #require(frame.find("Loss")).y).contains("log · 2 <0 not drawn"))
    #expect(state.logScale == ["loss", "accuracy"])
  }
}

import EventFiles
import Terminal
import Testing
import Viewer

/// The viewer: TensorBoard's smoothing by hand, which chart a tag goes on, and frames drawn cell
/// by cell as keys show, hide and solo runs, pick tags and change the smoothing.
@Suite struct ViewerTests {
  @Test func smoothingIsTensorBoardsDebiasedAverage() {
    // w = 0.5: 0.5·1 / (1 − 0.5) = 1; (0.25 + 1) / 0.75 = 1.6667; (0.625 + 1.5) / 0.875 = 2.4286.
    let s = Smoothing.debiased([1, 2, 3], weight: 0.5)
    #expect(abs(s[0] - 1) < 1e-12 && abs(s[1] - 1.25 / 0.75) < 1e-12 && abs(s[2] - 2.125 / 0.875) < 1e-12)
    // A NaN is shown as it is and does not count ((0.25 + 1.5) / 0.75 after it); a constant series
    // is left alone; 0 is raw.
    let gap = Smoothing.debiased([1, .nan, 3], weight: 0.5)
    #expect(gap[0] == 1 && gap[1].isNaN && abs(gap[2] - 1.75 / 0.75) < 1e-12)
    #expect(Smoothing.debiased([2, 2, 2], weight: 0.9) == [2, 2, 2])
    #expect(Smoothing.debiased([3, 1], weight: 0) == [3, 1])
  }

  @Test func tagsGoToTheirCharts() {
    #expect(ChartKind.of("train/loss") == .loss && ChartKind.of("epoch_loss") == .loss)
    #expect(ChartKind.of("validation/epoch_loss") == .loss && ChartKind.of("Loss/train") == .loss)
    #expect(ChartKind.of("val_acc") == .accuracy && ChartKind.of("epoch_accuracy") == .accuracy)
    #expect(ChartKind.of("epoch_learning_rate") == .learningRate && ChartKind.of("lr") == .learningRate)
    #expect(ChartKind.of("grad_norm/fc1") == nil)
  }

  static func run(_ scale: Double, tags: [String] = ["train/loss"]) -> RunData {
    var data = RunData()
    for step in 0..<20 {
      data.add(
        Event(
          wallTime: 100 + Double(step), step: Int64(step * 10),
          values: tags.map { TaggedValue(tag: $0, value: .scalar(scale / Double(step + 1))) }))
    }
    return data
  }

  static func viewer() -> ViewerState {
    var state = ViewerState()
    state.update([("alpha", run(2)), ("beta", run(1, tags: ["train/loss", "grad_norm/fc1"]))])
    return state
  }

  static let context = RenderContext(theme: .builtIn, glyphs: .unicode)

  static func frame(_ state: ViewerState) -> Buffer {
    ViewerRenderer(state: state, context: context).render(width: 120, height: 30)
  }

  @Test func runsAreListedInTheirColoursAndDrawnTogether() throws {
    let frame = Self.frame(Self.viewer())
    let alpha = try #require(frame.find("alpha"))
    let beta = try #require(frame.find("beta"))
    let colors = Self.context.theme.seriesColors
    // Each run's mark is its line on the charts, colour and stroke (solid, dashed): runs stay
    // apart without colour too.
    #expect(
      frame[alpha.x - 2, alpha.y].character == "━" && frame[alpha.x - 2, alpha.y].foreground == colors[0])
    #expect(frame[beta.x - 2, beta.y].character == "┅" && frame[beta.x - 2, beta.y].foreground == colors[1])
    #expect(frame.find("Loss") != nil && frame.find("EMA 0.6") != nil)
    #expect(frame.find("alpha train/loss") != nil && frame.find("beta train/loss") != nil)
    #expect(frame.find("2/2 runs") != nil)
    // No loss, accuracy or rate tag of grad_norm: it waits for the picker.
    #expect(frame.find("grad_norm") == nil)
  }

  @Test func keysHideSoloPickAndSmooth() throws {
    var state = Self.viewer()
    state.handle(.character(" "))  // hide alpha
    var frame = Self.frame(state)
    let alpha = try #require(frame.find("alpha"))
    #expect(frame[alpha.x - 2, alpha.y].character == "○")
    #expect(frame.find("alpha train/loss") == nil && frame.find("1/2 runs") != nil)
    state.handle(.character("a"))
    state.handle(.down)
    state.handle(.character("o"))  // only beta
    #expect(state.runs.map(\.visible) == [false, true])
    state.handle(.character("t"))  // the first tag of the shown runs: grad_norm/fc1
    state.handle(.character("s"))
    frame = Self.frame(state)
    #expect(state.picked == "grad_norm/fc1")
    #expect(frame.find("grad_norm/fc1") != nil && frame.find("EMA 0.9") != nil)
    state.handle(.character("g"))
    #expect(Self.frame(state).find("EMA 0.9 · log") != nil)
    state.handle(.character("c"))
    #expect(state.picked == nil)
  }

  @Test func hostileNamesAndWarningsAreDrawnSafely() throws {
    var state = ViewerState()
    state.update([("r\u{1B}[2J", Self.run(1))])
    state.warnings = ["logdir/r/events.out.tfevents.1: a record whose data fails its checksum at offset 40"]
    let frame = Self.frame(state)
    #expect(frame.find("r?[2J") != nil)
    let warning = try #require(frame.find("fails its checksum at offset 40"))
    #expect(frame[warning.x, warning.y].foreground == Self.context.color(.warning))
    // At 80 columns a long path gives up its start, not the problem's end.
    state.warnings.append(
      "/home/someone/experiments/2026-11-30/sweep-7/logdir/run-0042/events.out.tfevents.1764489600.host: "
        + "a record whose data fails its checksum at offset 123456")
    let narrow = ViewerRenderer(state: state, context: Self.context).render(width: 80, height: 24)
    #expect(
      narrow.line(23)
        == " (2) ….1764489600.host: a record whose data fails its checksum at offset 123456 ",
      "\(narrow.line(23))")
  }
}

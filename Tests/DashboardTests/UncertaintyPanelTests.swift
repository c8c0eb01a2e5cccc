import Dashboard
import RunModel
import Terminal
import TestSupport
import Testing

/// The `u` view: the most uncertain examples with one bar per class, and the plane's shading.
@Suite struct UncertaintyPanelTests {
  static func view(plane: DropoutUncertainty.Plane? = nil, pixels: [UInt8] = [0, 255, 255, 0])
    -> DropoutUncertainty
  {
    DropoutUncertainty(
      step: 430, epoch: 1, passes: 20, dropout: 0.3, classes: 3, examined: 500, weightScalingAccuracy: 0.9,
      averagedAccuracy: 0.925, weightScalingEntropy: 0.2, averagedEntropy: 0.35,
      examples: [
        DropoutUncertainty.Example(label: 2, mean: [0.5, 0.1, 0.4], spread: [0.1, 0, 0.25], pixels: pixels)
      ], imageRows: pixels.isEmpty ? 0 : 2, imageCols: pixels.isEmpty ? 0 : 2, plane: plane)
  }

  func zoomed(_ u: DropoutUncertainty?, extra: [RunEvent] = []) -> DashboardController {
    var events = RunFixture.events(epochs: 1) + extra
    if let u { events.append(.dropoutUncertainty(u)) }
    let c = controller(events: events)
    _ = c.handle(.character("u"))
    return c
  }

  @Test func eachClassHasAMeanBarAndATwoSigmaShade() throws {
    let frame = zoomed(Self.view()).render(width: 100, height: 30, now: 0)
    #expect(frame.find("Uncertainty (MC dropout)") != nil)
    #expect(frame.find("20 passes · dropout 0.3 · epoch 1") != nil)
    #expect(
      frame.find("500 validation examples: MC average 92.50%, entropy 0.35 · weight scaling 90.00%") != nil)
    let caption = try #require(frame.find("true 2 · MC says 0 · entropy "))
    // Bars sit right of the 2-pixel-wide image: class 0 is 0.5 of 12 cells (6 full) and reaches
    // 0.5 + 2·0.1 = 0.7 (8 cells); ▸ marks the true class 2, whose 0.4 ± 0.25 reaches the end.
    let y0 = caption.y + 1
    let x0 = caption.x + 3
    #expect(frame.line(y0).dropFirst(x0).hasPrefix(" 0 ██████░░     0.50±0.10"))
    #expect(frame.line(y0 + 1).dropFirst(x0).hasPrefix(" 1 █            0.10±0.00"))
    #expect(frame.line(y0 + 2).dropFirst(x0).hasPrefix("▸2 █████░░░░░░  0.40±0.25"))
    // The image: first cell top black, bottom white.
    #expect(frame[caption.x, y0].character == "▀" && frame[caption.x, y0].background == .rgb(255, 255, 255))
    // The class the average picks is highlighted, the caption warns when it is wrong.
    #expect(frame[x0 + 1, y0].foreground == Theme.builtIn.color(.highlight))
    #expect(frame[caption.x, caption.y].foreground == Theme.builtIn.color(.warning))
  }

  @Test func withoutDropoutTheViewSaysHowToGetIt() {
    let frame = zoomed(nil).render(width: 100, height: 30, now: 0)
    #expect(frame.find("needs dropout > 0: D raises it") != nil)
    // Raised, the view says when it comes.
    let raised = zoomed(nil)
    _ = raised.handle(.character("D"))
    #expect(
      raised.render(width: 100, height: 30, now: 0).find(
        "dropout is on: the first view comes at this epoch's end") != nil)
  }

  @Test func thePlaneIsBrightWhereThePassesDisagree() throws {
    let plane = DropoutUncertainty.Plane(
      columns: 2, rows: 1, xRange: 0...2, yRange: 0...1, entropy: [0, 255])
    let frame = zoomed(Self.view(plane: plane, pixels: [])).render(width: 100, height: 30, now: 0)
    let legend = try #require(frame.find("every pass agrees "))
    // The scale: ten cells from dark to bright, then what bright means.
    #expect(frame[legend.x + 18, legend.y].background == .rgb(20, 20, 20))
    #expect(frame[legend.x + 27, legend.y].background == .rgb(220, 220, 220))
    #expect(frame.find("a coin toss among the classes · ● train ○ validation") != nil)
    let y = legend.y + 1
    // Left half certain (dark), right half a coin toss (bright).
    #expect(frame[2, y].background == .rgb(20, 20, 20))
    #expect(frame[97, y].background == .rgb(220, 220, 220))
    let mono = zoomed(Self.view(plane: plane, pixels: []))
    mono.view.glyphs = .ascii
    let text = mono.render(width: 100, height: 30, now: 0)
    #expect(text[2, y].character == " " && text[97, y].character == "@")
  }
}

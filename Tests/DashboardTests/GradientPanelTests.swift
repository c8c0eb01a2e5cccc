import Dashboard
import RunModel
import Terminal
import TestSupport
import Testing

/// The Gradients panel: a layer whose gradient norm is exactly 0 (nothing flows back) is shown,
/// on the chart's floor row and as "0" in its trend, never left out.
@Suite struct GradientPanelTests {
  /// Two epochs of statistics in which hidden1's gradient is exactly 0 throughout.
  static func deadFirstLayer() -> [RunEvent] {
    var events: [RunEvent] = [.started(RunFixture.header())]
    for i in 1...16 {
      let x = Double(i) / 8
      events.append(
        .layerStatistics(
          LayerSnapshot(
            step: i * 54, epoch: x,
            layers: [
              RunFixture.layer("hidden1", units: 256, gradient: 0, dead: 1),
              RunFixture.layer("hidden2", units: 128, gradient: 0.2 / x),
              RunFixture.layer("output", units: 10, gradient: 0.1, dead: 0),
            ])))
    }
    return events
  }

  @Test func aZeroGradientLayerIsOnTheFloorAndInTheTrend() {
    let frame = controller(events: Self.deadFirstLayer()).render(width: 120, height: 40, now: 0)
    let (left, top) = frame.find(" Gradients ") ?? (0, 0)
    let inner = left + 1
    // The chart's floor row (just above its x axis) is labelled 0 and holds hidden1's line.
    let (_, axisRow) = frame.find("layer      ‖g‖") ?? (0, 0)
    let floorRow = axisRow - 2
    let floorLine = Array(frame.line(floorRow).unicodeScalars)
    let axis = (inner..<floorLine.count).first { floorLine[$0] == "│" } ?? inner
    #expect(
      String(String.UnicodeScalarView(floorLine[inner..<axis])).trimmingCharacters(in: .whitespaces) == "0")
    let plotStart = axis + 1
    let hidden1Colour = Theme.builtIn.seriesColors[0]
    let lit = (plotStart..<(plotStart + 50)).filter {
      frame[$0, floorRow].character.value >= 0x2800 && frame[$0, floorRow].foreground == hidden1Colour
    }
    #expect(lit.count >= 45, "hidden1's zeros lit only \(lit.count) floor cells")
    // Its trend is sixteen zeros; its norm reads 0.
    let (_, row) = frame.find("hidden1    0 ") ?? (0, 0)
    #expect(row > axisRow)
    #expect(frame.line(row).contains("hidden1    0       0.001   0000000000000000"))
    #expect(top > 0)
  }

  @Test func withoutColourEachLayerHasItsOwnStroke() {
    let plain = controller(events: Self.deadFirstLayer(), theme: .plain).render(
      width: 120, height: 40, now: 0)
    #expect(plain.find("━ hidden1  ┅ hidden2  · output") != nil)
    let ascii = controller(events: Self.deadFirstLayer(), glyphs: .ascii, theme: .plain)
      .render(width: 120, height: 40, now: 0)
    #expect(ascii.find("* hidden1  o hidden2  . output") != nil)
    // With colours, the three layers keep the solid line and differ by colour.
    let coloured = controller(events: Self.deadFirstLayer()).render(width: 120, height: 40, now: 0)
    #expect(coloured.find("━ hidden1  ━ hidden2  ━ output") != nil)
  }
}

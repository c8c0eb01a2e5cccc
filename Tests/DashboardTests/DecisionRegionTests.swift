import Dashboard
import RunModel
import Terminal
import TestSupport
import Testing

@Suite struct DecisionRegionTests {
  func withGrid(theme: Theme = .builtIn) -> DashboardController {
    var events = RunFixture.events(epochs: 1)
    // A 2×2 grid over [0, 1]²: class 0 on the left, class 1 on the right; one point of each.
    events.append(
      .decisionRegions(
        DecisionGrid(
          step: 430, epoch: 1, columns: 2, rows: 2, xRange: 0...1, yRange: 0...1, classes: 2,
          predictions: [0, 1, 0, 1],
          confidence: [9, 9, 5, 5],
          points: [
            DecisionGrid.Point(x: 0.1, y: 0.9, label: 0, validation: false),
            DecisionGrid.Point(x: 0.9, y: 0.1, label: 1, validation: true),
          ])))
    let c = controller(events: events, theme: theme)
    _ = c.handle(.character("8"))
    return c
  }

  @Test func regionsAreShadedByClassAndPointsDrawnOnTop() throws {
    let frame = withGrid().render(width: 82, height: 26, now: 0)
    let (_, top) = try #require(frame.find(" Decision regions (epoch 1) "))
    let inner = (x: 1, y: top + 1)
    let series = Theme.builtIn.seriesColors
    // Top-left region: class 0, certain → 60 % of series 1's colour; top-right: class 1.
    guard case .rgb(let r0, _, _) = series[0], case .rgb(let r1, _, _) = series[1] else { return }
    #expect(
      frame[inner.x + 5, inner.y + 2].background
        == .rgb(
          UInt8(Double(r0) * 0.6), frame[inner.x + 5, inner.y + 2].background.green,
          frame[inner.x + 5, inner.y + 2].background.blue))
    #expect(frame[inner.x + 70, inner.y + 2].background.red == UInt8(Double(r1) * 0.6))
    // The bottom row is a coin toss (confidence 5/9): darker.
    #expect(frame[inner.x + 5, inner.y + 20].background.red < frame[inner.x + 5, inner.y + 2].background.red)
    #expect(frame.find("●") != nil && frame.find("○") != nil)
  }

  @Test func withoutColourRegionsAreCharactersAndPointsDigits() throws {
    let frame = withGrid(theme: .plain).render(width: 82, height: 26, now: 0)
    let text = frame.lines.joined(separator: "\n")
    #expect(text.contains("....") && text.contains("----"))
    #expect(frame.find("0") != nil && frame.find("1") != nil)
  }
}

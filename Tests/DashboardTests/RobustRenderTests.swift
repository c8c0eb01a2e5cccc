import Dashboard
import RunModel
import Terminal
import TestSupport
import Testing

@Suite struct RobustRenderTests {
  /// Any terminal size, any zoom, with and without help, in both glyph sets: a frame of exactly
  /// that size, and no trap.
  @Test func everySizeAndPanelRenders() {
    var events = RunFixture.events()
    events.append(
      .validationDetail(
        ValidationDetail(
          step: 1290, epoch: 3, classes: 2, confusion: [3, 1, 0, 4],
          mistakes: [ValidationDetail.Mistake(label: 0, predicted: 1, pixels: [9, 200, 30, 40])],
          imageRows: 2,
          imageCols: 2)))
    events.append(
      .decisionRegions(
        DecisionGrid(
          step: 1290, epoch: 3, columns: 2, rows: 1, xRange: 0...1, yRange: 0...1, classes: 2,
          predictions: [0, 1],
          confidence: [9, 3], points: [DecisionGrid.Point(x: 0.5, y: 0.5, label: 1, validation: false)])))
    events.append(
      .trajectory(
        Trajectory(
          step: 1290, epoch: 3, points: [(0, 0), (1, 1), (2, 0)], steps: [1, 2, 3], explained: [0.7, 0.2])))
    for glyphs in [Glyphs.unicode, .ascii] {
      let c = controller(events: events, glyphs: glyphs)
      for zoom in [nil] + Panel.allCases.map(Optional.some) {
        c.view.zoom = zoom
        for help in [false, true] {
          c.view.helpVisible = help
          for (w, h) in [(0, 0), (1, 1), (2, 5), (20, 3), (79, 24), (80, 24), (81, 25), (133, 30), (200, 61)]
          {
            let frame = c.render(width: w, height: h, now: 0)
            #expect(frame.width == w && frame.height == h)
          }
        }
      }
    }
  }
}

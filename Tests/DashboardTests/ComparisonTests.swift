import Dashboard
import RunModel
import Terminal
import TestSupport
import Testing

/// `train --compare LOG`: an earlier run's epochs drawn beside the live run, named after it.
@Suite struct ComparisonTests {
  @Test func theEarlierRunIsDrawnBesideTheLiveOne() throws {
    let earlier = ComparisonRun(name: "before", events: RunFixture.events(epochs: 3))
    #expect(earlier.trainLoss.map(\.x) == [1, 2, 3] && earlier.validationAccuracy.count == 3)
    let c = controller()
    var frame = c.render(width: 120, height: 40, now: 0)
    #expect(frame.find("before train") == nil)
    c.compare(with: earlier)
    frame = c.render(width: 120, height: 40, now: 0)
    let legend = try #require(frame.find("· before train"))
    #expect(frame.find("· before val") != nil)
    // Its points are on the chart, in its colour.
    let color = Theme.builtIn.seriesColors.last
    let below = (legend.y + 1)..<(legend.y + 12)
    let drawn = below.contains { y in (0..<60).contains { x in frame[x, y].foreground == color } }
    #expect(drawn)
  }

  /// A log's long name lost its middle in the legend, not the whole entry: at 200 columns both
  /// curves are named; at 80 the row has no room and says how many lines it leaves unnamed.
  @Test func aLongNameIsCutInTheMiddleAndTheRestCounted() throws {
    let c = controller()
    c.compare(with: ComparisonRun(name: "20261129-192020-mnist-torch", events: RunFixture.events(epochs: 3)))
    let wide = c.render(width: 200, height: 60, now: 0)
    let legend = try #require(wide.find("━ train"))
    #expect(wide.line(legend.y).contains("· 202611…ist-torch train  · 202611…ist-torch val "))
    let narrow = c.render(width: 80, height: 24, now: 0)
    let row = try #require(narrow.find("━ train"))
    let text = String(narrow.line(row.y).unicodeScalars.prefix(40))
    #expect(text.contains("+2 more"), "\(text)")
  }
}

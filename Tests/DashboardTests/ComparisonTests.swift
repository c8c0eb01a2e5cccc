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
}

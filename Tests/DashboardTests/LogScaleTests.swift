import RunModel
import Terminal
import TestSupport
import Testing

@testable import Dashboard

/// `g` turns the chart marked `G ▸` (or the zoomed one) logarithmic; `G` moves the mark.
@Suite struct LogScaleTests {
  /// The top edge of the box titled `title`, from its corner to its other corner.
  static func titleRow(_ frame: Buffer, _ title: String) throws -> String {
    let at = try #require(frame.find("┌ " + title + " "))
    let row = frame.line(at.y).unicodeScalars.dropFirst(at.x)
    let end = try #require(row.firstIndex(of: "┐"))
    return String(String.UnicodeScalarView(row[...end]))
  }

  @Test func gActsOnTheMarkedChartAndGMovesTheMark() throws {
    let c = controller()
    var frame = c.render(width: 120, height: 40, now: 0)
    // The loss chart carries the mark at first, the accuracy chart none.
    #expect(try Self.titleRow(frame, "Loss").contains("G ▸ ┐"))
    #expect(!(try Self.titleRow(frame, "Accuracy").contains("▸")))
    _ = c.handle(.character("g"))
    #expect(c.state.message == "loss chart: log scale")
    frame = c.render(width: 120, height: 40, now: 0)
    #expect(try Self.titleRow(frame, "Loss").contains("─ log · G ▸ ┐"))
    _ = c.handle(.character("G"))
    #expect(c.state.message == "g now acts on the accuracy chart")
    _ = c.handle(.character("g"))
    frame = c.render(width: 120, height: 40, now: 0)
    #expect(try Self.titleRow(frame, "Accuracy").contains("─ log · G ▸ ┐"))
    #expect(try Self.titleRow(frame, "Loss").contains("─ log ┐"))
    #expect(c.view.logScale == [.loss, .accuracy])
    // The accuracy axis is now logarithmic: its labels are powers, not a linear third apart.
    let accuracy = try #require(frame.find("┌ Accuracy "))
    // The y labels: the text between the box's edge and the axis, "105%" on top.
    let labels = (accuracy.y + 2..<accuracy.y + 14).compactMap { y -> Double? in
      let inside = frame.line(y).unicodeScalars.dropFirst(accuracy.x + 1).prefix { $0 != "│" }
      return Double(
        String(String.UnicodeScalarView(inside)).replacing("%", with: "").replacing(" ", with: ""))
    }
    #expect(labels.count == 3)
    if labels.count == 3 {
      // Top, middle and bottom of a log axis: the middle is the geometric mean of the ends.
      // (the ends are the data's extremes, the middle the padded range's, so only near it).
      #expect(abs(labels[1] - (labels[0] * labels[2]).squareRoot()) / labels[1] < 0.1, "\(labels)")
    }
    // A zoomed chart takes g whatever the mark: zoomed on the loss, g turns the loss linear.
    _ = c.handle(.character("1"))
    _ = c.handle(.character("g"))
    #expect(c.view.logScale == [.accuracy] && c.state.message == "loss chart: linear scale")
    _ = c.handle(.character("G"))
    #expect(c.view.chartFocus == .loss)
  }

  /// Both keys are in the help of every feed (they change only what is shown).
  @Test func theHelpOffersBothKeys() {
    for feed in [ViewOptions.Feed.live, .replay, .watch] {
      let actions = KeyMap.helpBindings(for: feed).map(\.action)
      #expect(actions.contains(.toggleLogScale) && actions.contains(.focusNextChart), "\(feed)")
    }
    for feed in [ViewOptions.Feed.live, .replay, .watch] {
      #expect(KeyMap.action(for: .character("G"), feed: feed) == .focusNextChart, "\(feed)")
    }
  }
}

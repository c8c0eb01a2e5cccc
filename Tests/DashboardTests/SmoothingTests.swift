import Dashboard
import RunModel
import Terminal
import TestSupport
import Testing

/// `s` on the live charts: TensorBoard's weights in turn, named in the chart's title, with the raw
/// training points drawn faint behind the smoothed curve.
@Suite struct SmoothingTests {
  static func mutedPlotCells(_ frame: Buffer, in rows: Range<Int>) -> Int {
    var count = 0
    for y in rows {
      for x in 0..<frame.width where frame[x, y].foreground == Theme.builtIn.color(.muted) {
        let c = frame[x, y].character.value
        if c >= 0x2800 && c <= 0x28FF { count += 1 }  // braille: plotted points
      }
    }
    return count
  }

  @Test func theWeightsTurnInTheTitleAndTheRawPointsStayBehind() throws {
    let c = controller()
    var frame = c.render(width: 120, height: 40, now: 0)
    #expect(frame.find("EMA") == nil)
    let loss = try #require(frame.find(" Loss "))
    let plot = (loss.y + 1)..<(loss.y + 12)
    #expect(Self.mutedPlotCells(frame, in: plot) == 0)
    for weight in ["0.6", "0.9", "0.95", "0.99"] {
      _ = c.handle(.character("s"))
      frame = c.render(width: 120, height: 40, now: 0)
      #expect(frame.find("EMA \(weight)") != nil, "\(weight)")
    }
    #expect(Self.mutedPlotCells(frame, in: plot) > 0, "the raw points, faint")
    _ = c.handle(.character("s"))
    #expect(c.view.smoothing == 0 && c.render(width: 120, height: 40, now: 0).find("EMA") == nil)
  }

  @Test func theCurveIsTensorBoardsDebiasedAverage() {
    // The first point is the point itself (debiased), then (0.6·0.4 + 0.4·2)/(1 − 0.36) = 1.625.
    let s = Smoothing.debiased([1, 2], weight: 0.6)
    #expect(abs(s[0] - 1) < 1e-12 && abs(s[1] - (0.24 + 0.8) / 0.64) < 1e-12)
  }
}

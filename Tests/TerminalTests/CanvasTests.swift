import Terminal
import Testing

@Suite struct CanvasTests {
  @Test func brailleDotsFollowUnicodeNumbering() {
    var canvas = Canvas(columns: 2, rows: 1, unicode: true)
    canvas.set(0, 0, color: .terminalDefault)  // dot 1
    canvas.set(1, 3, color: .terminalDefault)  // dot 8
    canvas.set(2, 1, color: .terminalDefault)  // second cell, dot 2
    var buffer = Buffer(width: 2, height: 1)
    canvas.draw(into: &buffer, at: (0, 0))
    #expect(buffer[0, 0].character == Unicode.Scalar(0x2881)!)
    #expect(buffer[1, 0].character == Unicode.Scalar(0x2802)!)
  }

  @Test func asciiCanvasHasOnePointPerCell() {
    var canvas = Canvas(columns: 3, rows: 2, unicode: false)
    canvas.line(from: (0, 0), to: (2, 1), color: .terminalDefault)
    var buffer = Buffer(width: 3, height: 2)
    canvas.draw(into: &buffer, at: (0, 0))
    #expect(buffer.lines == ["*", " **"])
  }
}

import Terminal
import Testing

@Suite struct BoxWidgetTests {
  @Test func unicodeFrameWithTitleAndNote() {
    var buffer = Buffer(width: 20, height: 4)
    let inner = BoxWidget(title: "Loss", note: "log").render(
      in: buffer.bounds, buffer: &buffer, context: unicodeContext)
    #expect(inner == Rect(x: 1, y: 1, width: 18, height: 2))
    #expect(
      buffer.lines == [
        "┌ Loss ─────── log ┐",
        "│                  │",
        "│                  │",
        "└──────────────────┘",
      ])
    #expect(buffer[2, 0].foreground == Theme.builtIn.color(.title))
    #expect(buffer[0, 1].foreground == Theme.builtIn.color(.border))
  }

  @Test func asciiFrame() {
    var buffer = Buffer(width: 10, height: 3)
    BoxWidget(title: "Fit").render(in: buffer.bounds, buffer: &buffer, context: asciiContext)
    #expect(buffer.lines == ["+ Fit ---+", "|        |", "+--------+"])
  }
}

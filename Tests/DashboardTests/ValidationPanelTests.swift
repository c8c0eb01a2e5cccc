import Dashboard
import RunModel
import Terminal
import TestSupport
import Testing

@Suite struct ValidationPanelTests {
  func withDetail() -> DashboardController {
    var events = RunFixture.events(epochs: 1)
    events.append(
      .validationDetail(
        ValidationDetail(
          step: 430, epoch: 1, classes: 3, confusion: [50, 2, 0, 9, 40, 1, 0, 0, 30],
          mistakes: [
            ValidationDetail.Mistake(label: 1, predicted: 0, pixels: [0, 255, 255, 0, 0, 255, 0, 0])
          ],
          imageRows: 4, imageCols: 2)))
    return controller(events: events)
  }

  @Test func confusionMatrixRowsColumnsAndColours() throws {
    let c = withDetail()
    _ = c.handle(.character("6"))
    let frame = c.render(width: 100, height: 30, now: 0)
    let lines = frame.lines
    let top = try #require(lines.firstIndex { $0.hasPrefix("│true") })
    #expect(lines[top].contains("    0    1    2  recall"))
    #expect(lines[top + 2].hasPrefix("│ 1       9   40    1  80.00%"))
    // Diagonal good, the row's worst confusion bad.
    let row = top + 2
    let scalars = Array(frame.line(row).unicodeScalars)
    let nine = scalars.firstIndex(of: "9")!
    #expect(frame[nine, row].foreground == Theme.builtIn.color(.bad))
    let forty = scalars.firstIndex(of: "4")!
    #expect(frame[forty, row].foreground == Theme.builtIn.color(.good))
  }

  @Test func galleryDrawsDigitsInGreyHalfBlocksOrASCII() throws {
    let c = withDetail()
    _ = c.handle(.character("7"))
    let frame = c.render(width: 100, height: 30, now: 0)
    // Pixels (0,255 / 255,0) → first cell: top black, bottom white.
    #expect(frame[1, 3].character == "▀")
    #expect(frame[1, 3].foreground == .rgb(0, 0, 0) && frame[1, 3].background == .rgb(255, 255, 255))
    #expect(frame.find("1 → 0") != nil)
    let ascii = withDetail()
    ascii.view.glyphs = .ascii
    _ = ascii.handle(.character("7"))
    let text = ascii.render(width: 100, height: 30, now: 0)
    #expect(text[1, 3].character == "@" && text[1, 4].character == " ")
  }
}

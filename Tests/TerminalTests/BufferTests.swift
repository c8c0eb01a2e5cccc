import Testing

@testable import Terminal

@Suite struct BufferTests {
  @Test func writeClipsAndLinesTrimTrailingSpace() {
    var buffer = Buffer(width: 8, height: 2)
    let used = buffer.write("hello world", x: 2, y: 0)
    #expect(used == 6)
    buffer.write("ab", x: 7, y: 1)
    #expect(buffer.lines == ["  hello", "       a"])
    #expect(buffer.line(0) == "  hello ")
    let found = buffer.find("ello")
    #expect(found?.x == 3 && found?.y == 0)
  }

  @Test func changesListOnlyDifferingCells() {
    var a = Buffer(width: 4, height: 2)
    var b = a
    #expect(b.changes(since: a).isEmpty)
    b.write("x", x: 1, y: 1)
    #expect(b.changes(since: a) == [5])
    a.write("y", x: 0, y: 0, foreground: .rgb(1, 2, 3))
    #expect(Set(b.changes(since: a)) == [0, 5])
    #expect(b.changes(since: Buffer(width: 3, height: 2)).count == 8)
    #expect(b.changes(since: nil).count == 8)
  }

  @Test func asciiTransliterationKeepsOneCellPerCharacter() {
    var buffer = Buffer(width: 10, height: 1)
    buffer.write("a·b→c‖σ█", x: 0, y: 0)
    buffer.transliterateToASCII()
    #expect(buffer.line(0) == "a.b>c|s#  ")
    #expect(buffer.cells.allSatisfy { $0.character.isASCII })
  }
}

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

@Suite struct NumberFormatTests {
  @Test func compact() {
    #expect(NumberFormat.compact(0.05) == "0.05")
    #expect(NumberFormat.compact(0.0523) == "0.0523")
    #expect(NumberFormat.compact(1.25) == "1.25")
    #expect(NumberFormat.compact(312.4) == "312")
    #expect(NumberFormat.compact(12.34) == "12.3")
    #expect(NumberFormat.compact(1.2e-5) == "1.2e-05")
    #expect(NumberFormat.compact(3.4e6) == "3.4e+06")
    #expect(NumberFormat.compact(-0.25) == "-0.25")
    #expect(NumberFormat.compact(0) == "0")
    #expect(NumberFormat.compact(.nan) == "nan")
    #expect(NumberFormat.compact(9.96e-5) == "1e-04")
  }

  @Test func durationsCountsPercents() {
    #expect(NumberFormat.duration(65) == "1:05")
    #expect(NumberFormat.duration(3723) == "1:02:03")
    #expect(NumberFormat.count(128_511) == "128.5k")
    #expect(NumberFormat.count(1_234_567) == "1.23M")
    #expect(NumberFormat.count(950) == "950")
    #expect(NumberFormat.percent(0.97523) == "97.52%")
  }
}

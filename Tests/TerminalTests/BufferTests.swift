import Terminal
import Testing

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

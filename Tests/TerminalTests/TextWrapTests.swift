import Terminal
import Testing

@Suite struct TextWrapTests {
  @Test func breaksBetweenWordsOnly() {
    let text = "underfitting: L2 0.05 holds the weights down → lower L2 (w)"
    #expect(
      TextWrap.lines(text, width: 20) == [
        "underfitting: L2", "0.05 holds the", "weights down → lower", "L2 (w)",
      ])
    for width in 13...70 {  // the longest word is 13 scalars
      let lines = TextWrap.lines(text, width: width)
      #expect(lines.allSatisfy { $0.unicodeScalars.count <= width })
      #expect(lines.joined(separator: " ") == text, "width \(width)")
    }
  }

  @Test func aUnitNeverStartsALine() {
    // The diagnosis's "val acc 93 %" at 120×40 left the "%" alone on the next row.
    let text = "gap 0.0517 at epoch 3 → 0.138 at epoch 5; val loss 0.252, val acc 93 %"
    #expect(
      TextWrap.lines(text, width: 68) == [
        "gap 0.0517 at epoch 3 → 0.138 at epoch 5; val loss 0.252, val acc", "93 %",
      ])
    for width in 8...80 {  // the longest word is 7 scalars
      #expect(TextWrap.lines(text, width: width).allSatisfy { !$0.hasPrefix("%") }, "width \(width)")
      #expect(TextWrap.lines(text, width: width).joined(separator: " ") == text)
    }
  }

  @Test func splitsOnlyAWordLongerThanTheWidth() {
    #expect(TextWrap.lines("abcdefghij xy", width: 4) == ["abcd", "efgh", "ij", "xy"])
    #expect(TextWrap.lines("", width: 10).isEmpty)
    #expect(TextWrap.lines("word", width: 0).isEmpty)
  }
}

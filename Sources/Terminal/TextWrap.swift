/// Word wrapping for panels: text is broken between words, never inside one, so a sentence on a
/// narrow screen loses its end, not its meaning mid-word. Only a word longer than the whole width
/// is split (there is nothing else to do with it).
public enum TextWrap {
  /// `text` as lines of at most `width` characters (Unicode scalars, as the buffer counts them).
  public static func lines(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    var current = ""
    var currentCount = 0
    for word in words(text) {
      var piece = word
      var pieceCount = piece.unicodeScalars.count
      if currentCount > 0 && currentCount + 1 + pieceCount <= width {
        current += " " + piece
        currentCount += 1 + pieceCount
        continue
      }
      if currentCount > 0 { lines.append(current) }
      while pieceCount > width {
        let scalars = Array(piece.unicodeScalars)
        lines.append(String(String.UnicodeScalarView(scalars[0..<width])))
        piece = String(String.UnicodeScalarView(scalars[width...]))
        pieceCount -= width
      }
      current = piece
      currentCount = pieceCount
    }
    if currentCount > 0 { lines.append(current) }
    return lines
  }

  /// The words, with a unit or closing mark that stands alone ("93 %", "0.5 )") kept on its
  /// number's line: a lone "%" starting a line reads as a cut.
  static func words(_ text: String) -> [String] {
    var words: [String] = []
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
      if !words.isEmpty, word.unicodeScalars.allSatisfy({ "%)]},;:.!?".unicodeScalars.contains($0) }) {
        words[words.count - 1] += " " + word
      } else {
        words.append(String(word))
      }
    }
    return words
  }
}

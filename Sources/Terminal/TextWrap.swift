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
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
      var piece = String(word)
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
}

/// The characters widgets draw with: box drawing, blocks and braille under UTF-8, plain ASCII
/// otherwise (a non-UTF-8 locale, `--ascii`, or a terminal that cannot show them).
public struct Glyphs: Sendable, Equatable {
  public let unicode: Bool
  public let horizontal, vertical, topLeft, topRight, bottomLeft, bottomRight: Unicode.Scalar
  public let teeLeft, teeRight: Unicode.Scalar
  /// Vertical bar levels from empty to full (eighths under UTF-8).
  public let bars: [Unicode.Scalar]
  /// Shades for bands: light, medium, full.
  public let shades: [Unicode.Scalar]
  public let markerLine: Unicode.Scalar
  public let progressFull, progressEmpty: Unicode.Scalar
  public let arrowUp, arrowDown, arrowRight: String

  public static let unicode = Glyphs(
    unicode: true, horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└",
    bottomRight: "┘", teeLeft: "┤", teeRight: "├",
    bars: [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], shades: ["░", "▒", "█"], markerLine: "┊",
    progressFull: "█", progressEmpty: "░", arrowUp: "↑", arrowDown: "↓", arrowRight: "→")

  public static let ascii = Glyphs(
    unicode: false, horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+",
    bottomRight: "+", teeLeft: "|", teeRight: "|",
    bars: [" ", ".", ".", ":", ":", "=", "=", "#", "#"], shades: [".", ":", "#"], markerLine: "|",
    progressFull: "#", progressEmpty: "-", arrowUp: "^", arrowDown: "v", arrowRight: "->")
}

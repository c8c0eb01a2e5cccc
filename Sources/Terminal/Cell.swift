/// A colour as a theme names it; the screen maps it to what the terminal can show.
public enum Color: Sendable, Equatable, Hashable {
  /// The terminal's own foreground or background.
  case terminalDefault
  case rgb(UInt8, UInt8, UInt8)

  /// Parses "#rrggbb" (or "" for the terminal's default).
  public init?(hex: String) {
    if hex.isEmpty || hex == "default" {
      self = .terminalDefault
      return
    }
    guard hex.count == 7, hex.first == "#", let value = UInt32(hex.dropFirst(), radix: 16) else { return nil }
    self = .rgb(UInt8(value >> 16), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF))
  }
}

/// Text attributes that survive without colour (monochrome terminals, NO_COLOR).
public struct Style: OptionSet, Sendable, Hashable {
  public let rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }
  public static let bold = Style(rawValue: 1)
  public static let dim = Style(rawValue: 2)
  public static let reverse = Style(rawValue: 4)
  public static let underline = Style(rawValue: 8)
}

/// One character cell of the screen: a single-width character and how to draw it.
public struct Cell: Sendable, Equatable, Hashable {
  public var character: Unicode.Scalar
  public var foreground: Color
  public var background: Color
  public var style: Style

  public init(
    _ character: Unicode.Scalar = " ", foreground: Color = .terminalDefault,
    background: Color = .terminalDefault,
    style: Style = []
  ) {
    self.character = character
    self.foreground = foreground
    self.background = background
    self.style = style
  }

  public static let blank = Cell()
}

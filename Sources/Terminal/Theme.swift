/// What a colour is for. Widgets ask for roles, never for colours, so a theme file can restyle
/// everything and a monochrome terminal can fall back to attributes.
public enum ThemeRole: String, CaseIterable, Sendable {
  case background = "main_bg"
  case foreground = "main_fg"
  case title
  case highlight = "hi_fg"
  case muted = "inactive_fg"
  case border = "div_line"
  case axis = "graph_text"
  case train
  case validation
  case marker
  case good
  case warning
  case bad
  case selectedBackground = "selected_bg"
  case selectedForeground = "selected_fg"
  case bar
  case bandOuter = "band_outer"
  case bandInner = "band_inner"
  case series1 = "series_1"
  case series2 = "series_2"
  case series3 = "series_3"
  case series4 = "series_4"
}

/// A named set of colours, read from a btop-style file: `theme[role]="#rrggbb"`.
public struct Theme: Sendable, Equatable {
  public let name: String
  private var colors: [ThemeRole: Color]

  public init(name: String, colors: [ThemeRole: Color]) {
    self.name = name
    self.colors = colors
  }

  public func color(_ role: ThemeRole) -> Color {
    colors[role] ?? Theme.builtIn.colors[role] ?? .terminalDefault
  }

  /// Whether every role is the terminal's default (a monochrome theme).
  public var isMonochrome: Bool { ThemeRole.allCases.allSatisfy { color($0) == .terminalDefault } }

  /// The same roles, all in the terminal's default colours (NO_COLOR, `--no-color`).
  public static let plain = Theme(
    name: "plain",
    colors: Dictionary(uniqueKeysWithValues: ThemeRole.allCases.map { ($0, Color.terminalDefault) }))

  /// Used when no theme file can be found: the dark default.
  public static let builtIn = Theme(
    name: "default",
    colors: [
      .background: .terminalDefault, .foreground: .rgb(0xD0, 0xD4, 0xDC), .title: .rgb(0x7A, 0xB8, 0xFF),
      .highlight: .rgb(0xFF, 0xD0, 0x60), .muted: .rgb(0x70, 0x78, 0x88), .border: .rgb(0x4A, 0x55, 0x68),
      .axis: .rgb(0x90, 0x98, 0xA8), .train: .rgb(0x5F, 0xAF, 0xFF), .validation: .rgb(0xFF, 0x87, 0x5F),
      .marker: .rgb(0xD7, 0x87, 0xFF), .good: .rgb(0x87, 0xD7, 0x5F), .warning: .rgb(0xFF, 0xD7, 0x00),
      .bad: .rgb(0xFF, 0x5F, 0x5F), .selectedBackground: .rgb(0x30, 0x3A, 0x50),
      .selectedForeground: .rgb(0xFF, 0xFF, 0xFF), .bar: .rgb(0x5F, 0xD7, 0xAF),
      .bandOuter: .rgb(0x3A, 0x5F, 0x87),
      .bandInner: .rgb(0x5F, 0x87, 0xD7), .series1: .rgb(0x5F, 0xAF, 0xFF), .series2: .rgb(0xFF, 0x87, 0x5F),
      .series3: .rgb(0x87, 0xD7, 0x5F), .series4: .rgb(0xD7, 0x87, 0xFF),
    ])

  /// Series colours in order, for per-layer lines.
  public var seriesColors: [Color] { [color(.series1), color(.series2), color(.series3), color(.series4)] }
}

/// A theme file that could not be read, with the line at fault.
public struct ThemeError: Error, Equatable, CustomStringConvertible, Sendable {
  public let path: String
  public let line: Int?
  public let problem: String
  public var description: String { line.map { "\(path):\($0): \(problem)" } ?? "\(path): \(problem)" }
}

extension Theme {
  /// Parses a theme file's text. Blank lines and `#` comments are ignored; roles a file leaves out
  /// take the built-in default's colour.
  public static func parse(_ text: String, name: String, path: String) throws(ThemeError) -> Theme {
    var colors: [ThemeRole: Color] = [:]
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = raw.trimmingSpaces()
      if line.isEmpty || line.hasPrefix("#") { continue }
      let number = index + 1
      guard line.hasPrefix("theme["), let close = line.firstIndex(of: "]") else {
        throw ThemeError(path: path, line: number, problem: "expected theme[role]=\"#rrggbb\", got '\(line)'")
      }
      let key = String(line[line.index(line.startIndex, offsetBy: 6)..<close])
      guard let role = ThemeRole(rawValue: key) else {
        throw ThemeError(path: path, line: number, problem: "unknown role '\(key)'")
      }
      var rest = line[line.index(after: close)...].trimmingSpaces()
      guard rest.hasPrefix("=") else {
        throw ThemeError(path: path, line: number, problem: "expected '=' after theme[\(key)]")
      }
      rest = String(rest.dropFirst()).trimmingSpaces()
      if rest.hasPrefix("\"") && rest.hasSuffix("\"") && rest.count >= 2 {
        rest = String(rest.dropFirst().dropLast())
      }
      guard let color = Color(hex: rest) else {
        throw ThemeError(path: path, line: number, problem: "'\(rest)' is not a colour (#rrggbb or \"\")")
      }
      colors[role] = color
    }
    return Theme(name: name, colors: colors)
  }
}

extension StringProtocol {
  func trimmingSpaces() -> String {
    var s = Substring(self)
    while let c = s.first, c == " " || c == "\t" || c == "\r" { s.removeFirst() }
    while let c = s.last, c == " " || c == "\t" || c == "\r" { s.removeLast() }
    return String(s)
  }
}

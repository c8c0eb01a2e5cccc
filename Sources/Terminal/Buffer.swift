/// A grid of cells that widgets draw into, with no terminal attached.
///
/// The dashboard draws a whole frame into a buffer; the screen compares it with the previous frame
/// and writes only the cells that changed. Tests compare buffers line by line.
public struct Buffer: Sendable, Equatable {
  public let width: Int
  public let height: Int
  public private(set) var cells: [Cell]

  public init(width: Int, height: Int, fill: Cell = .blank) {
    self.width = max(0, width)
    self.height = max(0, height)
    cells = Array(repeating: fill, count: self.width * self.height)
  }

  public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

  public subscript(x: Int, y: Int) -> Cell {
    get { cells[y * width + x] }
    set {
      guard x >= 0, y >= 0, x < width, y < height else { return }
      cells[y * width + x] = newValue
    }
  }

  public func contains(_ x: Int, _ y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

  /// Sets one cell if it lies inside the buffer and `clip`.
  public mutating func put(_ x: Int, _ y: Int, _ cell: Cell, clip: Rect? = nil) {
    guard contains(x, y) else { return }
    if let clip, x < clip.x || y < clip.y || x >= clip.maxX || y >= clip.maxY { return }
    cells[y * width + x] = cell
  }

  /// Writes `text` from (x, y), clipped to `maxWidth` columns; returns the columns used.
  @discardableResult
  public mutating func write(
    _ text: String, x: Int, y: Int, maxWidth: Int? = nil, foreground: Color = .terminalDefault,
    background: Color? = nil, style: Style = []
  ) -> Int {
    let limit = maxWidth ?? (width - x)
    var column = 0
    for scalar in text.unicodeScalars {
      if column >= limit { break }
      guard contains(x + column, y) else {
        column += 1
        continue
      }
      var cell = self[x + column, y]
      // Text from files (warnings, names) may hold control characters; a cell never does.
      cell.character = scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) ? "?" : scalar
      cell.foreground = foreground
      if let background { cell.background = background }
      cell.style = style
      self[x + column, y] = cell
      column += 1
    }
    return column
  }

  /// Paints a rectangle with `cell`.
  public mutating func fill(_ rect: Rect, with cell: Cell) {
    for y in max(0, rect.y)..<min(height, rect.maxY) {
      for x in max(0, rect.x)..<min(width, rect.maxX) { cells[y * width + x] = cell }
    }
  }

  /// The characters of row `y`, trailing spaces kept.
  public func line(_ y: Int) -> String {
    var s = String.UnicodeScalarView()
    for x in 0..<width { s.append(cells[y * width + x].character) }
    return String(s)
  }

  /// Every row as text, trailing spaces removed: what tests compare.
  public var lines: [String] {
    (0..<height).map { y in
      var text = line(y)
      while text.hasSuffix(" ") { text.removeLast() }
      return text
    }
  }

  /// Positions whose cells differ from `previous` (everything if the sizes differ).
  public func changes(since previous: Buffer?) -> [Int] {
    guard let previous, previous.width == width, previous.height == height else {
      return Array(0..<cells.count)
    }
    var result: [Int] = []
    for i in 0..<cells.count where cells[i] != previous.cells[i] { result.append(i) }
    return result
  }

  /// Replaces every non-ASCII character with a one-cell ASCII stand-in, for terminals whose
  /// locale cannot show them (layout is unchanged: one cell stays one cell).
  public mutating func transliterateToASCII() {
    for i in 0..<cells.count where !cells[i].character.isASCII {
      cells[i].character = Buffer.asciiStandIn(cells[i].character)
    }
  }

  static func asciiStandIn(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    switch scalar {
    case "·", "…", "•": return "."
    case "→", "▸", "►": return ">"
    case "←": return "<"
    case "↑": return "^"
    case "↓": return "v"
    case "‖", "│", "┊", "|": return "|"
    case "─", "━", "┅", "–", "—", "−": return "-"
    case "±": return "+"
    case "×": return "x"
    case "μ": return "u"
    case "σ": return "s"
    case "≈": return "~"
    case "█", "▇", "▆": return "#"
    case "▅", "▄": return "="
    case "▃", "▂": return ":"
    case "▁", "░": return "."
    case "▒": return ":"
    case "┌", "┐", "└", "┘", "├", "┤": return "+"
    default: return "?"
    }
  }

  /// Row and column of every occurrence of `text` (for tests and for finding things on screen).
  public func find(_ text: String) -> (x: Int, y: Int)? {
    for y in 0..<height {
      let row = Array(line(y).unicodeScalars)
      let needle = Array(text.unicodeScalars)
      guard needle.count <= row.count else { continue }
      for x in 0...(row.count - needle.count) where Array(row[x..<(x + needle.count)]) == needle {
        return (x, y)
      }
    }
    return nil
  }
}

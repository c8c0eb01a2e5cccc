/// A pixel grid drawn with braille characters: each cell holds 2×4 dots, so a 60×12 cell chart
/// has 120×48 points of resolution. In ASCII mode each cell is one point.
public struct Canvas {
  public let columns: Int
  public let rows: Int
  public let unicode: Bool
  /// Dots per cell horizontally and vertically.
  public var dotsX: Int { unicode ? 2 : 1 }
  public var dotsY: Int { unicode ? 4 : 1 }
  public var pixelWidth: Int { columns * dotsX }
  public var pixelHeight: Int { rows * dotsY }
  private var dots: [UInt8]
  private var colors: [Color?]
  /// The character each ASCII cell is drawn with (the series' mark; the last series wins).
  private var marks: [Unicode.Scalar]

  public init(columns: Int, rows: Int, unicode: Bool) {
    self.columns = max(0, columns)
    self.rows = max(0, rows)
    self.unicode = unicode
    dots = Array(repeating: 0, count: self.columns * self.rows)
    colors = Array(repeating: nil, count: self.columns * self.rows)
    marks = Array(repeating: "*", count: self.columns * self.rows)
  }

  /// Braille dot bits, indexed [y][x] within a cell (Unicode's numbering: 1-2-3-7 left, 4-5-6-8 right).
  private static let bits: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]

  /// Lights pixel (px, py), py = 0 at the top; later colours (and ASCII marks) win the cell.
  public mutating func set(_ px: Int, _ py: Int, color: Color, mark: Unicode.Scalar = "*") {
    guard px >= 0, py >= 0, px < pixelWidth, py < pixelHeight else { return }
    let cell = (py / dotsY) * columns + px / dotsX
    dots[cell] |= unicode ? Canvas.bits[py % 4][px % 2] : 1
    colors[cell] = color
    marks[cell] = mark
  }

  /// A straight line between two pixels (Bresenham).
  public mutating func line(from a: (Int, Int), to b: (Int, Int), color: Color) {
    var phase = 0
    line(from: a, to: b, color: color, mark: "*", dash: 0, phase: &phase)
  }

  /// A straight line between two pixels (Bresenham); with `dash` > 0, `dash` pixels on and `dash`
  /// off, counted on from `phase` (which carries the count to the next segment).
  public mutating func line(
    from a: (Int, Int), to b: (Int, Int), color: Color, mark: Unicode.Scalar, dash: Int, phase: inout Int
  ) {
    var (x0, y0) = a
    let (x1, y1) = b
    let dx = abs(x1 - x0)
    let dy = -abs(y1 - y0)
    let sx = x0 < x1 ? 1 : -1
    let sy = y0 < y1 ? 1 : -1
    var err = dx + dy
    var guardCount = 0
    while guardCount < 100_000 {
      if dash <= 0 || (phase / dash) % 2 == 0 { set(x0, y0, color: color, mark: mark) }
      phase += 1
      if x0 == x1 && y0 == y1 { break }
      let e2 = 2 * err
      if e2 >= dy {
        err += dy
        x0 += sx
      }
      if e2 <= dx {
        err += dx
        y0 += sy
      }
      guardCount += 1
    }
  }

  /// Copies the lit cells into `buffer` at `origin`, leaving unlit cells untouched.
  public func draw(into buffer: inout Buffer, at origin: (x: Int, y: Int), background: Color? = nil) {
    for row in 0..<rows {
      for column in 0..<columns {
        let index = row * columns + column
        let bits = dots[index]
        guard bits != 0 else { continue }
        let scalar: Unicode.Scalar = unicode ? Unicode.Scalar(0x2800 + UInt32(bits))! : marks[index]
        var cell =
          buffer.contains(origin.x + column, origin.y + row)
          ? buffer[origin.x + column, origin.y + row] : .blank
        cell.character = scalar
        cell.foreground = colors[index] ?? .terminalDefault
        if let background { cell.background = background }
        buffer[origin.x + column, origin.y + row] = cell
      }
    }
  }
}

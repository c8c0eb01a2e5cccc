import SystemIO

/// A histogram drawn as vertical bars with eighth-block resolution.
public struct HistogramBars {
  public var counts: [Int]
  public var color: Color

  public init(counts: [Int], color: Color) {
    self.counts = counts
    self.color = color
  }

  public func render(in rect: Rect, buffer: inout Buffer, context: RenderContext) {
    guard !rect.isEmpty, !counts.isEmpty else { return }
    // Resample the bins to the available columns.
    let columns = rect.width
    var heights = [Double](repeating: 0, count: columns)
    for c in 0..<columns {
      let start = c * counts.count / columns
      let end = max(start + 1, (c + 1) * counts.count / columns)
      heights[c] = Double(counts[start..<min(end, counts.count)].reduce(0, +)) / Double(end - start)
    }
    let peak = heights.max() ?? 0
    guard peak > 0 else { return }
    let levels = context.glyphs.bars.count - 1
    let totalLevels = rect.height * levels
    for c in 0..<columns {
      var filled = Int(saturating: (heights[c] / peak * Double(totalLevels)).rounded())
      if heights[c] > 0 && filled == 0 { filled = 1 }
      for row in 0..<rect.height {
        let fromBottom = rect.height - 1 - row
        let level = min(levels, max(0, filled - fromBottom * levels))
        if level > 0 {
          buffer.put(rect.x + c, rect.y + row, Cell(context.glyphs.bars[level], foreground: color))
        }
      }
    }
  }
}

/// Quantile bands over time, as TensorBoard's distributions: for each step (column), the range
/// min…max in a light shade, the interquartile range darker, and the median in full.
public struct SpreadChart {
  public struct Column: Sendable, Equatable {
    public var min, q1, median, q3, max: Double
    public init(min: Double, q1: Double, median: Double, q3: Double, max: Double) {
      self.min = min
      self.q1 = q1
      self.median = median
      self.q3 = q3
      self.max = max
    }
  }

  public var columns: [Column]

  public init(columns: [Column]) { self.columns = columns }

  /// Draws the most recent columns that fit beside the range's limits, which are labelled whole
  /// (a label cut to five characters turned 1.2e-05 into "1.2e-").
  public func render(in rect: Rect, buffer: inout Buffer, context: RenderContext) {
    guard rect.width >= 8, rect.height >= 1, !columns.isEmpty else { return }
    let recent = columns.suffix(rect.width - 2)
    let finite = recent.filter { $0.min.isFinite && $0.max.isFinite }
    guard var low = finite.map(\.min).min(), var high = finite.map(\.max).max() else { return }
    if high - low < 1e-12 {
      high += 0.5
      low -= 0.5
    }
    let axis = context.color(.axis)
    let top = NumberFormat.compact(high)
    let bottom = NumberFormat.compact(low)
    let labelWidth = max(top.unicodeScalars.count, rect.height > 1 ? bottom.unicodeScalars.count : 0)
    guard rect.width - labelWidth - 1 >= 2 else { return }
    let shown = recent.suffix(rect.width - labelWidth - 1)
    buffer.write(top, x: rect.x, y: rect.y, foreground: axis)
    if rect.height > 1 {
      buffer.write(bottom, x: rect.x, y: rect.maxY - 1, foreground: axis)
    }
    let plotX = rect.x + labelWidth + 1
    let rows = rect.height
    func row(_ v: Double) -> Int {
      let f = (v - low) / (high - low)
      return min(rows - 1, max(0, Int(saturating: ((1 - f) * Double(rows - 1)).rounded())))
    }
    let g = context.glyphs
    for (i, column) in shown.enumerated() where column.min.isFinite && column.max.isFinite {
      let x = plotX + i
      for r in row(column.max)...row(column.min) {
        buffer.put(x, rect.y + r, Cell(g.shades[0], foreground: context.color(.bandOuter)))
      }
      for r in row(column.q3)...row(column.q1) {
        buffer.put(x, rect.y + r, Cell(g.shades[1], foreground: context.color(.bandInner)))
      }
      buffer.put(x, rect.y + row(column.median), Cell(g.shades[2], foreground: context.color(.bandInner)))
    }
  }
}

/// "[██████░░░░]" filled to `fraction`.
public struct ProgressBar {
  public var fraction: Double
  public init(fraction: Double) { self.fraction = fraction }

  public func render(in rect: Rect, buffer: inout Buffer, context: RenderContext) {
    guard rect.width >= 3 else { return }
    let inner = rect.width - 2
    let f = fraction.isFinite ? min(1, max(0, fraction)) : 0
    let filled = Int(saturating: (f * Double(inner)).rounded())
    buffer.write("[", x: rect.x, y: rect.y, foreground: context.color(.muted))
    for i in 0..<inner {
      let full = i < filled
      buffer.put(
        rect.x + 1 + i, rect.y,
        Cell(
          full ? context.glyphs.progressFull : context.glyphs.progressEmpty,
          foreground: context.color(full ? .good : .muted)))
    }
    buffer.write("]", x: rect.maxX - 1, y: rect.y, foreground: context.color(.muted))
  }
}

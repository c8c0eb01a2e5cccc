import SystemIO

#if canImport(Glibc)
  import Glibc
#endif

/// One line of a chart.
public struct ChartSeries: Sendable {
  /// How a series is drawn, so that series stay apart without colour (`--no-color`, `NO_COLOR`,
  /// `--ascii`): the legend shows the same glyph the plot uses.
  public enum Stroke: Sendable, Equatable {
    /// A continuous line ("━"; "*" in ASCII).
    case solid
    /// A line drawn two dots on, two off ("┅"; "o" in ASCII).
    case dashed
    /// Points alone, not joined (data, or samples that are not a curve) ("·"; "." in ASCII).
    case points
  }

  public var name: String
  /// A shorter name the legend falls back to before it drops values ("1k" for "1k val").
  public var shortName: String?
  public var color: Color
  public var points: [ChartPoint]
  /// The value shown next to the name in the legend (defaults to the last point's).
  public var legendValue: String?
  public var stroke: Stroke
  /// Whether the points are joined by lines (a curve) or drawn alone (data).
  public var joined: Bool { stroke != .points }

  public init(
    name: String, color: Color, points: [ChartPoint], legendValue: String? = nil, joined: Bool = true,
    stroke: Stroke? = nil, shortName: String? = nil
  ) {
    self.name = name
    self.shortName = shortName
    self.color = color
    self.points = points
    self.legendValue = legendValue
    self.stroke = stroke ?? (joined ? .solid : .points)
  }

  /// The glyph that stands for this series in the legend: the one its plot is drawn with.
  public func legendGlyph(_ glyphs: Glyphs) -> String {
    switch stroke {
    case .solid: return glyphs.unicode ? "━" : "*"
    case .dashed: return glyphs.unicode ? "┅" : "o"
    case .points: return glyphs.unicode ? "·" : "."
    }
  }

  /// The character an ASCII canvas draws this series' points with.
  var asciiMark: Unicode.Scalar {
    switch stroke {
    case .solid: return "*"
    case .dashed: return "o"
    case .points: return "."
    }
  }
}

public struct ChartPoint: Sendable, Equatable {
  public var x: Double
  public var y: Double
  public init(_ x: Double, _ y: Double) {
    self.x = x
    self.y = y
  }
}

/// A vertical line at `x` with a label: where a knob was turned or the run paused.
public struct ChartMarker: Sendable, Equatable {
  public var x: Double
  public var label: String
  public init(x: Double, label: String) {
    self.x = x
    self.label = label
  }
}

/// Lines over a shared x axis, drawn in braille, with y labels on the left, the x range below,
/// a legend on top and labelled markers.
public struct LineChart {
  public var series: [ChartSeries]
  public var markers: [ChartMarker]
  public var logScale: Bool
  public var xLabel: String
  /// Formats y-axis labels (default: `NumberFormat.compact`).
  public var yFormat: @Sendable (Double) -> String
  /// Formats the x axis's end labels (default: `NumberFormat.compact`): a chart drawn over log10
  /// of a quantity labels the quantity (the rate finder's right end had read 0.0303 for 1.07).
  public var xFormat: @Sendable (Double) -> String = NumberFormat.compact
  /// Fixed y range; nil fits the data.
  public var yRange: ClosedRange<Double>?
  /// Bounds a fitted range's padding may not cross (0…1 for accuracy, ≥ 0 for a loss): the axis
  /// never labels a value the quantity cannot take. Points beyond them still fit (an accuracy
  /// logged in percent is not clipped at 1).
  public var yLimits: ClosedRange<Double>?

  public init(
    series: [ChartSeries], markers: [ChartMarker] = [], logScale: Bool = false, xLabel: String = "epoch",
    yRange: ClosedRange<Double>? = nil, yLimits: ClosedRange<Double>? = nil,
    yFormat: @escaping @Sendable (Double) -> String = NumberFormat.compact
  ) {
    self.yLimits = yLimits
    self.series = series
    self.markers = markers
    self.logScale = logScale
    self.xLabel = xLabel
    self.yRange = yRange
    self.yFormat = yFormat
  }

  /// Negative values have no place on a log axis (0 has its floor row, NaN and ±∞ are gaps on
  /// any axis): how many points are left out, so that a chart says so instead of drawing a curve
  /// that looks whole.
  public static func belowLogAxis(_ series: [ChartSeries]) -> Int {
    series.reduce(0) { $0 + $1.points.filter { $0.y.isFinite && $0.y < 0 }.count }
  }

  /// The note a chart's title carries for its log axis: "log", or "log · 3 <0 not drawn".
  public static func logNote(_ series: [ChartSeries]) -> String {
    let hidden = belowLogAxis(series)
    return hidden > 0 ? "log · \(hidden) <0 not drawn" : "log"
  }

  private func transform(_ y: Double) -> Double? {
    guard y.isFinite else { return nil }
    if logScale { return y > 0 ? log10(y) : nil }
    return y
  }

  /// A log axis has no place for 0, yet a gradient norm of exactly 0 (a dead layer) is the one
  /// reading that must not vanish: such points sit on a floor row of their own, labelled "0".
  private func onFloor(_ y: Double) -> Bool { logScale && y == 0 }

  /// The data's extent on both axes, after the log transform and padding; `floor`: a row below
  /// the axis's range holds the zeros of a log scale.
  private struct Extent {
    var x0: Double, x1: Double, y0: Double, y1: Double
    var floor = false
  }

  public func render(in rect: Rect, buffer: inout Buffer, context: RenderContext) {
    guard rect.width >= 12, rect.height >= 3 else { return }
    drawLegend(in: rect, buffer: &buffer, context: context)
    let area = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
    let all = series.flatMap(\.points).filter { $0.x.isFinite && (transform($0.y) != nil || onFloor($0.y)) }
    guard !all.isEmpty else {
      // Points that cannot be drawn are not data still to come: a run whose losses were all NaN
      // had read "waiting for data…" at its replay's end.
      let hasPoints = series.contains { !$0.points.isEmpty }
      let message =
        !hasPoints
        ? (context.glyphs.unicode ? "waiting for data…" : "waiting for data...")
        : logScale ? "no value above 0 for a log axis" : "no finite value to draw"
      buffer.write(
        message, x: area.x + max(0, (area.width - message.count) / 2), y: area.y + area.height / 2,
        foreground: context.color(.muted))
      return
    }
    let extent = self.extent(of: all)
    // On a log axis the top and bottom labels are the data's own extremes, which plot in those
    // rows: the padding, 5 % of the decades spanned, grew with the run, and the diverge lesson's
    // loss axis read 8 478 over a peak of 3 683 (a student took it for the peak).
    let logged = logScale ? all.compactMap { transform($0.y) } : []
    let top = logged.max().map { min($0, extent.y1) } ?? extent.y1
    let bottom = logged.min().map { max($0, extent.y0) } ?? extent.y0
    let values = [top, (extent.y0 + extent.y1) / 2, bottom].map { logScale ? pow(10, $0) : $0 }
    var labels = values.map(yFormat)
    // The default format gets more decimals where it would label different heights alike.
    if labels == values.map(NumberFormat.compact) { labels = NumberFormat.distinct(values) }
    let labelWidth = min(8, labels.map { $0.unicodeScalars.count }.max() ?? 1)
    let plot = Rect(
      x: area.x + labelWidth + 1, y: area.y, width: area.width - labelWidth - 1, height: area.height - 1)
    guard plot.width >= 4, plot.height >= (extent.floor ? 2 : 1) else { return }
    drawAxes(plot, labels: labels, labelWidth: labelWidth, extent: extent, buffer: &buffer, context: context)
    let markerLabels = drawMarkerLines(plot, extent: extent, buffer: &buffer, context: context)
    drawLines(plot, extent: extent, buffer: &buffer, context: context)
    // Marker labels last, so the lines never hide what changed.
    for label in markerLabels {
      buffer.write(
        label.text, x: label.x, y: plot.y, maxWidth: plot.maxX - label.x, foreground: context.color(.marker),
        style: .bold)
    }
  }

  /// One entry per named series, "━ train 0.342": the spacing tightens, then short names stand
  /// in ("· 1k 0.145"), then the values are left out (last series first), then whole entries
  /// give way to "+N more", so a narrow chart still says which line is which and that there
  /// are others.
  private func drawLegend(in rect: Rect, buffer: inout Buffer, context: RenderContext) {
    let named = series.filter { !$0.name.isEmpty }
    guard !named.isEmpty else { return }
    let values = named.map { s in s.legendValue ?? s.points.last.map { NumberFormat.compact($0.y) } ?? "-" }
    func entries(valued: Int, gap: Int, short: Bool, shorter: Bool = false) -> [String] {
      named.indices.map { i in
        let name = short ? named[i].shortName ?? named[i].name : named[i].name
        let text = shorter ? Self.oneDecimalFewer(values[i]) : values[i]
        let value = i < valued && !text.isEmpty ? " " + text : ""
        return "\(named[i].legendGlyph(context.glyphs)) \(name)" + value
          + String(repeating: " ", count: i == named.count - 1 ? 0 : gap)
      }
    }
    var chosen = entries(valued: 0, gap: 1, short: true)
    search: for valued in stride(from: named.count, through: 0, by: -1) {
      for (gap, short, shorter) in [(2, false, false), (1, false, false), (1, true, false), (1, true, true)] {
        let candidate = entries(valued: valued, gap: gap, short: short, shorter: shorter)
        if candidate.map(\.unicodeScalars.count).reduce(0, +) <= rect.width {
          chosen = candidate
          break search
        }
      }
    }
    // Still too many: whole entries only, as many as fit with "+N more" after them, so a line
    // drawn is never silently missing from the legend (three runs' two losses in 60 columns).
    let widths = chosen.map(\.unicodeScalars.count)
    var shown = named.count
    if widths.reduce(0, +) > rect.width {
      shown =
        (0..<named.count).last { k in
          widths.prefix(k).reduce(0, +) + "+\(named.count - k) more".unicodeScalars.count <= rect.width
        } ?? 0
    }
    var legendX = rect.x
    for (s, entry) in zip(named, chosen).prefix(shown) {
      buffer.write(entry, x: legendX, y: rect.y, maxWidth: rect.maxX - legendX, foreground: s.color)
      legendX += entry.unicodeScalars.count
    }
    if shown < named.count {
      buffer.write(
        "+\(named.count - shown) more", x: legendX, y: rect.y, maxWidth: rect.maxX - legendX,
        foreground: context.color(.muted))
    }
  }

  /// A legend value with one decimal fewer, rounded ("100.00%" → "100.0%", "0.0139" → "0.014"),
  /// where it has three significant digits or more,
  /// the last step before a narrow legend drops values (at 80 columns the accuracy legend lost
  /// the 1 000-example validation's number); anything else as it is.
  static func oneDecimalFewer(_ value: String) -> String {
    let numeric = value.prefix { "0123456789.-".contains($0) }
    guard let dot = numeric.firstIndex(of: "."), let number = Double(numeric), !value.contains("e") else {
      return value
    }
    let decimals = numeric.distance(from: dot, to: numeric.endIndex) - 1
    // Only where two significant digits stay: "0.001" must not become "0.00".
    let significant = numeric.filter(\.isNumber).drop { $0 == "0" }.count
    guard decimals > 0, significant >= 3 else { return value }
    return NumberFormat.formatFixed(number, decimals - 1) + value.dropFirst(numeric.count)
  }

  /// The x range starts at 0; the y range is fixed, or the data's padded by 5 % within the limits.
  private func extent(of all: [ChartPoint]) -> Extent {
    var x0 = all.map(\.x).min()!
    var x1 = all.map(\.x).max()!
    x0 = min(x0, 0)
    if x1 - x0 < 1e-9 { x1 = x0 + 1 }
    if let yRange, !logScale {
      return Extent(x0: x0, x1: x1, y0: yRange.lowerBound, y1: yRange.upperBound)
    }
    let floor = all.contains { onFloor($0.y) }
    let ys = all.compactMap { transform($0.y) }
    // Only zeros: a decade above the floor, so the axis still reads.
    var y0 = ys.min() ?? -1
    var y1 = ys.max() ?? 0
    // A constant (to float32's precision: 0.05 logged as a double and as a float are one rate)
    // gets a tenth of its size either side: a millionth read 0.100001 / 0.1 / 0.099999, and the
    // two 0.05s were drawn rows apart. A nearly flat loss keeps its own range, so its wobble shows.
    let constant = !logScale && y1 - y0 <= 1e-6 * abs(y1)
    let fitted = max((y1 - y0) * 0.05, logScale ? 0.05 : 1e-6 * max(1, abs(y1)))
    let pad = constant ? (y1 == 0 ? 1 : 0.1 * abs(y1)) : fitted
    y0 -= pad
    y1 += pad
    if let yLimits {
      // On a log axis the limits are compared in the same transformed units (an accuracy's
      // padding must not label the top 112 %); a limit of 0 or below has no log and binds nothing.
      if let low = transform(yLimits.lowerBound) { y0 = max(y0, min(low, ys.min() ?? low)) }
      if let high = transform(yLimits.upperBound) { y1 = min(y1, max(high, ys.max() ?? high)) }
      if y1 <= y0 { y1 = y0 + 1e-6 }
    }
    return Extent(x0: x0, x1: x1, y0: y0, y1: y1, floor: floor)
  }

  private func drawAxes(
    _ plot: Rect, labels: [String], labelWidth: Int, extent: Extent, buffer: inout Buffer,
    context: RenderContext
  ) {
    let axisColor = context.color(.axis)
    let dataRows = plot.height - (extent.floor ? 1 : 0)
    let mid = plot.y + (dataRows - 1) / 2
    var rows = [plot.y, mid, plot.y + dataRows - 1]
    var texts = labels
    if dataRows < 3 && !extent.floor {
      // No row of its own for the middle label: written over the top one it read `00.045`.
      texts.remove(at: 1)
      rows.remove(at: 1)
    }
    if extent.floor {
      // The floor's "0" replaces the middle label when rows are few.
      if dataRows < 3 { texts.remove(at: 1); rows.remove(at: 1) }
      texts.append("0")
      rows.append(plot.maxY - 1)
    }
    for (text, row) in zip(texts, rows) {
      let t = String(text.unicodeScalars.prefix(labelWidth))
      buffer.write(t, x: plot.x - 1 - t.unicodeScalars.count, y: row, foreground: axisColor)
    }
    for row in plot.y..<plot.maxY {
      buffer.put(plot.x - 1, row, Cell(context.glyphs.vertical, foreground: axisColor))
    }
    let xRow = plot.maxY
    let left = xFormat(extent.x0)
    let right = xFormat(extent.x1)
    buffer.write(left, x: plot.x, y: xRow, foreground: axisColor)
    let nameX = plot.x + (plot.width - xLabel.unicodeScalars.count) / 2
    if nameX > plot.x + left.unicodeScalars.count {
      buffer.write(xLabel, x: nameX, y: xRow, foreground: axisColor)
    }
    buffer.write(right, x: plot.maxX - right.unicodeScalars.count, y: xRow, foreground: axisColor)
  }

  /// Draws the markers' vertical lines and returns where their labels go (right of the line,
  /// or left of it near the right edge). Where labels would overlap, the later one wins: a
  /// cluster of presses (W nine times) is labelled with where it ended ("l2↑0.005"), not with the
  /// first press ("l2↑1e-05"), which would tell a student the wrong value.
  private func drawMarkerLines(_ plot: Rect, extent e: Extent, buffer: inout Buffer, context: RenderContext)
    -> [(x: Int, text: String)]
  {
    let markerColor = context.color(.marker)
    var placed: [(x: Int, text: String)] = []
    for marker in markers.sorted(by: { $0.x < $1.x }) where marker.x >= e.x0 && marker.x <= e.x1 {
      let column =
        plot.x + Int(saturating: ((marker.x - e.x0) / (e.x1 - e.x0) * Double(plot.width - 1)).rounded())
      for row in plot.y..<plot.maxY {
        buffer.put(column, row, Cell(context.glyphs.markerLine, foreground: markerColor))
      }
      let length = marker.label.unicodeScalars.count
      var labelX = column + 1
      if plot.maxX - labelX < length && column - plot.x > length { labelX = column - length }
      placed.append((labelX, marker.label))
    }
    var labelStart = Int.max
    var markerLabels: [(x: Int, text: String)] = []
    for label in placed.reversed() {
      let end = label.x + min(label.text.unicodeScalars.count, plot.maxX - label.x)
      if end < labelStart && label.x >= plot.x {
        markerLabels.insert(label, at: 0)
        labelStart = label.x
      }
    }
    return markerLabels
  }

  private func drawLines(_ plot: Rect, extent e: Extent, buffer: inout Buffer, context: RenderContext) {
    var canvas = Canvas(columns: plot.width, rows: plot.height, unicode: context.glyphs.unicode)
    let pw = Double(canvas.pixelWidth - 1)
    // Above the floor row, when there is one.
    let ph = Double(canvas.pixelHeight - (e.floor ? canvas.dotsY : 0) - 1)
    for s in series {
      var previous: (Int, Int)?
      // Dashes run on across segments, so short segments do not all start "on".
      var phase = 0
      let dash = s.stroke == .dashed && context.glyphs.unicode ? 2 : 0
      for p in s.points {
        let ty = transform(p.y)
        guard p.x.isFinite, ty != nil || onFloor(p.y) else {
          previous = nil
          continue
        }
        let px = Int(saturating: ((p.x - e.x0) / (e.x1 - e.x0) * pw).rounded())
        var py = canvas.pixelHeight - 1
        if let ty {
          let clamped = min(max(ty, e.y0), e.y1)
          py = Int(saturating: ((1 - (clamped - e.y0) / (e.y1 - e.y0)) * ph).rounded())
        }
        if let previous, s.joined {
          canvas.line(
            from: previous, to: (px, py), color: s.color, mark: s.asciiMark, dash: dash, phase: &phase)
        } else {
          canvas.set(px, py, color: s.color, mark: s.asciiMark)
        }
        previous = (px, py)
      }
    }
    canvas.draw(into: &buffer, at: (plot.x, plot.y))
  }
}

import RunModel
import Terminal

#if canImport(Glibc)
  import Glibc
#endif

extension Panels {
  /// Monte Carlo dropout, as the lecture ends its dropout section: many passes with fresh masks,
  /// averaged. For a regression the learned curve carries the ±2σ band; for a classifier, the
  /// validation examples the passes disagree on most, each class's mean probability with its
  /// spread; for a 2-D set, the plane shaded by how unsure the average is.
  func uncertainty(in rect: Rect, into buffer: inout Buffer) {
    if state.header?.network.loss.reportsAccuracy == false {
      learnedCurve(in: rect, into: &buffer)
      return
    }
    let note = state.dropoutUncertainty.map { u in
      "\(u.passes) passes · dropout \(NumberFormat.compact(u.dropout)) · epoch \(Int(u.epoch))"
    }
    // With dropout on, the first view arrives at the end of the epoch under way.
    let waiting = labWaiting(
      state.value(of: .dropout) > 0
        ? "dropout is on: the first view comes at this epoch's end"
        : "needs dropout > 0: \(KeyMap.key(for: .dropout, up: true)) raises it")
    guard
      let (inner, u) = frame(
        "Uncertainty (MC dropout)", note: note ?? "", content: state.dropoutUncertainty, waiting: waiting,
        in: rect, into: &buffer)
    else { return }
    guard inner.width > 10, inner.height > 3 else { return }
    // Entropy in nats, with its ceiling: a guess among all the classes.
    let ceiling = NumberFormat.fixed(log(Double(max(2, u.classes))), 2)
    let summary =
      "\(u.examined) validation examples: MC average \(NumberFormat.percent(u.averagedAccuracy)), "
      + "entropy \(NumberFormat.compact(u.averagedEntropy)) · weight scaling "
      + "\(NumberFormat.percent(u.weightScalingAccuracy)), entropy \(NumberFormat.compact(u.weightScalingEntropy))"
      + " (nats; \(ceiling) = a guess among \(u.classes))"
    let lines = TextWrap.lines(summary, width: inner.width - 2)
    for (i, line) in lines.prefix(2).enumerated() {
      buffer.write(line, x: inner.x + 1, y: inner.y + i, foreground: context.color(.foreground))
    }
    let (_, body) = inner.splitTop(min(2, lines.count))
    if let plane = u.plane {
      uncertaintyPlane(plane, in: body, into: &buffer)
    } else {
      uncertainExamples(u, in: body, into: &buffer)
    }
  }

  /// The most uncertain examples as tiles: the image (if any) beside one bar per class.
  private func uncertainExamples(_ u: DropoutUncertainty, in area: Rect, into buffer: inout Buffer) {
    let images = u.imageRows > 0 && u.imageCols > 0
    let shown = min(u.classes, DropoutUncertaintyView.classRows)
    let imageHeight = images ? (u.imageRows + 1) / 2 : 0
    let imageWidth = images ? u.imageCols + 1 : 0
    let tileWidth = imageWidth + DropoutUncertaintyView.barBlockWidth + 2
    let tileHeight = max(imageHeight, shown) + 2
    let trueMark = context.glyphs.unicode ? "▸" : ">"
    let legend = TextWrap.lines(
      "most uncertain first · bar: mean probability over the passes, \(context.glyphs.shades[0]) to +2σ · "
        + "numbers: mean ± σ · \(trueMark) true class", width: max(1, area.width - 2))
    let (legendRows, tiles) = area.splitTop(min(2, legend.count) + 1)
    for (i, line) in legend.prefix(2).enumerated() {
      buffer.write(line, x: legendRows.x + 1, y: legendRows.y + i, foreground: context.color(.muted))
    }
    guard tiles.width >= DropoutUncertaintyView.barBlockWidth, tiles.height >= shown + 1 else { return }
    let perRow = max(1, tiles.width / tileWidth)
    let rows = max(1, tiles.height / tileHeight)
    for (i, example) in u.examples.prefix(perRow * rows).enumerated() {
      let x0 = tiles.x + (i % perRow) * tileWidth
      let y0 = tiles.y + (i / perRow) * tileHeight
      let tile = Rect(
        x: x0, y: y0, width: min(tileWidth, tiles.maxX - x0), height: min(tileHeight, tiles.maxY - y0))
      let caption =
        "true \(example.label) · MC says \(example.predicted) · entropy \(NumberFormat.compact(example.entropy))"
      buffer.write(
        caption, x: x0, y: y0, maxWidth: tile.width - 1,
        foreground: context.color(example.predicted == example.label ? .highlight : .warning))
      if images && tile.width > imageWidth + DropoutUncertaintyView.barBlockWidth {
        drawImage(
          example.pixels, rows: u.imageRows, cols: u.imageCols, x: x0, y: y0 + 1, clip: tile, into: &buffer)
      }
      let barsX = tile.width > imageWidth + DropoutUncertaintyView.barBlockWidth ? x0 + imageWidth : x0
      classBars(example, classes: shown, x: barsX, y: y0 + 1, clip: tile, into: &buffer)
    }
  }

  /// One row per class: `▸7 ████▌░░   0.41±0.12` — the bar is the mean probability over the
  /// passes, the light shade after it reaches mean + 2σ; ▸ marks the true class.
  private func classBars(
    _ example: DropoutUncertainty.Example, classes: Int, x: Int, y: Int, clip: Rect, into buffer: inout Buffer
  ) {
    let order =
      example.mean.count <= classes
      ? Array(example.mean.indices)
      : Array(example.mean.indices.sorted { example.mean[$0] > example.mean[$1] }.prefix(classes)).sorted()
    let width = DropoutUncertaintyView.barWidth
    for (row, c) in order.enumerated() {
      let mean = example.mean[c].isFinite ? min(1, max(0, example.mean[c])) : 0
      let sigma = example.spread[c].isFinite ? max(0, example.spread[c]) : 0
      let marker = c == example.label ? (context.glyphs.unicode ? "▸" : ">") : " "  // as the legend says
      let label = marker + String(c)
      let color = context.color(c == example.predicted ? .highlight : .foreground)
      buffer.write(label, x: x, y: y + row, foreground: color)
      let filled = Int((mean * Double(width)).rounded())
      let reach = min(width, Int(((mean + 2 * sigma) * Double(width)).rounded()))
      for k in 0..<width {
        let glyph: Unicode.Scalar =
          k < filled ? context.glyphs.shades[2] : k < reach ? context.glyphs.shades[0] : " "
        buffer.put(x + 3 + k, y + row, Cell(glyph, foreground: context.color(.bar)), clip: clip)
      }
      let figures = NumberFormat.fixed(mean, 2) + "±" + NumberFormat.fixed(sigma, 2)
      buffer.write(
        figures, x: x + 4 + width, y: y + row, maxWidth: max(0, clip.maxX - x - 4 - width), foreground: color)
    }
  }

  /// The plane shaded by the entropy of the averaged prediction (bright: the passes disagree),
  /// with the decision regions' data points on top.
  private func uncertaintyPlane(_ p: DropoutUncertainty.Plane, in area: Rect, into buffer: inout Buffer) {
    guard area.width > 2, area.height > 2 else { return }
    let colored = context.glyphs.unicode && !context.theme.isMonochrome
    let ramp: [Unicode.Scalar] = [" ", ".", ":", "-", "=", "+", "*", "#", "%", "@"]
    let (legendRow, plot) = area.splitTop(1)
    // The scale itself, then what the points are.
    var x = legendRow.x + 1
    x += buffer.write("every pass agrees ", x: x, y: legendRow.y, foreground: context.color(.muted))
    for k in 0..<10 {
      let level = Double(k) / 9
      let v = UInt8(20 + level * 200)
      buffer.put(
        x + k, legendRow.y,
        colored ? Cell(" ", background: .rgb(v, v, v)) : Cell(ramp[k], foreground: context.color(.muted)))
    }
    x += 10
    let points = colored ? "● train ○ validation" : "digits: class (validation underlined)"
    buffer.write(
      " a coin toss among the classes · " + points, x: x, y: legendRow.y,
      maxWidth: max(0, legendRow.maxX - x - 1),
      foreground: context.color(.muted))
    for y in 0..<plot.height {
      let r = min(p.rows - 1, y * p.rows / plot.height)
      for x in 0..<plot.width {
        let c = min(p.columns - 1, x * p.columns / plot.width)
        let level = Double(p.entropy[r * p.columns + c]) / 255
        let cell: Cell
        if colored {
          let v = UInt8(20 + level * 200)
          cell = Cell(" ", background: .rgb(v, v, v))
        } else {
          cell = Cell(
            ramp[min(ramp.count - 1, Int(level * Double(ramp.count - 1)))], foreground: context.color(.muted))
        }
        buffer.put(plot.x + x, plot.y + y, cell)
      }
    }
    guard let grid = state.decisionGrid else { return }
    plotPoints(grid.points, xRange: p.xRange, yRange: p.yRange, in: plot, colored: colored, into: &buffer)
  }
}

/// The uncertainty view's sizes: ten class rows fit beside a 28 × 28 digit drawn 14 rows tall.
enum DropoutUncertaintyView {
  static let classRows = 10
  static let barWidth = 12
  /// "▸7 " + bar + " 0.41±0.12"
  static let barBlockWidth = 3 + barWidth + 1 + 9
}

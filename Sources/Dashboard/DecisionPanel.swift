import RunModel
import SystemIO
import Terminal

extension Panels {
  /// The plane of a 2-D dataset coloured by the network's prediction (darker where it is less
  /// sure), with training points (●) and validation points (○) in their true class's colour.
  func decisionRegions(in rect: Rect, into buffer: inout Buffer) {
    let title =
      state.decisionGrid.map { "Decision regions (epoch \(Int(saturating: $0.epoch)))" } ?? "Decision regions"
    guard
      let (inner, g) = frame(
        title, note: "● train  ○ validation", content: state.decisionGrid,
        waiting: labWaiting(
          "2-D classification sets only (xor, circles, spiral, gaussians), after the first epoch"),
        in: rect, into: &buffer)
    else { return }
    guard inner.width > 2, inner.height > 2 else { return }
    let colors = context.theme.seriesColors
    let colored = context.glyphs.unicode && !context.theme.isMonochrome
    let regionGlyphs: [Unicode.Scalar] = [".", "-", ":", "+", "~", "="]
    for y in 0..<inner.height {
      let r = min(g.rows - 1, y * g.rows / inner.height)
      for x in 0..<inner.width {
        let c = min(g.columns - 1, x * g.columns / inner.width)
        let label = Int(g.predictions[r * g.columns + c])
        let sure = Double(g.confidence[r * g.columns + c]) / 9
        if colored, case .rgb(let cr, let cg, let cb) = colors[label % colors.count] {
          // Blend the class colour towards black: 25 % at a coin toss, 60 % when certain.
          let f = 0.25 + 0.35 * max(0, (sure - 0.5) * 2)
          let shade = Color.rgb(UInt8(Double(cr) * f), UInt8(Double(cg) * f), UInt8(Double(cb) * f))
          buffer.put(inner.x + x, inner.y + y, Cell(" ", background: shade))
        } else {
          buffer.put(
            inner.x + x, inner.y + y,
            Cell(regionGlyphs[label % regionGlyphs.count], foreground: context.color(.muted)))
        }
      }
    }
    plotPoints(g.points, xRange: g.xRange, yRange: g.yRange, in: inner, colored: colored, into: &buffer)
  }

  /// Data points over a plane: training ● and validation ○ in their class's colour (digits,
  /// validation underlined, without colour).
  func plotPoints(
    _ points: [DecisionGrid.Point], xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, in inner: Rect,
    colored: Bool, into buffer: inout Buffer
  ) {
    let colors = context.theme.seriesColors
    let xSpan = xRange.upperBound - xRange.lowerBound
    let ySpan = yRange.upperBound - yRange.lowerBound
    guard xSpan > 0, ySpan > 0 else { return }
    for p in points where p.label >= 0 {
      let fx = (p.x - xRange.lowerBound) / xSpan * Double(inner.width)
      let fy = (yRange.upperBound - p.y) / ySpan * Double(inner.height)
      guard fx.isFinite, fy.isFinite, fx >= 0, fy >= 0, fx < Double(inner.width), fy < Double(inner.height)
      else { continue }
      let x = inner.x + Int(fx)
      let y = inner.y + Int(fy)
      var cell = buffer[x, y]
      if colored {
        cell.character = p.validation ? "○" : "●"
        cell.foreground = colors[p.label % colors.count]
      } else {
        cell.character = Unicode.Scalar(UInt8(48 + p.label % 10))
        cell.foreground = .terminalDefault
        if p.validation { cell.style = .underline }
      }
      cell.style.insert(.bold)
      buffer[x, y] = cell
    }
  }
}

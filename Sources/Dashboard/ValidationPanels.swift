import RunModel
import SystemIO
import Terminal

extension Panels {
  /// The validation confusion matrix: rows are true labels, columns predictions; the diagonal in
  /// the "good" colour, each row's largest confusion in the "bad" one, recall at the end.
  func confusion(in rect: Rect, into buffer: inout Buffer) {
    let title =
      state.validationDetail.map { "Confusion (validation, epoch \(Int(saturating: $0.epoch)))" }
      ?? "Confusion"
    guard
      let (inner, d) = frame(
        title, note: "rows: true · columns: predicted", content: state.validationDetail,
        waiting: labWaiting("after the first epoch (classification only)"), in: rect, into: &buffer)
    else { return }
    let k = d.classes
    let largest = d.confusion.max() ?? 0
    let width = max(5, String(largest).count + 2)
    buffer.write("true", x: inner.x, y: inner.y, foreground: context.color(.muted))
    for c in 0..<k {
      buffer.write(
        pad(String(c), width, right: true), x: inner.x + 5 + c * width, y: inner.y,
        foreground: context.color(.axis))
    }
    buffer.write("  recall", x: inner.x + 5 + k * width, y: inner.y, foreground: context.color(.muted))
    for r in 0..<k {
      let y = inner.y + 1 + r
      guard y < inner.maxY else { break }
      buffer.write(String(r), x: inner.x + 1, y: y, foreground: context.color(.axis))
      let row = Array(d.confusion[(r * k)..<((r + 1) * k)])
      let total = row.reduce(0, +)
      let worst = (0..<k).filter { $0 != r }.max { row[$0] < row[$1] }
      for c in 0..<k {
        let count = row[c]
        let role: ThemeRole =
          c == r ? .good : (count > 0 && c == worst ? .bad : (count > 0 ? .foreground : .muted))
        buffer.write(
          pad(String(count), width, right: true), x: inner.x + 5 + c * width, y: y,
          foreground: context.color(role),
          style: c == r ? .bold : [])
      }
      let recall = total > 0 ? Double(row[r]) / Double(total) : 0
      buffer.write(
        "  " + NumberFormat.percent(recall), x: inner.x + 5 + k * width, y: y,
        foreground: context.color(recall < 0.9 ? .warning : .foreground))
    }
  }

  /// Misclassified validation digits, drawn two pixels per cell with half blocks in grey levels
  /// (or density characters without colour), each with its true → predicted label.
  func gallery(in rect: Rect, into buffer: inout Buffer) {
    guard
      let (inner, d) = frame(
        "Misclassified (validation)", note: "true → predicted",
        content: state.validationDetail.flatMap { $0.mistakes.isEmpty ? nil : $0 },
        waiting: labWaiting("after the first epoch: none yet"), in: rect, into: &buffer)
    else { return }
    guard d.imageRows > 0, d.imageCols > 0 else {
      let list = d.mistakes.prefix(20).map { "\($0.label)→\($0.predicted)" }.joined(separator: "  ")
      buffer.write(
        "not images: " + list, x: inner.x + 1, y: inner.y, maxWidth: inner.width - 2,
        foreground: context.color(.foreground))
      return
    }
    let tileWidth = d.imageCols + 2
    let tileHeight = (d.imageRows + 1) / 2 + 1
    let perRow = max(1, inner.width / tileWidth)
    let rows = max(1, inner.height / tileHeight)
    for (i, mistake) in d.mistakes.prefix(perRow * rows).enumerated() {
      let x0 = inner.x + (i % perRow) * tileWidth
      let y0 = inner.y + (i / perRow) * tileHeight
      guard mistake.pixels.count == d.imageRows * d.imageCols else { continue }
      drawImage(
        mistake.pixels, rows: d.imageRows, cols: d.imageCols, x: x0, y: y0, clip: inner, into: &buffer)
      let label = "\(mistake.label) → \(mistake.predicted)"
      buffer.write(
        label, x: x0 + (d.imageCols - label.unicodeScalars.count) / 2, y: y0 + tileHeight - 1,
        maxWidth: max(0, inner.maxX - x0), foreground: context.color(.highlight))
    }
  }

  /// A greyscale image two pixels per cell, with half blocks in grey levels (or density
  /// characters without colour); `(rows + 1) / 2` cells tall and `cols` wide.
  func drawImage(
    _ pixels: [UInt8], rows: Int, cols: Int, x x0: Int, y y0: Int, clip: Rect, into buffer: inout Buffer
  ) {
    guard rows > 0, cols > 0, pixels.count == rows * cols else { return }
    let shaded = context.glyphs.unicode && !context.theme.isMonochrome
    let ramp: [Unicode.Scalar] = [" ", ".", ":", "-", "=", "+", "*", "#", "%", "@"]
    for cy in 0..<((rows + 1) / 2) {
      for cx in 0..<cols {
        let top = pixels[(2 * cy) * cols + cx]
        let bottom = 2 * cy + 1 < rows ? pixels[(2 * cy + 1) * cols + cx] : 0
        let cell =
          shaded
          ? Cell("▀", foreground: .rgb(top, top, top), background: .rgb(bottom, bottom, bottom))
          : Cell(ramp[Int(max(top, bottom)) * (ramp.count - 1) / 255])
        buffer.put(x0 + cx, y0 + cy, cell, clip: clip)
      }
    }
  }

  private func pad(_ s: String, _ width: Int, right: Bool) -> String {
    let fill = String(repeating: " ", count: max(0, width - s.count))
    return right ? fill + s : s + fill
  }
}

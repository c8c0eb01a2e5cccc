/// A bordered panel with a title, the frame of every dashboard panel.
public struct BoxWidget {
  public var title: String
  /// Text right-aligned on the top border (e.g. a toggle's state).
  public var note: String
  /// Text on the bottom border, left out whole when it does not fit.
  public var footer: String
  public var selected: Bool

  public init(title: String, note: String = "", footer: String = "", selected: Bool = false) {
    self.title = title
    self.note = note
    self.footer = footer
    self.selected = selected
  }

  /// Draws the frame and returns the inner area.
  @discardableResult
  public func render(in rect: Rect, buffer: inout Buffer, context: RenderContext) -> Rect {
    guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
    let g = context.glyphs
    let border = context.color(selected ? .highlight : .border)
    let cell = { (c: Unicode.Scalar) in Cell(c, foreground: border) }
    for x in (rect.x + 1)..<(rect.maxX - 1) {
      buffer.put(x, rect.y, cell(g.horizontal))
      buffer.put(x, rect.maxY - 1, cell(g.horizontal))
    }
    for y in (rect.y + 1)..<(rect.maxY - 1) {
      buffer.put(rect.x, y, cell(g.vertical))
      buffer.put(rect.maxX - 1, y, cell(g.vertical))
    }
    buffer.put(rect.x, rect.y, cell(g.topLeft))
    buffer.put(rect.maxX - 1, rect.y, cell(g.topRight))
    buffer.put(rect.x, rect.maxY - 1, cell(g.bottomLeft))
    buffer.put(rect.maxX - 1, rect.maxY - 1, cell(g.bottomRight))
    if !title.isEmpty && rect.width > 4 {
      buffer.write(
        " \(title) ", x: rect.x + 1, y: rect.y, maxWidth: rect.width - 2, foreground: context.color(.title),
        style: .bold)
    }
    if !note.isEmpty {
      let text = " \(note) "
      let used = title.unicodeScalars.count + 4
      let room = rect.width - 2 - used
      if room >= text.unicodeScalars.count {
        buffer.write(
          text, x: rect.maxX - 1 - text.unicodeScalars.count, y: rect.y, foreground: context.color(.muted))
      }
    }
    if !footer.isEmpty && footer.unicodeScalars.count + 4 <= rect.width {
      buffer.write(" \(footer) ", x: rect.x + 1, y: rect.maxY - 1, foreground: context.color(.muted))
    }
    return rect.inset(1)
  }
}

import RunModel
import SystemIO
import Terminal

/// Lays out the panels for a terminal size and draws one frame into a buffer.
struct DashboardRenderer {
  let state: DashboardState
  let view: ViewOptions
  let now: Double
  var context: RenderContext { view.context }

  func render(width: Int, height: Int) -> Buffer {
    var buffer = Buffer(
      width: width, height: height,
      fill: Cell(" ", foreground: context.color(.foreground), background: context.color(.background)))
    let minimum = ViewOptions.minimumSize
    guard width >= minimum.width, height >= minimum.height else {
      renderTooSmall(into: &buffer)
      if !context.glyphs.unicode { buffer.transliterateToASCII() }
      return buffer
    }
    let (headerArea, rest) = buffer.bounds.splitTop(2)
    let status = statusLines(width: width)
    let (body, statusArea) = rest.splitBottom(status.lines.count)
    renderHeader(in: headerArea, into: &buffer)
    renderStatus(status, in: statusArea, into: &buffer)
    if let zoom = view.zoom {
      renderPanel(zoom, in: body, into: &buffer)
    } else {
      let bottomHeight = height >= 30 ? 8 : 7
      let (upper, bottom) = body.splitBottom(bottomHeight)
      let rows = upper.rows(weights: [11, 9])
      let charts = rows[0].columns(2)
      let layers = rows[1].columns(2)
      renderPanel(.loss, in: charts[0], into: &buffer)
      renderPanel(.accuracy, in: charts[1], into: &buffer)
      renderPanel(.activations, in: layers[0], into: &buffer)
      renderPanel(.gradients, in: layers[1], into: &buffer)
      if bottom.width >= 130 {
        // Wide enough for the layer health table between the reading and the knobs.
        let (fit, rest) = bottom.splitLeft(bottom.width - 46 - 38)
        let (health, knobs) = rest.splitLeft(46)
        renderPanel(.fit, in: fit, into: &buffer)
        renderPanel(.health, in: health, into: &buffer)
        renderPanel(.hyperparameters, in: knobs, into: &buffer)
      } else {
        let (fit, knobs) = bottom.splitLeft(bottom.width * 3 / 5)
        renderPanel(.fit, in: fit, into: &buffer)
        renderPanel(.hyperparameters, in: knobs, into: &buffer)
      }
    }
    if view.lessonVisible, let lesson = state.lesson {
      renderLesson(lesson, in: buffer.bounds, into: &buffer)
    }
    if view.helpVisible { renderHelp(in: buffer.bounds, into: &buffer) }
    if !context.glyphs.unicode { buffer.transliterateToASCII() }
    return buffer
  }

  func renderPanel(_ panel: Panel, in rect: Rect, into buffer: inout Buffer) {
    let panels = Panels(state: state, view: view)
    switch panel {
    case .loss: panels.loss(in: rect, into: &buffer)
    case .accuracy: panels.accuracy(in: rect, into: &buffer)
    case .activations: panels.activations(in: rect, into: &buffer)
    case .gradients: panels.gradients(in: rect, into: &buffer)
    case .health: panels.health(in: rect, into: &buffer)
    case .confusion: panels.confusion(in: rect, into: &buffer)
    case .gallery: panels.gallery(in: rect, into: &buffer)
    case .decisionRegions: panels.decisionRegions(in: rect, into: &buffer)
    case .trajectory: panels.trajectory(in: rect, into: &buffer)
    case .learningRateFinder: panels.learningRateFinder(in: rect, into: &buffer)
    case .fit: panels.fit(in: rect, into: &buffer)
    case .uncertainty: panels.uncertainty(in: rect, into: &buffer)
    case .hyperparameters: panels.hyperparameters(in: rect, into: &buffer)
    }
  }

  // MARK: Header and status

  func stateColor() -> Color {
    switch state.runState {
    case .running: return context.color(.good)
    case .paused, .starting: return context.color(.warning)
    case .diverged, .interrupted: return context.color(.bad)
    case .finished(let outcome): return context.color(outcome == .diverged ? .bad : .highlight)
    }
  }

  func renderHeader(in rect: Rect, into buffer: inout Buffer) {
    let fg = context.color(.foreground)
    let muted = context.color(.muted)
    var x = rect.x + 1
    x += buffer.write("nntop", x: x, y: rect.y, foreground: context.color(.title), style: .bold) + 2
    if let h = state.header {
      // Whole parts, the least telling (batch size) left out first: never "5000 t". The train
      // size is the one in use (the e/E keys change it).
      let reserved = (view.badge?.unicodeScalars.count ?? 0) + 18
      // A run's name (another writer's `name=` can be 200 characters) gives up its end before the
      // network is left out: a long one had left the header reading "nntop" alone.
      let parts = [
        RunNames.fitted(h.dataset.printable(), among: [], width: max(12, (rect.maxX - x - reserved) / 3)),
        h.network.summary, h.optimizer.rawValue, "batch \(h.batchSize)", "\(state.trainSize) train",
      ]
      let description = Self.fitting(parts, width: rect.maxX - x - reserved, dropFirst: [3, 4, 2])
      x += buffer.write(description, x: x, y: rect.y, maxWidth: rect.maxX - x - reserved, foreground: fg)
    }
    let badge = view.badge.map { " \($0) · \(state.runState.label) " } ?? " \(state.runState.label) "
    buffer.write(
      badge, x: rect.maxX - badge.unicodeScalars.count - 1, y: rect.y, foreground: stateColor(),
      style: [.bold, .reverse])
    // Second line: progress, once there is a run to measure (a watched log may not exist yet).
    let y = rect.y + 1
    var cx = rect.x + 1
    guard state.header != nil else {
      buffer.write("waiting for the run to start", x: cx, y: y, maxWidth: rect.width - 2, foreground: muted)
      return
    }
    let totalEpochs = max(1, state.totalEpochs)
    let epochText = "epoch \(state.epochNumber)/\(totalEpochs)"
    cx += buffer.write(epochText, x: cx, y: y, foreground: fg) + 1
    // A writer that did not say its length (the PyTorch client without `epochs=`) has no total.
    var parts = [state.totalSteps > 0 ? "step \(state.step)/\(state.totalSteps)" : "step \(state.step)"]
    var pace = -1
    if let rate = view.pace, !view.readOnly {
      pace = parts.count
      parts.append("pace \(NumberFormat.compact(rate))/s")
    }
    let speed = parts.count
    parts.append(
      "\(NumberFormat.count(state.samplesPerSecond(pace: view.readOnly ? nil : view.pace))) samples/s")
    parts.append("elapsed \(NumberFormat.duration(state.elapsed(now: now)))")
    // A replay's remaining time would be the recorded run's, not anything the viewer waits for.
    if view.feed != .replay, let eta = state.remaining(now: now, pace: view.readOnly ? nil : view.pace) {
      parts.append("ETA \(NumberFormat.duration(eta))")
    }
    // The bar gives way first (down to 10 cells), then whole parts, samples/s and the pace before
    // the time left: at 80 columns the ETA used to be the part that fell off.
    let room = rect.maxX - cx - 1
    let full = parts.joined(separator: " · ").unicodeScalars.count
    let barWidth = max(10, min(30, rect.width / 5, room - 1 - full))
    let text = Self.fitting(parts, width: room - barWidth - 1, dropFirst: [speed, pace])
    let fraction = state.totalSteps > 0 ? Double(state.step) / Double(state.totalSteps) : 0
    ProgressBar(fraction: fraction).render(
      in: Rect(x: cx, y: y, width: barWidth, height: 1), buffer: &buffer, context: context)
    cx += barWidth + 1
    buffer.write(text, x: cx, y: y, maxWidth: rect.maxX - cx - 1, foreground: muted)
  }

  /// `parts` joined by " · " within `width`: the parts at `dropFirst` (in that order) are left out
  /// until it fits, then trailing parts; a part is shown whole or not at all.
  static func fitting(_ parts: [String], width: Int, dropFirst: [Int]) -> String {
    var kept = Array(repeating: true, count: parts.count)
    func text() -> String { zip(parts, kept).filter(\.1).map(\.0).joined(separator: " · ") }
    for index in dropFirst where index >= 0 && index < parts.count {
      guard text().unicodeScalars.count > width else { break }
      kept[index] = false
    }
    while text().unicodeScalars.count > width, let last = kept.lastIndex(of: true) { kept[last] = false }
    return text()
  }

  /// The status bar's rows: the message beside the key hint; a longer message takes the hint's
  /// place, and one longer still wraps onto a second row (the panels give it up) rather than
  /// losing its end ("… lower the learning rate (l) and resume (space)").
  func statusLines(width: Int) -> (lines: [String], hint: Bool) {
    let hintWidth = Self.statusHint.unicodeScalars.count
    let length = state.message.unicodeScalars.count
    if length <= width - hintWidth - 2 { return ([state.message], true) }
    if length <= width - 2 { return ([state.message], false) }
    return (Array(TextWrap.lines(state.message, width: width - 2).prefix(2)), false)
  }

  static var statusHint: String { "\(KeyMap.label(.help)) help  \(KeyMap.label(.quit)) quit " }

  func renderStatus(_ status: (lines: [String], hint: Bool), in rect: Rect, into buffer: inout Buffer) {
    if status.hint {
      let hint = Self.statusHint
      buffer.write(
        hint, x: rect.maxX - hint.unicodeScalars.count, y: rect.y, foreground: context.color(.muted))
    }
    let color = context.color(state.messageIsWarning ? .warning : .foreground)
    for (i, line) in status.lines.enumerated() {
      buffer.write(line, x: rect.x + 1, y: rect.y + i, maxWidth: rect.width - 2, foreground: color)
    }
  }

  func renderTooSmall(into buffer: inout Buffer) {
    let minimum = ViewOptions.minimumSize
    let lines = [
      "terminal too small",
      "need \(minimum.width)×\(minimum.height), have \(buffer.width)×\(buffer.height)",
      tooSmallProgress,
      "q quits",
    ]
    let top = max(0, (buffer.height - lines.count) / 2)
    for (i, line) in lines.enumerated() where top + i < buffer.height {
      let text = context.glyphs.unicode ? line : line.replacing("×", with: "x")
      let x = max(0, (buffer.width - text.unicodeScalars.count) / 2)
      buffer.write(
        text, x: x, y: top + i, foreground: context.color(i == 0 ? .warning : .foreground),
        style: i == 0 ? .bold : [])
    }
  }

  /// What goes on behind the notice: a replay or a watch trains nothing here ("training
  /// continues" had been said of a replay).
  var tooSmallProgress: String {
    guard state.runState == .running else {
      return "\(state.runState.label.lowercased()): step \(state.step)"
    }
    switch view.feed {
    case .live: return "training continues: step \(state.step)"
    case .replay: return "the replay continues: step \(state.step)"
    case .watch: return "still watching: step \(state.step)"
    }
  }

  // MARK: Help

  /// Every binding in as few columns as the height needs, as many as the width allows; the note
  /// on chart markers sits on the bottom border, so it never competes with a binding for a row.
  func renderHelp(in bounds: Rect, into buffer: inout Buffer) {
    let rows = KeyMap.helpBindings(for: view.feed, steers: view.canSteer).map { (KeyMap.label($0), $0.help) }
    let keyWidth = rows.map { $0.0.unicodeScalars.count }.max() ?? 4
    let textWidth = rows.map { $0.1.unicodeScalars.count }.max() ?? 10
    let columnWidth = keyWidth + 2 + textWidth + 2
    let maxRows = max(1, bounds.height - 2)
    let maxColumns = max(1, (bounds.width - 2) / columnWidth)
    let footer = "Chart markers: where a knob turned or the run paused."
    // Enough columns for the rows to fit the height and the box to hold the footer.
    var columns = 1
    while columns < maxColumns
      && ((rows.count + columns - 1) / columns > maxRows
        || columns * columnWidth + 2 < footer.unicodeScalars.count + 4)
    {
      columns += 1
    }
    let perColumn = (rows.count + columns - 1) / columns
    let visible = min(perColumn, maxRows)
    // A blank row above and below the bindings when the screen has them to spare.
    let margin = visible + 4 <= bounds.height ? 1 : 0
    let width = min(bounds.width, columns * columnWidth + 2)
    let height = visible + 2 + 2 * margin
    let rect = Rect(
      x: (bounds.width - width) / 2, y: (bounds.height - height) / 2, width: width, height: height)
    buffer.fill(
      rect, with: Cell(" ", foreground: context.color(.foreground), background: context.color(.background)))
    let inner = BoxWidget(
      title: "Keys", note: "any key closes", footer: footer, selected: true
    ).render(in: rect, buffer: &buffer, context: context)
    // Only a screen below the supported sizes runs out of cells: the last one counts what is left.
    let capacity = visible * columns
    let overflow = rows.count > capacity ? rows.count - capacity + 1 : 0
    for (i, row) in rows.prefix(capacity - overflow).enumerated() {
      let x = inner.x + 1 + (i / visible) * columnWidth
      let y = inner.y + margin + i % visible
      buffer.write(
        row.0, x: x, y: y, maxWidth: inner.maxX - x, foreground: context.color(.highlight), style: .bold)
      buffer.write(
        row.1, x: x + keyWidth + 2, y: y, maxWidth: inner.maxX - x - keyWidth - 2,
        foreground: context.color(.foreground))
    }
    if overflow > 0 {
      buffer.write(
        "+\(overflow) more on a larger screen", x: inner.x + 1 + (columns - 1) * columnWidth,
        y: inner.y + margin + visible - 1, maxWidth: columnWidth, foreground: context.color(.muted))
    }
  }
}

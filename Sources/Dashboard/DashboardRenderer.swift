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
    let (body, statusArea) = rest.splitBottom(1)
    renderHeader(in: headerArea, into: &buffer)
    renderStatus(in: statusArea, into: &buffer)
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
    case .hyperparameters: panels.hyperparameters(in: rect, into: &buffer)
    }
  }

  // MARK: Header and status

  func stateColor() -> Color {
    switch state.runState {
    case .running: return context.color(.good)
    case .paused, .starting: return context.color(.warning)
    case .diverged: return context.color(.bad)
    case .finished(let outcome): return context.color(outcome == .diverged ? .bad : .highlight)
    }
  }

  func renderHeader(in rect: Rect, into buffer: inout Buffer) {
    let fg = context.color(.foreground)
    let muted = context.color(.muted)
    var x = rect.x + 1
    x += buffer.write("nntop", x: x, y: rect.y, foreground: context.color(.title), style: .bold) + 2
    if let h = state.header {
      let description =
        "\(h.dataset) · \(h.network.summary) · \(h.optimizer.rawValue) · batch \(h.batchSize) · "
        + "\(h.trainCount) train"
      let reserved = (view.badge?.unicodeScalars.count ?? 0) + 18
      x += buffer.write(description, x: x, y: rect.y, maxWidth: rect.maxX - x - reserved, foreground: fg)
    }
    let badge = view.badge.map { " \($0) · \(state.runState.label) " } ?? " \(state.runState.label) "
    buffer.write(
      badge, x: rect.maxX - badge.unicodeScalars.count - 1, y: rect.y, foreground: stateColor(),
      style: [.bold, .reverse])
    // Second line: progress.
    let y = rect.y + 1
    var cx = rect.x + 1
    let totalEpochs = max(1, state.totalEpochs)
    let epochNumber = min(
      totalEpochs, Int(saturating: state.epoch.rounded(.down)) + (state.isFinished ? 0 : 1))
    let epochText = "epoch \(max(1, epochNumber))/\(totalEpochs)"
    cx += buffer.write(epochText, x: cx, y: y, foreground: fg) + 1
    let barWidth = max(10, min(30, rect.width / 5))
    let fraction = state.totalSteps > 0 ? Double(state.step) / Double(state.totalSteps) : 0
    ProgressBar(fraction: fraction).render(
      in: Rect(x: cx, y: y, width: barWidth, height: 1), buffer: &buffer, context: context)
    cx += barWidth + 1
    var parts = ["step \(state.step)/\(state.totalSteps)"]
    if let pace = view.pace, !view.readOnly { parts.append("pace \(NumberFormat.compact(pace))/s") }
    parts.append("\(NumberFormat.count(state.samplesPerSecond)) samples/s")
    parts.append("elapsed \(NumberFormat.duration(state.elapsed(now: now)))")
    if let eta = state.remaining(now: now) { parts.append("ETA \(NumberFormat.duration(eta))") }
    // Whole parts only: a part that does not fit is left out, never cut mid-word.
    var text = ""
    for part in parts {
      let next = text.isEmpty ? part : text + " · " + part
      guard next.unicodeScalars.count <= rect.maxX - cx - 1 else { break }
      text = next
    }
    buffer.write(text, x: cx, y: y, maxWidth: rect.maxX - cx - 1, foreground: muted)
  }

  func renderStatus(in rect: Rect, into buffer: inout Buffer) {
    let hint = "\(KeyMap.label(.help)) help  \(KeyMap.label(.quit)) quit "
    let hintWidth = hint.unicodeScalars.count
    buffer.write(
      hint, x: rect.maxX - hintWidth, y: rect.y, foreground: context.color(.muted))
    let color = context.color(state.messageIsWarning ? .warning : .foreground)
    buffer.write(
      state.message, x: rect.x + 1, y: rect.y, maxWidth: rect.width - hintWidth - 2, foreground: color)
  }

  func renderTooSmall(into buffer: inout Buffer) {
    let minimum = ViewOptions.minimumSize
    let lines = [
      "terminal too small",
      "need \(minimum.width)×\(minimum.height), have \(buffer.width)×\(buffer.height)",
      state.runState == .running
        ? "training continues: step \(state.step)"
        : "\(state.runState.label.lowercased()): step \(state.step)",
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

  // MARK: Help

  func renderHelp(in bounds: Rect, into buffer: inout Buffer) {
    let rows = (view.readOnly ? KeyMap.replayBindings : KeyMap.bindings).map { (KeyMap.label($0), $0.help) }
    let keyWidth = rows.map { $0.0.unicodeScalars.count }.max() ?? 4
    let textWidth = rows.map { $0.1.unicodeScalars.count }.max() ?? 10
    let columns = rows.count + 4 > bounds.height ? 2 : 1
    let perColumn = (rows.count + columns - 1) / columns
    let columnWidth = keyWidth + 2 + textWidth + 2
    let width = min(bounds.width - 2, columns * columnWidth + 2)
    let height = min(bounds.height - 2, perColumn + 4)
    // The footer takes the last row only when every binding still fits above it.
    let footer = perColumn + 4 <= height
    let rect = Rect(
      x: (bounds.width - width) / 2, y: (bounds.height - height) / 2, width: width, height: height)
    buffer.fill(
      rect, with: Cell(" ", foreground: context.color(.foreground), background: context.color(.background)))
    let inner = BoxWidget(title: "Keys", note: "any key closes", selected: true).render(
      in: rect, buffer: &buffer, context: context)
    for (i, row) in rows.enumerated() {
      let column = i / perColumn
      let y = inner.y + i % perColumn
      guard y < inner.maxY - (footer ? 1 : 0) else { continue }
      let x = inner.x + 1 + column * columnWidth
      buffer.write(
        row.0, x: x, y: y, maxWidth: inner.maxX - x, foreground: context.color(.highlight), style: .bold)
      buffer.write(
        row.1, x: x + keyWidth + 2, y: y, maxWidth: inner.maxX - x - keyWidth - 2,
        foreground: context.color(.foreground))
    }
    if footer {
      buffer.write(
        "Chart markers: where a knob turned or the run paused.", x: inner.x + 1, y: inner.maxY - 1,
        maxWidth: inner.width - 2, foreground: context.color(.muted))
    }
  }
}

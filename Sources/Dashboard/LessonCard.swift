import RunModel
import Terminal

/// The lesson's card: what to watch for and the fix, from the lesson table. A student who starts
/// `--scenario dead-relu` sees it before the first step (the run waits behind it), because the
/// screen takes over the terminal that printed the same text and the lesson happens in seconds.
extension DashboardRenderer {
  func renderLesson(_ lesson: Scenario, in bounds: Rect, into buffer: inout Buffer) {
    let width = min(bounds.width - 4, 78)
    let label = "watch for  "
    let textWidth = width - 4 - label.count
    var rows: [(label: String, text: String, role: ThemeRole)] = []
    for (name, text) in [("watch for", lesson.watchFor), ("fix", lesson.fix)] {
      if !rows.isEmpty { rows.append(("", "", .foreground)) }
      for (i, line) in TextWrap.lines(text, width: textWidth).enumerated() {
        rows.append((i == 0 ? name : "", line, .foreground))
      }
    }
    if let header = state.header,
      let note = lesson.differenceNote(
        network: header.network, optimizer: header.optimizer, start: header.hyperparameters,
        epochs: header.epochs, trainCount: header.trainCount)
    {
      rows.append(("", "", .foreground))
      for line in TextWrap.lines(note, width: textWidth) { rows.append(("", line, .warning)) }
    }
    rows.append(("", "", .foreground))
    rows.append(("", lessonHint, .highlight))
    let height = min(bounds.height, rows.count + 4)
    let rect = Rect(
      x: (bounds.width - width) / 2, y: max(0, (bounds.height - height) / 2), width: width, height: height)
    buffer.fill(
      rect, with: Cell(" ", foreground: context.color(.foreground), background: context.color(.background)))
    let inner = BoxWidget(title: "Lesson: " + lesson.name, note: "any key closes", selected: true)
      .render(in: rect, buffer: &buffer, context: context)
    for (index, row) in rows.prefix(max(0, inner.height - 2)).enumerated() {
      let y = inner.y + 1 + index
      buffer.write(
        row.label, x: inner.x + 1, y: y, maxWidth: label.count, foreground: context.color(.highlight),
        style: .bold)
      buffer.write(
        row.text, x: inner.x + 1 + label.count, y: y, maxWidth: textWidth,
        foreground: context.color(row.role))
    }
  }

  /// What the next key does: a lesson waiting at its first step starts on space.
  private var lessonHint: String {
    let space = KeyMap.label(.togglePause)
    let again = KeyMap.label(.lesson) + " shows this card again"
    if lessonWaitsToStart(view, state) {
      return "\(space) starts the lesson · \(again)"
    }
    return again
  }
}

/// A live lesson still paused at step 0 behind its card: the one time a key on the card does
/// more than close it (space starts the lesson, as the card says). On a card brought back with
/// `i` mid-run, space only closes it: it had paused the run as well.
func lessonWaitsToStart(_ view: ViewOptions, _ state: DashboardState) -> Bool {
  view.feed == .live && state.runState == .paused && state.step == 0
}

import Diagnosis
import RunModel
import Terminal

extension Panels {
  /// The diagnosis: the top finding (verdict and the action with its key, the reason, the numbers
  /// behind it), the outcome, its remark, then the latest epoch, then the next finding. Text wraps between
  /// words; when rows run out the later, less important lines are the ones left out, whole (a
  /// line cut after its first row read "… val loss 0.434 · acc" with the numbers gone).
  func fit(in rect: Rect, into buffer: inout Buffer) {
    let inner = BoxWidget(title: "Diagnosis").render(in: rect, buffer: &buffer, context: context)
    guard inner.width > 2, inner.height > 0 else { return }
    let findings = Diagnosis.findings(for: state.history)
    let top = findings[0]
    let width = inner.width - 2
    var rows: [(text: String, role: ThemeRole, bold: Bool)] = []
    var full = false
    func add(_ text: String, _ role: ThemeRole, bold: Bool = false) {
      let lines = TextWrap.lines(text, width: width)
      // The verdict may be cut by the panel's edge; anything after it shows whole or not at all.
      full = full || (!rows.isEmpty && rows.count + lines.count > inner.height)
      guard !full else { return }
      for line in lines { rows.append((line, role, bold)) }
    }
    add(
      top.verdict.uppercased() + " → " + actionText(top.action), role(of: top.kind), bold: true)
    add(top.reason, .foreground)
    // The evidence often restates the reason's numbers; show it when it adds some.
    if !top.reason.contains(String(top.evidence.prefix(16))) { add(top.evidence, .foreground) }
    if let outcome = outcomeLine(), top.kind != .diverging { add(outcome, .highlight) }
    // The remark before the epoch's numbers: it is often why the action is what it is ("high
    // variance → keep training" read as a contradiction at 80×24 with its "train size changed at
    // step 136: the next epoch shows what it did" left out).
    if let remark = top.remark { add(remark, .muted) }
    if let epoch = epochLine() { add(epoch, .muted) }
    for next in findings.dropFirst().prefix(2) where next.kind.isProblem {
      add("also " + next.summary(keys: Self.keyLabel, nntopFlags: nntopFlags), .muted)
    }
    for (index, row) in rows.prefix(inner.height).enumerated() {
      buffer.write(
        row.text, x: inner.x + 1, y: inner.y + index, maxWidth: width, foreground: context.color(row.role),
        style: row.bold ? .bold : [])
    }
  }

  /// Keys as the key map binds them.
  static func keyLabel(_ knob: Knob, _ up: Bool) -> String { KeyMap.key(for: knob, up: up) }

  /// The action with its key: knob keys from the key map, and resuming names the pause key.
  private func actionText(_ action: Action) -> String {
    action == .resume
      ? "resume (\(KeyMap.label(.togglePause)))" : action.text(keys: Self.keyLabel, nntopFlags: nntopFlags)
  }

  /// A run nntop's own trainer wrote takes `nntop train` flags; another program's run is told the
  /// settings in words.
  private var nntopFlags: Bool { state.header?.writer == nil }

  private func role(of kind: Finding.Kind) -> ThemeRole {
    switch kind {
    case .diverging, .explodingLoss, .explodingGradients: return .bad
    case .goodFit, .stillImproving: return .good
    case .warmingUp, .settling, .epochsNotLogged: return .muted
    default: return kind.isProblem ? .warning : .foreground
    }
  }

  private func epochLine() -> String? {
    guard let last = state.epochs.last else { return nil }
    var line =
      "epoch \(last.epoch): train loss \(NumberFormat.compact(last.trainLoss)) · "
      + "val loss \(NumberFormat.compact(last.validationLoss))"
    if let ta = last.trainAccuracy, let va = last.validationAccuracy {
      line += " · acc \(NumberFormat.percent(ta)) / \(NumberFormat.percent(va))"
    }
    // The loop's own metrics (a PyTorch run's `run.epoch(f1=…)`) last: a narrow panel cuts them first.
    for metric in last.sortedMetrics { line += " · \(metric.name) \(NumberFormat.compact(metric.value))" }
    return line
  }

  private func outcomeLine() -> String? {
    if let accuracy = state.testAccuracy { return "test accuracy \(NumberFormat.percent(accuracy))" }
    if let loss = state.testLoss { return "test loss \(NumberFormat.compact(loss))" }
    if let d = state.divergence, state.runState == .diverged {
      return "diverged at step \(d.step): \(d.reason)"
    }
    return nil
  }
}

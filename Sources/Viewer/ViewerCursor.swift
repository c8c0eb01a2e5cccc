import EventFiles
import RunModel
import SystemIO

/// The cursor (a step of the selected run, moved with ← and →) and what stands on it: `f`, which
/// trains on from the checkpoint at or before it, and `h`, whose layers are those at it.
extension ViewerState {
  /// Where the cursor stops on the selected run: an nntop run's epoch ends (where its periodic
  /// checkpoints are), or else every step the run has a scalar or a histogram at.
  public var cursorStops: [Int64] {
    guard let run = selectedRun else { return [] }
    if let ends = run.origin?.epochEnds, !ends.isEmpty {
      return Array(Set(ends.map { Int64($0.step) })).sorted()
    }
    let steps =
      run.data.scalars.values.flatMap { $0.map(\.step) }
      + run.data.histograms.values.flatMap { $0.map(\.step) }
    return Array(Set(steps)).sorted()
  }

  /// "epoch 3 · step 360" at an epoch's end of a run log, "step 40" elsewhere.
  public var cursorLabel: String? {
    guard let cursor else { return nil }
    if let end = selectedRun?.origin?.epochEnds.last(where: { Int64($0.step) == cursor }) {
      return "epoch \(end.epoch) · step \(cursor)"
    }
    return "step \(cursor)"
  }

  /// From the latest, ← puts the cursor on the last stop; then each press moves one stop, and
  /// → past the last stop goes back to the latest.
  mutating func moveCursor(forward: Bool) {
    let stops = cursorStops
    guard !stops.isEmpty else {
      message = "no steps to put the cursor on yet"
      return
    }
    guard let current = cursor else {
      if !forward { cursor = stops.last }
      return
    }
    if forward {
      cursor = stops.first { $0 > current }
    } else {
      cursor = stops.last { $0 < current } ?? stops.first
    }
  }

  /// `f`: the selected run, from its last checkpoint at or before the cursor (or its last one).
  mutating func fork() {
    guard let run = selectedRun else { return }
    guard let origin = run.origin else {
      message = "f forks nntop run logs with checkpoints; \(run.name.printable()) is a TensorBoard run"
      return
    }
    if let problem = origin.forkCheck?(nil) {
      message = problem
      return
    }
    guard origin.checkpoints.contains(where: { $0.failure == nil }) else {
      message =
        "\(run.name.printable()) has no checkpoints: train with --checkpoint-every 1 to fork from any epoch"
      return
    }
    let step = cursor.map { Int(clamping: $0) } ?? Int.max
    guard let checkpoint = ForkPoint.checkpoint(in: origin.checkpoints, atOrBefore: step) else {
      message = ForkPoint.noCheckpoint(atOrBefore: step)
      return
    }
    if let problem = origin.forkCheck?(checkpoint) {
      message = problem
      return
    }
    forkRequest = ForkRequest(log: origin.path, checkpoint: checkpoint)
    quitRequested = true
  }
}

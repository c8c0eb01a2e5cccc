import RunModel
import Terminal

/// Everything a person did (or that stopped the run) at one step, drawn as one chart marker.
///
/// Keys pressed while paused all land at the pause's step; as separate markers their labels
/// would be drawn over one another and only one (often `pause`) would show. One label per step
/// says what changed: each knob once, from its value before the first change to after the last.
struct StepMark: Sendable {
  let step: Int
  let x: Double
  var diverged = false
  var paused = false
  /// Knobs in the order they were first turned at this step, with their first and last values.
  var turns: [(knob: Knob, from: Double, to: Double)] = []

  init(step: Int, x: Double) {
    self.step = step
    self.x = x
  }

  mutating func add(_ change: HyperparameterChange) {
    if let i = turns.firstIndex(where: { $0.knob == change.knob }) {
      turns[i].to = change.newValue
    } else {
      turns.append((change.knob, change.oldValue, change.newValue))
    }
  }

  /// "pause lr↑3 dropout↑0.45", "diverged lr↓0.5" (a divergence pauses by itself), "data↓500".
  var label: String {
    var parts = diverged ? ["diverged"] : paused ? ["pause"] : []
    for turn in turns {
      let arrow = turn.to > turn.from ? "↑" : turn.to < turn.from ? "↓" : "="
      let value = turn.knob.isCount ? String(Int(turn.to)) : NumberFormat.compact(turn.to)
      parts.append(turn.knob.markerName + arrow + value)
    }
    return parts.joined(separator: " ")
  }

  var marker: ChartMarker { ChartMarker(x: x, label: label) }
}

import EventFiles
import RunModel
import Terminal

/// What an nntop run log adds to its summaries: where it is, its epochs' ends (the cursor's
/// stops) and its checkpoints (where `f` can train on from). TensorBoard runs have none.
public struct RunLogOrigin: Sendable {
  public var path: String
  /// The step at which each epoch ended, by epoch number.
  public var epochEnds: [(epoch: Int, step: Int)]
  public var checkpoints: [CheckpointRecord]
  /// Whether `f` can start from a checkpoint of this log (nil: no check).
  public var forkCheck: ForkPoint.Check?

  public init(
    path: String, epochEnds: [(epoch: Int, step: Int)], checkpoints: [CheckpointRecord],
    forkCheck: ForkPoint.Check? = nil
  ) {
    self.path = path
    self.epochEnds = epochEnds
    self.checkpoints = checkpoints
    self.forkCheck = forkCheck
  }
}

/// One run on the viewer's charts.
public struct ViewedRun: Sendable {
  public var name: String
  public var data: RunData
  public var visible = true
  /// Set for an nntop run log.
  public var origin: RunLogOrigin?
  public init(name: String, data: RunData, origin: RunLogOrigin? = nil) {
    self.name = name
    self.data = data
    self.origin = origin
  }
}

/// `f`'s answer: train on from this checkpoint of this log (`nntop view` then starts the run).
public struct ForkRequest: Sendable, Equatable {
  public var log: String
  public var checkpoint: CheckpointRecord
  public init(log: String, checkpoint: CheckpointRecord) {
    self.log = log
    self.checkpoint = checkpoint
  }
}

/// What the viewer shows and how: the runs (each shown or hidden), the selected one, the
/// smoothing weight, log scales, the x axis, and a tag picked on its own.
public struct ViewerState: Sendable {
  public var runs: [ViewedRun] = []
  public var selected = 0
  /// Index into `Smoothing.weights`; TensorBoard's default weight is 0.6.
  public var smoothingIndex = 1
  public var logScale: Set<String> = []
  /// x is wall time since each run's first point instead of the step.
  public var wallTime = false
  /// A tag shown alone on one chart (the tag picker), or nil for the standard charts.
  public var picked: String?
  /// The chart `g` turns logarithmic.
  public var focus: ChartKind = .loss
  public var following = false
  /// The selected run's histograms (latest of each tag) instead of the charts.
  public var showsHistograms = false
  /// Files that stopped being read, and why (the footer shows the latest).
  public var warnings: [String] = []
  public var quitRequested = false
  /// The step the cursor stands on (drawn on every chart; `f` forks there, `h` shows the layers
  /// there), or nil: the latest.
  public var cursor: Int64?
  /// The answer to the last key, when it has one (why `f` cannot fork); the next key clears it.
  public var message: String?
  /// Set by `f` on a run log with a checkpoint at or before the cursor; the viewer then ends.
  public var forkRequest: ForkRequest?

  public init() {}

  public var smoothing: Double { Smoothing.weights[smoothingIndex % Smoothing.weights.count] }

  /// Takes in what the runs hold now, keeping each run's visibility by name.
  public mutating func update(_ latest: [(name: String, data: RunData)]) {
    update(latest.map { ViewedRun(name: $0.name, data: $0.data) })
  }

  public mutating func update(_ latest: [ViewedRun]) {
    let hidden = Set(runs.filter { !$0.visible }.map(\.name))
    runs = latest.map { run in
      var viewed = run
      viewed.visible = !hidden.contains(run.name)
      return viewed
    }
    selected = min(selected, max(0, runs.count - 1))
  }

  public var selectedRun: ViewedRun? { runs.indices.contains(selected) ? runs[selected] : nil }

  /// Every scalar tag of the shown runs, sorted.
  public var tags: [String] {
    Array(Set(runs.filter(\.visible).flatMap { $0.data.scalars.keys })).sorted()
  }

  /// The standard charts that have something to draw, in their order.
  public var charts: [ChartKind] {
    let present = Set(tags.compactMap(ChartKind.of))
    return ChartKind.allCases.filter(present.contains)
  }

  /// The name log scales are kept under: the picked tag, or the focused chart.
  var scaleKey: String { picked ?? focus.rawValue }

  public mutating func handle(_ key: Key) {
    guard let action = ViewerKeys.action(for: key) else { return }
    message = nil
    switch action {
    case .cursorBack, .cursorForward: moveCursor(forward: action == .cursorForward)
    case .cursorOff: cursor = nil
    case .fork: fork()
    case .quit: quitRequested = true
    case .back:
      if showsHistograms {
        showsHistograms = false
      } else if picked != nil {
        picked = nil
      } else {
        quitRequested = true
      }
    case .nextRun: selected = runs.isEmpty ? 0 : (selected + 1) % runs.count
    case .previousRun: selected = runs.isEmpty ? 0 : (selected + runs.count - 1) % runs.count
    case .toggleRun: if runs.indices.contains(selected) { runs[selected].visible.toggle() }
    case .solo:
      for i in runs.indices { runs[i].visible = i == selected }
    case .showAll:
      for i in runs.indices { runs[i].visible = true }
    case .nextTag, .previousTag:
      // A tag is a chart: from the layers, `t` and `c` go back to the charts (they did nothing).
      showsHistograms = false
      pickTag(forward: action == .nextTag)
    case .standardCharts:
      picked = nil
      showsHistograms = false
    case .smoother: smoothingIndex = (smoothingIndex + 1) % Smoothing.weights.count
    case .rougher: smoothingIndex = (smoothingIndex + Smoothing.weights.count - 1) % Smoothing.weights.count
    case .logScale:
      if logScale.contains(scaleKey) { logScale.remove(scaleKey) } else { logScale.insert(scaleKey) }
    case .xAxis: wallTime.toggle()
    case .histograms: showsHistograms.toggle()
    case .nextChart:
      let shown = charts
      if let i = shown.firstIndex(of: focus) {
        focus = shown[(i + 1) % shown.count]
      } else {
        focus = shown.first ?? .loss
      }
    }
  }

  private mutating func pickTag(forward: Bool) {
    let all = tags
    guard !all.isEmpty else { return }
    guard let current = picked, let i = all.firstIndex(of: current) else {
      picked = forward ? all.first : all.last
      return
    }
    picked = all[(i + (forward ? 1 : all.count - 1)) % all.count]
  }
}

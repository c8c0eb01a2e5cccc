import RunModel
import SystemIO
import Terminal

/// The dashboard's logic without a terminal: turns keys into commands and view changes, and
/// events into state. Tests drive it directly; the loop only adds a screen and a clock.
public final class DashboardController {
  public private(set) var state = DashboardState()
  public var view: ViewOptions
  public private(set) var quitRequested = false
  /// The checkpoint a replay's `f` asked to train on from (the loop ends; the command starts it).
  public private(set) var forkFrom: CheckpointRecord?
  /// Whether a replay's `f` can start from a checkpoint (nil: no check).
  public var forkCheck: ForkPoint.Check?
  /// Set for `nntop replay`: playback controls instead of training controls.
  public private(set) var replay: ReplayPlayer?
  private var lastTick: Double?

  public init(view: ViewOptions) { self.view = view }

  /// A replay controller: read-only, with the recorded events to play.
  public convenience init(view: ViewOptions, replay: ReplayPlayer) {
    var v = view
    v.feed = .replay
    self.init(view: v)
    self.replay = replay
    self.view.badge = replay.badge
  }

  /// Advances a replay to wall time `now`; returns whether anything changed on screen.
  @discardableResult
  public func tick(now: Double) -> Bool {
    guard let replay else { return false }
    let delta = lastTick.map { max(0, now - $0) } ?? 0
    lastTick = now
    let due = replay.advance(wall: delta)
    for i in due { state.apply(replay.events[i].event, now: replay.events[i].time) }
    if !due.isEmpty { noteEndOfLog() }
    if replay.skippedPause > 0 {
      say(state.message + " (\(NumberFormat.duration(replay.skippedPause)) of recorded pause skipped)")
    }
    let badge = replay.badge
    let changed = !due.isEmpty || badge != view.badge
    view.badge = badge
    return changed
  }

  /// Rebuilds the state from the first `count` recorded events (after a seek). The status line
  /// is what those events left there (at the end: the run's final line), unless the seek says
  /// where it landed.
  private func rebuild(upTo count: Int) {
    guard let replay else { return }
    state = DashboardState()
    for i in 0..<count { state.apply(replay.events[i].event, now: replay.events[i].time) }
    view.badge = replay.badge
    noteEndOfLog()
  }

  /// A replay at the end of a log without a finish: the run was interrupted, and the header
  /// says so instead of RUNNING.
  private func noteEndOfLog() {
    guard let replay, replay.atEnd else { return }
    state.markInterrupted("the log ends without a finish: the run was interrupted")
  }

  /// A watch found the run's writer gone without finishing its log.
  public func writerExited(_ reason: String) { state.markInterrupted(reason) }

  public func apply(_ event: RunEvent, now: Double) {
    state.apply(event, now: now)
    // A lesson opens on its card: the student reads what to watch for before it happens.
    if case .started = event, state.lesson != nil { view.lessonVisible = true }
  }

  /// Handles one key and returns the commands for the trainer, with the key as their source.
  public func handle(_ key: Key) -> [(Command, ChangeSource)] {
    if key == .resize { return [] }
    guard let action = KeyMap.action(for: key, feed: view.feed) else {
      if view.helpVisible { view.helpVisible = false }
      view.lessonVisible = false
      return []
    }
    if view.helpVisible && action != .quit {
      view.helpVisible = false
      return []
    }
    if view.lessonVisible && action != .quit {
      // Space closes the card and starts the lesson at once: the card says so. Help replaces it
      // (`?` had only closed it). Any other key, and space on a card brought back mid-run, only
      // closes it.
      let starts = action == .togglePause && lessonWaitsToStart(view, state)
      view.lessonVisible = false
      guard starts || action == .help else { return [] }
    }
    let source = ChangeSource.key(key.label)
    if let commands = control(action, source: source) { return commands }
    if !playback(action) { adjustView(action) }
    return []
  }

  /// Keys that steer the run (or end the session): the commands they send.
  private func control(_ action: DashboardAction, source: ChangeSource) -> [(Command, ChangeSource)]? {
    switch action {
    case .quit:
      quitRequested = true
      return []
    case .forkHere:
      fork()
      return []
    case .togglePause:
      guard steerable() else { return [] }
      switch state.runState {
      case .paused, .diverged: return sent(.resume, "resume", source)
      case .running, .starting: return sent(.pause, "pause", source)
      case .finished, .interrupted: return []
      }
    case .saveCheckpoint:
      guard steerable() else { return [] }
      say("saving a checkpoint before the next step")
      return sent(.checkpoint, "checkpoint", source)
    case .stopRun:
      guard steerable() else { return [] }
      return sent(.stop, "stop", source)
    case .findLearningRate:
      guard steerable() else { return [] }
      view.zoom = .learningRateFinder
      say("sweeping the learning rate before the next step (the weights are put back)")
      return [(.findLearningRate, source)]
    case .applySuggestedRate:
      guard steerable() else { return [] }
      guard let suggestion = state.learningRateSweep?.suggestion else {
        say("no suggestion yet: \(KeyMap.label(.findLearningRate)) runs the finder")
        return []
      }
      let old = state.value(of: .learningRate)
      guard suggestion != old else {
        say("the learning rate is already the finder's suggestion (\(NumberFormat.compact(old)))")
        return []
      }
      state.request(.set(suggestion), of: .learningRate)
      say(
        "learning rate \(NumberFormat.compact(old)) → \(NumberFormat.compact(suggestion)) (the finder's suggestion)"
      )
      return [(.set(.learningRate, suggestion), source)]
    case .slowDown, .speedUp:
      guard steerable() else { return [] }
      return changePace(faster: action == .speedUp, source: source)
    case .singleStep:
      guard steerable() else { return [] }
      if state.runState == .paused || state.runState == .diverged {
        return sent(.singleStep, "one step", source)
      }
      say("\(KeyMap.label(.singleStep)) steps once while paused (\(KeyMap.label(.togglePause)) pauses)")
      return []
    case .lower(let knob):
      return turn(knob, up: false, source: source)
    case .raise(let knob):
      return turn(knob, up: true, source: source)
    case .turnSelectedUp:
      return turn(view.selectedKnob, up: true, source: source)
    case .turnSelectedDown:
      return turn(view.selectedKnob, up: false, source: source)
    default: return nil
    }
  }

  /// Playback keys of a replay; false when `action` is not one.
  private func playback(_ action: DashboardAction) -> Bool {
    switch action {
    case .replayTogglePlay:
      replay?.togglePlaying()
      view.badge = replay?.badge
      return true
    case .replayFaster:
      replay?.faster()
      view.badge = replay?.badge
      return true
    case .replaySlower:
      replay?.slower()
      view.badge = replay?.badge
      return true
    case .replayBack, .replayForward:
      guard let replay else { return true }
      rebuild(upTo: replay.seek(epochs: action == .replayBack ? -1 : 1))
      if !replay.atEnd {
        // The same epoch number as the header's, with whether it is complete.
        let epoch = "epoch \(state.epochNumber)/\(state.totalEpochs)"
        let complete = state.epochs.count >= state.epochNumber
        say(state.step == 0 ? "at the start" : "at step \(state.step): \(complete ? "end of " : "")\(epoch)")
      }
      return true
    case .replayStart:
      guard let replay else { return true }
      rebuild(upTo: replay.jump(to: replay.startIndex))
      say("at the start")
      return true
    case .replayEnd:
      guard let replay else { return true }
      rebuild(upTo: replay.jump(to: replay.events.count))
      return true
    default: return false
    }
  }

  /// Keys that change only what is shown.
  private func adjustView(_ action: DashboardAction) {
    switch action {
    case .help:
      view.helpVisible = true
      return
    case .lesson:
      if state.lesson != nil {
        view.lessonVisible = true
      } else {
        say("not a lesson: `nntop scenarios` lists them, `--scenario NAME` runs one")
      }
      return
    case .closeOverlay:
      view.helpVisible = false
      view.lessonVisible = false
      return
    case .selectNextKnob:
      let all = Knob.allCases
      view.selectedKnob = all[(all.firstIndex(of: view.selectedKnob)! + 1) % all.count]
      return
    case .selectPreviousKnob:
      let all = Knob.allCases
      view.selectedKnob = all[(all.firstIndex(of: view.selectedKnob)! + all.count - 1) % all.count]
      return
    case .cycleTheme:
      view.themeIndex = (view.themeIndex + 1) % view.themes.count
      say("theme: \(view.theme.name)")
      return
    case .toggleLogScale:
      let chart = view.logTarget
      if view.logScale.remove(chart) == nil { view.logScale.insert(chart) }
      say("\(chart.rawValue) chart: \(view.logScale.contains(chart) ? "log" : "linear") scale")
      return
    case .focusNextChart:
      let charts = Panel.logScalable
      view.chartFocus = charts[((charts.firstIndex(of: view.chartFocus) ?? -1) + 1) % charts.count]
      say("\(KeyMap.label(.toggleLogScale)) now acts on the \(view.chartFocus.rawValue) chart")
      return
    case .toggleSmoothing:
      view.smoothingIndex = (view.smoothingIndex + 1) % Smoothing.weights.count
      say(
        view.smoothing > 0
          ? "training curves smoothed (EMA \(NumberFormat.compact(view.smoothing)), raw points faint behind)"
          : "smoothing off")
      return
    case .cycleZoom:
      let all = Panel.allCases
      if let zoom = view.zoom, let index = all.firstIndex(of: zoom) {
        view.zoom = index + 1 < all.count ? all[index + 1] : nil
      } else {
        view.zoom = all[0]
      }
      return
    case .zoom(let panel):
      view.zoom = view.zoom == panel ? nil : panel
      return
    case .unzoom:
      view.zoom = nil
      return
    default: break
    }
  }

  /// One step along the pace ladder; above its top is full speed.
  private func changePace(faster: Bool, source: ChangeSource) -> [(Command, ChangeSource)] {
    let ladder = ViewOptions.paceLadder
    let current = view.pace ?? .infinity
    // A pace below the ladder (`--pace 0.5`) stays put: slower never speeds up.
    let next: Double? = faster ? ladder.first { $0 > current } : (ladder.last { $0 < current } ?? current)
    guard next != view.pace else {
      say(
        faster
          ? "already at full speed" : "already at the slowest pace (\(NumberFormat.compact(current)) step/s)")
      return []
    }
    view.pace = next
    state.paceChanged()
    say(next.map { "pace \(NumberFormat.compact($0)) steps/s" } ?? "full speed")
    return [(.pace(next ?? 0), source)]
  }

  private func steerable() -> Bool {
    if !view.canSteer {
      if case .unavailable(let reason) = view.remote, view.feed == .watch {
        say(reason)
      } else {
        say("replay: read-only")
      }
      return false
    }
    if state.isFinished {
      say("the run has ended: q quits")
      return false
    }
    if state.runState == .interrupted {
      say("the run was interrupted: nothing reads commands now (q quits)")
      return false
    }
    return true
  }

  private func turn(_ knob: Knob, up: Bool, source: ChangeSource) -> [(Command, ChangeSource)] {
    view.selectedKnob = knob
    guard steerable() else { return [] }
    if view.feed == .watch && knob == .trainSize {
      // A watched run's writer (the PyTorch client) trains on its loop's own data.
      say("\(knob.label): the training loop chooses its data; nntop cannot change it")
      return []
    }
    // A watched run's writer decides what a knob means for its optimiser (the client maps
    // momentum to Adam's β₁) and refuses, with its reason, what it cannot apply.
    if state.header?.writer == nil, let optimizer = state.header?.optimizer, !knob.applies(to: optimizer) {
      say("\(knob.label) applies to SGD; this run uses \(optimizer)")
      return []
    }
    // The trainer steps from the value it holds; this is the value it will reach.
    let old = value(of: knob)
    let new = knob.step(from: old, up: up, limit: state.limit(of: knob))
    guard new != old else {
      say("\(knob.label) is already at its \(up ? "highest" : "lowest") (\(NumberFormat.compact(old)))")
      return []
    }
    if view.feed == .watch { return sendValue(knob, new, from: old, source: source) }
    state.request(.turn(up: up), of: knob)
    // Under a schedule the keys turn the base the schedule scales.
    let scheduled = knob == .learningRate && (state.header?.schedule ?? .constant) != .constant
    say(
      "\(scheduled ? "base " : "")\(knob.label) \(NumberFormat.compact(old)) → \(NumberFormat.compact(new))"
        + (knob == .trainSize
          ? " from the next epoch"
          : (state.runState == .running ? " from the next step" : " (applies when training steps)")))
    return [(.turn(knob, up: up), source)]
  }

  public func value(of knob: Knob) -> Double { state.value(of: knob) }

  /// A watched run's knob: the value itself, not a rung. Its writer reads a command log, not
  /// nntop's ladder, so the rung is taken here, from the value the log last reported with the
  /// presses not yet answered applied (three quick presses: three rungs, three lines).
  private func sendValue(_ knob: Knob, _ new: Double, from old: Double, source: ChangeSource)
    -> [(Command, ChangeSource)]
  {
    state.request(.set(new), of: knob)
    say(
      "sent \(knob.markerName) \(NumberFormat.compact(old)) → \(NumberFormat.compact(new)), waiting for the run"
    )
    return [(.set(knob, new), source)]
  }

  /// A command for a watched run says it was sent and that the run has not answered yet (its
  /// record in the log will replace this line); a live run's trainer answers before the next frame.
  private func sent(_ command: Command, _ name: String, _ source: ChangeSource) -> [(Command, ChangeSource)] {
    if view.feed == .watch { say("sent \(name), waiting for the run") }
    return [(command, source)]
  }

  /// `f` in a replay: the last checkpoint written at or before the position played to, if any.
  private func fork() {
    guard view.feed == .replay, let replay else { return }
    if let problem = forkCheck?(nil) {
      say(problem)
      return
    }
    let written = ForkPoint.checkpoints(in: replay.events.map(\.event))
    guard let checkpoint = ForkPoint.checkpoint(in: written, atOrBefore: state.step) else {
      say(ForkPoint.noCheckpoint(atOrBefore: state.step))
      return
    }
    if let problem = forkCheck?(checkpoint) {
      say(problem)
      return
    }
    forkFrom = checkpoint
    quitRequested = true
  }

  /// Draws an earlier run beside this one (`train --compare LOG`).
  public func compare(with run: ComparisonRun?) { state.comparison = run }

  private func say(_ text: String) {
    state.message = text
    state.messageIsWarning = false
  }

  /// Draws the whole frame for a `width` × `height` terminal.
  public func render(width: Int, height: Int, now: Double) -> Buffer {
    // A replay's clock is its playhead, not the wall.
    DashboardRenderer(state: state, view: view, now: replay?.playhead ?? now).render(
      width: width, height: height)
  }
}

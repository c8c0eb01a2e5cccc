import Dashboard
import RunModel
import Terminal
import TestSupport
import Testing

@Suite struct ReplayTests {
  static func timed() -> [TimedEvent] {
    RunFixture.events(epochs: 3).enumerated().map {
      TimedEvent(time: Double($0.offset) * 0.1, event: $0.element)
    }
  }

  @Test func playsAtTheChosenSpeedAndStopsAtTheEnd() {
    let events = Self.timed()
    let player = ReplayPlayer(events: events, speed: 2)
    #expect(player.speed == 2)
    #expect(player.advance(wall: 0) == 0..<1)  // the header at t = 0
    #expect(player.advance(wall: 0.25) == 1..<6)  // 0.5 s of the run: events at 0.1 … 0.5
    _ = player.advance(wall: 1_000)
    #expect(player.atEnd && !player.playing)
    #expect(player.badge.hasPrefix("REPLAY END 2×"))
  }

  /// A 5 s lesson at 4× was over in 1.2 s, before anyone had looked.
  @Test func aShortRunReplaysSlowerByDefault() {
    #expect(ReplayPlayer.defaultSpeed(duration: 5) == 1)
    #expect(ReplayPlayer.defaultSpeed(duration: 28) == 2)
    #expect(ReplayPlayer.defaultSpeed(duration: 40) == 4)
    #expect(ReplayPlayer.defaultSpeed(duration: 3_600) == 4)
    #expect(ReplayPlayer.defaultSpeed(duration: 0) == 1)
  }

  @Test func speedStepsFromHalfToAsFastAsPossible() {
    let player = ReplayPlayer(events: Self.timed(), speed: 1)
    for _ in 0..<3 { player.slower() }
    #expect(player.speed == 0.5)
    for _ in 0..<20 { player.faster() }
    #expect(player.speed.isInfinite)
    #expect(player.badge.contains("max"))
  }

  @Test func seekingLandsOnEpochBoundariesAndRebuildsTheSameState() throws {
    let events = Self.timed()
    let controller = DashboardController(
      view: ViewOptions(themes: [.builtIn], glyphs: .unicode), replay: ReplayPlayer(events: events))
    _ = controller.handle(.end)
    let end = controller.state
    #expect(end.epochs.count == 3)
    _ = controller.handle(.left)
    #expect(controller.state.epochs.count == 2)  // back to the end of epoch 2
    #expect(controller.state.step == 860)
    _ = controller.handle(.left)
    #expect(controller.state.epochs.count == 1)
    _ = controller.handle(.home)
    // The start is just after the header: the run's description stays on screen.
    #expect(controller.state.epochs.isEmpty && controller.state.header != nil && controller.state.step == 0)
    _ = controller.handle(.right)
    #expect(controller.state.epochs.count == 1)
    // Replaying everything by playing gives the same state as jumping to the end.
    let played = DashboardController(
      view: ViewOptions(themes: [.builtIn], glyphs: .unicode), replay: ReplayPlayer(events: events, speed: 64)
    )
    for t in 0..<100 { played.tick(now: Double(t)) }
    #expect(played.state.epochs.map(\.validationLoss) == end.epochs.map(\.validationLoss))
    #expect(played.state.markers == end.markers)
  }

  /// A log without a finish (its writer stopped by Ctrl-C, an exception or kill -9) ended its
  /// replay at "RUNNING"; `nntop runs` lists such a run as interrupted, and so does the header.
  @Test func aLogWithoutAFinishEndsInterrupted() {
    let events = Self.timed()  // the fixture's run has no finished record
    #expect(!events.contains { if case .finished = $0.event { true } else { false } })
    let controller = DashboardController(
      view: ViewOptions(themes: [.builtIn], glyphs: .unicode), replay: ReplayPlayer(events: events, speed: 64)
    )
    for t in 0..<100 { controller.tick(now: Double(t)) }
    #expect(controller.state.runState == .interrupted)
    #expect(controller.state.message == "the log ends without a finish: the run was interrupted")
    #expect(controller.render(width: 100, height: 30, now: 0).lines[0].contains("· INTERRUPTED"))
    // Back from the end, the run is as it was then; at the end again, interrupted again.
    _ = controller.handle(.left)
    #expect(controller.state.runState != .interrupted)
    _ = controller.handle(.end)
    #expect(controller.state.runState == .interrupted)
  }

  @Test func trainingKeysAreReadOnlyAndThePositionIsInTheHeader() {
    let controller = DashboardController(
      view: ViewOptions(themes: [.builtIn], glyphs: .unicode), replay: ReplayPlayer(events: Self.timed()))
    controller.tick(now: 0)
    #expect(controller.handle(.character("L")).isEmpty)
    #expect(controller.state.message == "replay: read-only")
    #expect(controller.handle(.character("n")).isEmpty)
    _ = controller.handle(.character(" "))
    #expect(controller.replay?.playing == false)
    let frame = controller.render(width: 120, height: 40, now: 0)
    #expect(frame.lines[0].contains("REPLAY ❚❚ 1× 0:00/"))
    _ = controller.handle(.character("?"))
    let help = controller.render(width: 120, height: 40, now: 0).lines.joined(separator: "\n")
    #expect(help.contains("back one epoch") && help.contains("faster (up to max)"))
  }

  /// The fixture's run with an 18 s pause after step 430: paused at t = 1, resumed at t = 19.
  static func pausedRun() -> [TimedEvent] {
    var events = RunFixture.events(epochs: 2).enumerated().map {
      TimedEvent(time: Double($0.offset) * 0.05, event: $0.element)
    }
    let at = events.firstIndex { if case .epochEnded = $0.event { true } else { false } }! + 1
    let pauseTime = events[at - 1].time
    events.insert(TimedEvent(time: pauseTime, event: .paused(step: 430)), at: at)
    events.insert(TimedEvent(time: pauseTime + 18, event: .resumed(step: 430)), at: at + 1)
    for i in (at + 2)..<events.count { events[i].time += 18 }
    return events
  }

  @Test func aRecordedPauseIsShortenedNotPlayedAsDeadTime() {
    let controller = DashboardController(
      view: ViewOptions(themes: [.builtIn], glyphs: .unicode),
      replay: ReplayPlayer(events: Self.pausedRun(), speed: 4))
    var wall = 0.0
    controller.tick(now: wall)
    while controller.state.runState != .paused && wall < 10 {
      wall += 0.05
      controller.tick(now: wall)
    }
    let pausedAt = wall
    while controller.state.runState == .paused && wall < 30 {
      wall += 0.05
      controller.tick(now: wall)
    }
    // At 4× the 18 s pause took 4.5 s of screen time; now it shows for about a second.
    #expect(wall - pausedAt <= ReplayPlayer.pauseHold + 0.1)
    #expect(controller.state.runState == .running)
    #expect(controller.state.message.contains("of recorded pause skipped"), "\(controller.state.message)")
    // The skip does not lose events: the end state is the same as jumping there.
    while !(controller.replay?.atEnd ?? true) {
      wall += 0.5
      controller.tick(now: wall)
    }
    #expect(controller.state.epochs.count == 2 && controller.state.markers.map(\.label) == ["pause"])
  }

  @Test func homeKeepsTheRunsHeaderAndEndShowsTheFinalLine() {
    var events = Self.timed()
    let summary = RunSummary(
      outcome: .finished, step: 1290, epochs: 3, testLoss: 0.1, testAccuracy: 0.97, bestValidationLoss: 0.2,
      bestValidationAccuracy: 0.96, elapsed: 1.5)
    events.append(TimedEvent(time: 10, event: .finished(summary)))
    let controller = DashboardController(
      view: ViewOptions(themes: [.builtIn], glyphs: .unicode), replay: ReplayPlayer(events: events))
    controller.tick(now: 0)
    _ = controller.handle(.right)
    _ = controller.handle(.home)
    let start = controller.render(width: 120, height: 40, now: 0).lines
    #expect(start[0].contains("mnist · 784-256-128-10"), "\(start[0])")
    #expect(start[1].contains("epoch 1/10") && start[1].contains("step 0/4300"), "\(start[1])")
    #expect(!start[0].contains("STARTING"))
    _ = controller.handle(.end)
    #expect(controller.state.message.hasPrefix("finished: test accuracy 97"), "\(controller.state.message)")
    let end = controller.render(width: 120, height: 40, now: 0).lines
    #expect(end[39].contains("finished: test accuracy"), "\(end[39])")
    // Back from the end leaves the finish behind and lands on the previous epoch's end.
    _ = controller.handle(.left)
    #expect(
      controller.state.epochs.count == 2 && controller.state.message == "at step 860: end of epoch 2/10")
  }

  @Test func theSeekMessageAndTheHeaderNameTheSameEpochAndThereIsNoETA() {
    let controller = DashboardController(
      view: ViewOptions(themes: [.builtIn], glyphs: .unicode), replay: ReplayPlayer(events: Self.timed()))
    controller.tick(now: 0)
    controller.tick(now: 0.3)
    #expect(!controller.render(width: 120, height: 40, now: 0).lines[1].contains("ETA"))
    _ = controller.handle(.right)
    _ = controller.handle(.right)
    let lines = controller.render(width: 120, height: 40, now: 0).lines
    #expect(controller.state.message == "at step 860: end of epoch 2/10")
    #expect(lines[1].contains("epoch 2/10"), "\(lines[1])")
    #expect(lines[39].contains("end of epoch 2/10"))
    #expect(!lines[1].contains("ETA"))
    // Back past the first epoch is the start, said as such.
    _ = controller.handle(.left)
    _ = controller.handle(.left)
    #expect(controller.state.message == "at the start" && controller.state.header != nil)
  }

  @Test func helpListsOnlyKeysThatWorkInAReplayOrAWatch() {
    let replay = DashboardController(
      view: ViewOptions(themes: [.builtIn], glyphs: .unicode), replay: ReplayPlayer(events: Self.timed()))
    _ = replay.handle(.character("?"))
    let help = replay.render(width: 120, height: 40, now: 0).lines.joined(separator: "\n")
    #expect(help.contains("back one epoch") && help.contains("zoom the loss chart"))
    #expect(help.contains("where a knob turned or the run paused."))
    for training in ["save a checkpoint", "learning-rate finder", "one step while paused", "turn the knob"] {
      #expect(!help.contains(training), "\(training)")
    }
    var view = ViewOptions(themes: [.builtIn], glyphs: .unicode)
    view.feed = .watch
    let watch = DashboardController(view: view)
    // Before the log exists there is no run to count: no "epoch 1/1 … step 0/0".
    let waiting = watch.render(width: 120, height: 40, now: 0).lines[1]
    #expect(waiting.contains("waiting for the run to start") && !waiting.contains("step 0/0"))
    for event in RunFixture.events() { watch.apply(event, now: 0) }
    let panel = watch.render(width: 120, height: 40, now: 0).lines.joined(separator: "\n")
    #expect(panel.contains("Hyperparameters") && panel.contains("read-only") && !panel.contains("replay"))
    _ = watch.handle(.character("?"))
    let watchHelp = watch.render(width: 120, height: 40, now: 0).lines.joined(separator: "\n")
    #expect(watchHelp.contains("zoom the loss chart") && !watchHelp.contains("back one epoch"))
    #expect(!watchHelp.contains("save a checkpoint"))
  }
}

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
    #expect(controller.state.epochs.isEmpty && controller.state.header == nil)
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
}

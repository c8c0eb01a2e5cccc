import Dashboard
import RunModel
import Terminal
import TestSupport
import Testing

@Suite struct FrameRateTests {
  /// Simulated time: each key wait takes 30 ms. While training streams events the loop must draw
  /// at least 10 frames a second, yet not one per event.
  @Test func atLeastTenFramesASecondWhileRunningAndNoMore() {
    let inbox = EventInbox()
    let events = RunFixture.events(epochs: 3)
    inbox.post(events[0])
    var clock = 0.0
    var next = 1
    let screen = ScriptedScreen(keys: Array(repeating: nil, count: 100) + [.character("q")])
    screen.onRead = { _ in
      clock += 0.03
      // Three events arrive during every key wait.
      for _ in 0..<3 where next < events.count {
        inbox.post(events[next])
        next += 1
      }
    }
    _ = DashboardLoop.run(
      screen: screen, controller: DashboardController(view: ViewOptions(themes: [], glyphs: .unicode)),
      inbox: inbox, send: { _ in }, shouldStop: { false }, clock: { clock })
    let seconds = clock
    let fps = Double(screen.frames.count) / seconds
    #expect(fps >= 10, "\(fps) frames per second")
    #expect(fps <= 12, "\(fps) frames per second: one per event would be 100")
  }
}

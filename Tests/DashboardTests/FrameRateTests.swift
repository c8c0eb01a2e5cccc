import RunModel
import Terminal
import TestSupport
import Testing

@testable import Dashboard

@Suite struct FrameRateTests {
  /// Simulated time: each key wait lasts as long as the loop asked (no key comes). While training
  /// streams events the loop must draw at least 10 frames a second, yet not one per event, and
  /// wake only to draw: each wake-up takes a slice of a core from training.
  @Test func atLeastTenFramesASecondWhileRunningAndNoMore() {
    let inbox = EventInbox()
    let events = RunFixture.events(epochs: 3)
    inbox.post(events[0])
    var clock = 0.0
    var next = 1
    let screen = ScriptedScreen(keys: Array(repeating: nil, count: 100) + [.character("q")])
    screen.onRead = { _ in
      clock += Double(screen.timeouts.last ?? 0) / 1000
      // Events arrive during every key wait, dozens a second.
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
    #expect(fps <= 12, "\(fps) frames per second: one per event would be dozens")
    let wakeUps = Double(screen.timeouts.count) / seconds
    #expect(wakeUps <= 12, "\(wakeUps) wake-ups a second: a fixed 30 ms wait made 33")
  }

  @Test func aKeyWaitLastsUntilTheNextFrameWithinItsBounds() {
    #expect(DashboardLoop.keyWait(untilFrameAt: 1.25, now: 1.0) == 100)
    #expect(DashboardLoop.keyWait(untilFrameAt: 0.5, now: 1.0) == 1)
    #expect(DashboardLoop.keyWait(untilFrameAt: 1.0625, now: 1.0) == 63)
    #expect(DashboardLoop.keyWait(untilFrameAt: -.infinity, now: 1.0) == 1)
  }
}

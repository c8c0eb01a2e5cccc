import RunModel
import Terminal
import Testing

@testable import Dashboard

/// A screen with scripted keys that records the frames it is given.
final class ScriptedScreen: Screen {
  var keys: [Key?]
  var frames: [Buffer] = []
  var size: (width: Int, height: Int)
  var onRead: ((Int) -> Void)?
  private var reads = 0

  init(keys: [Key?], size: (Int, Int) = (100, 30)) {
    self.keys = keys
    self.size = size
  }

  func present(_ buffer: Buffer) { frames.append(buffer) }

  func readKey(timeout milliseconds: Int) -> Key? {
    reads += 1
    onRead?(reads)
    return keys.isEmpty ? .character("q") : keys.removeFirst()
  }
}

@Suite struct LoopTests {
  @Test func keysBecomeCommandsEventsBecomeFramesAndQQuits() {
    let inbox = EventInbox()
    for event in RunFixture.events() { inbox.post(event) }
    let screen = ScriptedScreen(keys: [nil, .character("L"), .character(" "), .resize, nil, .character("q")])
    screen.onRead = { read in if read == 4 { screen.size = (60, 15) } }
    let c = DashboardController(view: ViewOptions(themes: [.builtIn], glyphs: .unicode))
    var sent: [(Command, ChangeSource)] = []
    var clock = 0.0
    let exit = DashboardLoop.run(
      screen: screen, controller: c, inbox: inbox, send: { sent += $0 }, shouldStop: { false },
      clock: {
        clock += 0.01
        return clock
      })
    #expect(exit == .quit)
    #expect(sent.map(\.0) == [.set(.learningRate, 0.1), .pause])
    #expect(sent.map(\.1) == [.key("L"), .key("space")])
    #expect(screen.frames.count >= 3)
    #expect(screen.frames.first?.find("Loss") != nil)
    #expect(screen.frames.last?.find("terminal too small") != nil)
  }

  @Test func aSignalEndsTheLoop() {
    let screen = ScriptedScreen(keys: Array(repeating: nil, count: 100))
    var polls = 0
    let exit = DashboardLoop.run(
      screen: screen, controller: DashboardController(view: ViewOptions(themes: [], glyphs: .ascii)),
      inbox: EventInbox(), send: { _ in },
      shouldStop: {
        polls += 1
        return polls > 3
      }, clock: { 0 })
    #expect(exit == .signal)
  }
}

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

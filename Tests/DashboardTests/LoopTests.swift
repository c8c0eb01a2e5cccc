import Dashboard
import RunModel
import Terminal
import TestSupport
import Testing

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
    #expect(sent.map(\.0) == [.turn(.learningRate, up: true), .pause])
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

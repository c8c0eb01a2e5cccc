import Dashboard
import RunModel
import Terminal
import Testing

@Suite struct ControllerTests {
  @Test func knobKeysSendCommandsAndShowTheValueAtOnce() {
    let c = controller()
    let commands = c.handle(.character("L"))
    #expect(commands.count == 1)
    #expect(commands[0].0 == .turn(.learningRate, up: true))
    #expect(commands[0].1 == .key("L"))
    #expect(c.state.value(of: .learningRate) == 0.1)
    #expect(c.state.message == "learning rate 0.05 → 0.1 from the next step")
    let frame = c.render(width: 120, height: 40, now: 0)
    #expect(frame.find("▸ learning rate 0.1 ") != nil)
    #expect(c.handle(.character("D")).map(\.0) == [.turn(.dropout, up: true)])
    #expect(c.handle(.character("W")).map(\.0) == [.turn(.l2, up: true)])
    #expect(c.handle(.character("w")).map(\.0) == [.turn(.l2, up: false)])
    #expect(c.handle(.character("w")).isEmpty)  // already at 0
    #expect(c.state.message == "L2 is already at its lowest (0)")
  }

  @Test func trainSizeKeysStepThroughTheLadderCappedAtTheData() {
    let c = controller()  // 55 000 examples available, all in use
    #expect(c.handle(.character("E")).isEmpty)  // already all of them
    #expect(c.handle(.character("e")).map(\.0) == [.turn(.trainSize, up: false)])
    #expect(c.state.value(of: .trainSize) == 20_000)
    #expect(c.state.trainSize == 55_000)  // this epoch's, until the next
    #expect(c.state.message == "train size 55000 → 20000 from the next epoch")
    #expect(c.handle(.character("E")).map(\.0) == [.turn(.trainSize, up: true)])
    let frame = c.render(width: 120, height: 40, now: 0)
    #expect(frame.find("train size    55000") != nil)
  }

  @Test func selectedKnobTurnsWithPlusAndMinus() {
    let c = controller()
    _ = c.handle(.tab)
    #expect(c.view.selectedKnob == .momentum)
    _ = c.handle(.tab)
    #expect(c.view.selectedKnob == .dropout)
    #expect(c.handle(.character("+")).map(\.0) == [.turn(.dropout, up: true)])
    _ = c.handle(.tab)
    _ = c.handle(.tab)
    #expect(c.view.selectedKnob == .trainSize)
    _ = c.handle(.tab)
    #expect(c.view.selectedKnob == .learningRate)
    #expect(c.handle(.left).map(\.0) == [.turn(.learningRate, up: false)])
    _ = c.handle(.backTab)
    #expect(c.view.selectedKnob == .trainSize)
  }

  @Test func spacePausesAndResumesAndStepWorksOnlyWhilePaused() {
    let c = controller()
    #expect(c.handle(.character(" ")).map(\.0) == [.pause])
    #expect(c.handle(.character("n")).isEmpty)
    c.apply(.paused(step: 1290), now: 0)
    #expect(c.state.runState == .paused)
    #expect(c.handle(.character("n")).map(\.0) == [.singleStep])
    #expect(c.handle(.character(" ")).map(\.0) == [.resume])
  }

  @Test func replayIsReadOnlyAndFinishedRunsTakeNoCommands() {
    let c = controller()
    c.view.feed = .replay
    #expect(c.handle(.character("L")).isEmpty)
    #expect(c.state.message == "replay: read-only")
    #expect(c.handle(.character(" ")).isEmpty)
    let done = controller()
    done.apply(
      .finished(
        RunSummary(
          outcome: .finished, step: 4300, epochs: 10, testLoss: 0.08, testAccuracy: 0.976,
          bestValidationLoss: 0.09,
          bestValidationAccuracy: 0.975, elapsed: 5)), now: 0)
    #expect(done.handle(.character("L")).isEmpty)
    #expect(done.state.message == "the run has ended: q quits")
  }

  @Test func viewTogglesAndQuit() {
    let c = controller()
    _ = c.handle(.character("g"))
    #expect(c.view.logScale == [.loss])
    _ = c.handle(.character("s"))
    #expect(c.view.smoothing == 0.6)
    _ = c.handle(.character("3"))
    #expect(c.view.zoom == .activations)
    _ = c.handle(.escape)
    #expect(c.view.zoom == nil)
    _ = c.handle(.character("?"))
    #expect(c.view.helpVisible)
    _ = c.handle(.character("x"))
    #expect(!c.view.helpVisible)
    #expect(!c.quitRequested)
    _ = c.handle(.character("q"))
    #expect(c.quitRequested)
  }
}

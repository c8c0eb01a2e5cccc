import Dashboard
import RunModel
import Terminal
import TestSupport
import Testing

@Suite struct TrajectoryPanelTests {
  @Test func pathAndExplainedVarianceAreShown() {
    var events = RunFixture.events(epochs: 1)
    events.append(
      .trajectory(
        Trajectory(
          step: 430, epoch: 1, points: [(-1, 0), (0, 0.5), (1, 0)], steps: [1, 200, 400],
          explained: [0.8, 0.15])))
    let c = controller(events: events)
    _ = c.handle(.character("9"))
    let frame = c.render(width: 100, height: 30, now: 0)
    #expect(frame.find("PC1 80.00% · PC2 15.00% of the variance") != nil)
    #expect(frame.find("path from step 1 to 400") != nil)
    #expect(frame.cells.contains { $0.character.value >= 0x2801 && $0.character.value <= 0x28FF })
  }

  @Test func helpFitsTheMinimumTerminal() {
    let c = controller()
    _ = c.handle(.character("?"))
    let text = c.render(width: 80, height: 24, now: 0).lines.joined(separator: "\n")
    for binding in KeyMap.bindings {
      #expect(text.contains(binding.help), "80×24 help lacks \(binding.help)")
    }
  }
}

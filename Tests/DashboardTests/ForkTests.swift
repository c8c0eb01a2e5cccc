import Dashboard
import RunModel
import Terminal
import TestSupport
import Testing

/// `f` in a replay: train on from the last checkpoint at or before the position played to.
@Suite struct ForkTests {
  /// Three epochs with a checkpoint after each of the first two.
  static func events() -> [TimedEvent] {
    var events: [RunEvent] = []
    for event in RunFixture.events(epochs: 3) {
      events.append(event)
      if case .epochEnded(let e) = event, e.epoch < 3 {
        events.append(
          .checkpoint(
            CheckpointRecord(
              step: e.step, epoch: Double(e.epoch), path: "runs/a.epoch000\(e.epoch).safetensors",
              reason: .periodic(epochs: 1))))
      }
    }
    return events.enumerated().map { TimedEvent(time: Double($0.offset) * 0.1, event: $0.element) }
  }

  static func replay(_ events: [TimedEvent]) -> DashboardController {
    var view = ViewOptions(themes: [.builtIn], glyphs: .unicode)
    view.feed = .replay
    return DashboardController(view: view, replay: ReplayPlayer(events: events))
  }

  @Test func fForksFromTheLastCheckpointPlayedPast() throws {
    let c = Self.replay(Self.events())
    _ = c.handle(.home)
    _ = c.handle(.right)
    _ = c.handle(.right)  // the end of epoch 2
    _ = c.handle(.character("f"))
    #expect(c.quitRequested)
    #expect(c.forkFrom?.path == "runs/a.epoch0002.safetensors")
    // Without a checkpoint behind the position, it says how to get one and stays.
    let early = Self.replay(Self.events())
    _ = early.handle(.home)
    _ = early.handle(.character("f"))
    #expect(!early.quitRequested && early.forkFrom == nil)
    #expect(early.state.message.contains("--checkpoint-every 1"))
    // The help of a replay offers it; a live run's f is still the finder.
    #expect(KeyMap.helpBindings(for: .replay).contains { $0.action == .forkHere })
    #expect(KeyMap.action(for: .character("f")) == .findLearningRate)
  }

  /// The executable's check runs before the replay is left: its reason on the screen, no fork.
  @Test func aForkThatCannotStartIsRefusedOnTheScreen() throws {
    let c = Self.replay(Self.events())
    c.forkCheck = { $0.map { "cannot fork: \($0.path) is not a checkpoint nntop can resume" } }
    _ = c.handle(.home)
    _ = c.handle(.right)
    _ = c.handle(.right)
    _ = c.handle(.character("f"))
    #expect(!c.quitRequested && c.forkFrom == nil)
    #expect(
      c.state.message == "cannot fork: runs/a.epoch0002.safetensors is not a checkpoint nntop can resume")
    let foreign = Self.replay(Self.events())
    foreign.forkCheck = { $0 == nil ? "cannot fork: nntop does not train mnist-torch" : nil }
    _ = foreign.handle(.character("f"))
    #expect(
      !foreign.quitRequested && foreign.state.message == "cannot fork: nntop does not train mnist-torch")
  }
}

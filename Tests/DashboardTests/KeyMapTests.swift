import Dashboard
import RunModel
import Terminal
import Testing

@Suite struct KeyMapTests {
  @Test func everyKeyDispatchesToItsBindingAndNoKeyIsBoundTwice() {
    var seen = Set<Key>()
    for binding in KeyMap.bindings {
      for key in binding.keys {
        #expect(!seen.contains(key), "\(key) bound twice")
        seen.insert(key)
        #expect(KeyMap.action(for: key) == binding.action)
      }
    }
    #expect(KeyMap.action(for: .character("x")) == nil)
  }

  @Test func theRequiredKeysAreBound() {
    #expect(KeyMap.action(for: .character("q")) == .quit)
    for key in [Key.character("?"), .character("h"), .function(1)] {
      #expect(KeyMap.action(for: key) == .help)
    }
    #expect(KeyMap.action(for: .character(" ")) == .togglePause)
    #expect(KeyMap.action(for: .character("n")) == .singleStep)
    #expect(KeyMap.action(for: .character("l")) == .lower(.learningRate))
    #expect(KeyMap.action(for: .character("L")) == .raise(.learningRate))
    #expect(KeyMap.action(for: .character("d")) == .lower(.dropout))
    #expect(KeyMap.action(for: .character("D")) == .raise(.dropout))
    #expect(KeyMap.action(for: .character("w")) == .lower(.l2))
    #expect(KeyMap.action(for: .character("W")) == .raise(.l2))
    #expect(KeyMap.action(for: .tab) == .selectNextKnob)
    #expect(KeyMap.action(for: .character("+")) == .turnSelectedUp)
    #expect(KeyMap.action(for: .character("-")) == .turnSelectedDown)
  }

  @Test func laddersStepAndClamp() {
    #expect(Knob.learningRate.step(from: 0.05, up: true) == 0.1)
    #expect(Knob.learningRate.step(from: 0.05, up: false) == 0.02)
    #expect(Knob.learningRate.step(from: 0.03, up: true) == 0.05)  // off the ladder
    #expect(Knob.learningRate.step(from: 0.03, up: false) == 0.02)
    #expect(Knob.learningRate.step(from: 10, up: true) == 10)
    #expect(Knob.learningRate.step(from: 1e-6, up: false) == 1e-6)
    #expect(Knob.dropout.step(from: 0, up: true) == 0.05)
    #expect(Knob.dropout.step(from: 0.95, up: true) == 0.95)
    #expect(Knob.dropout.step(from: 0, up: false) == 0)
    #expect(Knob.l2.step(from: 0, up: true) == 1e-5)
    #expect(Knob.l2.step(from: 1e-5, up: false) == 0)
    #expect(Knob.l2.step(from: 1, up: true) == 1)
    #expect(Knob.learningRate.ladder.first == 1e-6 && Knob.learningRate.ladder.last == 10)
    for (a, b) in zip(Knob.learningRate.ladder, Knob.learningRate.ladder.dropFirst()) {
      #expect(b / a >= 1.5 && b / a <= 2.5 + 1e-9)
    }
  }
}

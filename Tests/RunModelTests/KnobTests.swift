import RunModel
import Testing

@Suite struct KnobTests {
  @Test func hyperparametersAreReadAndWrittenByKnobWithinTheKnobsRange() {
    var h = Hyperparameters(learningRate: 0.05, momentum: 0.9, dropout: 0.1, l2: 1e-4)
    #expect(h[.learningRate] == 0.05 && h[.dropout] == 0.1 && h[.l2] == 1e-4)
    #expect(h[.trainSize] == nil)
    h[.dropout] = 2
    #expect(h.dropout == 0.95)
    h[.learningRate] = .nan
    #expect(h.learningRate == 1e-6)
    h[.l2] = -1
    #expect(h.l2 == 0)
  }

  @Test func everyKnobHasTwoKeysNoOtherKnobUses() {
    let keys = Knob.allCases.flatMap { [$0.keys.down, $0.keys.up] }
    #expect(Set(keys).count == keys.count)
    for knob in Knob.allCases {
      #expect(knob.ladder == knob.ladder.sorted())
      #expect(knob.ladder.allSatisfy { knob.range.contains($0) }, "\(knob) ladder leaves its range")
      #expect(Knob(rawValue: knob.rawValue) == knob)
    }
  }

  @Test func laddersStepToTheNeighbourAndStopAtTheirEnds() {
    #expect(Knob.learningRate.step(from: 0.05, up: true) == 0.1)
    #expect(Knob.learningRate.step(from: 0.07, up: false) == 0.05)
    #expect(Knob.learningRate.step(from: 3, up: true) == 3)
    #expect(Knob.l2.step(from: 0, up: false) == 0)
    #expect(Knob.dropout.step(from: 0.1, up: true) == 0.15000000000000002)
  }
}

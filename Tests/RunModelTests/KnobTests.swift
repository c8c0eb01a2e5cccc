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
    #expect(Knob.learningRate.step(from: 10, up: true) == 10)
    #expect(Knob.l2.step(from: 0, up: false) == 0)
    #expect(Knob.dropout.step(from: 0.1, up: true) == 0.15)
  }

  /// Values a flag may set: on the ladder, between rungs, beyond both ends of it.
  static func probes(_ knob: Knob) -> [Double] {
    let ladder = knob.ladder
    var values = ladder + [knob.range.lowerBound, knob.range.upperBound]
    values += zip(ladder, ladder.dropFirst()).map { ($0 + $1) / 2 }
    values += [ladder[0] / 2, ladder[ladder.count - 1] * 1.5].filter { knob.range.contains($0) }
    return values
  }

  @Test(arguments: Knob.allCases) func upNeverLowersAndDownNeverRaises(_ knob: Knob) {
    for value in Self.probes(knob) {
      #expect(knob.step(from: value, up: true) >= value, "\(knob) up from \(value)")
      #expect(knob.step(from: value, up: false) <= value, "\(knob) down from \(value)")
    }
  }

  /// Values set on the command line above the top (or below the bottom) of the old ladders.
  @Test func valuesBeyondTheLadderStayPut() {
    #expect(Knob.dropout.step(from: 0.95, up: true) == 0.95)
    #expect(Knob.l2.step(from: 0.5, up: true) >= 0.5)
    #expect(Knob.learningRate.step(from: 5, up: true) >= 5)
    #expect(Knob.trainSize.step(from: 50, up: false) == 50)
  }

  /// A value the command line accepts is a value the keys can reach and leave: the ladder spans
  /// the range (the train size's top is the dataset's, so only its ladder's order is checked).
  @Test(arguments: Knob.allCases.filter { $0 != .trainSize }) func ladderSpansTheRange(_ knob: Knob) {
    #expect(knob.ladder.first == knob.range.lowerBound)
    #expect(knob.ladder.last == knob.range.upperBound)
  }

  @Test func theTrainSizeStopsAtWhatTheDataHas() {
    #expect(Knob.trainSize.step(from: 20_000, up: true, limit: 30_000) == 30_000)
    #expect(Knob.trainSize.step(from: 30_000, up: true, limit: 30_000) == 30_000)
    #expect(Knob.trainSize.step(from: 30_000, up: false, limit: 30_000) == 20_000)
  }
}

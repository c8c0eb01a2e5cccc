import Datasets
import RunModel
import Testing

@testable import Training  // StatisticsCollector is internal

@Suite struct StatisticsCollectorTests {
  @Test func summaryOfKnownValues() {
    var collector = StatisticsCollector(parameterCount: 1)
    let values: [Float] = (1...9).map(Float.init)
    let s = values.withUnsafeBufferPointer { collector.summarize($0) }
    #expect(s.mean == 5)
    #expect(abs(s.std - (60.0 / 9).squareRoot()) < 1e-9)
    #expect(s.min == 1 && s.max == 9)
    #expect(s.quartiles == [3, 5, 7])
    #expect(s.histogram.reduce(0, +) == 9)
    #expect(s.histogram.first == 1 && s.histogram.last == 1)
  }

  /// A non-finite activation shows in the mean and spread; the range, bins and quartiles are the
  /// finite values' (a NaN's bin index had trapped). All non-finite: no range at all.
  @Test func nonFiniteValuesShowInTheMeanAndStayOutOfTheBins() {
    var collector = StatisticsCollector(parameterCount: 1)
    let values: [Float] = [1, 2, .nan, 3, .infinity, 5]
    let s = values.withUnsafeBufferPointer { collector.summarize($0) }
    #expect(s.mean.isNaN && s.std.isNaN)
    #expect(s.min == 1 && s.max == 5)
    #expect(s.histogram.reduce(0, +) == 4 && s.histogram.first == 1 && s.histogram.last == 1)
    #expect(s.quartiles == [2, 3, 3])
    let infinite: [Float] = [1, .infinity, 3]
    let i = infinite.withUnsafeBufferPointer { collector.summarize($0) }
    #expect(i.mean == .infinity && i.min == 1 && i.max == 3)
    let none: [Float] = [.nan, -.infinity]
    let n = none.withUnsafeBufferPointer { collector.summarize($0) }
    #expect(
      n.min.isNaN && n.max.isNaN && n.quartiles.allSatisfy(\.isNaN) && n.histogram.allSatisfy { $0 == 0 })
  }

  @Test func deadUnitsAreZeroForEveryExample() {
    let collector = StatisticsCollector(parameterCount: 1)
    // 3 rows × 4 units; unit 1 and unit 3 never fire.
    let values: [Float] = [0.5, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0]
    let dead = values.withUnsafeBufferPointer { collector.deadFraction([$0], units: 4) }
    #expect(dead == 0.5)
    // A second replica's slice (2 rows) fires unit 1: only unit 3 is dead in the whole batch.
    let other: [Float] = [0, 0, 0, 0, 0, 0.1, 0, 0]
    let batch = values.withUnsafeBufferPointer { a in
      other.withUnsafeBufferPointer { b in collector.deadFraction([a, b], units: 4) }
    }
    #expect(batch == 0.25)
  }

  /// At two threads each replica holds half a batch's rows; the dead fraction the trainer
  /// reports is the whole batch's: a unit that fires in the second replica's rows only is alive.
  @Test func theTrainerJudgesDeadUnitsOnTheWholeBatch() {
    let data = Synthetic.make(.spiral, seed: 2)
    var config = configuration(for: data, hidden: [32], epochs: 1, batch: 8, threads: 2, statsEvery: 1)
    config.trainSize = 8
    let recorder = EventRecorder()
    let trainer = Trainer(configuration: config, dataset: data) { recorder.record($0) }
    trainer.run()
    let snapshot = try! #require(recorder.all.compactMap(\.snapshot).last)
    let learner = trainer.learner
    #expect(learner.workspaces.count == 2 && learner.workspaces.allSatisfy { $0.rows == 4 })
    // Recompute from both replicas' activations after the last step: the reported fraction is
    // that of the union, never more than either replica's own.
    let units = 32
    func firing(_ index: Int) -> Set<Int> {
      let ws = learner.workspaces[index]
      return Set((0..<units).filter { c in (0..<ws.rows).contains { ws.outputs[0][$0 * units + c] > 0 } })
    }
    let alive = firing(0).union(firing(1))
    // The fixture has units that only the second replica's rows fire (else this proves nothing).
    #expect(!firing(1).subtracting(firing(0)).isEmpty)
    #expect(snapshot.layers[0].deadFraction == Double(units - alive.count) / Double(units))
  }
}

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

  @Test func deadUnitsAreZeroForEveryExample() {
    let collector = StatisticsCollector(parameterCount: 1)
    // 3 rows × 4 units; unit 1 and unit 3 never fire.
    let values: [Float] = [0.5, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0]
    let dead = values.withUnsafeBufferPointer { collector.deadFraction($0, rows: 3, units: 4) }
    #expect(dead == 0.5)
  }
}

import RunModel
import Testing

@testable import Training

@Suite struct ConsoleFormatTests {
  @Test func numbers() {
    #expect(ConsoleFormat.number(0.05) == "0.05")
    #expect(ConsoleFormat.number(0.001) == "0.001")
    #expect(ConsoleFormat.number(1e-5) == "1e-05")
    #expect(ConsoleFormat.number(3) == "3")
    #expect(ConsoleFormat.number(0) == "0")
    #expect(ConsoleFormat.percent(0.97523) == "97.52%")
    #expect(ConsoleFormat.percent(nil) == "-")
    #expect(ConsoleFormat.fixed(.nan, 4) == "nan")
  }

  @Test func epochLine() {
    let line = ConsoleFormat.epochLine(
      EpochSummary(
        epoch: 3, step: 1290, trainLoss: 0.07041, trainAccuracy: 0.97863, validationLoss: 0.08889,
        validationAccuracy: 0.9732, learningRate: 0.05, samplesPerSecond: 123_456.4, elapsed: 2.44),
      of: 10)
    #expect(
      line
        == "epoch  3/10  train loss 0.0704 acc 97.86%  val loss 0.0889 acc 97.32%  lr 0.05  123456 samples/s  2.4s"
    )
  }

  @Test func finalLine() {
    let line = ConsoleFormat.finalLine(
      RunSummary(
        outcome: .finished, step: 1720, epochs: 4, testLoss: 0.0846, testAccuracy: 0.9752,
        bestValidationLoss: 0.0889, bestValidationAccuracy: 0.976, elapsed: 3.21))
    #expect(line == "finished after 4 epochs (1720 steps, 3.2s): test loss 0.0846 acc 97.52%")
  }
}

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

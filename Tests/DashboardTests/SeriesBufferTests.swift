import Terminal
import Testing

@testable import Dashboard

/// Thinning keeps a run's extremes: the diverge lesson is about a one-step explosion, which must
/// still be on the chart once the run has halved its points many times.
@Suite struct SeriesBufferTests {
  /// A loss of 2.3 every step but one.
  func losses(steps: Int, spikeAt spike: Int, spikeValue: Double = 3_683) -> SeriesBuffer<ChartPoint> {
    var buffer = SeriesBuffer<ChartPoint>(capacity: 64)
    for step in 1...steps {
      buffer.append(ChartPoint(Double(step), step == spike ? spikeValue : 2.3 - Double(step) * 1e-5))
    }
    return buffer
  }

  @Test func aOneStepSpikeSurvivesEveryHalving() {
    // 4 300 steps into 64 points is six halvings; every spike position, odd and even, early and late.
    for spike in [1, 2, 3, 4, 5, 6, 7, 8, 777, 2_048, 4_299] {
      let buffer = losses(steps: 4_300, spikeAt: spike)
      #expect(buffer.count <= 66)
      let top = buffer.items.max { $0.y < $1.y }
      #expect(top == ChartPoint(Double(spike), 3_683), "spike at \(spike)")
    }
  }

  @Test func aDipAndANaNSurviveToo() {
    let dip = losses(steps: 3_000, spikeAt: 1_001, spikeValue: 0.01)
    #expect(dip.items.contains(ChartPoint(1_001, 0.01)))
    let nan = losses(steps: 3_000, spikeAt: 1_999, spikeValue: .nan)
    #expect(nan.items.contains { $0.x == 1_999 && $0.y.isNaN })
  }

  @Test func theFirstAndNewestPointsStayAndTheRestSpreadEvenly() {
    var buffer = SeriesBuffer<ChartPoint>(capacity: 16)
    for step in 1...1_000 { buffer.append(ChartPoint(Double(step), 1)) }
    let xs = buffer.items.map(\.x)
    #expect(xs.first == 1)
    #expect(buffer.count <= 18 && buffer.count >= 8)
    #expect(xs == xs.sorted())
    // The chart reaches the newest step: the points being merged have one standing for them.
    #expect(xs.last == 1_000)
    #expect(buffer.last == ChartPoint(1_000, 1))
    // No stretch of the run is left without points: gaps stay within two strides (64 steps here).
    let gaps = zip(xs, xs.dropFirst()).map { $1 - $0 }
    #expect(gaps.allSatisfy { $0 <= 128 }, "\(xs)")
  }
}

import Foundation
import RunModel
import Terminal
import TestSupport
import Testing

@testable import Dashboard

/// The pace keys and the loss chart's automatic log scale after an explosion.
@Suite struct PaceAndScaleTests {
  @Test func paceKeysStepTheLadderAndShowInTheHeader() {
    let c = controller()
    #expect(c.view.pace == nil)
    #expect(c.handle(.character("<")).map(\.0) == [.pace(200)])
    #expect(c.handle(.character(",")).map(\.0) == [.pace(100)])
    #expect(c.state.message == "pace 100 steps/s")
    #expect(c.render(width: 120, height: 40, now: 0).lines[1].contains("pace 100/s"))
    #expect(c.handle(.character(">")).map(\.0) == [.pace(200)])
    #expect(c.handle(.character(">")).map(\.0) == [.pace(0)])
    #expect(c.state.message == "full speed")
    #expect(c.handle(.character(">")).isEmpty)
    #expect(!c.render(width: 120, height: 40, now: 0).lines[1].contains("pace"))
    for _ in 0..<12 { _ = c.handle(.character("<")) }
    #expect(c.view.pace == 1)
    #expect(c.state.message == "already at the slowest pace (1 step/s)")
  }

  /// A paced run's header says the speed it trains at (the pace's, when lower than the steps'
  /// own), and its last epoch's real rate comes from the epochs' times: 430 steps of 128 in 0.5 s.
  @Test func aPacedRunsHeaderSaysTheSpeedItTrainsAt() {
    let c = controller()
    #expect(c.render(width: 120, height: 40, now: 0).lines[1].contains(" 120.0k samples/s"))
    c.view.pace = 2
    let paced = c.render(width: 120, height: 40, now: 0).lines[1]
    #expect(paced.contains("pace 2/s · 256 samples/s"), "\(paced)")
    c.view.pace = 10_000
    #expect(c.render(width: 120, height: 40, now: 0).lines[1].contains(" 120.0k samples/s"))
    #expect(c.state.lastEpochWallRate == 110_080)
  }

  /// `--pace 0.5` is below the ladder: slower must not speed it up to the ladder's 1 step/s.
  @Test func slowerNeverSpeedsUp() {
    let c = controller()
    c.view.pace = 0.5
    #expect(c.handle(.character("<")).isEmpty)
    #expect(c.view.pace == 0.5)
    #expect(c.state.message == "already at the slowest pace (0.5 step/s)")
    #expect(c.handle(.character(">")).map(\.0) == [.pace(1)])
  }

  @Test func anExplosionTurnsTheLossChartLogarithmic() {
    var events = RunFixture.events(epochs: 1)
    let linear = controller(events: events).render(width: 120, height: 40, now: 0)
    #expect(linear.find("Loss ─") != nil && linear.find("log (auto)") == nil)
    events.append(
      .progress(
        StepProgress(
          step: 440, epoch: 1.02, trainLoss: 6.4e4, trainAccuracy: 0.1, learningRate: 3,
          samplesPerSecond: 1e5, elapsed: 1)))
    let exploded = controller(events: events).render(width: 120, height: 40, now: 0)
    #expect(exploded.find("log (auto)") != nil)
  }

  @Test func theFinderKeySweepsShowsThePlotAndAppliesTheSuggestion() {
    let c = controller()
    #expect(c.handle(.character("A")).isEmpty)
    #expect(c.state.message == "no suggestion yet: f runs the finder")
    #expect(c.handle(.character("f")).map(\.0) == [.findLearningRate])
    #expect(c.view.zoom == .learningRateFinder)
    let waiting = c.render(width: 100, height: 30, now: 0).lines.joined(separator: "\n")
    #expect(waiting.contains("f sweeps the rate from 1e-7"))
    let rates = (0..<40).map { 1e-7 * pow(10, Double($0) / 5) }
    let losses = rates.map { 2.3 - 1.5 * min(1, log10($0 / 1e-7) / 6) + ($0 > 1 ? 5 : 0) }
    var sweep = LearningRateSweep(
      rates: rates, losses: losses, smoothed: losses, stop: "the smoothed loss passed 4× its best",
      suggestion: 0.01)
    sweep.step = 1290
    c.apply(.learningRateSweep(sweep), now: 0)
    #expect(c.state.message == "lr-find: suggested 0.01 — A applies it")
    let plot = c.render(width: 100, height: 30, now: 0).lines.joined(separator: "\n")
    #expect(plot.contains("suggested 0.01"))
    // The axis labels the rates swept, not their log10 (0.0303 had read as a rate).
    #expect(plot.contains("1e-07") && plot.contains("learning rate (log scale)") && plot.contains("6.31│"))
    #expect(c.handle(.character("A")).map(\.0) == [.set(.learningRate, 0.01)])
    #expect(c.state.value(of: .learningRate) == 0.01)
  }

  @Test func aRegressionShowsItsLearnedCurveWhereAccuracyWouldBe() {
    let header = RunFixture.header(loss: .squaredError)
    let c = controller(events: [.started(header)])
    let before = c.render(width: 100, height: 30, now: 0).lines.joined(separator: "\n")
    #expect(before.contains("Learned curve") && before.contains("after the first epoch"))
    let xs = (0..<64).map { -3.0 + 6 * Double($0) / 63 }
    c.apply(
      .learnedCurve(
        LearnedCurve(
          step: 430, epoch: 1, xs: xs, mean: xs.map { sin($0) }, spread: xs.map { _ in 0.1 },
          pointsX: xs, pointsY: xs.map { sin($0) + 0.05 })), now: 0)
    let frame = c.render(width: 100, height: 30, now: 0).lines.joined(separator: "\n")
    #expect(frame.contains("epoch 1 · ±2σ of MC dropout"))
    #expect(frame.contains("━ network"))
    #expect(!frame.contains("regression: no accuracy"))
  }
}

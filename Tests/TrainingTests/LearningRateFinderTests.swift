import Datasets
import NeuralNet
import RunModel
import TestSupport
import Testing
import Training

/// The learning-rate finder sweeps, stops when the loss blows up, and leaves the run exactly as
/// it found it.
@Suite struct LearningRateFinderTests {
  @Test func theSweepRestoresEverythingBitForBit() {
    let data = Synthetic.make(.spiral, seed: 2)
    var config = configuration(for: data, hidden: [16, 16], epochs: 3)
    config.network.batchNorm = true
    let trainer = Trainer(configuration: config, dataset: data) { _ in }
    let before = (
      trainer.network.parameters.array, trainer.network.runningStats.array,
      trainer.learner.optimizer.firstMoment.array, trainer.learner.optimizer.stepCount
    )
    let sweep = trainer.findLearningRate(steps: 60)
    #expect(sweep.rates.count >= 10)
    #expect(trainer.network.parameters.array == before.0)
    #expect(trainer.network.runningStats.array == before.1)
    #expect(trainer.learner.optimizer.firstMoment.array == before.2)
    #expect(trainer.learner.optimizer.stepCount == before.3)
    // And the run that follows is the run without the sweep, number for number.
    var after: [RunEvent] = []
    let swept = Trainer(configuration: config, dataset: data) { after.append($0) }
    _ = swept.findLearningRate(steps: 60)
    swept.run()
    let plain = train(config, on: data)
    #expect(
      after.compactMap(\.epochSummary).map(\.trainLoss) == plain.compactMap(\.epochSummary).map(\.trainLoss))
    #expect(after.compactMap(\.epochSummary).count == 3)
  }

  @Test func theSweepRisesExponentiallyAndStopsWhenTheLossBlowsUp() throws {
    let data = Synthetic.make(.spiral, seed: 2)
    let trainer = Trainer(configuration: configuration(for: data, hidden: [32]), dataset: data) { _ in }
    let sweep = trainer.findLearningRate(steps: 100, from: 1e-6, to: 100)
    let rates = sweep.rates
    #expect(rates.first == 1e-6)
    // Equal ratios between neighbours: an exponential ladder.
    let ratio = rates[1] / rates[0]
    #expect(zip(rates, rates.dropFirst()).allSatisfy { abs($1 / $0 - ratio) < 1e-9 * ratio })
    #expect(rates.count < 100, "a rate of 100 blows the loss up before the end")
    let best = try #require(sweep.smoothed.min())
    #expect(sweep.stop == "the loss is not finite" || (sweep.smoothed.last ?? 0) > 4 * best)
    let suggestion = try #require(sweep.suggestion)
    let lowest = try #require(sweep.smoothed.indices.min { sweep.smoothed[$0] < sweep.smoothed[$1] })
    #expect(suggestion < sweep.rates[lowest])
  }

  /// The finder as a command (key f, script `lr_find`): an event, and the run goes on unchanged.
  @Test func theFinderCommandIsAnEventAndLeavesTheRunUnchanged() throws {
    let data = Synthetic.make(.circles, seed: 3)
    let config = configuration(for: data, epochs: 2)
    let mailbox = CommandMailbox()
    mailbox.post(.findLearningRate, source: .key("f"))
    var events: [RunEvent] = []
    Trainer(configuration: config, dataset: data, mailbox: mailbox) { events.append($0) }.run()
    let sweep = try #require(
      events.compactMap { if case .learningRateSweep(let s) = $0 { s } else { nil } }.first)
    #expect(sweep.step == 0 && sweep.rates.count >= 10)
    let plain = train(config, on: data)
    #expect(
      events.compactMap(\.epochSummary).map(\.trainLoss) == plain.compactMap(\.epochSummary).map(\.trainLoss))
  }
}

import Datasets
import NeuralNet
import RunModel
import Testing

@testable import Training

@Suite struct TrainerTests {
  let gaussians = Synthetic.make(.gaussians, seed: 1)

  @Test func eventsComeInRunOrderAndTrainingImproves() {
    let events = train(configuration(for: gaussians, epochs: 6), on: gaussians)
    #expect(events.first?.isStarted == true)
    let summary = events.last?.summary
    #expect(summary?.outcome == .finished)
    let epochs = events.compactMap(\.epochSummary)
    #expect(epochs.map(\.epoch) == [1, 2, 3, 4, 5, 6])
    #expect(epochs.last!.trainLoss < epochs.first!.trainLoss)
    #expect((epochs.last!.validationAccuracy ?? 0) > 0.8)
    #expect((summary?.testAccuracy ?? 0) > 0.8)
    // 1000 examples in batches of 32: 32 steps per epoch; progress every 5 steps and at epoch ends.
    let steps = events.compactMap(\.progress).map(\.step)
    #expect(steps == steps.sorted())
    #expect(steps.contains(5) && steps.contains(32))
    #expect(epochs.first!.step == 32)
    // Validation inside each epoch (3 quick points) and at its end, then the test set.
    let evaluations = events.compactMap { event -> Evaluation? in
      if case .evaluation(let e) = event { return e } else { return nil }
    }
    #expect(evaluations.filter { $0.split == .validation }.count == 6 * 4)
    #expect(evaluations.last?.split == .test)
  }

  @Test func sameSeedSameNumbers() {
    let first = train(configuration(for: gaussians, epochs: 3, seed: 4), on: gaussians).compactMap(
      \.epochSummary)
    let second = train(configuration(for: gaussians, epochs: 3, seed: 4), on: gaussians).compactMap(
      \.epochSummary)
    #expect(first.map(\.trainLoss) == second.map(\.trainLoss))
    #expect(first.map(\.validationLoss) == second.map(\.validationLoss))
    let other = train(configuration(for: gaussians, epochs: 3, seed: 5), on: gaussians).compactMap(
      \.epochSummary)
    #expect(first.map(\.trainLoss) != other.map(\.trainLoss))
  }

  @Test func layerStatisticsDescribeTheBatch() throws {
    let events = train(
      configuration(for: gaussians, hidden: [16, 8], epochs: 1, statsEvery: 10), on: gaussians)
    let snapshots = events.compactMap(\.snapshot)
    #expect(snapshots.map(\.step) == [1, 11, 21, 31])
    let first = try #require(snapshots.first)
    #expect(first.layers.map(\.name) == ["hidden1", "hidden2", "output"])
    #expect(first.layers.map(\.units) == [16, 8, 4])
    for layer in first.layers {
      #expect(layer.histogram.reduce(0, +) == 32 * layer.units)
      #expect(layer.min <= layer.quartiles[0] && layer.quartiles[0] <= layer.quartiles[1])
      #expect(layer.quartiles[1] <= layer.quartiles[2] && layer.quartiles[2] <= layer.max)
      #expect(layer.weightNorm > 0 && layer.gradientNorm > 0)
      #expect(layer.updateRatio > 0 && layer.updateRatio < 1)
      #expect((0...1).contains(layer.deadFraction))
    }
    #expect(first.layers[0].min >= 0)  // ReLU outputs
  }

  @Test func divergenceStopsTheRunAndNamesTheStep() throws {
    let sine = Synthetic.make(.sine, seed: 1)
    var config = configuration(for: sine, hidden: [16], epochs: 20, lr: 10)
    config.divergencePolicy = .stop
    let events = train(config, on: sine)
    let divergence = try #require(events.compactMap(\.divergence).first)
    #expect(divergence.step > 0)
    #expect(divergence.reason.hasPrefix("loss is") || divergence.reason.hasPrefix("gradient is"))
    let summary = try #require(events.last?.summary)
    #expect(summary.outcome == .diverged)
    #expect(summary.step == divergence.step)
    #expect(summary.testLoss == nil)
  }

  @Test func earlyStoppingEndsAnOverfittingRun() throws {
    // Forty noisy examples, a wide network, no regularisation: validation loss soon turns up.
    let data = Synthetic.make(.gaussians, noise: 0.6, seed: 2).withTrainSize(40)
    var config = configuration(for: data, hidden: [128, 128], epochs: 300, lr: 0.1, batch: 8)
    config.earlyStoppingPatience = 5
    let events = train(config, on: data)
    let summary = try #require(events.last?.summary)
    #expect(summary.outcome == .earlyStopped)
    #expect(summary.epochs < 300)
    let losses = events.compactMap(\.epochSummary).map(\.validationLoss)
    let best = losses.min()!
    #expect(losses.suffix(5).allSatisfy { $0 >= best })
  }
}

@Suite struct ScheduleTests {
  @Test func factors() {
    #expect(LearningRateSchedule.constant.factor(epoch: 7, of: 10) == 1)
    let step = LearningRateSchedule.step(every: 3, factor: 0.5)
    #expect((1...7).map { step.factor(epoch: $0, of: 10) } == [1, 1, 1, 0.5, 0.5, 0.5, 0.25])
    #expect(LearningRateSchedule.cosine.factor(epoch: 1, of: 4) == 1)
    #expect(abs(LearningRateSchedule.cosine.factor(epoch: 3, of: 4) - 0.5) < 1e-12)
  }

  @Test func parsing() {
    #expect(LearningRateSchedule(parsing: "cosine") == .cosine)
    #expect(LearningRateSchedule(parsing: "step") == .step(every: 10, factor: 0.1))
    #expect(LearningRateSchedule(parsing: "step:5:0.5") == .step(every: 5, factor: 0.5))
    #expect(LearningRateSchedule(parsing: "step:0:0.5") == nil)
    #expect(LearningRateSchedule(parsing: "linear") == nil)
  }

  @Test func scheduleChangesAreEvents() {
    let data = Synthetic.make(.xor, seed: 1)
    var config = configuration(for: data, epochs: 4)
    config.schedule = .step(every: 2, factor: 0.5)
    let changes = train(config, on: data).compactMap(\.change)
    #expect(changes.count == 1)
    #expect(changes.first?.source == .schedule)
    #expect(changes.first?.oldValue == 0.05)
    #expect(changes.first?.newValue == 0.025)
  }
}

@Suite struct TrainSizeTests {
  @Test func changingTheTrainSizeTakesEffectAtTheNextEpochAndIsAnEvent() throws {
    let data = Synthetic.make(.gaussians, seed: 1)
    var config = configuration(for: data, epochs: 3)
    config.trainSize = 200
    let mailbox = CommandMailbox()
    mailbox.post(.set(.trainSize, 500), source: .key("E"))
    var events: [RunEvent] = []
    Trainer(configuration: config, dataset: data, mailbox: mailbox) { events.append($0) }.run()
    guard case .started(let header)? = events.first else { throw TrainSizeError.noHeader }
    #expect(header.trainCount == 200 && header.trainAvailable == 1_000)
    let steps = events.compactMap(\.epochSummary).map(\.step)
    #expect(steps == [7, 7 + 16, 7 + 32])  // 200 then 500 examples in batches of 32
    let change = try #require(events.compactMap(\.change).first)
    #expect(
      change.knob == .trainSize && change.oldValue == 200 && change.newValue == 500
        && change.source == .key("E"))
    #expect(change.step == 7)
  }

  enum TrainSizeError: Error { case noHeader }
}

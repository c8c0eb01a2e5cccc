import Datasets
import NeuralNet
import RunModel
import Testing
import Training

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
    // Caught as a finite explosion (over 100× the starting loss) or as a non-finite value.
    #expect(
      divergence.reason.contains("over 100× its start") || divergence.reason.hasPrefix("loss is")
        || divergence.reason.hasPrefix("gradient is"), "\(divergence.reason)")
    let summary = try #require(events.last?.summary)
    #expect(summary.outcome == .diverged)
    #expect(summary.step == divergence.step)
    #expect(summary.testLoss == nil)
  }

  /// The exploded step is a point of its own, with the loss the divergence names; the steps
  /// before it are the point before (averaged together, 1 350 had read 36.4 on the chart).
  @Test func theExplodedStepIsItsOwnPointWithTheLossTheDivergenceNames() throws {
    let data = Synthetic.make(.gaussians, seed: 1)
    var config = configuration(for: data, hidden: [16], epochs: 20, lr: 5, statsEvery: 10)
    config.divergencePolicy = .stop
    let events = train(config, on: data)
    let divergence = try #require(events.compactMap(\.divergence).first)
    #expect(divergence.step == 5 && divergence.reason == "loss 206 is over 100× its start (1.79)")
    let points = events.compactMap(\.progress)
    #expect(points.map(\.step) == [4, 5])
    #expect(ConsoleFormat.significant(points[1].trainLoss) == "206")
    #expect(points[0].trainLoss < 100, "\(points[0].trainLoss)")
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

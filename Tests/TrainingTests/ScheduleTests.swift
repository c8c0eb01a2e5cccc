import Datasets
import NeuralNet
import RunModel
import Testing
import Training

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

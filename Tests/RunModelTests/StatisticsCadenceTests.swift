import RunModel
import Testing

/// How often layer statistics are published by default: every 50 steps, or four times an epoch
/// when epochs are shorter, so short-epoch runs (the overfit lesson) still draw a history.
@Suite struct StatisticsCadenceTests {
  @Test func shortEpochsGetFourPointsEachLongOnesEveryFiftySteps() {
    // The overfit lesson: 1 000 examples in batches of 128 are 8 steps an epoch.
    #expect(TrainingConfiguration.defaultStatisticsEvery(stepsPerEpoch: 8) == 2)
    // 5 000 examples: 40 steps an epoch.
    #expect(TrainingConfiguration.defaultStatisticsEvery(stepsPerEpoch: 40) == 10)
    // All of MNIST: 430 steps an epoch, as before.
    #expect(TrainingConfiguration.defaultStatisticsEvery(stepsPerEpoch: 430) == 50)
    #expect(TrainingConfiguration.defaultStatisticsEvery(stepsPerEpoch: 1) == 1)
    #expect(TrainingConfiguration.defaultStatisticsEvery(stepsPerEpoch: 0) == 1)
  }
}

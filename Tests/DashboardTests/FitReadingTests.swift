import Dashboard
import RunModel
import TestSupport
import Testing

@Suite struct FitReadingTests {
  typealias E = RunFixture

  @Test func warmingUpBeforeTheFirstEpoch() {
    #expect(FitReading.assess(epochs: [], diverged: false).label == .warmingUp)
    #expect(FitReading.assess(epochs: [], diverged: true).label == .diverging)
  }

  @Test func goodFitWhenBothFallTogether() {
    let epochs = [
      E.epoch(1, train: 0.30, val: 0.31), E.epoch(2, train: 0.20, val: 0.21),
      E.epoch(3, train: 0.15, val: 0.16),
    ]
    let r = FitReading.assess(epochs: epochs, diverged: false)
    #expect(r.label == .goodFit)
    #expect(abs(r.gap! - 0.01) < 1e-12)
    #expect(r.epochsSinceBest == 0)
    #expect(r.trend == .steady)
  }

  @Test func overfittingWhenValidationTurnsUpAndTheGapGrows() {
    let epochs = [
      E.epoch(1, train: 0.30, val: 0.30), E.epoch(2, train: 0.15, val: 0.25),
      E.epoch(3, train: 0.08, val: 0.27),
      E.epoch(4, train: 0.04, val: 0.31),
    ]
    let r = FitReading.assess(epochs: epochs, diverged: false)
    #expect(r.label == .overfitting)
    #expect(r.trend == .growing)
    #expect(r.epochsSinceBest == 2)
    #expect(r.advice == "overfitting: gap 0.27 and growing → raise L2 (W) or dropout (D)")
  }

  @Test func underfittingWhenBothStayHighAndClose() {
    let epochs = [
      E.epoch(1, train: 0.9, val: 0.92, trainAcc: 0.70, valAcc: 0.69),
      E.epoch(2, train: 0.85, val: 0.86, trainAcc: 0.72, valAcc: 0.71),
    ]
    #expect(FitReading.assess(epochs: epochs, diverged: false).label == .underfitting)
  }

  @Test func divergingWhenTheLossBlowsUp() {
    let epochs = [E.epoch(1, train: 0.5, val: 0.5), E.epoch(2, train: 1.6, val: 2)]
    #expect(FitReading.assess(epochs: epochs, diverged: false).label == .diverging)
    let nan = [E.epoch(1, train: 0.5, val: 0.5), E.epoch(2, train: .nan, val: .nan)]
    #expect(FitReading.assess(epochs: nan, diverged: false).label == .diverging)
  }

  @Test func regressionUnderfitsWhenTheLossBarelyFalls() {
    let epochs = (1...3).map {
      E.epoch($0, train: 1.0 - 0.05 * Double($0), val: 1.0 - 0.04 * Double($0), trainAcc: nil, valAcc: nil)
    }
    #expect(FitReading.assess(epochs: epochs, diverged: false).label == .underfitting)
  }
}

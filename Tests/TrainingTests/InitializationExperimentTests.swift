import NeuralNet
import Testing
import Training

@Suite struct InitializationExperimentTests {
  func spreads(_ scheme: Initialization, _ activation: Activation = .tanh) -> [Double] {
    InitializationExperiment.run(
      initialization: scheme, activation: activation, layers: 10, width: 200, samples: 300, seed: 1
    ).map(\.std)
  }

  @Test func naiveActivationsShrinkLayerByLayer() {
    let naive = spreads(.naive)
    #expect(zip(naive, naive.dropFirst()).allSatisfy { $1 < $0 })
    // Each layer multiplies the spread by about 0.01·√200 ≈ 0.14 (tanh is linear near 0).
    #expect(naive[9] < 1e-6)
    #expect(abs(naive[1] / naive[0] - 0.01 * 200.0.squareRoot()) < 0.03)
  }

  @Test func xavierKeepsTanhAliveAndHeKeepsReLU() {
    let xavier = spreads(.xavier)
    #expect(xavier[9] > 0.1 && xavier[9] < 0.7)
    let he = spreads(.he, .relu)
    #expect(he[9] > 0.5 && he[9] < 1.5)
    let xavierRelu = spreads(.xavier, .relu)
    #expect(xavierRelu[9] < he[9] / 5)  // Xavier halves ReLU's variance at every layer
  }
}

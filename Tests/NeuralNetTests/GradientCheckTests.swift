import NeuralNet
import TestSupport
import Testing

@Suite struct GradientCheckTests {
  static let shapes: [(String, NetworkSpec, Float)] =
    Activation.allCases.map {
      ($0.rawValue, NetworkSpec(inputSize: 4, hiddenSizes: [6, 5], outputSize: 3, activation: $0), 0)
    }
    + [
      (
        "tanh+bn",
        NetworkSpec(inputSize: 4, hiddenSizes: [6, 5], outputSize: 3, activation: .tanh, batchNorm: true), 0
      ),
      (
        "relu+bn",
        NetworkSpec(inputSize: 4, hiddenSizes: [6, 5], outputSize: 3, activation: .relu, batchNorm: true), 0
      ),
      (
        "relu+dropout", NetworkSpec(inputSize: 4, hiddenSizes: [6, 5], outputSize: 3, activation: .relu), 0.3
      ),
      (
        "bce",
        NetworkSpec(
          inputSize: 4, hiddenSizes: [6], outputSize: 1, activation: .sigmoid,
          loss: .sigmoidBinaryCrossEntropy), 0
      ),
      (
        "mse",
        NetworkSpec(inputSize: 4, hiddenSizes: [6], outputSize: 2, activation: .elu, loss: .squaredError), 0
      ),
    ]

  @Test(arguments: 0..<shapes.count)
  func backpropMatchesFiniteDifferences(_ index: Int) {
    let (name, spec, dropout) = Self.shapes[index]
    for seed: UInt64 in [1, 2, 3] {
      let results = GradientCheck.run(spec: spec, dropout: dropout, seed: seed)
      #expect(results.count == spec.hiddenSizes.count + 1)
      for r in results {
        #expect(r.checked > 0, "\(name) \(r.layer): nothing checked")
        #expect(r.maxRelativeError < 1e-2, "\(name) seed \(seed) \(r.layer): \(r.maxRelativeError)")
      }
    }
  }

  @Test func relativeErrorSeparatesBugsFromRounding() {
    #expect(GradientCheck.relativeError(0.5, 0.5) == 0)
    #expect(GradientCheck.relativeError(0.5, -0.5) == 1)  // a sign error
    #expect(GradientCheck.relativeError(1, 2) > 0.3)  // a factor of two
    #expect(GradientCheck.relativeError(1e-6, 2e-6) < 1e-3)  // both below the floor
  }

  @Test func inputGradientOfDenseLayerMatchesFiniteDifferences() {
    // The checker covers parameters; the hidden deltas it relies on come from dX = dZ·Wᵀ, which
    // this test checks directly by perturbing an input.
    let spec = NetworkSpec(inputSize: 3, hiddenSizes: [4], outputSize: 2, activation: .tanh)
    let network = Network(spec: spec, seed: 3)
    let ws = Workspace(network: network, capacity: 1)
    ws.rows = 1
    ws.input[0] = 0.3
    ws.input[1] = -0.8
    ws.input[2] = 1.2
    ws.labels[0] = 1
    func loss() -> Double {
      network.forward(ws, training: true)
      return network.lossAndGradient(ws, normalizer: 1, gradient: false).lossSum
    }
    network.forward(ws, training: true)
    network.lossAndGradient(ws, normalizer: 1)
    // delta of the hidden layer (w.r.t. its pre-activation) times W₀ gives dL/dx.
    let hidden = network.layers[0]
    var analytic = [Double](repeating: 0, count: 3)
    for i in 0..<3 {
      for j in 0..<hidden.fanOut {
        analytic[i] +=
          Double(ws.deltas[0][j]) * Double(network.parameters[hidden.weights + i * hidden.fanOut + j])
      }
    }
    for i in 0..<3 {
      let saved = ws.input[i]
      let numeric = centralDifference(at: saved, step: 1e-2) { value in
        ws.input[i] = value
        return loss()
      }
      ws.input[i] = saved
      #expect(abs(numeric - analytic[i]) < 1e-3, "input \(i): \(analytic[i]) vs \(numeric)")
    }
  }
}

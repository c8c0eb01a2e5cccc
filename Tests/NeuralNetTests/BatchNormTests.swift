import NeuralNet
import Testing

@Suite struct BatchNormTests {
  @Test func trainingModeNormalisesEachUnitOverTheBatch() {
    let spec = NetworkSpec(
      inputSize: 5, hiddenSizes: [7], outputSize: 2, activation: .linear, batchNorm: true)
    let network = Network(spec: spec, seed: 4)
    let ws = Workspace(network: network, capacity: 16)
    ws.rows = 16
    var rng = SeededGenerator(seed: 9)
    for i in 0..<(16 * 5) { ws.input[i] = rng.nextGaussian() * 3 + 1 }
    network.forward(ws, training: true)
    // γ = 1, β = 0 and a linear activation: each unit's outputs have mean 0 and variance 1 − ε-ish.
    for c in 0..<7 {
      var mean = 0.0
      var squares = 0.0
      for r in 0..<16 {
        let v = Double(ws.outputs[0][r * 7 + c])
        mean += v
        squares += v * v
      }
      mean /= 16
      #expect(abs(mean) < 1e-5)
      #expect(abs(squares / 16 - mean * mean - 1) < 1e-3)
    }
    // Running statistics moved 10 % of the way from (0, 1) towards the batch's.
    let runningMean = network.runningStats[0]
    #expect(runningMean != 0)
    #expect(network.layers[0].bias == nil)
  }

  @Test func inferenceUsesRunningStatistics() {
    let spec = NetworkSpec(
      inputSize: 1, hiddenSizes: [1], outputSize: 1, activation: .linear, loss: .squaredError, batchNorm: true
    )
    let network = Network(spec: spec, seed: 1)
    let layer = network.layers[0]
    network.parameters[layer.weights] = 1
    network.runningStats[layer.runningStats!] = 2  // mean
    network.runningStats[layer.runningStats! + 1] = 4  // variance
    let ws = Workspace(network: network, capacity: 1)
    ws.rows = 1
    ws.input[0] = 6
    network.forward(ws, training: false)
    #expect(abs(ws.outputs[0][0] - (6 - 2) / (4 + Network.batchNormEpsilon).squareRoot()) < 1e-6)
  }
}

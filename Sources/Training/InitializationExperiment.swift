import NeuralNet
import RunModel

/// The lecture's initialisation experiment: push random inputs through a deep stack of layers and
/// watch each layer's activations. A naive small Gaussian shrinks them towards zero layer by layer,
/// Xavier keeps tanh's spread, He keeps ReLU's.
public enum InitializationExperiment {
  public struct LayerSpread: Sendable, Equatable {
    public let layer: Int
    public let mean: Double
    public let std: Double
  }

  /// Per hidden layer, the mean and standard deviation of the activations for `samples` standard
  /// normal inputs of dimension `width`.
  public static func run(
    initialization: Initialization, activation: Activation, layers: Int, width: Int, samples: Int,
    seed: UInt64
  ) -> [LayerSpread] {
    let spec = NetworkSpec(
      inputSize: width, hiddenSizes: Array(repeating: width, count: layers), outputSize: 1,
      activation: activation,
      loss: .squaredError, initialization: initialization)
    let network = Network(spec: spec, seed: seed)
    let workspace = Workspace(network: network, capacity: samples)
    workspace.rows = samples
    var rng = SeededGenerator(seed: seed &+ 1)
    for i in 0..<(samples * width) { workspace.input[i] = rng.nextGaussian() }
    network.forward(workspace, training: false)
    return (0..<layers).map { l in
      let values = workspace.outputs[l]
      var sum = 0.0
      var squares = 0.0
      for i in 0..<(samples * width) {
        let v = Double(values[i])
        sum += v
        squares += v * v
      }
      let n = Double(samples * width)
      let mean = sum / n
      return LayerSpread(layer: l + 1, mean: mean, std: max(0, squares / n - mean * mean).squareRoot())
    }
  }
}

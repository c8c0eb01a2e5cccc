/// How a layer's weights start, which decides whether signals survive many layers.
///
/// The lecture's experiment contrasts a naive small Gaussian (activations shrink layer by layer)
/// with Xavier/Glorot (keeps variance for tanh) and He (keeps it for ReLU); `pytorch` is the
/// default of `nn.Linear`, kept so benchmarks against PyTorch start from the same distribution.
public enum Initialization: String, CaseIterable, Sendable, Codable {
  case xavier, he, naive, pytorch

  /// The scheme that suits an activation when the user does not choose.
  public static func suited(to activation: Activation) -> Initialization {
    switch activation {
    case .relu, .leakyRelu, .elu: return .he
    case .sigmoid, .tanh, .linear: return .xavier
    }
  }

  /// Standard deviation used by the naive scheme.
  public static let naiveStd: Float = 0.01

  /// Fills a fanIn × fanOut weight matrix and its bias (if any).
  public func initialize(
    weights: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>?,
    fanIn: Int, fanOut: Int, using rng: inout SeededGenerator
  ) {
    let count = fanIn * fanOut
    switch self {
    case .xavier:
      let bound = (6 / Float(fanIn + fanOut)).squareRoot()
      for i in 0..<count { weights[i] = rng.nextUniform(-bound, bound) }
    case .he:
      let std = (2 / Float(fanIn)).squareRoot()
      for i in 0..<count { weights[i] = std * rng.nextGaussian() }
    case .naive:
      for i in 0..<count { weights[i] = Initialization.naiveStd * rng.nextGaussian() }
    case .pytorch:
      let bound = 1 / Float(fanIn).squareRoot()
      for i in 0..<count { weights[i] = rng.nextUniform(-bound, bound) }
    }
    guard let bias else { return }
    if self == .pytorch {
      let bound = 1 / Float(fanIn).squareRoot()
      for i in 0..<fanOut { bias[i] = rng.nextUniform(-bound, bound) }
    } else {
      bias.update(repeating: 0, count: fanOut)
    }
  }
}

/// The nonlinearities the lectures compare, applied element by element after a dense layer.
///
/// Each derivative is written in terms of the activation's *output*, so the backward pass needs
/// only the buffer the forward pass already kept.
public enum Activation: String, CaseIterable, Sendable, Codable {
  case sigmoid, tanh, relu
  case leakyRelu = "leaky-relu"
  case elu, linear

  /// Slope of leaky ReLU for negative inputs.
  public static let leakySlope: Float = 0.01

  /// Whether a unit can be "dead" (zero output and zero gradient); the others can saturate.
  public var canDie: Bool { self == .relu }
  public var canSaturate: Bool { self == .sigmoid || self == .tanh }

  @inline(__always)
  public func apply(_ x: Float) -> Float {
    switch self {
    case .sigmoid: return 1 / (1 + expf32(-x))
    case .tanh: return tanhf32(x)
    case .relu: return x < 0 ? 0 : x  // NaN passes through so divergence stays visible
    case .leakyRelu: return x > 0 ? x : Activation.leakySlope * x
    case .elu: return x > 0 ? x : expm1f32(x)
    case .linear: return x
    }
  }

  /// d(output)/d(input), expressed through the output `y`.
  @inline(__always)
  public func derivative(output y: Float) -> Float {
    switch self {
    case .sigmoid: return y * (1 - y)
    case .tanh: return 1 - y * y
    case .relu: return y > 0 ? 1 : 0
    case .leakyRelu: return y > 0 ? 1 : Activation.leakySlope
    case .elu: return y > 0 ? 1 : y + 1
    case .linear: return 1
    }
  }

  /// y[r, c] = f(z[r, c] + bias[c]) over a rows × cols row-major block, in place.
  /// One function per activation so each loop is a tight, vectorisable kernel.
  public func forwardAddingBias(
    _ z: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, rows: Int, cols: Int
  ) {
    if self == .relu {
      ElementwiseKernels.reluAddingBias(z, bias: bias, rows: rows, cols: cols)
      return
    }
    for r in 0..<rows {
      let row = z + r * cols
      if let bias {
        switch self {
        case .linear: for c in 0..<cols { row[c] += bias[c] }
        default: for c in 0..<cols { row[c] = apply(row[c] + bias[c]) }
        }
      } else {
        switch self {
        case .linear: break
        default: for c in 0..<cols { row[c] = apply(row[c]) }
        }
      }
    }
  }

  /// delta[i] *= f'(y[i]) over `count` elements, in place.
  public func backwardInPlace(
    _ delta: UnsafeMutablePointer<Float>, output y: UnsafePointer<Float>, count: Int
  ) {
    switch self {
    case .relu: ElementwiseKernels.reluBackward(delta, output: y, count: count)
    case .linear: break
    case .sigmoid: for i in 0..<count { delta[i] *= y[i] * (1 - y[i]) }
    case .tanh: for i in 0..<count { delta[i] *= 1 - y[i] * y[i] }
    default: for i in 0..<count { delta[i] *= derivative(output: y[i]) }
    }
  }
}

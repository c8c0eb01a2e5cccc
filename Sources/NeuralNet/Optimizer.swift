import CKernels

/// Which update rule turns gradients into parameter changes.
public enum OptimizerKind: String, CaseIterable, Sendable, Codable {
  case sgd, adam
}

/// The knobs of one update; they can change between any two steps.
public struct UpdateSettings: Sendable, Equatable {
  public var learningRate: Float
  /// SGD momentum (PyTorch semantics: buf = m·buf + g; p -= lr·buf).
  public var momentum: Float
  /// L2 strength λ, applied as g += λ·w on weight matrices only.
  public var weightDecay: Float
  public var beta1: Float = 0.9
  public var beta2: Float = 0.999
  public var epsilon: Float = 1e-8

  public init(learningRate: Float, momentum: Float = 0, weightDecay: Float = 0) {
    self.learningRate = learningRate
    self.momentum = momentum
    self.weightDecay = weightDecay
  }
}

/// SGD with momentum or Adam over the network's flat parameter buffer.
///
/// State buffers share the parameters' layout, so an update is one fused pass per contiguous
/// range: read the (already reduced) gradient, add weight decay, update the state and the
/// parameter, with no temporary arrays.
public final class Optimizer {
  public let kind: OptimizerKind
  /// Momentum buffer (SGD) or first moment (Adam).
  public let firstMoment: FloatBuffer
  /// Second moment (Adam only).
  public let secondMoment: FloatBuffer
  /// Number of updates applied so far (Adam's bias correction uses it).
  public private(set) var stepCount = 0

  public init(kind: OptimizerKind, parameterCount: Int) {
    self.kind = kind
    firstMoment = FloatBuffer(count: parameterCount)
    secondMoment = FloatBuffer(count: kind == .adam ? parameterCount : 0)
  }

  /// Call once per step before `update`.
  public func beginStep() { stepCount += 1 }

  /// Restores the step counter (checkpoint resume).
  public func restore(stepCount: Int) { self.stepCount = stepCount }

  /// `update`, returning Σ g² of the range's gradient (`VectorKernels.sumOfSquares`' bits): SGD
  /// with momentum takes both in one pass over the gradient.
  public func updateSummingSquares(
    parameters: UnsafeMutablePointer<Float>, range: Range<Int>, rangeGradient: UnsafePointer<Float>,
    decays: Bool, settings s: UpdateSettings
  ) -> Float {
    guard kind == .sgd && s.momentum != 0 else {
      let squares = VectorKernels.sumOfSquares(rangeGradient, count: range.count)
      update(parameters: parameters, range: range, rangeGradient: rangeGradient, decays: decays, settings: s)
      return squares
    }
    return nntop_sgd_momentum_sum_squares(
      parameters + range.lowerBound, rangeGradient, firstMoment.base + range.lowerBound,
      range.count, s.learningRate, s.momentum, decays ? s.weightDecay : 0)
  }

  /// Updates `parameters[range]` from `rangeGradient`, the gradient of those parameters, in
  /// order: the matching part of a whole gradient, or a block made in a buffer of its own.
  public func update(
    parameters: UnsafeMutablePointer<Float>, range: Range<Int>, rangeGradient: UnsafePointer<Float>,
    decays: Bool, settings s: UpdateSettings
  ) {
    let p = parameters + range.lowerBound
    let g = rangeGradient
    let m = firstMoment.base + range.lowerBound
    let n = range.count
    let wd = decays ? s.weightDecay : 0
    let lr = s.learningRate
    switch kind {
    case .sgd:
      let mu = s.momentum
      if mu == 0 {
        for i in 0..<n { p[i] -= lr * (g[i] + wd * p[i]) }
      } else {
        nntop_sgd_momentum(p, g, m, n, lr, mu, wd)
      }
    case .adam:
      let t = Double(max(stepCount, 1))
      let correction1 = 1 - pow(Double(s.beta1), t)
      let correction2 = 1 - pow(Double(s.beta2), t)
      nntop_adam(
        p, g, m, secondMoment.base + range.lowerBound, n, Float(Double(lr) / correction1),
        Float(correction2.squareRoot()), s.beta1, s.beta2, s.epsilon, wd)
    }
  }
}

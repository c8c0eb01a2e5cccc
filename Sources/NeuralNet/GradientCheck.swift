/// Backpropagation checked against central finite differences, parameter by parameter.
///
/// Used by the tests and by `nntop gradcheck`. The network computes in Float32, so steps are
/// relatively large (ε = 1e-2), losses are summed in Double, and the quotients at ε and ε/2 are
/// combined by Richardson extrapolation, which cancels the ε² truncation error of central
/// differences. What remains is Float32 rounding, about 1e-5 in absolute terms; the relative error
/// therefore uses a floor of 1e-2 in its denominator, so gradients smaller than that are compared
/// in absolute terms instead of digit by digit. A real backprop bug (a missing factor, a wrong
/// sign, a dropped term) shows up as an error of order 1. Where a step moves a ReLU-like unit
/// across its kink the difference quotient means nothing: such parameters are skipped and counted.
public enum GradientCheck {
  public struct LayerResult: Sendable {
    public let layer: String
    public let maxRelativeError: Double
    public let checked: Int
    public let skippedAtKinks: Int
  }

  /// Relative error of two derivatives, with a floor so that two tiny gradients are not compared
  /// digit by digit.
  public static func relativeError(_ a: Double, _ b: Double) -> Double {
    abs(a - b) / max(abs(a) + abs(b), 1e-2)
  }

  /// Checks every layer of a network of shape `spec` on `rows` random examples.
  ///
  /// At most `perLayer` parameters of each layer are checked (spread over the layer).
  public static func run(
    spec: NetworkSpec, rows: Int = 8, dropout: Float = 0, seed: UInt64 = 7, epsilon: Float = 1e-2,
    perLayer: Int = 60
  ) -> [LayerResult] {
    let network = Network(spec: spec, seed: seed)
    let ws = Workspace(network: network, capacity: rows, seed: seed &+ 1)
    var rng = SeededGenerator(seed: seed &+ 2)
    ws.rows = rows
    for i in 0..<(rows * spec.inputSize) { ws.input[i] = rng.nextGaussian() }
    for r in 0..<rows {
      switch spec.loss {
      case .softmaxCrossEntropy: ws.labels[r] = Int32(rng.nextInt(below: spec.outputSize))
      case .sigmoidBinaryCrossEntropy: ws.labels[r] = Int32(rng.nextInt(below: 2))
      case .squaredError:
        for c in 0..<spec.outputSize { ws.targets[r * spec.outputSize + c] = rng.nextGaussian() }
      }
    }
    let maskSeed = seed &+ 3
    func loss(gradient: Bool) -> Double {
      ws.rng = SeededGenerator(seed: maskSeed)  // the same dropout mask every time
      network.forward(ws, training: true, dropout: dropout, updateRunningStats: false)
      return network.lossAndGradient(ws, normalizer: rows, gradient: gradient).lossSum / Double(rows)
    }
    func kinkPattern() -> [Bool] {
      guard spec.activation == .relu || spec.activation == .leakyRelu else { return [] }
      var pattern: [Bool] = []
      for layer in network.layers where !layer.isOutput {
        let y = ws.outputs[layer.index].base
        for i in 0..<(rows * layer.fanOut) { pattern.append(y[i] > 0) }
      }
      return pattern
    }
    _ = loss(gradient: true)
    let analytic = ws.gradients.array
    let p = network.parameters.base
    var results: [LayerResult] = []
    for layer in network.layers {
      let range = layer.parameterRange
      let stride = max(1, range.count / perLayer)
      var worst = 0.0
      var checked = 0
      var skipped = 0
      var index = range.lowerBound
      while index < range.upperBound {
        let saved = p[index]
        var patterns: [[Bool]] = []
        func quotient(_ step: Float) -> Double {
          p[index] = saved + step
          let plus = loss(gradient: false)
          patterns.append(kinkPattern())
          p[index] = saved - step
          let minus = loss(gradient: false)
          patterns.append(kinkPattern())
          p[index] = saved
          return (plus - minus) / (Double(saved + step) - Double(saved - step))
        }
        let wide = quotient(epsilon)
        let narrow = quotient(epsilon / 2)
        if patterns.contains(where: { $0 != patterns[0] }) {
          skipped += 1
        } else {
          let numeric = (4 * narrow - wide) / 3
          worst = max(worst, relativeError(Double(analytic[index]), numeric))
          checked += 1
        }
        index += stride
      }
      results.append(
        LayerResult(layer: layer.name, maxRelativeError: worst, checked: checked, skippedAtKinks: skipped))
    }
    return results
  }
}

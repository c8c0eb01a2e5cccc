/// A multilayer perceptron's parameters and batch-norm state, in single contiguous buffers.
///
/// Keeping every parameter in one buffer with one layout means the optimiser, "zero grad", norms
/// and checkpoints are flat loops over ranges, and gradients of several replicas add up with one
/// vector pass. The network itself holds no per-batch state: that lives in `Workspace`s, one per
/// core, so two halves of a batch can run forward and backward at the same time.
public final class Network {
  public let spec: NetworkSpec
  public let layers: [DenseLayout]
  public let groups: [ParameterGroup]
  public let parameters: FloatBuffer
  /// Running mean then running variance of each batch-normalised layer (used at inference).
  public let runningStats: FloatBuffer

  /// Momentum of batch norm's running statistics (PyTorch's default).
  public static let batchNormMomentum: Float = 0.1
  public static let batchNormEpsilon: Float = 1e-5

  public init(spec: NetworkSpec, seed: UInt64) {
    self.spec = spec
    let plan = spec.layout()
    layers = plan.layers
    groups = plan.groups
    parameters = FloatBuffer(count: plan.count)
    runningStats = FloatBuffer(count: plan.statsCount)
    var rng = SeededGenerator(seed: seed)
    for layer in layers {
      spec.initialization.initialize(
        weights: parameters.base + layer.weights, bias: layer.bias.map { parameters.base + $0 },
        fanIn: layer.fanIn, fanOut: layer.fanOut, using: &rng)
      if let gamma = layer.gamma, let beta = layer.beta, let stats = layer.runningStats {
        (parameters.base + gamma).update(repeating: 1, count: layer.fanOut)
        (parameters.base + beta).update(repeating: 0, count: layer.fanOut)
        (runningStats.base + stats).update(repeating: 0, count: layer.fanOut)
        (runningStats.base + stats + layer.fanOut).update(repeating: 1, count: layer.fanOut)
      }
    }
  }

  public var parameterCount: Int { parameters.count }

  // MARK: Forward

  /// Runs `workspace.rows` rows of `workspace.input` through the network.
  ///
  /// Training mode uses batch statistics for batch norm (and updates the running ones when
  /// `updateRunningStats`); inference uses the running statistics. Inverted dropout with
  /// probability `dropout` follows each hidden activation in either mode: inference with dropout
  /// is Monte Carlo dropout (many passes with different masks, averaged).
  public func forward(
    _ ws: Workspace, training: Bool, dropout: Float = 0, updateRunningStats: Bool = true
  ) {
    let rows = ws.rows
    let p = parameters.base
    var input = UnsafePointer(ws.input.base)
    for layer in layers {
      let out = ws.outputs[layer.index].base
      Gemm.product(input, p + layer.weights, into: out, m: rows, k: layer.fanIn, n: layer.fanOut)
      if layer.isOutput {
        Activation.linear.forwardAddingBias(
          out, bias: layer.bias.map { UnsafePointer(p + $0) }, rows: rows, cols: layer.fanOut)
        break
      }
      if layer.usesBatchNorm {
        batchNormForward(layer, ws, training: training, updateRunningStats: updateRunningStats)
      } else {
        spec.activation.forwardAddingBias(
          out, bias: layer.bias.map { UnsafePointer(p + $0) }, rows: rows, cols: layer.fanOut)
      }
      ws.dropoutActive[layer.index] = dropout > 0
      if dropout > 0 {
        applyDropout(layer, ws, probability: dropout)
        input = UnsafePointer(ws.dropped[layer.index].base)
      } else {
        input = UnsafePointer(out)
      }
    }
  }

  private func applyDropout(_ layer: DenseLayout, _ ws: Workspace, probability: Float) {
    let count = ws.rows * layer.fanOut
    let keep = 1 - probability
    let scale = 1 / keep
    let mask = ws.masks[layer.index].base
    let y = ws.outputs[layer.index].base
    let dropped = ws.dropped[layer.index].base
    for i in 0..<count {
      let m: Float = ws.rng.nextUnitFloat() < keep ? scale : 0
      mask[i] = m
      dropped[i] = y[i] * m
    }
  }

  private func batchNormForward(
    _ layer: DenseLayout, _ ws: Workspace, training: Bool, updateRunningStats: Bool
  ) {
    let rows = ws.rows
    let cols = layer.fanOut
    let z = ws.outputs[layer.index].base
    let xhat = ws.normalized[layer.index].base
    let mean = ws.batchMean[layer.index].base
    let invStd = ws.batchInvStd[layer.index].base
    let gamma = parameters.base + layer.gamma!
    let beta = parameters.base + layer.beta!
    let runMean = runningStats.base + layer.runningStats!
    let runVar = runMean + cols
    if training {
      mean.update(repeating: 0, count: cols)
      invStd.update(repeating: 0, count: cols)
      for r in 0..<rows { let row = z + r * cols; for c in 0..<cols { mean[c] += row[c] } }
      let inv = 1 / Float(rows)
      for c in 0..<cols { mean[c] *= inv }
      for r in 0..<rows {
        let row = z + r * cols
        for c in 0..<cols { let d = row[c] - mean[c]; invStd[c] += d * d }
      }
      let momentum = Network.batchNormMomentum
      for c in 0..<cols {
        let variance = invStd[c] * inv
        if updateRunningStats {
          let unbiased = rows > 1 ? variance * Float(rows) / Float(rows - 1) : variance
          runMean[c] = (1 - momentum) * runMean[c] + momentum * mean[c]
          runVar[c] = (1 - momentum) * runVar[c] + momentum * unbiased
        }
        invStd[c] = 1 / (variance + Network.batchNormEpsilon).squareRoot()
      }
    } else {
      for c in 0..<cols {
        mean[c] = runMean[c]
        invStd[c] = 1 / (runVar[c] + Network.batchNormEpsilon).squareRoot()
      }
    }
    let activation = spec.activation
    for r in 0..<rows {
      let row = z + r * cols
      let xr = xhat + r * cols
      for c in 0..<cols {
        let x = (row[c] - mean[c]) * invStd[c]
        xr[c] = x
        row[c] = activation.apply(gamma[c] * x + beta[c])
      }
    }
  }

  // MARK: Loss and backward

  /// Loss of the rows in `ws` after `forward`, and, when `gradient` is set, backpropagation of
  /// that loss into `ws.gradients` (overwritten, not accumulated).
  ///
  /// `normalizer` is the size of the whole batch: a replica holding half of it produces half of
  /// the mean gradient, and the halves add up.
  @discardableResult
  public func lossAndGradient(_ ws: Workspace, normalizer: Int, gradient: Bool = true) -> (
    lossSum: Double, correct: Int
  ) {
    let last = layers[layers.count - 1]
    let result = spec.loss.evaluate(
      logits: ws.outputs[last.index].base, rows: ws.rows, outputs: last.fanOut,
      labels: ws.labels.base, values: ws.targets.base,
      gradient: gradient ? ws.deltas[last.index].base : nil, normalizer: normalizer)
    if gradient { backward(ws) }
    return result
  }

  private func backward(_ ws: Workspace) {
    let rows = ws.rows
    let p = parameters.base
    let g = ws.gradients.base
    for layer in layers.reversed() {
      let cols = layer.fanOut
      let delta = ws.deltas[layer.index].base
      if !layer.isOutput {
        let count = rows * cols
        if ws.dropoutActive[layer.index] {
          let mask = ws.masks[layer.index].base
          ElementwiseKernels.multiply(delta, by: mask, count: count)
        }
        spec.activation.backwardInPlace(delta, output: ws.outputs[layer.index].base, count: count)
      }
      if layer.usesBatchNorm {
        batchNormBackward(layer, ws)
      } else if let bias = layer.bias {
        ElementwiseKernels.columnSums(delta, rows: rows, cols: cols, into: g + bias)
      }
      let input = layerInput(layer.index, ws)
      Gemm.transposedLeft(input, delta, into: g + layer.weights, m: rows, k: layer.fanIn, n: cols)
      if layer.index > 0 {
        Gemm.transposedRight(
          delta, p + layer.weights, into: ws.deltas[layer.index - 1].base, m: rows, n: cols,
          k: layer.fanIn)
      }
    }
  }

  private func batchNormBackward(_ layer: DenseLayout, _ ws: Workspace) {
    let rows = ws.rows
    let cols = layer.fanOut
    let delta = ws.deltas[layer.index].base
    let xhat = ws.normalized[layer.index].base
    let invStd = ws.batchInvStd[layer.index].base
    let gamma = parameters.base + layer.gamma!
    let dGamma = ws.gradients.base + layer.gamma!
    let dBeta = ws.gradients.base + layer.beta!
    dGamma.update(repeating: 0, count: cols)
    dBeta.update(repeating: 0, count: cols)
    for r in 0..<rows {
      let d = delta + r * cols
      let x = xhat + r * cols
      for c in 0..<cols {
        dGamma[c] += d[c] * x[c]
        dBeta[c] += d[c]
      }
    }
    let n = Float(rows)
    for r in 0..<rows {
      let d = delta + r * cols
      let x = xhat + r * cols
      for c in 0..<cols {
        d[c] = gamma[c] * invStd[c] / n * (n * d[c] - dBeta[c] - x[c] * dGamma[c])
      }
    }
  }

  /// The values layer `index` read during the last forward pass.
  public func layerInput(_ index: Int, _ ws: Workspace) -> UnsafePointer<Float> {
    if index == 0 { return UnsafePointer(ws.input.base) }
    return UnsafePointer(
      ws.dropoutActive[index - 1] ? ws.dropped[index - 1].base : ws.outputs[index - 1].base)
  }
}

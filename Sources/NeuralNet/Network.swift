import CBLAS

/// A multilayer perceptron's parameters and batch-norm state, in single contiguous buffers.
///
/// Keeping every parameter in one buffer with one layout means the optimiser, "zero grad", norms
/// and checkpoints are flat loops over ranges, and gradients of several replicas add up with one
/// vector pass. The network itself holds no per-batch state: that lives in `Workspace`s, one per
/// core, so slices of a batch can run forward and backward at the same time.
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
  /// `firstLayerDone`: the first layer's output (product, bias, activation) is already in the
  /// workspace (`finishFirstLayer`, after the cores split its product by inputs).
  public func forward(
    _ ws: Workspace, training: Bool, dropout: Float = 0, updateRunningStats: Bool = true,
    firstLayerDone: Bool = false
  ) {
    for layer in layers {
      if !(firstLayerDone && layer.index == 0) { linearPart(layer, ws) }
      if layer.isOutput { break }
      if layer.usesBatchNorm {
        if training {
          batchStatistics(layer, ws)
          finishBatchStatistics(
            layer, means: ws.batchMean[layer.index].base, squares: ws.batchInvStd[layer.index].base,
            totalRows: ws.rows, updateRunningStats: updateRunningStats)
        } else {
          runningStatistics(layer, ws)
        }
        normalizeAndActivate(layer, ws)
      }
      applyDropout(layer, ws, probability: dropout)
    }
  }

  /// The layer's matrix product and, unless batch norm comes next, its bias and activation (the
  /// output layer adds its bias only), for rows `rows` of the workspace (all when nil).
  func linearPart(_ layer: DenseLayout, _ ws: Workspace, rows: Range<Int>? = nil) {
    let rows = rows ?? 0..<ws.rows
    let p = parameters.base
    let out = ws.outputs[layer.index].base + rows.lowerBound * layer.fanOut
    Gemm.product(
      layerInput(layer.index, ws) + rows.lowerBound * layer.fanIn, p + layer.weights, into: out,
      m: rows.count, k: layer.fanIn, n: layer.fanOut)
    if layer.usesBatchNorm { return }
    let activation = layer.isOutput ? Activation.linear : spec.activation
    activation.forwardAddingBias(
      out, bias: layer.bias.map { UnsafePointer(p + $0) }, rows: rows.count, cols: layer.fanOut)
  }

  /// Inference (running statistics, no dropout) of the workspace's rows cut into `parts` slices
  /// (`ReplicaSplit.slices`), run on up to `cores` cores at once: for each slice, `load` fills its
  /// rows, then they go through every layer. A matrix product's rows can round differently with
  /// the number of rows it is given, so the cut, not the cores, decides the bits: any core count
  /// gives the same outputs for the same `parts`.
  ///
  /// Why: evaluations (the epoch's validation, the quick ones within it, the test set) ran on
  /// one core while the other, which trains, waited; they were a tenth of a two-core run's time.
  public func infer(_ ws: Workspace, parts: Int, cores: Int, load: (Range<Int>) -> Void) {
    let slices = ReplicaSplit.slices(rows: ws.rows, replicas: max(1, parts)).filter { !$0.isEmpty }
    for layer in layers where !layer.isOutput {
      if layer.usesBatchNorm { runningStatistics(layer, ws) }
      ws.dropoutActive[layer.index] = false
    }
    func run(_ rows: Range<Int>) {
      load(rows)
      for layer in layers {
        linearPart(layer, ws, rows: rows)
        if layer.usesBatchNorm { normalizeAndActivate(layer, ws, rows: rows) }
      }
    }
    if cores >= slices.count {
      Parallel.forEach(slices.count) { run(slices[$0]) }
    } else {
      for rows in slices { run(rows) }
    }
  }

  /// One core's share of the first layer when several split it by inputs: the product of input
  /// columns `inputs` of every workspace with the same rows of the weights, into `partial`
  /// (workspace r's rows from row `r × rowStride`). Each core then reads, and in the update
  /// writes, only its own rows of the largest weight matrix: when every core read all of it, the
  /// update's writes had to invalidate the other core's copy, and the update took 100 µs a step
  /// at two threads against 28 µs for the same arithmetic on unshared memory.
  func firstLayerPartial(
    _ spaces: [Workspace], inputs: Range<Int>, into partial: UnsafeMutablePointer<Float>, rowStride: Int
  ) {
    let layer = layers[0]
    precondition(!layer.usesBatchNorm, "batch norm normalises the whole product")
    for (r, ws) in spaces.enumerated() {
      Gemm.partialProduct(
        ws.input.base, parameters.base + layer.weights, into: partial + r * rowStride * layer.fanOut,
        m: ws.rows, k: layer.fanIn, n: layer.fanOut, inner: inputs)
    }
  }

  /// The first layer's output of workspace `replica` from the cores' partial products (added in
  /// core order, so a given core count is bit-reproducible), then its bias and activation.
  func finishFirstLayer(
    _ ws: Workspace, replica: Int, partials: [UnsafePointer<Float>], rowStride: Int
  ) {
    let layer = layers[0]
    let count = ws.rows * layer.fanOut
    let out = ws.outputs[0].base
    let offset = replica * rowStride * layer.fanOut
    out.update(from: partials[0] + offset, count: count)
    // out += partial (saxpy with 1: each sum rounded once, the same bits as a plain addition).
    for partial in partials.dropFirst() { cblas_saxpy(Int32(count), 1, partial + offset, 1, out, 1) }
    let activation = layer.isOutput ? Activation.linear : spec.activation
    activation.forwardAddingBias(
      out, bias: layer.bias.map { UnsafePointer(parameters.base + $0) }, rows: ws.rows, cols: layer.fanOut)
  }

  /// Inverted dropout after a hidden layer (nothing when `probability` is 0); the next layer
  /// reads the dropped values.
  func applyDropout(_ layer: DenseLayout, _ ws: Workspace, probability: Float) {
    ws.dropoutActive[layer.index] = probability > 0
    guard probability > 0 else { return }
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
    let result = loss(ws, normalizer: normalizer, outputDelta: gradient)
    if gradient { backward(ws) }
    return result
  }

  /// The loss of the rows in `ws` and, when `outputDelta`, the output layer's delta.
  func loss(_ ws: Workspace, normalizer: Int, outputDelta: Bool) -> (lossSum: Double, correct: Int) {
    let last = layers[layers.count - 1]
    return spec.loss.evaluate(
      logits: ws.outputs[last.index].base, rows: ws.rows, outputs: last.fanOut,
      labels: ws.labels.base, values: ws.targets.base,
      gradient: outputDelta ? ws.deltas[last.index].base : nil, normalizer: normalizer)
  }

  /// Loss and backward of a replica's slice without the weight-gradient products: the learner
  /// makes those afterwards from every replica's slice at once, each core a range of rows.
  func lossAndDeltas(_ ws: Workspace, normalizer: Int) -> (lossSum: Double, correct: Int) {
    let result = loss(ws, normalizer: normalizer, outputDelta: true)
    backward(ws, weightGradients: false)
    return result
  }

  private func backward(_ ws: Workspace, weightGradients: Bool = true) {
    let g = ws.gradients.base
    for layer in layers.reversed() {
      deltaThroughActivation(layer, ws)
      if layer.usesBatchNorm {
        batchNormGradientSums(layer, ws)
        batchNormDelta(
          layer, ws, gammaSums: g + layer.gamma!, betaSums: g + layer.beta!, totalRows: ws.rows)
      } else if let bias = layer.bias {
        ElementwiseKernels.columnSums(
          ws.deltas[layer.index].base, rows: ws.rows, cols: layer.fanOut, into: g + bias)
      }
      if weightGradients { weightGradient(layer, ws) }
      inputGradient(layer, ws)
    }
  }

  /// Turns a hidden layer's dLoss/d(output) into dLoss/d(pre-activation): through the dropout
  /// mask, then the activation's derivative. The output layer's delta is already there.
  func deltaThroughActivation(_ layer: DenseLayout, _ ws: Workspace) {
    guard !layer.isOutput else { return }
    let count = ws.rows * layer.fanOut
    let delta = ws.deltas[layer.index].base
    if ws.dropoutActive[layer.index] {
      ElementwiseKernels.multiply(delta, by: ws.masks[layer.index].base, count: count)
    }
    spec.activation.backwardInPlace(delta, output: ws.outputs[layer.index].base, count: count)
  }

  /// The layer's weight gradient (inputᵀ·delta), from this layer's finished delta.
  func weightGradient(_ layer: DenseLayout, _ ws: Workspace) {
    Gemm.transposedLeft(
      layerInput(layer.index, ws), ws.deltas[layer.index].base, into: ws.gradients.base + layer.weights,
      m: ws.rows, k: layer.fanIn, n: layer.fanOut)
  }

  /// Below the first layer, the delta of the layer beneath (delta·Wᵀ), from this layer's
  /// finished delta.
  func inputGradient(_ layer: DenseLayout, _ ws: Workspace) {
    guard layer.index > 0 else { return }
    Gemm.transposedRight(
      ws.deltas[layer.index].base, parameters.base + layer.weights, into: ws.deltas[layer.index - 1].base,
      m: ws.rows, n: layer.fanOut, k: layer.fanIn)
  }

  /// The values layer `index` read during the last forward pass.
  public func layerInput(_ index: Int, _ ws: Workspace) -> UnsafePointer<Float> {
    if index == 0 { return UnsafePointer(ws.input.base) }
    return UnsafePointer(
      ws.dropoutActive[index - 1] ? ws.dropped[index - 1].base : ws.outputs[index - 1].base)
  }
}

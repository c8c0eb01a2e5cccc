/// Forward, loss and backward of several replicas that each hold a slice of one batch and share
/// batch-norm statistics (synchronised batch norm, as PyTorch's `SyncBatchNorm`).
///
/// Batch norm normalises with the whole batch's mean and variance, and its backward pass needs
/// the whole batch's γ and β gradient sums, so the replicas advance layer by layer: each phase
/// runs on every replica at once, and between phases the replicas' column sums are added in
/// replica order (the same order on every run, so a given replica count is bit-reproducible).
/// The result equals one replica over the whole batch up to rounding.
extension Network {
  /// Combined column sums of one batch-normalised layer, sized for the widest layer.
  final class SharedSums {
    let first: FloatBuffer
    let second: FloatBuffer

    init(width: Int) {
      first = FloatBuffer(count: width)
      second = FloatBuffer(count: width)
    }
  }

  /// Runs the replicas' rows (each workspace already filled) through forward, loss and backward,
  /// leaving each replica's deltas and its share of the bias, γ and β gradients in its workspace
  /// (the learner makes the weight gradients from every replica's slice at once). Returns each replica's loss
  /// sum and correct count.
  func synchronizedPass(
    _ spaces: [Workspace], totalRows: Int, dropout: Float, sums: SharedSums
  ) -> [(lossSum: Double, correct: Int)] {
    for layer in layers {
      Parallel.forEach(spaces.count) { k in
        linearPart(layer, spaces[k])
        if layer.usesBatchNorm { columnSums(layer, spaces[k], into: spaces[k].batchMean[layer.index].base) }
      }
      if layer.isOutput { break }
      if layer.usesBatchNorm { shareBatchStatistics(layer, spaces, totalRows: totalRows, sums: sums) }
      Parallel.forEach(spaces.count) { k in
        if layer.usesBatchNorm { normalizeAndActivate(layer, spaces[k]) }
        applyDropout(layer, spaces[k], probability: dropout)
      }
    }
    var results = [(lossSum: Double, correct: Int)](repeating: (0, 0), count: spaces.count)
    results.withUnsafeMutableBufferPointer { out in
      Parallel.forEach(spaces.count) { k in
        out[k] = loss(spaces[k], normalizer: totalRows, outputDelta: true)
      }
    }
    for layer in layers.reversed() {
      synchronizedBackward(layer, spaces, totalRows: totalRows, sums: sums)
    }
    return results
  }

  /// Batch mean from the replicas' column sums, then the variance from their summed squared
  /// deviations from that mean (two passes, as on one replica, for the same numerical
  /// behaviour); every replica gets the batch's mean and 1/std.
  private func shareBatchStatistics(
    _ layer: DenseLayout, _ spaces: [Workspace], totalRows: Int, sums: SharedSums
  ) {
    let cols = layer.fanOut
    let means = sums.first.base
    addAcrossReplicas(spaces.map { UnsafePointer($0.batchMean[layer.index].base) }, count: cols, into: means)
    let inverse = 1 / Float(totalRows)
    for c in 0..<cols { means[c] *= inverse }
    Parallel.forEach(spaces.count) { k in
      squaredDeviations(
        layer, spaces[k], from: UnsafePointer(means), into: spaces[k].batchInvStd[layer.index].base)
    }
    let squares = sums.second.base
    addAcrossReplicas(
      spaces.map { UnsafePointer($0.batchInvStd[layer.index].base) }, count: cols, into: squares)
    finishBatchStatistics(
      layer, means: UnsafePointer(means), squares: squares, totalRows: totalRows, updateRunningStats: true)
    for ws in spaces {
      ws.batchMean[layer.index].base.update(from: means, count: cols)
      ws.batchInvStd[layer.index].base.update(from: squares, count: cols)
    }
  }

  /// One layer of backward on every replica; a batch-normalised layer first shares its γ and β
  /// gradient sums (each replica keeps its own share in its gradient, which the learner's
  /// reduction adds up like every other parameter's).
  private func synchronizedBackward(
    _ layer: DenseLayout, _ spaces: [Workspace], totalRows: Int, sums: SharedSums
  ) {
    Parallel.forEach(spaces.count) { k in
      let ws = spaces[k]
      deltaThroughActivation(layer, ws)
      if layer.usesBatchNorm {
        batchNormGradientSums(layer, ws)
      } else {
        if let bias = layer.bias {
          ElementwiseKernels.columnSums(
            ws.deltas[layer.index].base, rows: ws.rows, cols: layer.fanOut, into: ws.gradients.base + bias)
        }
        inputGradient(layer, ws)
      }
    }
    guard layer.usesBatchNorm else { return }
    let cols = layer.fanOut
    addAcrossReplicas(
      spaces.map { UnsafePointer($0.gradients.base + layer.gamma!) }, count: cols, into: sums.first.base)
    addAcrossReplicas(
      spaces.map { UnsafePointer($0.gradients.base + layer.beta!) }, count: cols, into: sums.second.base)
    Parallel.forEach(spaces.count) { k in
      batchNormDelta(
        layer, spaces[k], gammaSums: UnsafePointer(sums.first.base),
        betaSums: UnsafePointer(sums.second.base), totalRows: totalRows)
      inputGradient(layer, spaces[k])
    }
  }

  /// total[c] = Σ_k parts[k][c], added in replica order.
  private func addAcrossReplicas(
    _ parts: [UnsafePointer<Float>], count: Int, into total: UnsafeMutablePointer<Float>
  ) {
    total.update(from: parts[0], count: count)
    for part in parts.dropFirst() {
      for c in 0..<count { total[c] += part[c] }
    }
  }
}

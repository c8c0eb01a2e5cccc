/// Batch normalisation in pieces, so that one replica alone or several replicas holding slices of
/// one batch (synchronised batch norm) run the same code: each piece works on a workspace's own
/// rows, and the combination of the pieces' sums across replicas happens in between.
extension Network {
  /// The column sums of the layer's pre-activations into `batchMean`, and the column sums of
  /// squared deviations from those rows' own mean into `batchInvStd` (the one-replica case).
  func batchStatistics(_ layer: DenseLayout, _ ws: Workspace) {
    let means = ws.batchMean[layer.index].base
    columnSums(layer, ws, into: means)
    let inverse = 1 / Float(ws.rows)
    for c in 0..<layer.fanOut { means[c] *= inverse }
    squaredDeviations(layer, ws, from: UnsafePointer(means), into: ws.batchInvStd[layer.index].base)
  }

  /// Σ over this workspace's rows of each pre-activation column.
  func columnSums(_ layer: DenseLayout, _ ws: Workspace, into sums: UnsafeMutablePointer<Float>) {
    ElementwiseKernels.columnSums(
      ws.outputs[layer.index].base, rows: ws.rows, cols: layer.fanOut, into: sums)
  }

  /// Σ over this workspace's rows of (z − mean)² per column.
  func squaredDeviations(
    _ layer: DenseLayout, _ ws: Workspace, from means: UnsafePointer<Float>,
    into squares: UnsafeMutablePointer<Float>
  ) {
    let cols = layer.fanOut
    let z = ws.outputs[layer.index].base
    squares.update(repeating: 0, count: cols)
    for r in 0..<ws.rows {
      let row = z + r * cols
      for c in 0..<cols {
        let d = row[c] - means[c]
        squares[c] += d * d
      }
    }
  }

  /// Turns the batch's summed squared deviations (over `totalRows` rows) into 1/std in place, and
  /// moves the running statistics towards the batch's (unbiased variance, as PyTorch does).
  func finishBatchStatistics(
    _ layer: DenseLayout, means: UnsafePointer<Float>, squares: UnsafeMutablePointer<Float>,
    totalRows: Int, updateRunningStats: Bool
  ) {
    let runMean = runningStats.base + layer.runningStats!
    let runVar = runMean + layer.fanOut
    let inverse = 1 / Float(totalRows)
    let momentum = Network.batchNormMomentum
    for c in 0..<layer.fanOut {
      let variance = squares[c] * inverse
      if updateRunningStats {
        let unbiased =
          totalRows > 1 ? variance * Float(totalRows) / Float(totalRows - 1) : variance
        runMean[c] = (1 - momentum) * runMean[c] + momentum * means[c]
        runVar[c] = (1 - momentum) * runVar[c] + momentum * unbiased
      }
      squares[c] = 1 / (variance + Network.batchNormEpsilon).squareRoot()
    }
  }

  /// Inference: the running statistics stand in for the batch's.
  func runningStatistics(_ layer: DenseLayout, _ ws: Workspace) {
    let mean = ws.batchMean[layer.index].base
    let invStd = ws.batchInvStd[layer.index].base
    let runMean = runningStats.base + layer.runningStats!
    let runVar = runMean + layer.fanOut
    for c in 0..<layer.fanOut {
      mean[c] = runMean[c]
      invStd[c] = 1 / (runVar[c] + Network.batchNormEpsilon).squareRoot()
    }
  }

  /// x̂ = (z − mean)/std kept for backward; the output becomes activation(γ·x̂ + β). Rows `rows`
  /// (all when nil): cores that split an inference by rows each take their own.
  func normalizeAndActivate(_ layer: DenseLayout, _ ws: Workspace, rows: Range<Int>? = nil) {
    let cols = layer.fanOut
    let z = ws.outputs[layer.index].base
    let xhat = ws.normalized[layer.index].base
    let mean = ws.batchMean[layer.index].base
    let invStd = ws.batchInvStd[layer.index].base
    let gamma = parameters.base + layer.gamma!
    let beta = parameters.base + layer.beta!
    let activation = spec.activation
    for r in rows ?? 0..<ws.rows {
      let row = z + r * cols
      let xr = xhat + r * cols
      for c in 0..<cols {
        let x = (row[c] - mean[c]) * invStd[c]
        xr[c] = x
        row[c] = activation.apply(gamma[c] * x + beta[c])
      }
    }
  }

  /// This workspace's Σ delta·x̂ and Σ delta per column: the γ and β gradients of its rows.
  func batchNormGradientSums(_ layer: DenseLayout, _ ws: Workspace) {
    let cols = layer.fanOut
    let delta = ws.deltas[layer.index].base
    let xhat = ws.normalized[layer.index].base
    let dGamma = ws.gradients.base + layer.gamma!
    let dBeta = ws.gradients.base + layer.beta!
    dGamma.update(repeating: 0, count: cols)
    dBeta.update(repeating: 0, count: cols)
    for r in 0..<ws.rows {
      let d = delta + r * cols
      let x = xhat + r * cols
      for c in 0..<cols {
        dGamma[c] += d[c] * x[c]
        dBeta[c] += d[c]
      }
    }
  }

  /// dLoss/dz from dLoss/d(γx̂+β), given the whole batch's γ and β gradient sums over
  /// `totalRows` rows (the batch mean and variance depend on every row of every replica).
  func batchNormDelta(
    _ layer: DenseLayout, _ ws: Workspace, gammaSums: UnsafePointer<Float>,
    betaSums: UnsafePointer<Float>, totalRows: Int
  ) {
    let cols = layer.fanOut
    let delta = ws.deltas[layer.index].base
    let xhat = ws.normalized[layer.index].base
    let invStd = ws.batchInvStd[layer.index].base
    let gamma = parameters.base + layer.gamma!
    let n = Float(totalRows)
    for r in 0..<ws.rows {
      let d = delta + r * cols
      let x = xhat + r * cols
      for c in 0..<cols {
        d[c] = gamma[c] * invStd[c] / n * (n * d[c] - betaSums[c] - x[c] * gammaSums[c])
      }
    }
  }
}

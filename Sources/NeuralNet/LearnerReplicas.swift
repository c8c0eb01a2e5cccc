/// The parts of a step that several cores share: the first layer split by inputs, the weight
/// gradients split by rows, and the update.
extension Learner {
  /// Replicas without batch norm. Core k loads its inputs of every slice and multiplies them by
  /// its rows of the first layer's weights; each replica then adds the cores' parts for its
  /// slice and runs the rest of the network on its own.
  func splitFirstLayerPasses(
    _ parts: [Range<Int>], spaces: [Workspace], totalRows: Int, dropout: Float, fill: ColumnFill
  ) -> [(lossSum: Double, correct: Int)] {
    let net = network
    let first = net.layers[0]
    let count = parts.count
    let rowStride = spaces[0].capacity
    let own = (0..<count).map {
      ReplicaSplit.weightRows(fanIn: first.fanIn, fanOut: first.fanOut, part: $0, count: count)
    }
    let products = firstLayerParts
    Parallel.forEach(count) { k in
      guard !own[k].isEmpty else { return }
      for r in 0..<count { fill(spaces[r], parts[r], own[k]) }
      net.firstLayerPartial(spaces, inputs: own[k], into: products[k].base, rowStride: rowStride)
    }
    let sources = (0..<count).filter { !own[$0].isEmpty }.map { UnsafePointer(products[$0].base) }
    var results = [(lossSum: Double, correct: Int)](repeating: (0, 0), count: count)
    results.withUnsafeMutableBufferPointer { out in
      Parallel.forEach(count) { k in
        net.finishFirstLayer(spaces[k], replica: k, partials: sources, rowStride: rowStride)
        net.forward(spaces[k], training: true, dropout: dropout, firstLayerDone: true)
        out[k] = net.lossAndDeltas(spaces[k], normalizer: totalRows)
      }
    }
    return results
  }

  /// The rows of a layer's weights that core `part` of `count` makes the gradient of and
  /// updates, as a range of the parameter buffer.
  static func ownRows(of layer: DenseLayout, part: Int, count: Int) -> Range<Int> {
    let rows = ReplicaSplit.weightRows(fanIn: layer.fanIn, fanOut: layer.fanOut, part: part, count: count)
    return (layer.weights + rows.lowerBound * layer.fanOut)..<(layer.weights + rows.upperBound * layer.fanOut)
  }

  /// The whole batch's gradient in the first replica's buffer, and each layer's gradient norm.
  ///
  /// One replica made its whole gradient during backward. Several made only their deltas and
  /// their bias, γ and β sums: core k then makes rows k/N of every weight gradient from all the
  /// replicas' slices, adding them inside the products in replica order (β = 1), and adds chunk
  /// k of the other parameters' sums. No core reads another's finished gradient, and each
  /// squares the part it just wrote while it is still in its cache.
  func reduceGradients(replicas: Int) -> [Float] {
    let g0 = workspaces[0].gradients.base
    if replicas == 1 {
      return layerRanges.map { VectorKernels.sumOfSquares(g0 + $0.lowerBound, count: $0.count).squareRoot() }
    }
    let spaces = Array(workspaces.prefix(replicas))
    let net = network
    partialSquares.withUnsafeMutableBufferPointer { partial in
      Parallel.forEach(replicas) { k in
        for layer in net.layers {
          partial[k][layer.index] =
            Self.weightGradientRows(layer, spaces, network: net, part: k)
            + Self.addOtherSums(layer, spaces, part: k)
        }
      }
    }
    return (0..<layerRanges.count).map { l in
      (0..<replicas).reduce(Float(0)) { $0 + partialSquares[$1][l] }.squareRoot()
    }
  }

  /// Core `part`'s rows of the layer's weight gradient, summed over the replicas' slices;
  /// returns their sum of squares.
  private static func weightGradientRows(
    _ layer: DenseLayout, _ spaces: [Workspace], network: Network, part: Int
  ) -> Float {
    let rows = ReplicaSplit.weightRows(
      fanIn: layer.fanIn, fanOut: layer.fanOut, part: part, count: spaces.count)
    guard !rows.isEmpty else { return 0 }
    let g = spaces[0].gradients.base + layer.weights
    for (r, ws) in spaces.enumerated() {
      Gemm.transposedLeftRows(
        network.layerInput(layer.index, ws), ws.deltas[layer.index].base, into: g, m: ws.rows,
        k: layer.fanIn, n: layer.fanOut, rows: rows, accumulate: r > 0)
    }
    return VectorKernels.sumOfSquares(g + rows.lowerBound * layer.fanOut, count: rows.count * layer.fanOut)
  }

  /// Chunk `part` of the layer's bias (or γ and β) gradient: the other replicas' sums added into
  /// the first's, in replica order; returns the chunk's sum of squares.
  private static func addOtherSums(_ layer: DenseLayout, _ spaces: [Workspace], part: Int) -> Float {
    let rest = layer.weightRange.upperBound..<layer.parameterRange.upperBound
    let chunk = ReplicaSplit.chunk(of: rest, part: part, count: spaces.count)
    guard !chunk.isEmpty else { return 0 }
    let g0 = spaces[0].gradients.base + chunk.lowerBound
    var squares: Float = 0
    for ws in spaces.dropFirst() {
      // Only the last addition's sum of squares is the norm's; memory, not arithmetic, bounds
      // this pass, so one kernel serves both.
      squares = VectorKernels.addAndSumSquares(g0, ws.gradients.base + chunk.lowerBound, count: chunk.count)
    }
    return squares
  }

  func applyUpdate(_ settings: UpdateSettings) {
    optimizer.beginStep()
    let p = network.parameters.base
    let g = UnsafePointer(workspaces[0].gradients.base)
    let groups = network.groups
    let opt = optimizer
    let cores = workspaces.count
    if cores == 1 {
      for group in groups {
        opt.update(parameters: p, gradient: g, range: group.range, decays: group.decays, settings: settings)
      }
      return
    }
    let layers = network.layers
    Parallel.forEach(cores) { k in
      for group in groups {
        // A core updates the rows of each weight matrix whose gradient it made (and, for the
        // first layer, whose product it made), while they are still in its cache.
        let layer = layers[group.layer]
        let range =
          group.range == layer.weightRange
          ? Self.ownRows(of: layer, part: k, count: cores)
          : ReplicaSplit.chunk(of: group.range, part: k, count: cores)
        opt.update(parameters: p, gradient: g, range: range, decays: group.decays, settings: settings)
      }
    }
  }
}

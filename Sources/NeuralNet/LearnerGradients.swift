/// The weight gradients and the update: each core makes its rows of every weight gradient from
/// all the replicas' slices and, when the step is known to be safe, updates those rows at once.
extension Learner {
  /// A step whose gradient bound stays under this is updated while its gradient is made: every
  /// layer's ‖g‖ is at most the bound, so its sum of squares (at most 1e36, with room for
  /// rounding) is finite in Float and the step cannot be refused for a non-finite gradient.
  static let safeGradientBound = 1e18

  /// An upper bound of the norm of every part of this replica's share of the gradient, from the
  /// operands of its products: ‖Xᵀδ‖ ≤ ‖X‖·‖δ‖ for a weight gradient (the first layer's ‖X‖
  /// from the inputs' largest magnitude), plus the norm of its bias, γ and β sums. NaN or
  /// infinity anywhere makes it non-finite.
  ///
  /// Why: the update used to wait for every layer's gradient norm, to refuse a step whose
  /// gradient overflowed; so the gradient went out to memory and was read back by the norms and
  /// again by the update. With the bound known before any gradient exists, the update follows
  /// each block of rows while it is still in cache, and only a step that might overflow takes
  /// the slow path of checking first.
  func gradientBound(_ ws: Workspace, inputMagnitude: Float) -> Double {
    let net = network
    let g = ws.gradients.base
    var bound = 0.0
    for layer in net.layers {
      let inputNorm =
        layer.index == 0
        ? (Double(ws.rows * layer.fanIn)).squareRoot() * Double(inputMagnitude)
        : Double(VectorKernels.sumOfSquares(net.layerInput(layer.index, ws), count: ws.rows * layer.fanIn))
          .squareRoot()
      let deltaNorm = Double(
        VectorKernels.sumOfSquares(ws.deltas[layer.index].base, count: ws.rows * layer.fanOut)
      ).squareRoot()
      let rest = layer.otherRange
      let restNorm = Double(VectorKernels.sumOfSquares(g + rest.lowerBound, count: rest.count)).squareRoot()
      bound += inputNorm * deltaNorm + restNorm
    }
    return bound.isFinite ? bound : .infinity
  }

  /// Each layer's gradient norm and, with `settings`, the update of every parameter, each block
  /// right after its gradient; without, the whole batch's gradient in the first replica's buffer.
  ///
  /// Core k makes rows k/N of every weight gradient from all the replicas' slices, adding them
  /// inside the products in replica order (β = 1), and adds chunk k of the other parameters'
  /// sums. No core reads another's gradient, and each squares, and updates, the part it just
  /// wrote while it is still in its cache.
  func makeGradients(replicas: Int, update settings: UpdateSettings?) -> [Float] {
    let spaces = Array(workspaces.prefix(replicas))
    partialSquares.withUnsafeMutableBufferPointer { partial in
      Parallel.forEach(replicas) { k in
        for layer in network.layers {
          partial[k][layer.index] =
            weightGradientRows(layer, spaces, part: k, update: settings)
            + otherSums(layer, spaces, part: k, update: settings)
        }
      }
    }
    return network.layers.indices.map { l in
      (0..<replicas).reduce(Float(0)) { $0 + partialSquares[$1][l] }.squareRoot()
    }
  }

  /// Core `part`'s rows of the layer's weight gradient, summed over the replicas' slices, in
  /// blocks (each updated when `settings` is given); returns their sum of squares.
  ///
  /// A checked step makes the blocks in place, so the whole gradient is there for its norms. A
  /// step updated as it goes makes every block in the core's own small buffer: written in place,
  /// the gradient's every row took the cache once per step (0.4 MB a core for MNIST's first layer
  /// at two threads), crowding out the momentum that the update reads next.
  private func weightGradientRows(
    _ layer: DenseLayout, _ spaces: [Workspace], part: Int, update settings: UpdateSettings?
  ) -> Float {
    let own = ReplicaSplit.weightRows(
      fanIn: layer.fanIn, fanOut: layer.fanOut, part: part, count: spaces.count)
    guard !own.isEmpty else { return 0 }
    let g = spaces[0].gradients.base
    let blocks = ReplicaSplit.gradientBlockCount(rows: own.count, fanOut: layer.fanOut)
    var squares: Float = 0
    for b in 0..<blocks {
      let rows = ReplicaSplit.gradientBlock(of: own, fanOut: layer.fanOut, block: b, count: blocks)
      guard !rows.isEmpty else { continue }
      let range = layer.weightRange(rows: rows)
      let block = settings == nil ? g + range.lowerBound : gradientBlocks[part].base
      for (r, ws) in spaces.enumerated() {
        Gemm.transposedLeftRows(
          network.layerInput(layer.index, ws), ws.deltas[layer.index].base, into: block,
          m: ws.rows, k: layer.fanIn, n: layer.fanOut, rows: rows, accumulate: r > 0)
      }
      if let settings {
        squares += update(range, settings, rangeGradient: block)
      } else {
        squares += VectorKernels.sumOfSquares(block, count: range.count)
      }
    }
    return squares
  }

  /// Chunk `part` of the layer's bias (or γ and β) gradient: the other replicas' sums added into
  /// the first's, in replica order (each updated when `settings` is given); returns the chunk's
  /// sum of squares.
  private func otherSums(
    _ layer: DenseLayout, _ spaces: [Workspace], part: Int, update settings: UpdateSettings?
  ) -> Float {
    let chunk = Self.otherChunk(of: layer, part: part, count: spaces.count)
    guard !chunk.isEmpty else { return 0 }
    let g0 = spaces[0].gradients.base + chunk.lowerBound
    var squares: Float = 0
    if spaces.count == 1 { squares = VectorKernels.sumOfSquares(g0, count: chunk.count) }
    for ws in spaces.dropFirst() {
      // Only the last addition's sum of squares is the norm's; memory, not arithmetic, bounds
      // this pass, so one kernel serves both.
      squares = VectorKernels.addAndSumSquares(g0, ws.gradients.base + chunk.lowerBound, count: chunk.count)
    }
    if let settings { update(chunk, settings, rangeGradient: g0) }
    return squares
  }

  /// Core `part`'s chunk of a layer's parameters after its weights (bias, γ, β): the gradient
  /// it adds up and the parameters it updates.
  static func otherChunk(of layer: DenseLayout, part: Int, count: Int) -> Range<Int> {
    ReplicaSplit.chunk(of: layer.otherRange, part: part, count: count)
  }

  /// The update of `range` (within one layer) from `rangeGradient`, its gradient in order,
  /// group by group (each has its own decay); returns the sum of squares of the gradient it read.
  @discardableResult
  private func update(
    _ range: Range<Int>, _ settings: UpdateSettings, rangeGradient: UnsafeMutablePointer<Float>
  ) -> Float {
    let p = network.parameters.base
    var squares: Float = 0
    for group in network.groups where group.range.overlaps(range) {
      let part = group.range.clamped(to: range)
      squares += optimizer.updateSummingSquares(
        parameters: p, range: part, rangeGradient: rangeGradient + (part.lowerBound - range.lowerBound),
        decays: group.decays, settings: settings)
    }
    return squares
  }

  /// The update after a checked step, with the same division of the parameters among cores as
  /// `makeGradients`: a core updates the rows of each weight matrix whose gradient it made (and,
  /// for the first layer, whose product it made), while they are still in its cache.
  func applyUpdate(_ settings: UpdateSettings) {
    optimizer.beginStep()
    let cores = workspaces.count
    let layers = network.layers
    let g = workspaces[0].gradients.base
    Parallel.forEach(cores) { k in
      for layer in layers {
        for range in [
          Self.ownRows(of: layer, part: k, count: cores), Self.otherChunk(of: layer, part: k, count: cores),
        ] {
          update(range, settings, rangeGradient: g + range.lowerBound)
        }
      }
    }
  }
}

import Dispatch

/// What one training step did.
public struct StepOutcome: Sendable {
  public enum Status: Sendable, Equatable {
    case applied
    /// The loss was NaN or infinite: the update was skipped.
    case nonFiniteLoss
    /// A gradient was NaN or infinite: the update was skipped. The layer is the first offending one.
    case nonFiniteGradient(layer: Int)
  }
  public var status: Status
  /// Summed loss and number of correct rows over the batch.
  public var lossSum: Double
  public var correct: Int
  public var rows: Int
  /// ‖∂L/∂θ‖ per dense layer (all of that layer's parameters). Summed in Float32: a gradient
  /// whose squared norm overflows (‖g‖ > 1.8e19) is reported as infinite, i.e. exploding.
  public var gradientNorms: [Float]
}

/// Network + optimiser + one workspace per core: performs a whole SGD step.
///
/// With N threads the batch is split into N slices (`ReplicaSplit`) that run forward and
/// backward (the deltas) at the same time, each with single-threaded BLAS. The weight gradients
/// are then made split by rows instead: core k makes rows k/N of each from all N slices, adding
/// them inside the products, so no gradient is written twice and then added (that reduction
/// pass had cost 3 % of a step), and each core's cost stays flat as N grows. The update is
/// split by parameter range too. Small matrix products scale poorly when BLAS splits them
/// internally, so splitting the work ourselves is what makes more cores pay. With batch norm the replicas advance layer by layer
/// and share the batch's statistics (`Network.synchronizedPass`), so N replicas train the same
/// model as one.
public final class Learner {
  public let network: Network
  public let optimizer: Optimizer
  public let workspaces: [Workspace]
  public let threads: Int
  public let batchCapacity: Int
  /// Per-layer partial sums of squares, [thread][layer], written by the reduction pass.
  private var partialSquares: [[Float]]
  private let layerRanges: [Range<Int>]
  private let sharedSums: Network.SharedSums

  public init(network: Network, optimizer: OptimizerKind, batchSize: Int, threads: Int, seed: UInt64) {
    self.network = network
    self.threads = max(1, threads)
    self.batchCapacity = batchSize
    self.optimizer = Optimizer(kind: optimizer, parameterCount: network.parameterCount)
    let replicas = ReplicaSplit.replicas(threads: self.threads, batch: batchSize)
    let capacity = ReplicaSplit.capacity(batch: batchSize, replicas: replicas)
    workspaces = (0..<replicas).map { index in
      Workspace(network: network, capacity: capacity, seed: seed &+ 0x5EED_0000 &+ UInt64(index))
    }
    BLASThreads.set(1)
    layerRanges = network.layers.map(\.parameterRange)
    partialSquares = Array(
      repeating: Array(repeating: 0, count: network.layers.count), count: replicas)
    sharedSums = Network.SharedSums(width: network.layers.map(\.fanOut).max() ?? 1)
  }

  /// Rows of the batch each workspace takes, in batch order (empty slices dropped).
  public func split(rows: Int) -> [Range<Int>] {
    ReplicaSplit.slices(rows: rows, replicas: workspaces.count).filter { !$0.isEmpty }
  }

  /// One step over a batch of `rows` rows.
  ///
  /// `fill` loads rows `range` of the batch into a workspace (its rows 0..<range.count); it may be
  /// called from two threads at once with disjoint ranges and different workspaces.
  public func step(
    rows: Int, settings: UpdateSettings, dropout: Float,
    fill: (Workspace, Range<Int>) -> Void
  ) -> StepOutcome {
    precondition(rows > 0 && rows <= batchCapacity, "batch of \(rows) rows exceeds \(batchCapacity)")
    let parts = split(rows: rows)
    let results = passes(parts, totalRows: rows, dropout: dropout, fill: fill)
    let lossSum = results.reduce(0) { $0 + $1.0 }
    let correct = results.reduce(0) { $0 + $1.1 }
    let norms = reduceGradients(replicas: parts.count)
    var outcome = StepOutcome(
      status: .applied, lossSum: lossSum, correct: correct, rows: rows, gradientNorms: norms)
    if !lossSum.isFinite {
      outcome.status = .nonFiniteLoss
      return outcome
    }
    if let bad = norms.firstIndex(where: { !$0.isFinite }) {
      outcome.status = .nonFiniteGradient(layer: bad)
      return outcome
    }
    applyUpdate(settings)
    return outcome
  }

  /// Forward, loss and backward of every slice: independent replicas, or replicas in lockstep
  /// when batch norm needs the whole batch's statistics.
  private func passes(
    _ parts: [Range<Int>], totalRows: Int, dropout: Float, fill: (Workspace, Range<Int>) -> Void
  ) -> [(lossSum: Double, correct: Int)] {
    let net = network
    let spaces = Array(workspaces.prefix(parts.count))
    if parts.count == 1 {
      let ws = spaces[0]
      ws.rows = totalRows
      fill(ws, parts[0])
      net.forward(ws, training: true, dropout: dropout)
      return [net.lossAndGradient(ws, normalizer: totalRows)]
    }
    if net.spec.batchNorm {
      Parallel.forEach(parts.count) { k in
        spaces[k].rows = parts[k].count
        fill(spaces[k], parts[k])
      }
      return net.synchronizedPass(spaces, totalRows: totalRows, dropout: dropout, sums: sharedSums)
    }
    var results = [(lossSum: Double, correct: Int)](repeating: (0, 0), count: parts.count)
    results.withUnsafeMutableBufferPointer { out in
      Parallel.forEach(parts.count) { k in
        let ws = spaces[k]
        ws.rows = parts[k].count
        fill(ws, parts[k])
        net.forward(ws, training: true, dropout: dropout)
        out[k] = net.lossAndDeltas(ws, normalizer: totalRows)
      }
    }
    return results
  }

  /// The combined gradient of the last step (valid after `step`).
  public var gradients: FloatBuffer { workspaces[0].gradients }

  /// The whole batch's gradient in the first replica's buffer, and each layer's gradient norm.
  ///
  /// One replica made its whole gradient during backward. Several made only their deltas and
  /// their bias, γ and β sums: core k then makes rows k/N of every weight gradient from all the
  /// replicas' slices, adding them inside the products in replica order (β = 1), and adds chunk
  /// k of the other parameters' sums. No core reads another's finished gradient, and each
  /// squares the part it just wrote while it is still in its cache.
  private func reduceGradients(replicas: Int) -> [Float] {
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

  private func applyUpdate(_ settings: UpdateSettings) {
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
    Parallel.forEach(cores) { k in
      for group in groups {
        opt.update(
          parameters: p, gradient: g, range: ReplicaSplit.chunk(of: group.range, part: k, count: cores),
          decays: group.decays, settings: settings)
      }
    }
  }
}

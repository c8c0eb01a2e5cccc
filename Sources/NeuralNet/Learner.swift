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
/// With two threads the batch is split in two halves that run forward and backward at the same
/// time, each with single-threaded BLAS; the two gradients are then added and the update applied,
/// both split by parameter range across the cores. Small matrix products scale poorly when BLAS
/// splits them internally, so splitting the batch ourselves is what makes the second core pay.
/// Batch norm needs whole-batch statistics, so with batch norm the batch stays whole and BLAS gets
/// the threads instead.
public final class Learner {
  public let network: Network
  public let optimizer: Optimizer
  public let workspaces: [Workspace]
  public let threads: Int
  public let batchCapacity: Int
  /// Per-layer partial sums of squares, [thread][layer], written by the reduction pass.
  private var partialSquares: [[Float]]
  private let layerRanges: [Range<Int>]

  public init(network: Network, optimizer: OptimizerKind, batchSize: Int, threads: Int, seed: UInt64) {
    self.network = network
    self.threads = max(1, threads)
    self.batchCapacity = batchSize
    self.optimizer = Optimizer(kind: optimizer, parameterCount: network.parameterCount)
    let replicas = (self.threads > 1 && !network.spec.batchNorm && batchSize >= 2) ? 2 : 1
    let half = (batchSize + 1) / 2
    workspaces = (0..<replicas).map { index in
      Workspace(
        network: network, capacity: replicas == 1 ? batchSize : half,
        seed: seed &+ 0x5EED_0000 &+ UInt64(index))
    }
    BLASThreads.set(replicas == 2 ? 1 : self.threads)
    layerRanges = network.layers.map(\.parameterRange)
    partialSquares = Array(
      repeating: Array(repeating: 0, count: network.layers.count), count: 2)
  }

  /// Rows of the batch each workspace takes: the first half and the rest.
  public func split(rows: Int) -> [Range<Int>] {
    if workspaces.count == 1 { return [0..<rows] }
    let first = (rows + 1) / 2
    return [0..<first, first..<rows]
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
    var results = [(Double, Int)](repeating: (0, 0), count: parts.count)
    let net = network
    let spaces = workspaces
    if parts.count == 1 {
      let ws = spaces[0]
      ws.rows = rows
      fill(ws, parts[0])
      net.forward(ws, training: true, dropout: dropout)
      results[0] = net.lossAndGradient(ws, normalizer: rows)
    } else {
      results.withUnsafeMutableBufferPointer { out in
        Parallel.forEach(parts.count) { k in
          let ws = spaces[k]
          ws.rows = parts[k].count
          fill(ws, parts[k])
          net.forward(ws, training: true, dropout: dropout)
          out[k] = net.lossAndGradient(ws, normalizer: rows)
        }
      }
    }
    let lossSum = results.reduce(0) { $0 + $1.0 }
    let correct = results.reduce(0) { $0 + $1.1 }
    let norms = reduceGradients()
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

  /// The combined gradient of the last step (valid after `step`).
  public var gradients: FloatBuffer { workspaces[0].gradients }

  /// Adds the second replica's gradient into the first and returns each layer's gradient norm.
  private func reduceGradients() -> [Float] {
    let layerCount = layerRanges.count
    let g0 = workspaces[0].gradients.base
    if workspaces.count == 1 {
      return layerRanges.map { VectorKernels.sumOfSquares(g0 + $0.lowerBound, count: $0.count).squareRoot() }
    }
    let g1 = UnsafePointer(workspaces[1].gradients.base)
    let ranges = layerRanges
    partialSquares.withUnsafeMutableBufferPointer { partial in
      Parallel.forEach(2) { k in
        for l in 0..<layerCount {
          let chunk = Learner.half(of: ranges[l], part: k)
          partial[k][l] = VectorKernels.addAndSumSquares(
            g0 + chunk.lowerBound, g1 + chunk.lowerBound, count: chunk.count)
        }
      }
    }
    return (0..<layerCount).map { (partialSquares[0][$0] + partialSquares[1][$0]).squareRoot() }
  }

  private func applyUpdate(_ settings: UpdateSettings) {
    optimizer.beginStep()
    let p = network.parameters.base
    let g = UnsafePointer(workspaces[0].gradients.base)
    let groups = network.groups
    let opt = optimizer
    if workspaces.count == 1 {
      for group in groups {
        opt.update(parameters: p, gradient: g, range: group.range, decays: group.decays, settings: settings)
      }
      return
    }
    Parallel.forEach(2) { k in
      for group in groups {
        opt.update(
          parameters: p, gradient: g, range: Learner.half(of: group.range, part: k),
          decays: group.decays, settings: settings)
      }
    }
  }

  /// The first or second half of a range, split at a multiple of 16 floats (one cache line).
  static func half(of range: Range<Int>, part: Int) -> Range<Int> {
    let mid = range.lowerBound + (range.count / 2) / 16 * 16
    return part == 0 ? range.lowerBound..<mid : mid..<range.upperBound
  }
}

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
/// backward (the deltas) at the same time, each with single-threaded BLAS; small matrix products
/// scale poorly when BLAS splits them internally, so splitting the work ourselves is what makes
/// more cores pay. Every weight matrix is also split by rows (its inputs): core k makes rows k/N
/// of each weight gradient from all N slices, adding them inside the products, and updates those
/// rows, block by block as they are made when the step is known not to overflow
/// (`LearnerGradients.swift`). The first layer's product is split the same way (each core multiplies its inputs of
/// every slice by its rows of the weights, and the slices add the cores' parts), so each core
/// reads and writes only its own rows of the largest matrix (`LearnerReplicas.swift`). With
/// batch norm the replicas instead advance layer by layer and share the batch's statistics
/// (`Network.synchronizedPass`), so N replicas train the same model as one.
public final class Learner {
  public let network: Network
  public let optimizer: Optimizer
  public let workspaces: [Workspace]
  public let threads: Int
  public let batchCapacity: Int
  /// Per-layer partial sums of squares of the gradient, [core][layer] (`makeGradients`).
  var partialSquares: [[Float]]
  let sharedSums: Network.SharedSums
  /// Per core, its part of the first layer's product for every slice (several replicas, no
  /// batch norm); slice r's rows start at row r × the workspace capacity.
  let firstLayerParts: [FloatBuffer]
  /// Per core, the buffer it makes each block of its weight-gradient rows in when the step is
  /// updated as the gradient is made (`makeGradients`).
  let gradientBlocks: [FloatBuffer]

  /// A fill of features `columns` of batch rows `range` into a workspace (its rows
  /// 0..<range.count). Labels and targets are written by the call whose columns start at 0.
  public typealias ColumnFill = (Workspace, Range<Int>, Range<Int>) -> Void

  public init(network: Network, optimizer: OptimizerKind, batchSize: Int, threads: Int, seed: UInt64) {
    self.network = network
    self.threads = max(1, threads)
    self.batchCapacity = batchSize
    self.optimizer = Optimizer(kind: optimizer, parameterCount: network.parameterCount)
    let replicas = ReplicaSplit.replicas(threads: self.threads, batch: batchSize)
    let capacity = ReplicaSplit.capacity(batch: batchSize, replicas: replicas)
    dropoutSeed = seed &+ 0x5EED_0000
    workspaces = (0..<replicas).map { index in
      Workspace(network: network, capacity: capacity, seed: seed &+ 0x5EED_0000 &+ UInt64(index))
    }
    BLASThreads.set(1)
    partialSquares = Array(
      repeating: Array(repeating: 0, count: network.layers.count), count: replicas)
    sharedSums = Network.SharedSums(width: network.layers.map(\.fanOut).max() ?? 1)
    let splitsFirstLayer = replicas > 1 && !network.spec.batchNorm
    firstLayerParts = (0..<(splitsFirstLayer ? replicas : 0)).map { _ in
      FloatBuffer(count: replicas * capacity * network.layers[0].fanOut)
    }
    let largestBlock = ReplicaSplit.largestGradientBlock(shapes: network.spec.layerShapes, count: replicas)
    gradientBlocks = (0..<replicas).map { _ in FloatBuffer(count: largestBlock) }
  }

  /// The run's seed as each replica's dropout generator starts from it.
  let dropoutSeed: UInt64

  /// Each replica's dropout masks for `step` from a generator of the seed, the replica and the
  /// step alone: a run resumed at any step (a checkpoint between two steps of an epoch) draws the
  /// masks the uninterrupted run drew there, where one generator running on from the start gave
  /// the resumed run other masks.
  public func seedDropout(forStep step: Int) {
    for (index, workspace) in workspaces.enumerated() {
      workspace.rng = SeededGenerator(
        seed: dropoutSeed &+ UInt64(index) &+ UInt64(truncatingIfNeeded: step) &* 0xD1B5_4A32_D192_ED03)
    }
  }

  /// Rows of the batch each workspace takes, in batch order (empty slices dropped).
  public func split(rows: Int) -> [Range<Int>] {
    ReplicaSplit.slices(rows: rows, replicas: workspaces.count).filter { !$0.isEmpty }
  }

  /// One step over a batch of `rows` rows.
  ///
  /// `fill` loads rows `range` of the batch into a workspace (its rows 0..<range.count); it may be
  /// called from several threads at once with disjoint ranges and different workspaces.
  /// `inputMagnitude` bounds |x| of every input the fill writes (infinity when unknown): with it,
  /// a step known to be safe updates each block of the gradient while it is still in cache.
  public func step(
    rows: Int, settings: UpdateSettings, dropout: Float, inputMagnitude: Float = .infinity,
    fill: (Workspace, Range<Int>) -> Void
  ) -> StepOutcome {
    let parts = split(rows: rows)
    guard parts.count > 1 else {
      return step(rows: rows, settings: settings, dropout: dropout, inputMagnitude: inputMagnitude) {
        ws, range, _ in fill(ws, range)
      }
    }
    // Whole rows first, one slice per core; the step proper then has nothing left to load.
    Parallel.forEach(parts.count) { k in fill(workspaces[k], parts[k]) }
    return step(rows: rows, settings: settings, dropout: dropout, inputMagnitude: inputMagnitude) { _, _, _ in
    }
  }

  /// One step over a batch of `rows` rows, loaded by `fill` in column blocks: with several
  /// replicas and no batch norm, each core loads its own inputs of every slice (the ones its
  /// part of the first layer reads), so no core waits for, or reads, another's loading.
  public func step(
    rows: Int, settings: UpdateSettings, dropout: Float, inputMagnitude: Float = .infinity,
    fillColumns fill: ColumnFill
  ) -> StepOutcome {
    precondition(rows > 0 && rows <= batchCapacity, "batch of \(rows) rows exceeds \(batchCapacity)")
    return withSubnormalsFlushed {
      flushedStep(
        rows: rows, settings: settings, dropout: dropout, inputMagnitude: inputMagnitude, fill: fill)
    }
  }

  /// A slice's loss sum, correct rows and `gradientBound`.
  struct PassResult {
    var lossSum = 0.0
    var correct = 0
    var bound = 0.0
  }

  /// Passes, then the gradients. A step whose loss is finite and whose gradient bound is small
  /// is updated as its gradient is made; any other is checked first (the norms of the finished
  /// gradient), and refused when its loss or a gradient is not finite.
  private func flushedStep(
    rows: Int, settings: UpdateSettings, dropout: Float, inputMagnitude: Float, fill: ColumnFill
  ) -> StepOutcome {
    let parts = split(rows: rows)
    let results = passes(parts, totalRows: rows, dropout: dropout, inputMagnitude: inputMagnitude, fill: fill)
    let lossSum = results.reduce(0) { $0 + $1.lossSum }
    let correct = results.reduce(0) { $0 + $1.correct }
    let bound = results.reduce(0) { $0 + $1.bound }
    var outcome = StepOutcome(
      status: .applied, lossSum: lossSum, correct: correct, rows: rows, gradientNorms: [])
    if lossSum.isFinite && bound < Self.safeGradientBound {
      optimizer.beginStep()
      outcome.gradientNorms = makeGradients(replicas: parts.count, update: settings)
      return outcome
    }
    outcome.gradientNorms = makeGradients(replicas: parts.count, update: nil)
    if !lossSum.isFinite {
      outcome.status = .nonFiniteLoss
      return outcome
    }
    if let bad = outcome.gradientNorms.firstIndex(where: { !$0.isFinite }) {
      outcome.status = .nonFiniteGradient(layer: bad)
      return outcome
    }
    applyUpdate(settings)
    return outcome
  }

  /// Forward, loss and backward (the deltas) of every slice: one replica, replicas in lockstep
  /// when batch norm needs the whole batch's statistics, or replicas that share the first
  /// layer's product.
  private func passes(
    _ parts: [Range<Int>], totalRows: Int, dropout: Float, inputMagnitude: Float, fill: ColumnFill
  ) -> [PassResult] {
    let net = network
    let spaces = Array(workspaces.prefix(parts.count))
    let inputs = 0..<net.spec.inputSize
    if parts.count == 1 {
      let ws = spaces[0]
      ws.rows = totalRows
      fill(ws, parts[0], inputs)
      net.forward(ws, training: true, dropout: dropout)
      let (lossSum, correct) = net.lossAndDeltas(ws, normalizer: totalRows)
      return [
        PassResult(
          lossSum: lossSum, correct: correct, bound: gradientBound(ws, inputMagnitude: inputMagnitude))
      ]
    }
    for (ws, part) in zip(spaces, parts) { ws.rows = part.count }
    if net.spec.batchNorm {
      Parallel.forEach(parts.count) { k in fill(spaces[k], parts[k], inputs) }
      let sums = net.synchronizedPass(spaces, totalRows: totalRows, dropout: dropout, sums: sharedSums)
      return zip(spaces, sums).map { ws, sum in
        PassResult(
          lossSum: sum.lossSum, correct: sum.correct, bound: gradientBound(ws, inputMagnitude: inputMagnitude)
        )
      }
    }
    return splitFirstLayerPasses(
      parts, spaces: spaces, totalRows: totalRows, dropout: dropout, inputMagnitude: inputMagnitude,
      fill: fill)
  }

  /// The combined gradient of the last step whose inputs' magnitude was not given (the checked
  /// path). A step updated as its gradient is made leaves only its bias, γ and β sums here: its
  /// weight gradients pass block by block through each core's own small buffer.
  public var gradients: FloatBuffer { workspaces[0].gradients }
}

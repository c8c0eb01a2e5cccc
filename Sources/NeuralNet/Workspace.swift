/// Everything one forward/backward pass over up to `capacity` rows writes.
///
/// Allocated once per core and reused for every step, so training allocates nothing per step.
/// Each workspace has its own dropout generator, seeded from the run's seed and the workspace's
/// index, which keeps runs reproducible for a given thread count.
public final class Workspace {
  public let capacity: Int
  public let spec: NetworkSpec
  /// Rows currently held (≤ capacity).
  public var rows: Int = 0
  /// capacity × inputSize inputs, filled by the caller.
  public let input: FloatBuffer
  /// One class label per row (classification losses).
  public let labels: Int32Buffer
  /// capacity × outputSize real targets (regression).
  public let targets: FloatBuffer
  /// Per layer: activations after the nonlinearity (before dropout); the logits for the last one.
  public let outputs: [FloatBuffer]
  /// Per layer: dLoss/d(layer output), turned in place into dLoss/d(pre-activation).
  public let deltas: [FloatBuffer]
  /// Per hidden layer: the dropout mask (0 or 1/keep) and the values after dropout.
  public let masks: [FloatBuffer]
  public let dropped: [FloatBuffer]
  public var dropoutActive: [Bool]
  /// Per batch-normalised layer: normalised pre-activations and the batch's mean and 1/std.
  public let normalized: [FloatBuffer]
  public let batchMean: [FloatBuffer]
  public let batchInvStd: [FloatBuffer]
  /// This workspace's gradient of every parameter, in the network's layout.
  public let gradients: FloatBuffer
  public var rng: SeededGenerator

  public init(spec: NetworkSpec, capacity: Int, parameterCount: Int, seed: UInt64) {
    self.spec = spec
    self.capacity = capacity
    let sizes = spec.layerSizes
    let widths = Array(sizes.dropFirst())
    input = FloatBuffer(count: capacity * spec.inputSize)
    labels = Int32Buffer(count: capacity)
    targets = FloatBuffer(count: capacity * spec.outputSize)
    outputs = widths.map { FloatBuffer(count: capacity * $0) }
    deltas = widths.map { FloatBuffer(count: capacity * $0) }
    let hidden = spec.hiddenSizes
    masks = hidden.map { FloatBuffer(count: capacity * $0) }
    dropped = hidden.map { FloatBuffer(count: capacity * $0) }
    dropoutActive = Array(repeating: false, count: widths.count)
    let norm = spec.batchNorm
    normalized = hidden.map { FloatBuffer(count: norm ? capacity * $0 : 0) }
    batchMean = hidden.map { FloatBuffer(count: norm ? $0 : 0) }
    batchInvStd = hidden.map { FloatBuffer(count: norm ? $0 : 0) }
    gradients = FloatBuffer(count: parameterCount)
    rng = SeededGenerator(seed: seed)
  }

  public convenience init(network: Network, capacity: Int, seed: UInt64 = 0) {
    self.init(
      spec: network.spec, capacity: capacity, parameterCount: network.parameterCount, seed: seed)
  }
}

/// The label counterpart of `FloatBuffer`.
public final class Int32Buffer: @unchecked Sendable {
  public let count: Int
  public let base: UnsafeMutablePointer<Int32>

  public init(count: Int) {
    self.count = count
    base = .allocate(capacity: max(count, 1))
    base.initialize(repeating: 0, count: max(count, 1))
  }

  deinit { base.deallocate() }

  public subscript(index: Int) -> Int32 {
    get { base[index] }
    set { base[index] = newValue }
  }
}

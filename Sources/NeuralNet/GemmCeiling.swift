/// The GEMM-only ceiling of a training step: only the step's matrix products (each layer's
/// forward product, weight gradient and input gradient), with the same BLAS, the same split of
/// the batch into replicas, of the first layer's product and the weight gradients into rows,
/// and the same thread arrangement and parallel regions as `Learner`, timed at the best speed
/// they reach. Everything else a step does (activations, the loss, the optimiser, reductions)
/// is what stands between nntop and this figure.
public enum GemmCeiling {
  public struct Reading: Sendable {
    public var replicas: Int
    /// Best of the rounds, in steps and samples per second.
    public var stepsPerSecond: Double
    public var samplesPerSecond: Double
  }

  /// Operands of one replica's products, filled with small values (speed does not depend on them).
  final class Operands {
    let input: FloatBuffer
    let weights: [FloatBuffer]
    let outputs: [FloatBuffer]
    let deltas: [FloatBuffer]
    /// The buffer this core makes each block of its weight-gradient rows in, as `Learner` does.
    let gradientBlock: FloatBuffer

    init(spec: NetworkSpec, rows: Int, cores: Int) {
      let sizes = spec.layerSizes
      input = FloatBuffer(count: rows * sizes[0])
      input.fill(0.01)
      weights = (1..<sizes.count).map { FloatBuffer(count: sizes[$0 - 1] * sizes[$0]) }
      for w in weights { w.fill(0.01) }
      outputs = (1..<sizes.count).map { FloatBuffer(count: rows * sizes[$0]) }
      deltas = (1..<sizes.count).map { FloatBuffer(count: rows * sizes[$0]) }
      for d in deltas { d.fill(0.01) }
      gradientBlock = FloatBuffer(
        count: ReplicaSplit.largestGradientBlock(shapes: spec.layerShapes, count: cores))
    }

    /// One replica's forward and delta products in the order its step makes them: the forward
    /// products (from the second layer on when the cores split the first), then from the top
    /// down the delta of the layer beneath. The weight gradients come afterwards
    /// (`weightGradientRows`), as in `Learner`.
    func passes(spec: NetworkSpec, rows: Int, alone: Bool) {
      let sizes = spec.layerSizes
      for l in (alone ? 0 : 1)..<weights.count {
        Gemm.product(source(l), weights[l].base, into: outputs[l].base, m: rows, k: sizes[l], n: sizes[l + 1])
      }
      for l in stride(from: weights.count - 1, through: 1, by: -1) {
        Gemm.transposedRight(
          deltas[l].base, weights[l].base, into: deltas[l - 1].base, m: rows, n: sizes[l + 1], k: sizes[l])
      }
    }

    func source(_ layer: Int) -> UnsafePointer<Float> {
      UnsafePointer(layer == 0 ? input.base : outputs[layer - 1].base)
    }
  }

  /// Core `part`'s share of the first layer's product: its inputs of every replica's rows times
  /// its rows of the weights, as `Network.firstLayerPartial` (into that core's replica's output,
  /// which stands in for the partial buffer).
  static func firstLayerPart(_ replicas: [Operands], spec: NetworkSpec, rows: Int, part: Int) {
    let sizes = spec.layerSizes
    let inputs = ReplicaSplit.weightRows(fanIn: sizes[0], fanOut: sizes[1], part: part, count: replicas.count)
    guard !inputs.isEmpty else { return }
    for operands in replicas {
      Gemm.partialProduct(
        operands.input.base, replicas[part].weights[0].base, into: replicas[part].outputs[0].base, m: rows,
        k: sizes[0], n: sizes[1], inner: inputs)
    }
  }

  /// Core `part`'s rows of every weight gradient from all replicas' slices, in the blocks
  /// `Learner` makes them in, each in that core's block buffer (as a step that is updated while
  /// its gradient is made, the usual step).
  static func weightGradientRows(_ replicas: [Operands], spec: NetworkSpec, rows: Int, part: Int) {
    let sizes = spec.layerSizes
    for l in 0..<(sizes.count - 1) {
      let share = ReplicaSplit.weightRows(
        fanIn: sizes[l], fanOut: sizes[l + 1], part: part, count: replicas.count)
      let blocks = ReplicaSplit.gradientBlockCount(rows: share.count, fanOut: sizes[l + 1])
      for b in 0..<blocks {
        let block = ReplicaSplit.gradientBlock(of: share, fanOut: sizes[l + 1], block: b, count: blocks)
        guard !block.isEmpty else { continue }
        for (r, operands) in replicas.enumerated() {
          Gemm.transposedLeftRows(
            operands.source(l), operands.deltas[l].base, into: replicas[part].gradientBlock.base, m: rows,
            k: sizes[l], n: sizes[l + 1], rows: block, accumulate: r > 0)
        }
      }
    }
  }

  /// The ceiling's step on operands of its own: what `measure` times, and what
  /// `nntop bench --pair-ceiling` times between real training steps in the same process, so
  /// that the ratio of the two is not blurred by the machine's drift between runs.
  public final class Stepper {
    public let replicas: Int
    let spec: NetworkSpec
    let rows: Int
    let operands: [Operands]

    public init(spec: NetworkSpec, batch: Int, threads: Int) {
      self.spec = spec
      replicas = ReplicaSplit.replicas(threads: threads, batch: batch)
      rows = ReplicaSplit.capacity(batch: batch, replicas: replicas)
      BLASThreads.set(1)
      let rows = rows
      let cores = replicas
      operands = (0..<replicas).map { _ in Operands(spec: spec, rows: rows, cores: cores) }
    }

    /// Runs `steps` steps' matrix products, in the parallel regions a real step has.
    public func run(_ steps: Int) {
      for _ in 0..<steps {
        if replicas == 1 {
          operands[0].passes(spec: spec, rows: rows, alone: true)
          weightGradientRows(operands, spec: spec, rows: rows, part: 0)
        } else {
          Parallel.forEach(replicas) { firstLayerPart(operands, spec: spec, rows: rows, part: $0) }
          Parallel.forEach(replicas) { operands[$0].passes(spec: spec, rows: rows, alone: false) }
          Parallel.forEach(replicas) { weightGradientRows(operands, spec: spec, rows: rows, part: $0) }
        }
      }
    }
  }

  /// Times `rounds` rounds of at least `seconds` each and keeps the best.
  public static func measure(
    spec: NetworkSpec, batch: Int, threads: Int, rounds: Int = 5, seconds: Double = 0.5,
    clock: () -> Double
  ) -> Reading {
    let stepper = Stepper(spec: spec, batch: batch, threads: threads)
    stepper.run(20)
    var best = 0.0
    for _ in 0..<max(1, rounds) {
      var steps = 0
      let start = clock()
      while clock() - start < seconds {
        stepper.run(10)
        steps += 10
      }
      best = max(best, Double(steps) / (clock() - start))
    }
    return Reading(
      replicas: stepper.replicas, stepsPerSecond: best, samplesPerSecond: best * Double(batch))
  }
}

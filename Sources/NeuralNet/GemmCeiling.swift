/// The GEMM-only ceiling of a training step: only the step's matrix products (each layer's
/// forward product, weight gradient and input gradient), with the same BLAS, the same split of
/// the batch into replicas and the same thread arrangement as `Learner`, timed at the best speed
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
    let gradients: [FloatBuffer]

    init(spec: NetworkSpec, rows: Int) {
      let sizes = spec.layerSizes
      input = FloatBuffer(count: rows * sizes[0])
      input.fill(0.01)
      weights = (1..<sizes.count).map { FloatBuffer(count: sizes[$0 - 1] * sizes[$0]) }
      for w in weights { w.fill(0.01) }
      outputs = (1..<sizes.count).map { FloatBuffer(count: rows * sizes[$0]) }
      deltas = (1..<sizes.count).map { FloatBuffer(count: rows * sizes[$0]) }
      for d in deltas { d.fill(0.01) }
      gradients = (1..<sizes.count).map { FloatBuffer(count: sizes[$0 - 1] * sizes[$0]) }
    }

    /// The products of one step on `rows` examples, in the order the step makes them.
    func step(spec: NetworkSpec, rows: Int) {
      let sizes = spec.layerSizes
      for l in 0..<weights.count {
        let source = l == 0 ? input.base : outputs[l - 1].base
        Gemm.product(source, weights[l].base, into: outputs[l].base, m: rows, k: sizes[l], n: sizes[l + 1])
      }
      for l in stride(from: weights.count - 1, through: 0, by: -1) {
        let source = l == 0 ? input.base : outputs[l - 1].base
        Gemm.transposedLeft(
          source, deltas[l].base, into: gradients[l].base, m: rows, k: sizes[l], n: sizes[l + 1])
        if l > 0 {
          Gemm.transposedRight(
            deltas[l].base, weights[l].base, into: deltas[l - 1].base, m: rows, n: sizes[l + 1], k: sizes[l])
        }
      }
    }
  }

  /// Times `rounds` rounds of at least `seconds` each and keeps the best.
  public static func measure(
    spec: NetworkSpec, batch: Int, threads: Int, rounds: Int = 5, seconds: Double = 0.5,
    clock: () -> Double
  ) -> Reading {
    let replicas = ReplicaSplit.replicas(threads: threads, batch: batch)
    let rows = ReplicaSplit.capacity(batch: batch, replicas: replicas)
    BLASThreads.set(1)
    let operands = (0..<replicas).map { _ in Operands(spec: spec, rows: rows) }
    func run(_ steps: Int) {
      for _ in 0..<steps {
        if replicas == 1 {
          operands[0].step(spec: spec, rows: rows)
        } else {
          Parallel.forEach(replicas) { operands[$0].step(spec: spec, rows: rows) }
        }
      }
    }
    run(20)
    var best = 0.0
    for _ in 0..<max(1, rounds) {
      var steps = 0
      let start = clock()
      while clock() - start < seconds {
        run(10)
        steps += 10
      }
      best = max(best, Double(steps) / (clock() - start))
    }
    return Reading(replicas: replicas, stepsPerSecond: best, samplesPerSecond: best * Double(batch))
  }
}

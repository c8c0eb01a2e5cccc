import NeuralNet
import Synchronization
import Testing

/// N replicas (`--threads N`): the same gradient as one replica up to rounding, with and without
/// synchronised batch norm, and bit-identical runs for a given N. N = 3 and 4 run oversubscribed
/// on a 2-core machine: this checks correctness, not speed.
@Suite struct ReplicaTests {
  func batch(seed: UInt64, rows: Int, features: Int, classes: Int) -> ([Float], [Int32]) {
    var rng = SeededGenerator(seed: seed)
    return (
      (0..<(rows * features)).map { _ in rng.nextGaussian() },
      (0..<rows).map { _ in Int32(rng.nextInt(below: classes)) }
    )
  }

  struct StepResult {
    var gradient: [Float]
    var loss: Double
    var runningStats: [Float]
    var replicas: Int
  }

  /// One step with learning rate 0 (parameters unchanged) on `rows` of a 33-row batch.
  func step(spec: NetworkSpec, threads: Int, rows: Int = 33, dropout: Float = 0) -> StepResult {
    let (x, y) = batch(seed: 8, rows: 33, features: spec.inputSize, classes: spec.outputSize)
    let learner = Learner(
      network: Network(spec: spec, seed: 2), optimizer: .sgd, batchSize: 33, threads: threads, seed: 2)
    let width = spec.inputSize
    let outcome = learner.step(rows: rows, settings: UpdateSettings(learningRate: 0), dropout: dropout) {
      ws, range in
      for (row, i) in range.enumerated() {
        for j in 0..<width { ws.input[row * width + j] = x[i * width + j] }
        ws.labels[row] = y[i]
      }
    }
    #expect(outcome.status == .applied)
    return StepResult(
      gradient: learner.gradients.array, loss: outcome.lossSum,
      runningStats: learner.network.runningStats.array, replicas: learner.workspaces.count)
  }

  func expectClose(_ a: [Float], _ b: [Float], tolerance: Float, _ what: String) {
    #expect(a.count == b.count)
    let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
    #expect(worst < tolerance, "\(what): largest difference \(worst)")
  }

  @Test(arguments: [2, 3, 4])
  func replicasComputeTheGradientOfOneReplica(threads: Int) {
    let spec = NetworkSpec(inputSize: 12, hiddenSizes: [16, 8], outputSize: 4)
    let one = step(spec: spec, threads: 1)
    let many = step(spec: spec, threads: threads)
    #expect(many.replicas == threads)
    #expect(abs(one.loss - many.loss) < 1e-4)
    expectClose(one.gradient, many.gradient, tolerance: 1e-6, "gradient")
  }

  /// The training loop loads a batch in column blocks, each core its own inputs of every slice
  /// (`fillColumns`); the step must be the one whole-row loading gives, bit for bit, and the
  /// labels must come from exactly one block.
  @Test(arguments: [2, 3])
  func columnBlockLoadingGivesTheSameStep(threads: Int) {
    let spec = NetworkSpec(inputSize: 40, hiddenSizes: [32, 8], outputSize: 4)
    let (x, y) = batch(seed: 9, rows: 33, features: 40, classes: 4)
    func learner() -> Learner {
      Learner(
        network: Network(spec: spec, seed: 3), optimizer: .sgd, batchSize: 33, threads: threads, seed: 3)
    }
    let settings = UpdateSettings(learningRate: 0.1, momentum: 0.9)
    let byRows = learner()
    let rowOutcome = byRows.step(rows: 33, settings: settings, dropout: 0.1) { ws, range in
      for (row, i) in range.enumerated() {
        for j in 0..<40 { ws.input[row * 40 + j] = x[i * 40 + j] }
        ws.labels[row] = y[i]
      }
    }
    let byColumns = learner()
    let labelWrites = Mutex(0)
    let columnOutcome = byColumns.step(rows: 33, settings: settings, dropout: 0.1) { ws, range, columns in
      for (row, i) in range.enumerated() {
        for j in columns { ws.input[row * 40 + j] = x[i * 40 + j] }
        if columns.lowerBound == 0 { ws.labels[row] = y[i] }
      }
      if columns.lowerBound == 0 { labelWrites.withLock { $0 += range.count } }
    }
    #expect(labelWrites.withLock { $0 } == 33)
    #expect(rowOutcome.lossSum == columnOutcome.lossSum)
    #expect(byRows.gradients.array == byColumns.gradients.array)
    #expect(byRows.network.parameters.array == byColumns.network.parameters.array)
  }

  @Test(arguments: [2, 3, 4])
  func synchronisedBatchNormMatchesOneReplica(threads: Int) {
    let spec = NetworkSpec(inputSize: 12, hiddenSizes: [16, 8], outputSize: 4, batchNorm: true)
    let one = step(spec: spec, threads: 1)
    let many = step(spec: spec, threads: threads)
    #expect(many.replicas == threads)
    #expect(abs(one.loss - many.loss) < 1e-4)
    // γ, β and the weights below a normalised layer depend on every row of the batch through its
    // mean and variance: per-replica statistics would miss this by far more than rounding.
    expectClose(one.gradient, many.gradient, tolerance: 1e-5, "gradient")
    expectClose(one.runningStats, many.runningStats, tolerance: 1e-6, "running statistics")
  }

  @Test func perReplicaStatisticsWouldBeWrong() {
    // The check above can fail: a 33-row batch normalised in slices differs from the whole batch.
    let spec = NetworkSpec(inputSize: 12, hiddenSizes: [16, 8], outputSize: 4, batchNorm: true)
    let whole = step(spec: spec, threads: 1, rows: 33)
    let slice = step(spec: spec, threads: 1, rows: 11)
    let difference = zip(whole.runningStats, slice.runningStats).map { abs($0 - $1) }.max() ?? 0
    #expect(difference > 1e-3)
  }

  @Test(arguments: [3, 4])
  func aShortBatchLeavesReplicasEmpty(threads: Int) {
    // Two rows on three or four replicas: the empty ones must not add anything.
    for batchNorm in [false, true] {
      let spec = NetworkSpec(inputSize: 12, hiddenSizes: [16, 8], outputSize: 4, batchNorm: batchNorm)
      let one = step(spec: spec, threads: 1, rows: 2)
      let many = step(spec: spec, threads: threads, rows: 2)
      expectClose(one.gradient, many.gradient, tolerance: 1e-5, "gradient, batch norm \(batchNorm)")
    }
  }

  func trainLosses(threads: Int, batchNorm: Bool, seed: UInt64) -> [Double] {
    let spec = NetworkSpec(inputSize: 20, hiddenSizes: [32, 16], outputSize: 5, batchNorm: batchNorm)
    let learner = Learner(
      network: Network(spec: spec, seed: seed), optimizer: .adam, batchSize: 50, threads: threads, seed: seed)
    let (x, y) = batch(seed: 77, rows: 50, features: 20, classes: 5)
    return (0..<20).map { _ in
      learner.step(rows: 50, settings: UpdateSettings(learningRate: 0.01), dropout: 0.2) { ws, range in
        for (row, i) in range.enumerated() {
          for j in 0..<20 { ws.input[row * 20 + j] = x[i * 20 + j] }
          ws.labels[row] = y[i]
        }
      }.lossSum
    }
  }

  @Test(arguments: [3, 4])
  func aGivenReplicaCountIsBitReproducible(threads: Int) {
    for batchNorm in [false, true] {
      let first = trainLosses(threads: threads, batchNorm: batchNorm, seed: 5)
      #expect(first == trainLosses(threads: threads, batchNorm: batchNorm, seed: 5))
      #expect(first != trainLosses(threads: threads, batchNorm: batchNorm, seed: 6))
      #expect(first.last! < first.first!)
    }
  }

  @Test func slicesAndChunksByHand() {
    #expect(ReplicaSplit.slices(rows: 128, replicas: 3) == [0..<43, 43..<86, 86..<128])
    #expect(ReplicaSplit.slices(rows: 7, replicas: 2) == [0..<4, 4..<7])
    #expect(ReplicaSplit.slices(rows: 2, replicas: 4) == [0..<1, 1..<1, 1..<2, 2..<2])
    #expect(ReplicaSplit.capacity(batch: 128, replicas: 3) == 43)
    #expect(ReplicaSplit.replicas(threads: 4, batch: 3) == 3)
    // 100 floats in 3 parts, cut at multiples of 16 from the start: 10 + 32, 10 + 64.
    let parts = (0..<3).map { ReplicaSplit.chunk(of: 10..<110, part: $0, count: 3) }
    #expect(parts == [10..<42, 42..<74, 74..<110])
    // Weight-gradient rows, cut every 16 rows: MNIST's first layer as 384 + 400; too few rows to
    // cut leaves them all to the last core.
    func rows(_ fanIn: Int, _ fanOut: Int, _ count: Int) -> [Range<Int>] {
      (0..<count).map { ReplicaSplit.weightRows(fanIn: fanIn, fanOut: fanOut, part: $0, count: count) }
    }
    #expect(rows(784, 256, 2) == [0..<384, 384..<784])
    #expect(rows(128, 10, 3) == [0..<32, 32..<80, 80..<128])
    #expect(rows(3, 10, 4) == [0..<0, 0..<0, 0..<0, 0..<3])
    #expect(rows(40, 16, 2) == [0..<16, 16..<40])
    // Gradient blocks of about 49 152 floats, cut every 16 rows: MNIST's first layer (784 × 256)
    // in four on one core, a second core's 400 rows in two, the 256 × 128 layer whole.
    func blocks(_ own: Range<Int>, _ fanOut: Int) -> [Range<Int>] {
      let count = ReplicaSplit.gradientBlockCount(rows: own.count, fanOut: fanOut)
      return (0..<count).map { ReplicaSplit.gradientBlock(of: own, fanOut: fanOut, block: $0, count: count) }
    }
    #expect(blocks(0..<784, 256) == [0..<192, 192..<384, 384..<576, 576..<784])
    #expect(blocks(384..<784, 256) == [384..<576, 576..<784])
    #expect(blocks(0..<256, 128) == [0..<256])
    // The largest block, each core's buffer: 208 rows × 256 at one thread (the fourth block
    // above); at two, the second core's 400 rows in two blocks of 192 and 208 rows, and the second
    // layer's 128 rows a core (32 768 floats) stay below that.
    let mnist = [(fanIn: 784, fanOut: 256), (fanIn: 256, fanOut: 128), (fanIn: 128, fanOut: 10)]
    #expect(ReplicaSplit.largestGradientBlock(shapes: mnist, count: 1) == 208 * 256)
    #expect(ReplicaSplit.largestGradientBlock(shapes: mnist, count: 2) == 208 * 256)
    // A layer too small to cut: the whole 256 × 128 matrix is one block on one core.
    #expect(ReplicaSplit.largestGradientBlock(shapes: [(fanIn: 256, fanOut: 128)], count: 1) == 256 * 128)
    #expect(ReplicaSplit.largestGradientBlock(shapes: [(fanIn: 3, fanOut: 10)], count: 4) == 30)
  }
}

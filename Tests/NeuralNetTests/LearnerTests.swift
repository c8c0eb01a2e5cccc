import NeuralNet
import Testing

@Suite struct LearnerTests {
  static let xorInputs: [[Float]] = [[0, 0], [0, 1], [1, 0], [1, 1]]
  static let xorLabels: [Int32] = [0, 1, 1, 0]

  func fillXor(_ ws: Workspace, _ range: Range<Int>) {
    for (row, i) in range.enumerated() {
      ws.input[row * 2] = Self.xorInputs[i][0]
      ws.input[row * 2 + 1] = Self.xorInputs[i][1]
      ws.labels[row] = Self.xorLabels[i]
    }
  }

  @Test func smallNetworkLearnsXorPerfectly() {
    let spec = NetworkSpec(
      inputSize: 2, hiddenSizes: [8], outputSize: 1, activation: .tanh, loss: .sigmoidBinaryCrossEntropy)
    let learner = Learner(
      network: Network(spec: spec, seed: 1), optimizer: .sgd, batchSize: 4, threads: 1, seed: 1)
    func step() -> StepOutcome {
      learner.step(
        rows: 4, settings: UpdateSettings(learningRate: 0.5, momentum: 0.9), dropout: 0, fill: fillXor)
    }
    var last = step()
    for _ in 1..<2_000 { last = step() }
    #expect(last.correct == 4)
    #expect(last.lossSum / 4 < 0.05)
    let evaluator = Workspace(network: learner.network, capacity: 4)
    evaluator.rows = 4
    fillXor(evaluator, 0..<4)
    learner.network.forward(evaluator, training: false)
    let result = learner.network.lossAndGradient(evaluator, normalizer: 4, gradient: false)
    #expect(result.correct == 4)
  }

  /// Inside a step, a product below 1.2e-38 (here 1e-20 × 1e-20 in the first layer) is 0, on one
  /// core and on two (where the first layer runs on the worker pool's threads too); the caller's
  /// own arithmetic makes subnormal numbers again afterwards.
  @Test(arguments: [1, 2])
  func stepsFlushSubnormalNumbers(threads: Int) {
    let spec = NetworkSpec(inputSize: 16, hiddenSizes: [16], outputSize: 2)
    let network = Network(spec: spec, seed: 1)
    let first = network.layers[0]
    for i in 0..<(16 * 16) { network.parameters[first.weights + i] = 1e-20 }
    let learner = Learner(network: network, optimizer: .sgd, batchSize: 4, threads: threads, seed: 1)
    _ = learner.step(rows: 4, settings: UpdateSettings(learningRate: 0), dropout: 0) { ws, range in
      for row in 0..<range.count {
        for j in 0..<16 { ws.input[row * 16 + j] = j == 0 ? 1e-20 : 0 }
        ws.labels[row] = 0
      }
    }
    // Without the flush every hidden value would be 1e-40 (a subnormal number), not 0.
    let hidden = learner.workspaces.flatMap { ws in (0..<(ws.rows * 16)).map { ws.outputs[0][$0] } }
    #expect(hidden.count == 4 * 16)
    #expect(hidden.allSatisfy { $0 == 0 })
    let tiny = network.parameters[first.weights] * 1e-20
    #expect(tiny > 0 && tiny < Float.leastNormalMagnitude)
  }

  func randomBatch(seed: UInt64, rows: Int, features: Int, classes: Int) -> ([Float], [Int32]) {
    var rng = SeededGenerator(seed: seed)
    return (
      (0..<(rows * features)).map { _ in rng.nextGaussian() },
      (0..<rows).map { _ in Int32(rng.nextInt(below: classes)) }
    )
  }

  func trainLosses(threads: Int, dropout: Float, seed: UInt64) -> [Double] {
    let spec = NetworkSpec(inputSize: 20, hiddenSizes: [32, 16], outputSize: 5)
    let learner = Learner(
      network: Network(spec: spec, seed: seed), optimizer: .adam, batchSize: 50, threads: threads, seed: seed)
    let (x, y) = randomBatch(seed: 77, rows: 50, features: 20, classes: 5)
    var losses: [Double] = []
    for _ in 0..<30 {
      let outcome = learner.step(rows: 50, settings: UpdateSettings(learningRate: 0.01), dropout: dropout) {
        ws, range in
        for (row, i) in range.enumerated() {
          for j in 0..<20 { ws.input[row * 20 + j] = x[i * 20 + j] }
          ws.labels[row] = y[i]
        }
      }
      losses.append(outcome.lossSum)
    }
    return losses
  }

  @Test(arguments: [1, 2])
  func sameSeedGivesBitIdenticalLosses(threads: Int) {
    let first = trainLosses(threads: threads, dropout: 0.2, seed: 5)
    let second = trainLosses(threads: threads, dropout: 0.2, seed: 5)
    #expect(first == second)
    #expect(first != trainLosses(threads: threads, dropout: 0.2, seed: 6))
    #expect(first.last! < first.first!)
  }

  @Test func twoCoreSplitComputesTheSameGradientAsOneCore() {
    let spec = NetworkSpec(inputSize: 12, hiddenSizes: [16, 8], outputSize: 4)
    let (x, y) = randomBatch(seed: 8, rows: 33, features: 12, classes: 4)
    func gradient(threads: Int) -> (FloatBuffer, Double) {
      let learner = Learner(
        network: Network(spec: spec, seed: 2), optimizer: .sgd, batchSize: 33, threads: threads, seed: 2)
      let outcome = learner.step(rows: 33, settings: UpdateSettings(learningRate: 0), dropout: 0) {
        ws, range in
        for (row, i) in range.enumerated() {
          for j in 0..<12 { ws.input[row * 12 + j] = x[i * 12 + j] }
          ws.labels[row] = y[i]
        }
      }
      #expect(learner.workspaces.count == threads)
      return (learner.gradients, outcome.lossSum)
    }
    let (one, lossOne) = gradient(threads: 1)
    let (two, lossTwo) = gradient(threads: 2)
    #expect(abs(lossOne - lossTwo) < 1e-4)
    for i in 0..<one.count { #expect(abs(one[i] - two[i]) < 1e-6, "parameter \(i)") }
  }

  @Test func nonFiniteLossSkipsTheUpdate() {
    let spec = NetworkSpec(inputSize: 2, hiddenSizes: [3], outputSize: 2)
    let learner = Learner(
      network: Network(spec: spec, seed: 1), optimizer: .sgd, batchSize: 2, threads: 1, seed: 1)
    let before = learner.network.parameters.array
    let outcome = learner.step(rows: 2, settings: UpdateSettings(learningRate: 0.1), dropout: 0) { ws, _ in
      ws.input[0] = .nan
      ws.labels[0] = 0
      ws.labels[1] = 1
    }
    #expect(outcome.status == .nonFiniteLoss)
    #expect(learner.network.parameters.array == before)
  }

  @Test func overflowingGradientNamesTheFirstLayerAndSkipsTheUpdate() {
    let spec = NetworkSpec(
      inputSize: 2, hiddenSizes: [3], outputSize: 1, activation: .tanh, loss: .squaredError)
    let learner = Learner(
      network: Network(spec: spec, seed: 1), optimizer: .sgd, batchSize: 1, threads: 1, seed: 1)
    let before = learner.network.parameters.array
    // A target of 1e30: the loss (1e60, summed in Double) is finite, the gradients (≈1e30) are
    // finite too, but their squared norms overflow Float: every layer explodes, the first is named.
    let outcome = learner.step(rows: 1, settings: UpdateSettings(learningRate: 0.1), dropout: 0) { ws, _ in
      ws.input[0] = 1
      ws.input[1] = -1
      ws.targets[0] = 1e30
    }
    #expect(outcome.lossSum.isFinite)
    #expect(outcome.status == .nonFiniteGradient(layer: 0))
    #expect(learner.network.parameters.array == before)
  }
}

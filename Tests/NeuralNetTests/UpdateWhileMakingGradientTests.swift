import NeuralNet
import Testing

/// A step whose inputs have a known magnitude updates each block of its gradient as soon as the
/// block is made (the gradient's bound shows it cannot overflow); without one it makes the whole
/// gradient, checks its norms, and then updates. Both must train the same model, bit for bit.
@Suite struct UpdateWhileMakingGradientTests {
  struct Trained: Equatable {
    var parameters: [Float]
    var firstMoment: [Float]
    var secondMoment: [Float]
    var norms: [[Float]]
    var losses: [Double]
  }

  /// Eight steps on one random batch of Gaussian inputs, telling the step their largest |x| or not.
  /// The first layer is 500 × 200 (100 000 floats): at one thread its gradient is made in two
  /// blocks.
  func train(
    threads: Int, optimizer: OptimizerKind, knowsMagnitude: Bool, batchNorm: Bool = false,
    dropout: Float = 0.1
  ) -> Trained {
    let spec = NetworkSpec(inputSize: 500, hiddenSizes: [200, 24], outputSize: 6, batchNorm: batchNorm)
    let rows = 40
    var rng = SeededGenerator(seed: 3)
    let x = (0..<(rows * 500)).map { _ in rng.nextGaussian() }
    let y = (0..<rows).map { _ in Int32(rng.nextInt(below: 6)) }
    let largest = x.map(abs).max()!
    let learner = Learner(
      network: Network(spec: spec, seed: 4), optimizer: optimizer, batchSize: rows, threads: threads, seed: 4)
    let settings = UpdateSettings(
      learningRate: optimizer == .sgd ? 0.05 : 0.002, momentum: 0.9, weightDecay: 0.01)
    var trained = Trained(
      parameters: [], firstMoment: [], secondMoment: [], norms: [], losses: [])
    for _ in 0..<8 {
      let outcome = learner.step(
        rows: rows, settings: settings, dropout: dropout, inputMagnitude: knowsMagnitude ? largest : .infinity
      ) { ws, range in
        for (row, i) in range.enumerated() {
          for j in 0..<500 { ws.input[row * 500 + j] = x[i * 500 + j] }
          ws.labels[row] = y[i]
        }
      }
      #expect(outcome.status == .applied)
      trained.norms.append(outcome.gradientNorms)
      trained.losses.append(outcome.lossSum)
    }
    trained.parameters = learner.network.parameters.array
    trained.firstMoment = learner.optimizer.firstMoment.array
    trained.secondMoment = learner.optimizer.secondMoment.array
    return trained
  }

  @Test(arguments: [1, 2, 3], [OptimizerKind.sgd, .adam])
  func updatingAsTheGradientIsMadeTrainsTheCheckedModel(threads: Int, optimizer: OptimizerKind) {
    let fast = train(threads: threads, optimizer: optimizer, knowsMagnitude: true)
    let checked = train(threads: threads, optimizer: optimizer, knowsMagnitude: false)
    #expect(fast == checked)
    #expect(fast.losses.last! < fast.losses.first!)
  }

  /// With batch norm (replicas in lockstep, shared statistics, γ and β gradients).
  @Test(arguments: [1, 2, 3])
  func batchNormTrainsTheCheckedModelToo(threads: Int) {
    let fast = train(threads: threads, optimizer: .sgd, knowsMagnitude: true, batchNorm: true)
    let checked = train(threads: threads, optimizer: .sgd, knowsMagnitude: false, batchNorm: true)
    #expect(fast == checked)
    #expect(fast.losses.last! < fast.losses.first!)
  }

  /// The gradient made in row blocks (and, on several cores, by rows from every slice) is the
  /// whole batch's gradient of one workspace's backward pass: in place on the checked path, and
  /// through each core's block buffer on the usual one, whose norms are the whole gradient's.
  @Test(arguments: [1, 2, 3])
  func blockGradientIsTheWholeBatchGradient(threads: Int) {
    let spec = NetworkSpec(inputSize: 500, hiddenSizes: [200, 24], outputSize: 6)
    let rows = 40
    var rng = SeededGenerator(seed: 9)
    let x = (0..<(rows * 500)).map { _ in rng.nextUnitFloat() }
    let y = (0..<rows).map { _ in Int32(rng.nextInt(below: 6)) }
    func fill(_ ws: Workspace, _ range: Range<Int>) {
      for (row, i) in range.enumerated() {
        for j in 0..<500 { ws.input[row * 500 + j] = x[i * 500 + j] }
        ws.labels[row] = y[i]
      }
    }
    let network = Network(spec: spec, seed: 5)
    let whole = Workspace(network: network, capacity: rows)
    whole.rows = rows
    fill(whole, 0..<rows)
    network.forward(whole, training: true)
    network.lossAndGradient(whole, normalizer: rows)
    let settings = UpdateSettings(learningRate: 0)
    let checked = Learner(network: network, optimizer: .sgd, batchSize: rows, threads: threads, seed: 5)
    let checkedOutcome = checked.step(rows: rows, settings: settings, dropout: 0, fill: fill)
    let worst = zip(checked.gradients.array, whole.gradients.array).map { abs($0 - $1) }.max()!
    #expect(worst < 1e-6)
    let usual = Learner(network: network, optimizer: .sgd, batchSize: rows, threads: threads, seed: 5)
    let outcome = usual.step(rows: rows, settings: settings, dropout: 0, inputMagnitude: 1, fill: fill)
    #expect(outcome.gradientNorms == checkedOutcome.gradientNorms)
    for layer in network.layers {
      let g = whole.gradients.array[layer.parameterRange]
      let norm = g.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
      #expect(abs(Double(outcome.gradientNorms[layer.index]) - norm) <= 1e-5 * norm, "layer \(layer.index)")
    }
  }

  /// A gradient that overflows is refused even when the inputs' magnitude is known: its bound is
  /// over the limit, so the step checks the norms before it updates anything.
  @Test(arguments: [1, 2])
  func anOverflowingGradientIsRefusedWithAKnownMagnitude(threads: Int) {
    let spec = NetworkSpec(
      inputSize: 2, hiddenSizes: [3], outputSize: 1, activation: .tanh, loss: .squaredError)
    let learner = Learner(
      network: Network(spec: spec, seed: 1), optimizer: .sgd, batchSize: 2, threads: threads, seed: 1)
    let before = learner.network.parameters.array
    let outcome = learner.step(
      rows: 2, settings: UpdateSettings(learningRate: 0.1, momentum: 0.9), dropout: 0, inputMagnitude: 1
    ) { ws, range in
      for row in 0..<range.count {
        ws.input[row * 2] = 1
        ws.input[row * 2 + 1] = -1
        ws.targets[row] = 1e30
      }
    }
    #expect(outcome.lossSum.isFinite)
    #expect(outcome.status == .nonFiniteGradient(layer: 0))
    #expect(learner.network.parameters.array == before)
    #expect(learner.optimizer.firstMoment.array.allSatisfy { $0 == 0 })
  }
}

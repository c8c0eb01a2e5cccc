import Foundation
import NeuralNet
import Testing

@Suite struct OptimizerTests {
  /// Applies `steps` updates with a constant gradient to a one-parameter buffer.
  func run(
    _ kind: OptimizerKind, _ settings: UpdateSettings, start: Float, gradient: Float, steps: Int,
    decays: Bool = true
  )
    -> [Float]
  {
    let optimizer = Optimizer(kind: kind, parameterCount: 1)
    let p = FloatBuffer(count: 1, value: start)
    let g = FloatBuffer(count: 1, value: gradient)
    var trace: [Float] = []
    for _ in 0..<steps {
      optimizer.beginStep()
      optimizer.update(
        parameters: p.base, range: 0..<1, rangeGradient: g.base, decays: decays, settings: settings)
      trace.append(p[0])
    }
    return trace
  }

  @Test func sgdWithMomentumFollowsPyTorchSemantics() {
    // buf₁ = 0.5, p₁ = 1 − 0.1·0.5 = 0.95; buf₂ = 0.9·0.5 + 0.5 = 0.95, p₂ = 0.95 − 0.095 = 0.855;
    // buf₃ = 0.9·0.95 + 0.5 = 1.355, p₃ = 0.855 − 0.1355 = 0.7195
    let trace = run(.sgd, UpdateSettings(learningRate: 0.1, momentum: 0.9), start: 1, gradient: 0.5, steps: 3)
    #expect(abs(trace[0] - 0.95) < 1e-6)
    #expect(abs(trace[1] - 0.855) < 1e-6)
    #expect(abs(trace[2] - 0.7195) < 1e-6)
  }

  @Test func plainSgd() {
    let trace = run(.sgd, UpdateSettings(learningRate: 0.5), start: 2, gradient: 1, steps: 2)
    #expect(trace == [1.5, 1.0])
  }

  @Test func weightDecayAddsLambdaTimesWeightToTheGradient() {
    // g' = 0.5 + 0.1·2 = 0.7; p = 2 − 0.1·0.7 = 1.93
    let decayed = run(
      .sgd, UpdateSettings(learningRate: 0.1, momentum: 0.9, weightDecay: 0.1), start: 2, gradient: 0.5,
      steps: 1)
    #expect(abs(decayed[0] - 1.93) < 1e-6)
    // Ranges that do not decay (biases) ignore λ.
    let bias = run(
      .sgd, UpdateSettings(learningRate: 0.1, momentum: 0.9, weightDecay: 0.1), start: 2, gradient: 0.5,
      steps: 1,
      decays: false)
    #expect(abs(bias[0] - 1.95) < 1e-6)
  }

  @Test func adamMatchesHandComputedSteps() {
    // Computed in Double with torch.optim.Adam's formulas, lr 0.01, constant gradient 0.2, and
    // with a gradient that changes: the first step is lr·sign(g) whatever its size.
    var s = UpdateSettings(learningRate: 0.01)
    s.beta1 = 0.9
    s.beta2 = 0.999
    s.epsilon = 1e-8
    let trace = run(.adam, s, start: 1, gradient: 0.2, steps: 3)
    var p = 1.0
    var m = 0.0
    var v = 0.0
    for t in 1...3 {
      m = 0.9 * m + 0.1 * 0.2
      v = 0.999 * v + 0.001 * 0.04
      let mHat = m / (1 - pow(0.9, Double(t)))
      let vHat = v / (1 - pow(0.999, Double(t)))
      p -= 0.01 * mHat / (vHat.squareRoot() + 1e-8)
      #expect(abs(Double(trace[t - 1]) - p) < 1e-6, "step \(t)")
    }
    #expect(abs(trace[0] - 0.99) < 1e-6)
  }

  /// Parameters and a gradient for the kernel tests, as arrays and as the buffers the optimiser
  /// updates: 1 037 of them, not a multiple of any vector width, so the tail runs too.
  /// A block of the gradient made in a buffer of its own updates its range exactly as the same
  /// values inside a whole gradient do, and touches nothing outside the range (SGD and Adam).
  @Test(arguments: [OptimizerKind.sgd, .adam])
  func aRangeUpdatedFromItsOwnBufferMatchesTheWholeGradient(kind: OptimizerKind) {
    let (start, gradient, p, g) = kernelInputs(seed: 5)
    let range = 37..<530
    let block = FloatBuffer(count: range.count)
    for (i, j) in range.enumerated() { block[i] = gradient[j] }
    let whole = Optimizer(kind: kind, parameterCount: start.count)
    let own = Optimizer(kind: kind, parameterCount: start.count)
    let q = FloatBuffer(count: start.count)
    for i in start.indices { q[i] = start[i] }
    let settings = UpdateSettings(learningRate: 0.01, momentum: 0.9, weightDecay: 0.01)
    var squares: [Float] = []
    for _ in 0..<3 {
      whole.beginStep()
      own.beginStep()
      squares.append(
        whole.updateSummingSquares(
          parameters: p.base, range: range, rangeGradient: g.base + range.lowerBound, decays: true,
          settings: settings))
      squares.append(
        own.updateSummingSquares(
          parameters: q.base, range: range, rangeGradient: block.base, decays: true, settings: settings))
    }
    #expect(p.array == q.array)
    #expect(whole.firstMoment.array == own.firstMoment.array)
    #expect(whole.secondMoment.array == own.secondMoment.array)
    #expect(squares[0] == squares[1] && squares[0] > 0)
    // Outside the range nothing moved.
    #expect(Array(q.array[..<range.lowerBound]) == Array(start[..<range.lowerBound]))
    #expect(Array(q.array[range.upperBound...]) == Array(start[range.upperBound...]))
    #expect(own.firstMoment.array[..<range.lowerBound].allSatisfy { $0 == 0 })
  }

  func kernelInputs(seed: UInt64) -> (start: [Float], gradient: [Float], p: FloatBuffer, g: FloatBuffer) {
    var rng = SeededGenerator(seed: seed)
    let start = (0..<1_037).map { _ in rng.nextGaussian() }
    let gradient = start.map { _ in rng.nextGaussian() * 0.1 }
    let p = FloatBuffer(count: start.count)
    let g = FloatBuffer(count: start.count)
    for i in start.indices {
      p[i] = start[i]
      g[i] = gradient[i]
    }
    return (start, gradient, p, g)
  }

  /// The SGD update runs in a C kernel compiled for AVX-512/AVX2/baseline; with contraction off it
  /// must give exactly the bits of PyTorch's formula evaluated one operation at a time, whether or
  /// not it also sums the gradient's squares (which must then be `sumOfSquares`' bits).
  @Test(arguments: [Float(0), 0.01], [false, true])
  func vectorisedMomentumUpdateIsBitExact(weightDecay: Float, summing: Bool) {
    let (start, gradient, p, g) = kernelInputs(seed: 3)
    let n = start.count
    let optimizer = Optimizer(kind: .sgd, parameterCount: n)
    var expectedP = start
    var expectedM = [Float](repeating: 0, count: n)
    let settings = UpdateSettings(learningRate: 0.05, momentum: 0.9, weightDecay: weightDecay)
    for _ in 0..<3 {
      optimizer.beginStep()
      if summing {
        let squares = optimizer.updateSummingSquares(
          parameters: p.base, range: 0..<n, rangeGradient: g.base, decays: true, settings: settings)
        #expect(squares == VectorKernels.sumOfSquares(g.base, count: n))
        let exact = gradient.reduce(0.0) { $0 + Double($1) * Double($1) }
        #expect(abs(Double(squares) - exact) <= 1e-5 * exact)
      } else {
        optimizer.update(
          parameters: p.base, range: 0..<n, rangeGradient: g.base, decays: true, settings: settings)
      }
      for i in 0..<n {
        let decayed = gradient[i] + weightDecay * expectedP[i]
        let b = 0.9 * expectedM[i] + (weightDecay == 0 ? gradient[i] : decayed)
        expectedM[i] = b
        expectedP[i] -= 0.05 * b
      }
    }
    #expect(p.array == expectedP)
    #expect(optimizer.firstMoment.array == expectedM)
  }

  /// Adam runs in the same kind of C kernel; it must give the bits of its formula evaluated one
  /// operation at a time in Swift.
  @Test(arguments: [Float(0), 0.01])
  func vectorisedAdamUpdateIsBitExact(weightDecay: Float) {
    let (start, gradient, p, g) = kernelInputs(seed: 4)
    let n = start.count
    let optimizer = Optimizer(kind: .adam, parameterCount: n)
    var expected = (p: start, m: [Float](repeating: 0, count: n), v: [Float](repeating: 0, count: n))
    let settings = UpdateSettings(learningRate: 0.001, momentum: 0.9, weightDecay: weightDecay)
    for t in 1...3 {
      optimizer.beginStep()
      optimizer.update(
        parameters: p.base, range: 0..<n, rangeGradient: g.base, decays: true, settings: settings)
      // As the optimiser folds them: from the Float settings, in Double.
      let stepSize = Float(Double(Float(0.001)) / (1 - pow(Double(Float(0.9)), Double(t))))
      let root2 = Float((1 - pow(Double(Float(0.999)), Double(t))).squareRoot())
      for i in 0..<n {
        let gi = gradient[i] + weightDecay * expected.p[i]
        expected.m[i] = Float(0.9) * expected.m[i] + (1 - Float(0.9)) * gi
        expected.v[i] = Float(0.999) * expected.v[i] + (1 - Float(0.999)) * (gi * gi)
        expected.p[i] -= stepSize * (expected.m[i] / (expected.v[i].squareRoot() / root2 + 1e-8))
      }
    }
    func mismatches(_ a: [Float], _ b: [Float]) -> Int { zip(a, b).filter { $0 != $1 }.count }
    #expect(mismatches(p.array, expected.p) == 0)
    #expect(mismatches(optimizer.firstMoment.array, expected.m) == 0)
    #expect(mismatches(optimizer.secondMoment.array, expected.v) == 0)
  }

  /// Momentum that decays where the gradient is zero becomes 0 instead of a subnormal number
  /// (whose arithmetic costs a microcode assist per vector), and the thread's floating-point
  /// mode is restored afterwards: the caller's own arithmetic still produces subnormals.
  @Test func subnormalMomentumIsFlushedAndTheModeRestored() {
    let n = 64
    let optimizer = Optimizer(kind: .sgd, parameterCount: n)
    let p = FloatBuffer(count: n)
    let g = FloatBuffer(count: n)
    p.fill(1)
    optimizer.firstMoment.fill(Float.leastNormalMagnitude * 1.5)
    let settings = UpdateSettings(learningRate: 0.1, momentum: 0.5)
    optimizer.beginStep()
    optimizer.update(
      parameters: p.base, range: 0..<n, rangeGradient: g.base, decays: true, settings: settings)
    // 0.5 × 1.5 × 2⁻¹²⁶ is subnormal: flushed to zero.
    #expect(optimizer.firstMoment.array == [Float](repeating: 0, count: n))
    #expect(p.array == [Float](repeating: 1, count: n))
    // p[0] is read at run time, so this product is made by this thread's restored mode.
    let half = p[0] * Float.leastNormalMagnitude / 2
    #expect(half > 0 && half < Float.leastNormalMagnitude)
  }

  /// 1² + 2² + … + 37² = 37·38·75/6 = 17 575: every partial sum is an integer below 2²⁴, so any
  /// order gives it exactly; 37 is two lanes of sixteen and a tail of five.
  @Test func sumOfSquaresByHand() {
    let x = FloatBuffer(count: 37)
    for i in 0..<37 { x[i] = Float(i + 1) }
    #expect(VectorKernels.sumOfSquares(x.base, count: 37) == 17_575)
    #expect(VectorKernels.sumOfSquares(x.base, count: 0) == 0)
    x[36] = .infinity
    #expect(VectorKernels.sumOfSquares(x.base, count: 37) == .infinity)
  }
}

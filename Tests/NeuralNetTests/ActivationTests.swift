import NeuralNet
import TestSupport
import Testing

@Suite struct ActivationTests {
  @Test(arguments: Activation.allCases)
  func derivativeFromOutputMatchesCentralDifference(_ activation: Activation) {
    let h: Float = 1e-2
    for x: Float in [-2.5, -0.7, -0.1, 0.3, 1.1, 2.9] {
      let numeric = centralDifference(at: x, step: h) { activation.apply($0) }
      let analytic = Double(activation.derivative(output: activation.apply(x)))
      #expect(abs(numeric - analytic) < 2e-3, "\(activation) at \(x): \(analytic) vs \(numeric)")
    }
  }

  @Test func handComputedValues() {
    #expect(Activation.sigmoid.apply(0) == 0.5)
    #expect(abs(Activation.sigmoid.apply(2) - 0.880797) < 1e-6)
    #expect(abs(Activation.tanh.apply(1) - 0.761594) < 1e-6)
    #expect(Activation.relu.apply(-3) == 0)
    #expect(Activation.relu.apply(3) == 3)
    #expect(Activation.leakyRelu.apply(-3) == -0.03)
    #expect(abs(Activation.elu.apply(-1) - (-0.632121)) < 1e-6)
    #expect(Activation.linear.apply(-4.5) == -4.5)
  }

  @Test(arguments: Activation.allCases)
  func fusedForwardEqualsElementwiseDefinition(_ activation: Activation) {
    // 3 rows × 37 columns: exercises the 16-lane body and the scalar tail.
    let rows = 3
    let cols = 37
    var rng = SeededGenerator(seed: 11)
    let input = (0..<(rows * cols)).map { _ in rng.nextGaussian() * 2 }
    let bias = (0..<cols).map { _ in rng.nextGaussian() }
    let buffer = FloatBuffer(count: rows * cols)
    for i in 0..<input.count { buffer[i] = input[i] }
    bias.withUnsafeBufferPointer {
      activation.forwardAddingBias(buffer.base, bias: $0.baseAddress, rows: rows, cols: cols)
    }
    for r in 0..<rows {
      for c in 0..<cols {
        #expect(buffer[r * cols + c] == activation.apply(input[r * cols + c] + bias[c]))
      }
    }
  }

  @Test(arguments: Activation.allCases)
  func backwardInPlaceMultipliesByDerivative(_ activation: Activation) {
    let count = 41
    var rng = SeededGenerator(seed: 5)
    let outputs = (0..<count).map { _ in activation.apply(rng.nextGaussian()) }
    let deltas = (0..<count).map { _ in rng.nextGaussian() }
    let buffer = FloatBuffer(count: count)
    for i in 0..<count { buffer[i] = deltas[i] }
    outputs.withUnsafeBufferPointer {
      activation.backwardInPlace(buffer.base, output: $0.baseAddress!, count: count)
    }
    for i in 0..<count {
      #expect(abs(buffer[i] - deltas[i] * activation.derivative(output: outputs[i])) <= 1e-6)
    }
  }
}

import NeuralNet
import Testing

/// The Double-accumulating kernels the trajectory's PCA uses, against the loops they replaced.
@Suite struct DoubleKernelsTests {
  @Test(arguments: [1, 15, 4_096, 4_099])
  func dotInDoubleIsTheDoubleSum(count: Int) {
    var rng = SeededGenerator(seed: UInt64(count))
    let a = (0..<count).map { _ in rng.nextGaussian() * 1e3 }
    let b = (0..<count).map { _ in rng.nextGaussian() * 1e-3 }
    var expected = 0.0
    for i in 0..<count { expected += Double(a[i]) * Double(b[i]) }
    let dot = VectorKernels.dotInDouble(a, b, count: count)
    let scale = zip(a, b).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) }
    // Products of Floats are exact in Double; only the order of the sum differs.
    #expect(abs(dot - expected) <= 1e-13 * scale, "\(dot) vs \(expected)")
    // A sum a Float accumulator would lose: 1 + 2⁻³⁰ is kept.
    #expect(VectorKernels.dotInDouble([1, 1], [1, 0x1p-30], count: 2) == 1 + 0x1p-30)
  }

  @Test(arguments: [1, 3, 17, 256])
  func multiplyIsTheMatrixVectorProduct(n: Int) {
    let matrix = (0..<(n * n)).map { Double(($0 * 37) % 11) - 5 }
    let v = (0..<n).map { Double($0 % 5) + 0.5 }
    var w = [Double](repeating: .nan, count: n)
    VectorKernels.multiply(matrix, n: n, by: v, into: &w)
    for a in 0..<n {
      var expected = 0.0
      for b in 0..<n { expected += matrix[a * n + b] * v[b] }
      // Small integers and halves: every sum is exact, whatever its order.
      #expect(w[a] == expected, "row \(a)")
    }
  }
}

import NeuralNet
import Testing

@Suite struct SeededGeneratorTests {
  @Test func sameSeedSameSequenceDifferentSeedDifferentSequence() {
    var a = SeededGenerator(seed: 9)
    var b = SeededGenerator(seed: 9)
    var c = SeededGenerator(seed: 10)
    let sa = (0..<8).map { _ in a.next() }
    let sb = (0..<8).map { _ in b.next() }
    let sc = (0..<8).map { _ in c.next() }
    #expect(sa == sb)
    #expect(sa != sc)
  }

  @Test func unitFloatsStayInRangeAndGaussiansHaveUnitMoments() {
    var rng = SeededGenerator(seed: 1)
    var sum = 0.0
    var squares = 0.0
    let n = 100_000
    for _ in 0..<n {
      let u = rng.nextUnitFloat()
      #expect(u >= 0 && u < 1)
      let g = Double(rng.nextGaussian())
      sum += g
      squares += g * g
    }
    #expect(abs(sum / Double(n)) < 0.02)
    #expect(abs(squares / Double(n) - 1) < 0.02)
  }

  @Test func nextIntIsUnbiasedAndBounded() {
    var rng = SeededGenerator(seed: 3)
    var counts = [Int](repeating: 0, count: 7)
    for _ in 0..<70_000 { counts[rng.nextInt(below: 7)] += 1 }
    #expect(counts.allSatisfy { abs($0 - 10_000) < 400 })
  }
}

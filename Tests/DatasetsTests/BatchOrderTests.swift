import Datasets
import Testing

@Suite struct BatchOrderTests {
  @Test func shuffleIsAPermutationAndBatchesCoverEverything() {
    var order = BatchOrder(count: 103, batchSize: 10)
    var rng = SplitMix64(seed: 5)
    order.shuffle(using: &rng)
    #expect(Set(order.positions).count == 103)
    #expect(order.positions != (0..<103).map(Int32.init))
    #expect(order.batchCount == 11)
    #expect(order.batch(10) == 100..<103)
    let covered = (0..<order.batchCount).flatMap { Array(order.batch($0)) }
    #expect(covered == Array(0..<103))
  }

  @Test func sameGeneratorSameOrder() {
    var a = BatchOrder(count: 50, batchSize: 8)
    var b = BatchOrder(count: 50, batchSize: 8)
    var ra = SplitMix64(seed: 9)
    var rb = SplitMix64(seed: 9)
    a.shuffle(using: &ra)
    b.shuffle(using: &rb)
    #expect(a.positions == b.positions)
  }
}

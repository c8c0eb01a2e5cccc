import Datasets
import Testing

@Suite struct SyntheticTests {
  @Test(arguments: SyntheticKind.allCases)
  func generatesDeterministicWellFormedSplits(_ kind: SyntheticKind) {
    let a = Synthetic.make(kind, seed: 3)
    let b = Synthetic.make(kind, seed: 3)
    let c = Synthetic.make(kind, seed: 4)
    #expect(a.train.count == Synthetic.defaultTrainCount)
    #expect(a.validation.count == Synthetic.evaluationCount)
    #expect(a.test.count == Synthetic.evaluationCount)
    #expect(a.task == kind.task)
    #expect(a.featureCount == (kind == .sine ? 1 : 2))
    let first = (0..<a.featureCount).map { a.train.store.feature(0, $0) }
    #expect(first == (0..<b.featureCount).map { b.train.store.feature(0, $0) })
    #expect(first != (0..<c.featureCount).map { c.train.store.feature(0, $0) })
    if case .classification(let classes) = kind.task {
      let labels = a.train.store.labels
      #expect(Set(labels) == Set((0..<classes).map(Int32.init)))
    }
  }

  @Test func noiselessXorLabelsFollowTheQuadrants() {
    let set = Synthetic.make(.xor, noise: 0, seed: 1)
    for i in 0..<set.train.count {
      let x = set.train.store.feature(i, 0)
      let y = set.train.store.feature(i, 1)
      #expect(set.train.store.labels[i] == (x * y >= 0 ? 0 : 1))
    }
  }

  @Test func sineTargetsFollowTheCurve() {
    let set = Synthetic.make(.sine, noise: 0, seed: 1)
    for i in 0..<20 {
      let x = Double(set.train.store.feature(i, 0))
      #expect(abs(Double(set.train.store.targets[i]) - sin(x)) < 1e-5)
    }
  }
}

#if canImport(Glibc)
  import Glibc
#endif

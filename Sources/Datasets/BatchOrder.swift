/// The order in which one epoch visits a split: reshuffled every epoch from an injected generator.
public struct BatchOrder: Sendable {
  public private(set) var positions: [Int32]
  public let batchSize: Int

  public init(count: Int, batchSize: Int) {
    positions = (0..<count).map(Int32.init)
    self.batchSize = max(1, batchSize)
  }

  public mutating func shuffle<G: RandomNumberGenerator>(using rng: inout G) {
    positions = (0..<positions.count).map(Int32.init)
    rng.fisherYates(&positions)
  }

  public var batchCount: Int { (positions.count + batchSize - 1) / batchSize }

  /// Positions of batch `index` (the last batch may be shorter).
  public func batch(_ index: Int) -> Range<Int> {
    let start = index * batchSize
    return start..<min(start + batchSize, positions.count)
  }
}

/// SplitMix64: a tiny seeded generator for choices that must never change between versions,
/// such as which 5 000 MNIST images form the validation set.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64
  public init(seed: UInt64) { state = seed }
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

extension RandomNumberGenerator {
  /// Uniform in [0, 1) as a Double with 53 random bits.
  public mutating func unitDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

  /// Standard normal (Box-Muller).
  public mutating func gaussian() -> Double {
    let u1 = max(unitDouble(), 1e-300)
    let u2 = unitDouble()
    return (-2 * logarithm(u1)).squareRoot() * cosine(2 * Double.pi * u2)
  }

  /// Fisher-Yates with an explicit algorithm, so the order depends only on the generator.
  public mutating func fisherYates<T>(_ array: inout [T]) {
    guard array.count > 1 else { return }
    for i in stride(from: array.count - 1, to: 0, by: -1) {
      let j = Int(next() % UInt64(i + 1))
      if i != j { array.swapAt(i, j) }
    }
  }
}

#if canImport(Glibc)
  import Glibc
  @inline(__always) func logarithm(_ x: Double) -> Double { log(x) }
  @inline(__always) func cosine(_ x: Double) -> Double { cos(x) }
  @inline(__always) func sine(_ x: Double) -> Double { sin(x) }
#endif

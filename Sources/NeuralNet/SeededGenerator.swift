/// The engine's only source of randomness: xoshiro256** seeded through SplitMix64.
///
/// Initialisation, shuffling and dropout masks all draw from generators of this type, so a seed
/// fixes every random choice of a run and two runs with the same seed give the same numbers.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var state: (UInt64, UInt64, UInt64, UInt64)

  public init(seed: UInt64) {
    var mix = seed
    func splitMix() -> UInt64 {
      mix &+= 0x9E37_79B9_7F4A_7C15
      var z = mix
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    state = (splitMix(), splitMix(), splitMix(), splitMix())
  }

  @inline(__always)
  public mutating func next() -> UInt64 {
    let result = rotl(state.1 &* 5, 7) &* 9
    let t = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= t
    state.3 = rotl(state.3, 45)
    return result
  }

  @inline(__always)
  private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// Uniform in [0, 1) with 24 random bits, exactly representable as a Float.
  @inline(__always)
  public mutating func nextUnitFloat() -> Float {
    Float(next() >> 40) * (1.0 / 16_777_216.0)
  }

  /// Uniform in [low, high).
  public mutating func nextUniform(_ low: Float, _ high: Float) -> Float {
    low + (high - low) * nextUnitFloat()
  }

  /// Standard normal by Box-Muller, computed in Double.
  public mutating func nextGaussian() -> Float {
    var u1 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    if u1 < 1e-300 { u1 = 1e-300 }
    let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    return Float((-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2))
  }

  /// Uniform integer in 0..<bound without modulo bias (Lemire's method).
  public mutating func nextInt(below bound: Int) -> Int {
    precondition(bound > 0)
    let b = UInt64(bound)
    var m = next().multipliedFullWidth(by: b)
    if m.low < b {
      let threshold = (0 &- b) % b
      while m.low < threshold { m = next().multipliedFullWidth(by: b) }
    }
    return Int(m.high)
  }

  /// Fisher-Yates shuffle that depends only on this generator (not on the standard library's).
  ///
  /// It fixes positions from the end, one per swap, so with `fixingLast` only that many swaps are
  /// made and the array's last `fixingLast` elements are exactly those a whole shuffle leaves
  /// there: a few thousand random picks out of a large array without shuffling all of it.
  public mutating func shuffle<T>(_ array: inout [T], fixingLast kept: Int? = nil) {
    guard array.count > 1 else { return }
    let last = max(1, array.count - (kept ?? array.count))
    for i in stride(from: array.count - 1, through: last, by: -1) {
      let j = nextInt(below: i + 1)
      if i != j { array.swapAt(i, j) }
    }
  }
}

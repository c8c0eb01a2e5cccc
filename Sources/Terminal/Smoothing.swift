/// TensorBoard's scalar smoothing, so a curve smoothed here looks as it does there: an
/// exponential moving average debiased like Adam's moments (early points are not pulled
/// towards 0), non-finite points shown as they are, a constant series left alone.
public enum Smoothing {
  /// The weights the smoothing key steps through (0: raw).
  public static let weights: [Double] = [0, 0.6, 0.9, 0.95, 0.99]

  public static func debiased(_ values: [Double], weight: Double) -> [Double] {
    guard weight > 0, let first = values.first, !values.allSatisfy({ $0 == first }) else { return values }
    var last = 0.0
    var count = 0.0
    return values.map { y in
      guard y.isFinite else { return y }
      last = last * weight + (1 - weight) * y
      count += 1
      let debias = weight == 1 ? 1 : 1 - pow(weight, count)
      return last / debias
    }
  }
}

#if canImport(Glibc)
  import Glibc
#endif

/// Reductions written with explicit SIMD accumulators.
///
/// Swift keeps floating-point addition in source order, so a plain `sum += x * x` loop cannot be
/// vectorised; eight independent lanes give the same result on every run and several times the
/// speed.
enum VectorKernels {
  /// Σ x² over `count` floats; any NaN or infinity makes the result non-finite.
  @inline(__always)
  static func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Float {
    var acc = SIMD16<Float>()
    var i = 0
    let raw = UnsafeRawPointer(x)
    while i + 16 <= count {
      let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
      acc += v * v
      i += 16
    }
    var total = acc.sum()
    while i < count {
      total += x[i] * x[i]
      i += 1
    }
    return total
  }

  /// a[i] += b[i], returning Σ a[i]² of the result.
  @inline(__always)
  static func addAndSumSquares(
    _ a: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, count: Int
  ) -> Float {
    var acc = SIMD16<Float>()
    var i = 0
    let ra = UnsafeMutableRawPointer(a)
    let rb = UnsafeRawPointer(b)
    while i + 16 <= count {
      let v =
        ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
        + rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
      ra.storeBytes(of: v, toByteOffset: i * 4, as: SIMD16<Float>.self)
      acc += v * v
      i += 16
    }
    var total = acc.sum()
    while i < count {
      a[i] += b[i]
      total += a[i] * a[i]
      i += 1
    }
    return total
  }
}

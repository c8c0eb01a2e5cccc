import CBLAS
import CKernels

/// Reductions with independent lanes of accumulators.
///
/// Floating-point addition is kept in source order, so a plain `sum += x * x` loop cannot be
/// vectorised; independent lanes, added up in a fixed order, give the same result on every run
/// and several times the speed.
public enum VectorKernels {
  /// Σ x² over `count` floats; any NaN or infinity makes the result non-finite. In C, in the
  /// order `Optimizer.updateSummingSquares` sums a gradient (sixteen lanes, then the tail), so a
  /// norm taken with the update and one taken before it agree to the bit.
  @inline(__always)
  public static func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Float {
    nntop_sum_squares(x, count)
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

  /// Σ a[i]·b[i] over `count` floats, accumulated in Double (BLAS `dsdot`): the trajectory's Gram
  /// matrix, a new snapshot against every kept one, took a tenth of a run that records often
  /// (statistics every step or two, as two lessons do) as a scalar Swift loop.
  public static func dotInDouble(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Double {
    cblas_dsdot(Int32(count), a, 1, b, 1)
  }

  /// w = M·v for a row-major n × n matrix of Doubles (BLAS `dgemv`): the trajectory's power
  /// iteration.
  public static func multiply(
    _ matrix: UnsafePointer<Double>, n: Int, by v: UnsafePointer<Double>, into w: UnsafeMutablePointer<Double>
  ) {
    cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(n), Int32(n), 1, matrix, Int32(n), v, 1, 0, w, 1)
  }
}

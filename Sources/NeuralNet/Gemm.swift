import CBLAS

/// Row-major matrix products through OpenBLAS, named after the three shapes backprop needs.
enum Gemm {
  /// c[m×n] = a[m×k] · b[k×n]
  @inline(__always)
  static func product(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
    m: Int, k: Int, n: Int
  ) {
    cblas_sgemm(
      CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
      1, a, Int32(k), b, Int32(n), 0, c, Int32(n))
  }

  /// c[k×n] = aᵀ · b where a is m×k and b is m×n (weight gradient: inputᵀ · delta).
  @inline(__always)
  static func transposedLeft(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
    m: Int, k: Int, n: Int
  ) {
    cblas_sgemm(
      CblasRowMajor, CblasTrans, CblasNoTrans, Int32(k), Int32(n), Int32(m),
      1, a, Int32(k), b, Int32(n), 0, c, Int32(n))
  }

  /// c[m×k] = a[m×n] · bᵀ where b is k×n (input gradient: delta · Wᵀ).
  @inline(__always)
  static func transposedRight(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
    m: Int, n: Int, k: Int
  ) {
    cblas_sgemm(
      CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(k), Int32(n),
      1, a, Int32(n), b, Int32(n), 0, c, Int32(k))
  }
}

/// The number of threads OpenBLAS may use inside one matrix product.
public enum BLASThreads {
  public static func set(_ count: Int) { openblas_set_num_threads(Int32(max(1, count))) }
}

import CBLAS

/// Row-major matrix products through OpenBLAS, named after the three shapes backprop needs.
enum Gemm {
  /// c[m×n] = a[m×k] · b[k×n]
  @inline(__always)
  static func product(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
    m: Int, k: Int, n: Int
  ) {
    sgemm(a, transposed: false, b, transposed: false, into: c, rows: m, columns: n, inner: k)
  }

  /// c[k×n] = aᵀ · b where a is m×k and b is m×n (weight gradient: inputᵀ · delta).
  @inline(__always)
  static func transposedLeft(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
    m: Int, k: Int, n: Int
  ) {
    sgemm(a, transposed: true, b, transposed: false, into: c, rows: k, columns: n, inner: m)
  }

  /// Rows `rows` of a weight gradient, from one slice of the batch: c[rows×n] (+)= aᵀ[rows] · b,
  /// where a is m×k, b is m×n and c points at the block's first row (all row-major, dense): the
  /// block's place in the whole gradient, or a buffer of its own.
  /// With `accumulate` the product is added to c (β = 1: replicas' slices add up inside the
  /// product, with no separate reduction pass).
  @inline(__always)
  static func transposedLeftRows(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
    m: Int, k: Int, n: Int, rows: Range<Int>, accumulate: Bool
  ) {
    cblas_sgemm(
      CblasRowMajor, CblasTrans, CblasNoTrans, Int32(rows.count), Int32(n), Int32(m), 1,
      a + rows.lowerBound, Int32(k), b, Int32(n), accumulate ? 1 : 0, c, Int32(n))
  }

  /// The part of a[m×k] · b[k×n] that inner indices `inner` contribute: c[m×n] =
  /// a[:, inner] · b[inner, :] (a, b, c row-major and dense). Cores that split a layer by its
  /// inputs each make one such part; the parts add up to the whole product.
  @inline(__always)
  static func partialProduct(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
    m: Int, k: Int, n: Int, inner: Range<Int>
  ) {
    cblas_sgemm(
      CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(inner.count), 1,
      a + inner.lowerBound, Int32(k), b + inner.lowerBound * n, Int32(n), 0, c, Int32(n))
  }

  /// c[m×k] = a[m×n] · bᵀ where b is k×n (input gradient: delta · Wᵀ).
  @inline(__always)
  static func transposedRight(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
    m: Int, n: Int, k: Int
  ) {
    sgemm(a, transposed: false, b, transposed: true, into: c, rows: m, columns: k, inner: n)
  }

  /// c[rows×columns] = op(a) · op(b) over `inner`, each operand stored row-major and densely.
  @inline(__always)
  private static func sgemm(
    _ a: UnsafePointer<Float>, transposed ta: Bool, _ b: UnsafePointer<Float>, transposed tb: Bool,
    into c: UnsafeMutablePointer<Float>, rows: Int, columns: Int, inner: Int
  ) {
    cblas_sgemm(
      CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, Int32(rows),
      Int32(columns), Int32(inner), 1, a, Int32(ta ? rows : inner), b, Int32(tb ? inner : columns), 0, c,
      Int32(columns))
  }
}

/// The number of threads OpenBLAS may use inside one matrix product.
public enum BLASThreads {
  public static func set(_ count: Int) { openblas_set_num_threads(Int32(max(1, count))) }
}

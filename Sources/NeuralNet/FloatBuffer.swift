/// A fixed-size, 64-byte-aligned block of `Float`s that the engine owns for the whole run.
///
/// Training reuses the same few buffers for every step, so they are allocated once here instead of
/// as Swift arrays: no copy-on-write checks, no bounds checks in the hot loops, and alignment that
/// suits the BLAS kernels.
public final class FloatBuffer: @unchecked Sendable {
  public let count: Int
  public let base: UnsafeMutablePointer<Float>

  public init(count: Int, value: Float = 0) {
    self.count = count
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
    base = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    base.initialize(repeating: value, count: max(count, 1))
  }

  deinit { UnsafeMutableRawPointer(base).deallocate() }

  public subscript(index: Int) -> Float {
    get { base[index] }
    set { base[index] = newValue }
  }

  public func fill(_ value: Float) { base.update(repeating: value, count: count) }

  public func copy(from other: FloatBuffer) {
    precondition(other.count == count, "buffer sizes differ")
    base.update(from: other.base, count: count)
  }

  public var array: [Float] { Array(UnsafeBufferPointer(start: base, count: count)) }
}

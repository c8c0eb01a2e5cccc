import CKernels

/// Runs `body` with this thread's subnormal numbers flushed to zero (the CPU's flush-to-zero and
/// denormals-are-zero modes, as `torch.set_flush_denormal(True)`), then restores the mode.
///
/// Arithmetic on a number below 1.2e-38 takes a microcode assist on these CPUs, hundreds of
/// cycles. Training makes such numbers wherever something decays geometrically with nothing to
/// push back: momentum of rarely lit pixels, and with a strong L2 the weights of dead units and the
/// products they enter. The underfit lesson (L2 0.05) ran at 150–175k samples/s for four epochs,
/// then at 28–32k from the fifth on. Training steps and evaluation run inside this; the worker
/// pool's threads, which run nothing but those steps, keep the mode set.
@inline(__always)
public func withSubnormalsFlushed<T>(_ body: () throws -> T) rethrows -> T {
  let saved = nntop_flush_subnormals_begin()
  defer { nntop_flush_subnormals_end(saved) }
  return try body()
}

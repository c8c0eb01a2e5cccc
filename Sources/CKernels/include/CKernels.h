#ifndef NNTOP_CKERNELS_H
#define NNTOP_CKERNELS_H
#include <stddef.h>
#include <stdint.h>

/* Asks the CPU to start loading `bytes` bytes at `address` into its caches, one request per
   64-byte line, without waiting. Swift has no prefetch of its own; the training loop uses this
   to fetch the next batch's rows while the current batch computes. */
void nntop_prefetch(const void *address, size_t bytes);

/* Tells the CPU this thread is spinning on a flag (x86 `pause`), which saves power and lets the
   other core's memory traffic through while a worker waits for the next parallel region. */
static inline void nntop_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

/* SGD with momentum over n floats, PyTorch's semantics: b = mu*m + (g + wd*p); m = b;
   p -= lr*b. Compiled for AVX-512, AVX2 and baseline x86-64, picked at load time; contraction
   into fused multiply-adds is off, so every build gives the bits of the formula evaluated one
   operation at a time.

   Both optimiser kernels flush subnormal values (below 1.2e-38) to zero while they run, as
   `torch.set_flush_denormal(True)` does: momentum decays geometrically where the gradient is
   zero (MNIST's rarely lit pixels), so thousands of entries sank into the subnormal range within
   a few epochs, and each vector holding one took a microcode assist. One thread's throughput fell
   from 105k to 94k samples/s over five epochs; with the flush it stays at 108k. */
void nntop_sgd_momentum(float *p, const float *g, float *m, long n, float lr, float mu, float wd);

/* Σ x² over n floats in a fixed order (sixteen lanes, then the tail), so a norm is the same
   whether it was taken alone or during an update. */
float nntop_sum_squares(const float *x, long n);

/* `nntop_sgd_momentum` that also returns Σ g² in `nntop_sum_squares`'s order: a gradient block's
   norm and its update in one pass over the gradient instead of two. The norm is taken of g
   itself, before weight decay. */
float nntop_sgd_momentum_sum_squares(float *p, const float *g, float *m, long n, float lr, float mu, float wd);

/* Adam (PyTorch's semantics, bias corrections folded into stepSize and root2 by the caller):
   gi = g + wd*p; m = b1*m + (1-b1)*gi; v = b2*v + (1-b2)*gi²; p -= stepSize*(m/(sqrt(v)/root2 + eps)).
   Same builds, contraction and flushing as the SGD kernel; Adam's second moment decays the same
   way. */
void nntop_adam(float *p, const float *g, float *m, float *v, long n, float stepSize, float root2, float b1,
                float b2, float eps, float wd);

/* Sets this thread's flush-to-zero and denormals-are-zero modes and returns the previous control
   word, which `nntop_flush_subnormals_end` restores (the kernels above bracket themselves). */
unsigned nntop_flush_subnormals_begin(void);
void nntop_flush_subnormals_end(unsigned saved);

/* SHA-256 (FIPS 180-4) of `length` bytes into `digest`. With `use_hardware` and a CPU that has
   the SHA extensions, those compute it (the 9.9 MB of MNIST's compressed training images in
   7 ms instead of 110 ms, which had been start-up's longest job after inflation); otherwise,
   and on other CPUs, the specification's portable code does. */
void nntop_sha256(const uint8_t *data, size_t length, uint8_t digest[32], int use_hardware);

/* out[i] = source[i] * scale over `count` bytes: the batch copy's conversion of pixels to floats,
   compiled for AVX-512, AVX2 and baseline x86-64 like the optimiser (Swift builds for baseline
   x86-64, where this loop converts four bytes at a time). One rounding per value, so every build
   gives the same bits. */
void nntop_bytes_to_floats(const uint8_t *source, float *out, long count, float scale);

#endif

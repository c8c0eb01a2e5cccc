#ifndef NNTOP_CKERNELS_H
#define NNTOP_CKERNELS_H
#include <stddef.h>

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
   into fused multiply-adds is off, so every build gives the bits Swift's scalar loop gives. */
void nntop_sgd_momentum(float *p, const float *g, float *m, long n, float lr, float mu, float wd);

#endif

#include "CKernels.h"

#include <math.h>

#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

#pragma clang fp contract(off)

#if defined(__x86_64__) && defined(__clang__)
#define NNTOP_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define NNTOP_CLONES
#endif

/* MXCSR's flush-to-zero (bit 15) and denormals-are-zero (bit 6). */
#define NNTOP_FTZ_DAZ 0x8040u

unsigned nntop_flush_subnormals_begin(void) {
#if defined(__x86_64__)
  unsigned saved = _mm_getcsr();
  _mm_setcsr(saved | NNTOP_FTZ_DAZ);
  return saved;
#else
  return 0;
#endif
}

void nntop_flush_subnormals_end(unsigned saved) {
#if defined(__x86_64__)
  _mm_setcsr(saved);
#else
  (void)saved;
#endif
}

NNTOP_CLONES
static void sgd_momentum(float *restrict p, const float *restrict g, float *restrict m, long n, float lr,
                         float mu, float wd) {
  if (wd == 0) {
    for (long i = 0; i < n; i++) {
      float b = mu * m[i] + g[i];
      m[i] = b;
      p[i] -= lr * b;
    }
  } else {
    for (long i = 0; i < n; i++) {
      float b = mu * m[i] + (g[i] + wd * p[i]);
      m[i] = b;
      p[i] -= lr * b;
    }
  }
}

void nntop_sgd_momentum(float *p, const float *g, float *m, long n, float lr, float mu, float wd) {
  unsigned saved = nntop_flush_subnormals_begin();
  sgd_momentum(p, g, m, n, lr, mu, wd);
  nntop_flush_subnormals_end(saved);
}

NNTOP_CLONES
static void adam(float *restrict p, const float *restrict g, float *restrict m, float *restrict v, long n,
                 float stepSize, float root2, float b1, float b2, float eps, float wd) {
  float keep1 = 1 - b1, keep2 = 1 - b2;
  for (long i = 0; i < n; i++) {
    float gi = g[i] + wd * p[i];
    float mi = b1 * m[i] + keep1 * gi;
    float vi = b2 * v[i] + keep2 * (gi * gi);
    m[i] = mi;
    v[i] = vi;
    p[i] -= stepSize * (mi / (sqrtf(vi) / root2 + eps));
  }
}

void nntop_adam(float *p, const float *g, float *m, float *v, long n, float stepSize, float root2, float b1,
                float b2, float eps, float wd) {
  unsigned saved = nntop_flush_subnormals_begin();
  adam(p, g, m, v, n, stepSize, root2, b1, b2, eps, wd);
  nntop_flush_subnormals_end(saved);
}

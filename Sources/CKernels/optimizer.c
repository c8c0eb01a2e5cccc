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

/* Sixteen running sums, lane j taking elements 16k + j, added up in lane order at the end, then
   the tail: the one summation order that `nntop_sum_squares` and the fused update share. */
#define NNTOP_LANES 16

static inline float lanes_total(const float acc[NNTOP_LANES]) {
  float total = 0;
  for (int j = 0; j < NNTOP_LANES; j++) total += acc[j];
  return total;
}

NNTOP_CLONES
static float sum_squares(const float *restrict x, long n) {
  float acc[NNTOP_LANES] = {0};
  long i = 0;
  for (; i + NNTOP_LANES <= n; i += NNTOP_LANES)
    for (int j = 0; j < NNTOP_LANES; j++) acc[j] += x[i + j] * x[i + j];
  float total = lanes_total(acc);
  for (; i < n; i++) total += x[i] * x[i];
  return total;
}

float nntop_sum_squares(const float *x, long n) { return sum_squares(x, n); }

NNTOP_CLONES
static float sgd_momentum_sum_squares(float *restrict p, const float *restrict g, float *restrict m, long n,
                                      float lr, float mu, float wd) {
  float acc[NNTOP_LANES] = {0};
  long i = 0;
  for (; i + NNTOP_LANES <= n; i += NNTOP_LANES) {
    for (int j = 0; j < NNTOP_LANES; j++) {
      float gi = g[i + j];
      acc[j] += gi * gi;
      float b = mu * m[i + j] + (gi + wd * p[i + j]);
      m[i + j] = b;
      p[i + j] -= lr * b;
    }
  }
  float total = lanes_total(acc);
  for (; i < n; i++) {
    float gi = g[i];
    total += gi * gi;
    float b = mu * m[i] + (gi + wd * p[i]);
    m[i] = b;
    p[i] -= lr * b;
  }
  return total;
}

float nntop_sgd_momentum_sum_squares(float *p, const float *g, float *m, long n, float lr, float mu, float wd) {
  unsigned saved = nntop_flush_subnormals_begin();
  float total = sgd_momentum_sum_squares(p, g, m, n, lr, mu, wd);
  nntop_flush_subnormals_end(saved);
  return total;
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

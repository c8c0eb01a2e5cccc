#include "CKernels.h"

#pragma clang fp contract(off)

#if defined(__x86_64__) && defined(__clang__)
#define NNTOP_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define NNTOP_CLONES
#endif

NNTOP_CLONES
void nntop_sgd_momentum(float *restrict p, const float *restrict g, float *restrict m, long n,
                        float lr, float mu, float wd) {
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

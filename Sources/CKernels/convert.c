#include "CKernels.h"

#if defined(__x86_64__) && defined(__clang__)
#define NNTOP_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define NNTOP_CLONES
#endif

NNTOP_CLONES
void nntop_bytes_to_floats(const uint8_t *restrict source, float *restrict out, long count, float scale) {
  for (long i = 0; i < count; i++) out[i] = (float)source[i] * scale;
}

/* The SGD-with-momentum update's floor: the time one step's update takes on its own, for the
   MNIST recipe's 235 146 parameters (one core's share at one thread) or 117 573 (two threads),
   with the gradient in a small buffer as nntop makes it, and `EVICT_MB` of other data touched
   before each update, as a step's matrix products touch theirs. It bounds how close a step that
   must update float32 weights and momentum can come to the GEMM-only ceiling
   (docs/performance.md, "The update's floor").

   cc -O3 -march=native -o /tmp/update_floor scripts/update_floor.c
   /tmp/update_floor EVICT_MB PARAMETERS          e.g. /tmp/update_floor 4 235146 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#pragma clang fp contract(off)

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

/* nntop's fused update: momentum, weights and the gradient's sum of squares in one pass. */
static float update(float *restrict p, const float *restrict g, float *restrict m, long n, float lr, float mu) {
  float acc[16] = {0};
  for (long i = 0; i + 16 <= n; i += 16)
    for (int j = 0; j < 16; j++) {
      float gi = g[i + j];
      acc[j] += gi * gi;
      float b = mu * m[i + j] + gi;
      m[i + j] = b;
      p[i + j] -= lr * b;
    }
  float total = 0;
  for (int j = 0; j < 16; j++) total += acc[j];
  return total;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: update_floor EVICT_MB PARAMETERS\n");
    return 64;
  }
  long evict = atol(argv[1]) * 1024 * 1024 / 4, n = atol(argv[2]), block = 53248;
  float *p = aligned_alloc(64, (n + 16) * 4), *m = aligned_alloc(64, (n + 16) * 4);
  float *g = aligned_alloc(64, block * 4), *other = aligned_alloc(64, (evict + 16) * 4);
  if (!p || !m || !g || !other) return 1;
  for (long i = 0; i < n; i++) p[i] = 1e-3f * (i % 100), m[i] = 0;
  for (long i = 0; i < block; i++) g[i] = 1e-4f;
  memset(other, 0, (evict + 16) * 4);
  double best = 1e9, total = 0;
  float sink = 0;
  const int rounds = 400;
  for (int r = 0; r < rounds; r++) {
    for (long i = 0; i < evict; i += 16) other[i] += 1;
    double start = seconds();
    for (long offset = 0; offset < n; offset += block)
      sink += update(p + offset, g, m + offset, n - offset < block ? n - offset : block, 0.05f, 0.9f);
    double t = seconds() - start;
    total += t;
    if (t < best) best = t;
  }
  printf("{\"evict_mb\": %s, \"parameters\": %ld, \"best_us\": %.1f, \"mean_us\": %.1f, \"sink\": %g}\n",
         argv[1], n, best * 1e6, total / rounds * 1e6, sink);
  return 0;
}

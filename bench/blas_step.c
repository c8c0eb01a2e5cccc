/* The matrix products of one nntop training step (784-256-128-10, batch 128), timed with any
   CBLAS: used to choose the BLAS (docs/decisions.md). Same shapes, order and replica split as
   `nntop bench --ceiling`: at 2 threads, two threads each run the products of 64 rows with a
   single-threaded BLAS. Run it with the library's thread variables set to 1, e.g.
     cc -O2 bench/blas_step.c -o /tmp/blas_step -lopenblas -lpthread
     OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 BLIS_NUM_THREADS=1 /tmp/blas_step 2
   Prints the best of 5 rounds of 0.5 s as samples per second. */
#include <cblas.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { LAYERS = 3, BATCH = 128 };
static const int sizes[LAYERS + 1] = {784, 256, 128, 10};

typedef struct {
  int rows;
  float *input, *weights[LAYERS], *outputs[LAYERS], *deltas[LAYERS], *gradients[LAYERS];
  long steps;
  pthread_barrier_t *start;
  volatile int *stop;
} Replica;

static float *filled(size_t count) {
  float *p = malloc(count * sizeof(float));
  if (!p) { perror("malloc"); exit(1); }
  for (size_t i = 0; i < count; i++) p[i] = 0.01f;
  return p;
}

static void step(Replica *r) {
  for (int l = 0; l < LAYERS; l++) {
    const float *source = l == 0 ? r->input : r->outputs[l - 1];
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, r->rows, sizes[l + 1], sizes[l], 1,
                source, sizes[l], r->weights[l], sizes[l + 1], 0, r->outputs[l], sizes[l + 1]);
  }
  for (int l = LAYERS - 1; l >= 0; l--) {
    const float *source = l == 0 ? r->input : r->outputs[l - 1];
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, sizes[l], sizes[l + 1], r->rows, 1,
                source, sizes[l], r->deltas[l], sizes[l + 1], 0, r->gradients[l], sizes[l + 1]);
    if (l > 0)
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, r->rows, sizes[l], sizes[l + 1], 1,
                  r->deltas[l], sizes[l + 1], r->weights[l], sizes[l + 1], 0, r->deltas[l - 1],
                  sizes[l]);
  }
}

static void *run(void *arg) {
  Replica *r = arg;
  pthread_barrier_wait(r->start);
  while (!*r->stop) { step(r); r->steps++; }
  return NULL;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  if (threads < 1 || threads > 16) { fprintf(stderr, "blas_step: threads 1-16\n"); return 2; }
  Replica replicas[16];
  for (int k = 0; k < threads; k++) {
    Replica *r = &replicas[k];
    r->rows = (BATCH + threads - 1) / threads;
    r->input = filled((size_t)r->rows * sizes[0]);
    for (int l = 0; l < LAYERS; l++) {
      r->weights[l] = filled((size_t)sizes[l] * sizes[l + 1]);
      r->outputs[l] = filled((size_t)r->rows * sizes[l + 1]);
      r->deltas[l] = filled((size_t)r->rows * sizes[l + 1]);
      r->gradients[l] = filled((size_t)sizes[l] * sizes[l + 1]);
    }
    for (int i = 0; i < 20; i++) step(r);
  }
  double best = 0;
  for (int round = 0; round < 5; round++) {
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, threads + 1);
    volatile int stop = 0;
    pthread_t ids[16];
    for (int k = 0; k < threads; k++) {
      replicas[k].steps = 0;
      replicas[k].start = &start;
      replicas[k].stop = &stop;
      pthread_create(&ids[k], NULL, run, &replicas[k]);
    }
    pthread_barrier_wait(&start);
    double t0 = now();
    while (now() - t0 < 0.5) {
      struct timespec pause = {0, 10000000};
      nanosleep(&pause, NULL);
    }
    stop = 1;
    double elapsed = now() - t0;
    long slowest = -1;
    for (int k = 0; k < threads; k++) {
      pthread_join(ids[k], NULL);
      if (slowest < 0 || replicas[k].steps < slowest) slowest = replicas[k].steps;
    }
    pthread_barrier_destroy(&start);
    double rate = slowest * BATCH / elapsed;
    if (rate > best) best = rate;
  }
  printf("%.0f\n", best);
  return 0;
}

#ifndef NNTOP_CKERNELS_H
#define NNTOP_CKERNELS_H
#include <stddef.h>

/* Asks the CPU to start loading `bytes` bytes at `address` into its caches, one request per
   64-byte line, without waiting. Swift has no prefetch of its own; the training loop uses this
   to fetch the next batch's rows while the current batch computes. */
void nntop_prefetch(const void *address, size_t bytes);

#endif

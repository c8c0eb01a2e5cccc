#include "CKernels.h"

void nntop_prefetch(const void *address, size_t bytes) {
  const char *p = (const char *)address;
  for (size_t offset = 0; offset < bytes; offset += 64) {
    __builtin_prefetch(p + offset, 0, 2);
  }
  if (bytes > 0) __builtin_prefetch(p + bytes - 1, 0, 2);
}

#ifndef NNTOP_CZLIB_SHIM_H
#define NNTOP_CZLIB_SHIM_H
#include <zlib.h>

/* inflateInit2 is a macro; Swift can only call functions. 16 + MAX_WBITS selects gzip framing. */
static inline int nntop_inflate_init_gzip(z_stream *stream) {
  return inflateInit2(stream, 16 + MAX_WBITS);
}
#endif

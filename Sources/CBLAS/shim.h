#ifndef NNTOP_CBLAS_SHIM_H
#define NNTOP_CBLAS_SHIM_H
#include <cblas.h>

/* OpenBLAS threading controls; declared here so Swift sees them even when cblas.h hides them. */
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
/* The kernel family OpenBLAS chose for this CPU at load time ("Haswell", "SkylakeX", "Prescott"…). */
char* openblas_get_corename(void);
#endif

/*
 * blas.h
 *	  The BLAS routines the core calls, bound at run time by help_blas_open.
 *
 * OpenBLAS picks its kernels when it is loaded, from the CPU model.  The
 * release in Debian 12 (0.3.21) does not know CPUs newer than itself and then
 * falls back to its SSE3 kernels (it reports "Prescott"), about three times
 * slower than its AVX-512 ones on such a CPU.  Opening OpenBLAS ourselves lets
 * us name the kernel by instruction set first (OPENBLAS_CORETYPE), unless the
 * user has named one.
 */
#ifndef HELP_BLAS_H
#define HELP_BLAS_H

#include <stdbool.h>
#include <stddef.h>

#include <cblas.h>

extern __typeof__(cblas_sgemm) *help_sgemm;
extern __typeof__(cblas_sgemv) *help_sgemv;
extern __typeof__(cblas_saxpy) *help_saxpy;
extern __typeof__(openblas_set_num_threads) *help_blas_set_threads;

/* Open OpenBLAS and bind the routines above; false with a message in err on failure. */
extern bool help_blas_open(char *err, size_t errlen);

/* OpenBLAS's name for the kernel it runs ("SkylakeX", "Haswell", ...), after help_blas_open. */
extern const char *help_blas_kernel(void);

#endif							/* HELP_BLAS_H */

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

/*
 * OpenBLAS's working buffers.  Each thread that runs a buffered product
 * maps one buffer (BUFFER_SIZE: 128 MB on x86-64) the first time, keeps it
 * for the life of the process, and when the map fails it retries forever
 * (blas_memory_alloc, 0.3.21): a backend that reaches its first product
 * short of address space spins where no cancel or terminate reaches it.
 * So the buffers are made to exist before anything needs them, and only
 * after a trial map of the same size says there is room; short of room,
 * the caller gets false and a message to raise as an out-of-memory ERROR.
 *
 * help_blas_reserve: the calling thread's buffer (once per process).
 * help_blas_can_use_threads: whether OpenBLAS can start the threads that
 * running on `threads` threads needs (each maps its buffer and a stack).
 * help_blas_use_threads: run on `threads` threads from now on; call it
 * after help_blas_can_use_threads said yes.
 */
#define HELP_BLAS_BUFFER_BYTES ((size_t) 128 << 20)
extern bool help_blas_reserve(char *err, size_t errlen);
extern bool help_blas_can_use_threads(int threads, char *err, size_t errlen);
extern void help_blas_use_threads(int threads);

#endif							/* HELP_BLAS_H */

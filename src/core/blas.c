/*
 * blas.c
 *	  Open OpenBLAS at run time, with its kernel chosen by instruction set,
 *	  and map its working buffers before anything needs them.
 */
#include "blas.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* The shared library libopenblas-dev links against (its soname). */
#define HELP_BLAS_LIBRARY "libopenblas.so.0"

__typeof__(cblas_sgemm) *help_sgemm;
__typeof__(cblas_sgemv) *help_sgemv;
__typeof__(cblas_saxpy) *help_saxpy;
__typeof__(openblas_set_num_threads) *help_blas_set_threads;
static __typeof__(openblas_get_corename) *blas_corename;

/*
 * The OpenBLAS kernel family for this CPU's instruction set, or NULL to leave
 * the choice to OpenBLAS (always, off x86-64).  GCC's checks include the
 * operating system's support for the AVX and AVX-512 register state.
 */
static const char *
BlasKernelForCpu(void)
{
#if defined(__x86_64__) && defined(__GNUC__)
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
		__builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
		__builtin_cpu_supports("avx512cd"))
		return "SkylakeX";
	if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
		return "Haswell";
#endif
	return NULL;
}

/* Look up one symbol of the opened library; false with a message if it is missing. */
static bool
BindSymbol(void *lib, const char *name, void **slot, char *err, size_t errlen)
{
	*slot = dlsym(lib, name);
	if (*slot == NULL)
	{
		snprintf(err, errlen, "%s has no symbol %s", HELP_BLAS_LIBRARY, name);
		return false;
	}
	return true;
}

/* Set an environment variable for the load unless the user has set it; true if set. */
static bool
SetForLoad(const char *name, const char *value)
{
	if (value == NULL || getenv(name) != NULL)
		return false;
	setenv(name, value, 1);
	return true;
}

/*
 * Open OpenBLAS (once per process) and bind the routines.  Unless the user
 * has set them, OPENBLAS_CORETYPE names the kernel for this CPU and
 * OPENBLAS_NUM_THREADS=1 keeps OpenBLAS from starting a thread pool that
 * every caller here pins to one thread anyway (help_blas_set_threads grows
 * it when asked); both only while the library loads.
 */
bool
help_blas_open(char *err, size_t errlen)
{
	static void *lib;
	bool		set_kernel,
				set_threads;

	if (lib != NULL)
		return true;
	set_kernel = SetForLoad("OPENBLAS_CORETYPE", BlasKernelForCpu());
	set_threads = SetForLoad("OPENBLAS_NUM_THREADS", "1");
	lib = dlopen(HELP_BLAS_LIBRARY, RTLD_NOW | RTLD_LOCAL);
	if (set_kernel)
		unsetenv("OPENBLAS_CORETYPE");
	if (set_threads)
		unsetenv("OPENBLAS_NUM_THREADS");
	if (lib == NULL)
	{
		snprintf(err, errlen, "could not load %s: %s", HELP_BLAS_LIBRARY, dlerror());
		return false;
	}
	if (!BindSymbol(lib, "cblas_sgemm", (void **) &help_sgemm, err, errlen) ||
		!BindSymbol(lib, "cblas_sgemv", (void **) &help_sgemv, err, errlen) ||
		!BindSymbol(lib, "cblas_saxpy", (void **) &help_saxpy, err, errlen) ||
		!BindSymbol(lib, "openblas_set_num_threads", (void **) &help_blas_set_threads, err, errlen) ||
		!BindSymbol(lib, "openblas_get_corename", (void **) &blas_corename, err, errlen))
	{
		dlclose(lib);
		lib = NULL;
		return false;
	}
	return true;
}

/* OpenBLAS's name for its kernel. */
const char *
help_blas_kernel(void)
{
	return blas_corename != NULL ? blas_corename() : "not loaded";
}

/*
 * A thread's share of the address space: its buffer plus room for its stack
 * and OpenBLAS's bookkeeping (an extra thread took 139 MB in a trial on
 * x86-64: 128 MB of buffer, an 8 MB stack and some pages).
 */
#define BLAS_THREAD_BYTES (HELP_BLAS_BUFFER_BYTES + ((size_t) 16 << 20))

static bool blas_reserved;		/* the calling thread's buffer is mapped */
static int	blas_pool_threads = 1;	/* threads OpenBLAS has started, + 1 */

/*
 * Whether bytes of address space can be mapped now: a trial map of the
 * same kind OpenBLAS makes (private, anonymous), unmapped at once.
 */
static bool
TrialMap(size_t bytes, const char *what, char *err, size_t errlen)
{
	void	   *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
						 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
	{
		snprintf(err, errlen, "cannot map %zu MB for %s: %s", bytes >> 20, what,
				 strerror(errno));
		return false;
	}
	munmap(p, bytes);
	return true;
}

/* See blas.h. */
bool
help_blas_reserve(char *err, size_t errlen)
{
	enum
	{
		N = 128					/* above every kernel's small-matrix path */
	};
	float	   *a;

	if (blas_reserved)
		return true;
	if (!TrialMap(HELP_BLAS_BUFFER_BYTES + ((size_t) 1 << 20), "OpenBLAS's working buffer",
				  err, errlen))
		return false;

	/*
	 * One product of three 128 x 128 matrices, which every kernel runs
	 * through its buffered path (the SkylakeX kernel keeps products up to
	 * 100^3 off it): OpenBLAS maps the buffer now, while there is room.
	 */
	a = calloc((size_t) 3 * N * N, sizeof(float));
	if (a == NULL)
	{
		snprintf(err, errlen, "out of memory before mapping OpenBLAS's working buffer");
		return false;
	}
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, N, N, 1.0f, a, N,
			   a + N * N, N, 0.0f, a + 2 * N * N, N);
	free(a);
	blas_reserved = true;
	return true;
}

/* See blas.h. */
bool
help_blas_can_use_threads(int threads, char *err, size_t errlen)
{
	if (threads <= blas_pool_threads)
		return true;
	return TrialMap(BLAS_THREAD_BYTES * (size_t) (threads - blas_pool_threads),
					"OpenBLAS's threads and their working buffers", err, errlen);
}

/* See blas.h.  OpenBLAS starts the missing threads here; each maps its buffer. */
void
help_blas_use_threads(int threads)
{
	help_blas_set_threads(threads);
	if (threads > blas_pool_threads)
		blas_pool_threads = threads;
}

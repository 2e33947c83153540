/*
 * help.c
 *	  Module entry: the magic block, settings, and loading and pinning OpenBLAS.
 */
#include "help.h"

#include <limits.h>
#include <unistd.h>

#include "adapted_cache.h"
#include "blas.h"

#include "utils/guc.h"

PG_MODULE_MAGIC;

/* help.blas_threads: OpenBLAS threads inside a backend (1 by default). */
static int	help_blas_threads = 1;

/* help.blas_kernel (read only): the OpenBLAS kernel in use, e.g. "SkylakeX". */
static char *help_blas_kernel_name;

/*
 * help.blas_threads may only grow when OpenBLAS has room for the threads it
 * starts (each maps a 128 MB buffer, and retries forever when it cannot):
 * short of room, SET fails with an out-of-memory error instead.
 */
static bool
CheckBlasThreads(int *newval, void **extra, GucSource source)
{
	char		err[256];

	if (help_blas_can_use_threads(*newval, err, sizeof(err)))
		return true;
	GUC_check_errcode(ERRCODE_OUT_OF_MEMORY);
	GUC_check_errmsg("help.blas_threads cannot be raised to %d", *newval);
	GUC_check_errdetail("%s.", err);
	return false;
}

static void
AssignBlasThreads(int newval, void *extra)
{
	help_blas_use_threads(newval);
}

void		_PG_init(void);

/*
 * Load-time set-up: open OpenBLAS with the kernel for this CPU (blas.h says
 * why) and map its working buffer, define settings, pin OpenBLAS, route
 * core allocations to palloc and the core's interrupt checks to
 * CHECK_FOR_INTERRUPTS().
 */
void
_PG_init(void)
{
	char		err[256];
	long		cores = sysconf(_SC_NPROCESSORS_ONLN);

	if (!help_blas_open(err, sizeof(err)))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FILE),
				 errmsg("help: %s", err),
				 errhint("Install OpenBLAS (Debian package libopenblas0).")));

	/*
	 * Before any setting is defined, so that a load that fails here can
	 * simply be tried again by the next call.
	 */
	if (!help_blas_reserve(err, sizeof(err)))
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("help: %s", err),
				 errdetail("OpenBLAS maps its working buffer once per backend, before the first product.")));

	/*
	 * Superuser only, and at most one thread per core: more threads than
	 * cores only slow every backend down (64 took 3 times as long on 2
	 * cores), and each thread maps its own 128 MB buffer.
	 */
	DefineCustomIntVariable("help.blas_threads",
							"Number of OpenBLAS threads a backend uses.",
							"One by default, so that a query does not compete with other backends for cores; at most the number of cores.",
							&help_blas_threads,
							1, 1, (int) Max(1, Min(cores, 64)),
							PGC_SUSET, 0,
							CheckBlasThreads, AssignBlasThreads, NULL);
	DefineCustomStringVariable("help.blas_kernel",
							   "The OpenBLAS kernel this backend runs (read only).",
							   "Chosen by instruction set unless OPENBLAS_CORETYPE is set in the server's environment.",
							   &help_blas_kernel_name,
							   help_blas_kernel(),
							   PGC_INTERNAL, GUC_NOT_IN_SAMPLE | GUC_DISALLOW_IN_FILE,
							   NULL, NULL, NULL);
	DefineCustomIntVariable("help.adapted_cache_size",
							"Memory for the adapted predictors a backend keeps between queries.",
							"Predicting with an adapted predictor first rebuilds its adapted state, once per query unless it is kept here; a state larger than this is rebuilt by every query.",
							&help_adapted_cache_kb,
							64 * 1024, 0, MAX_KILOBYTES,
							PGC_USERSET, GUC_UNIT_KB,
							NULL, NULL, NULL);
	MarkGUCPrefixReserved("help");
	help_install_allocator();
	help_install_interrupt_hook();
}

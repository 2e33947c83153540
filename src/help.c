/*
 * help.c
 *	  Module entry: the magic block, settings, and loading and pinning OpenBLAS.
 */
#include "help.h"

#include "blas.h"

#include "utils/guc.h"

PG_MODULE_MAGIC;

/* help.blas_threads: OpenBLAS threads inside a backend (1 by default). */
static int	help_blas_threads = 1;

/* help.blas_kernel (read only): the OpenBLAS kernel in use, e.g. "SkylakeX". */
static char *help_blas_kernel_name;

static void
AssignBlasThreads(int newval, void *extra)
{
	help_blas_set_threads(newval);
}

void		_PG_init(void);

/*
 * Load-time set-up: open OpenBLAS with the kernel for this CPU (blas.h says
 * why), define settings, pin OpenBLAS, route core allocations to palloc
 * and the core's interrupt checks to CHECK_FOR_INTERRUPTS().
 */
void
_PG_init(void)
{
	char		err[256];

	if (!help_blas_open(err, sizeof(err)))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FILE),
				 errmsg("help: %s", err),
				 errhint("Install OpenBLAS (Debian package libopenblas0).")));
	DefineCustomIntVariable("help.blas_threads",
							"Number of OpenBLAS threads a backend uses.",
							"One by default, so that a query does not compete with other backends for cores.",
							&help_blas_threads,
							1, 1, 64,
							PGC_USERSET, 0,
							NULL, AssignBlasThreads, NULL);
	DefineCustomStringVariable("help.blas_kernel",
							   "The OpenBLAS kernel this backend runs (read only).",
							   "Chosen by instruction set unless OPENBLAS_CORETYPE is set in the server's environment.",
							   &help_blas_kernel_name,
							   help_blas_kernel(),
							   PGC_INTERNAL, GUC_NOT_IN_SAMPLE | GUC_DISALLOW_IN_FILE,
							   NULL, NULL, NULL);
	MarkGUCPrefixReserved("help");
	help_blas_set_threads(help_blas_threads);
	help_install_allocator();
	help_install_interrupt_hook();
}

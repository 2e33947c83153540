/*
 * help.c
 *	  Module entry: the magic block, settings, and OpenBLAS pinning.
 */
#include "help.h"

#include <cblas.h>

#include "utils/guc.h"

PG_MODULE_MAGIC;

/* help.blas_threads: OpenBLAS threads inside a backend (1 by default). */
static int	help_blas_threads = 1;

static void
assign_blas_threads(int newval, void *extra)
{
	openblas_set_num_threads(newval);
}

void		_PG_init(void);

/* Load-time set-up: define settings, pin OpenBLAS, route core allocations to palloc. */
void
_PG_init(void)
{
	DefineCustomIntVariable("help.blas_threads",
							"Number of OpenBLAS threads a backend uses.",
							"One by default, so that a query does not compete with other backends for cores.",
							&help_blas_threads,
							1, 1, 64,
							PGC_USERSET, 0,
							NULL, assign_blas_threads, NULL);
	MarkGUCPrefixReserved("help");
	openblas_set_num_threads(help_blas_threads);
	help_install_allocator();
}

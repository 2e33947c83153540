/*
 * pg_shim.h
 *	  The stand-in server of the fuzz targets (pg_shim.c).
 */
#ifndef HELP_PG_SHIM_H
#define HELP_PG_SHIM_H

/* The message and detail of the last ERROR. */
extern const char *help_shim_last_error(void);

/* Free everything palloc'd since the last reset. */
extern void help_shim_reset(void);

/*
 * fn(arg), with an ERROR caught as the server's error handling would:
 * returns 0, or the error's SQLSTATE (as MAKE_SQLSTATE gives it).
 */
extern int	help_shim_guarded(void (*fn) (void *), void *arg);

#include "fuzz_require.h"

#endif							/* HELP_PG_SHIM_H */

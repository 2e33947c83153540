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

/* Crash (for the fuzzer to report) when a property does not hold. */
#define FUZZ_REQUIRE(cond) \
	do { \
		if (!(cond)) \
		{ \
			fprintf(stderr, "property failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
			abort(); \
		} \
	} while (0)

#endif							/* HELP_PG_SHIM_H */

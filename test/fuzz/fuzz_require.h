/*
 * fuzz_require.h
 *	  The fuzz targets' property check: a crash the fuzzer reports, with the
 *	  property that failed.
 */
#ifndef HELP_FUZZ_REQUIRE_H
#define HELP_FUZZ_REQUIRE_H

#include <stdio.h>
#include <stdlib.h>

#define FUZZ_REQUIRE(cond) \
	do { \
		if (!(cond)) \
		{ \
			fprintf(stderr, "property failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
			abort(); \
		} \
	} while (0)

#endif							/* HELP_FUZZ_REQUIRE_H */

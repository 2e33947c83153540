/*
 * bench_clock.h
 *	  Clocks for the standalone benchmarks.
 */
#ifndef HELP_BENCH_CLOCK_H
#define HELP_BENCH_CLOCK_H

#include <time.h>

/* Seconds on a clock: CLOCK_MONOTONIC (wall) or CLOCK_PROCESS_CPUTIME_ID. */
static inline double
clock_seconds(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

#endif							/* HELP_BENCH_CLOCK_H */

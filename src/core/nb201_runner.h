/*
 * nb201_runner.h
 *	  Measure the latency of a NAS-Bench-201 cell's network on this machine:
 *	  warm-up, timed passes spread over time, the median of the quiet ones.
 *
 * The machine is assumed shared (the 2-core virtual machine this was
 * written on ran other people's benchmarks, fuzzers and tests meanwhile,
 * at a load of 2 to 5).  There a forward pass's wall-clock time varies by
 * 40 % and more with what else runs, for two reasons:
 *
 *  - other processes take the core during the pass (two thirds of the
 *    passes were switched out at least once while another job ran two
 *    threads).  The thread's CPU time does not count that, and for a
 *    single-threaded pass that never waits for anything, CPU time is the
 *    latency the pass has on a core of its own.  So passes are timed by
 *    CLOCK_THREAD_CPUTIME_ID (the median of 20 passes' wall-clock times
 *    gave a Spearman of 0.82 between two measurements of 100 cells, their
 *    CPU times 0.96);
 *  - other work slows the core down without taking it (the other virtual
 *    CPU, the host): passes then take 30-50 % more CPU time, in spells
 *    from a few milliseconds to seconds.
 *
 * A pass counts as quiet when it is within HELP_QUIET_TOLERANCE of the
 * fastest pass of the measurement; the latency is the median of the quiet
 * passes.  Passes one after another fall into one spell together, so
 * between timed passes the runner pauses HELP_RUNNER_PAUSE_MS (sleeping,
 * which costs the machine nothing) and runs one untimed pass to bring the
 * caches back: `runs` quiet passes then span a spell or more.  It stops
 * when `runs` passes are quiet or it has timed HELP_RUNNER_ATTEMPTS times
 * `runs`.  Measured on 100 random cells twice, at a load of 4: 0.946
 * Spearman between the two measurements (0.929 without the untimed pass,
 * 0.888 without the pauses).  A probe (a fixed convolution timed between
 * passes, to wait for quiet moments machine-wide) did worse at that load:
 * quiet moments hardly came.
 *
 * The machine's speed also drifts over minutes: the same cell took 2.8 ms
 * at one moment and 4.7-4.9 ms a quarter of an hour later, the machine
 * idle both times.  Over 150 cells measured twice, with a probe cell
 * measured before and after each: 0.958 Spearman idle, 0.995 while the
 * other core ran a fuzzer all along (slower but steady); dividing by the
 * probe made it worse idle (0.954: the probe's own noise adds to the
 * cell's).  So repeatability is the machine's more than the runner's;
 * bench/host reports it.
 */
#ifndef HELP_NB201_RUNNER_H
#define HELP_NB201_RUNNER_H

#include "help_core.h"

#include <stdbool.h>

#define HELP_RUNNER_MAX_BATCH 64
#define HELP_RUNNER_MAX_RUNS 1000

/* The seed of every network's weights and input: a cell's network is always the same. */
#define HELP_RUNNER_SEED 201

/* A pass at most this much slower than the fastest counts as quiet. */
#define HELP_QUIET_TOLERANCE 0.05

/* At most this many timed passes per counted one. */
#define HELP_RUNNER_ATTEMPTS 3

/* The pause between timed passes. */
#define HELP_RUNNER_PAUSE_MS 3

/* One measurement (thread CPU time of a forward pass, in ms). */
typedef struct HelpRunnerResult
{
	double		median_ms,		/* the latency: median of the quiet passes */
				min_ms,			/* the fastest timed pass */
				max_ms;			/* the slowest timed pass, quiet or not */
	int			runs;			/* quiet passes, the median's */
	int			disturbed;		/* timed passes that were not quiet */
	int			warmup;			/* warm-up passes before the timed ones */
	bool		quiet;			/* `runs` passes were quiet */
} HelpRunnerResult;

/*
 * Build the network of the cell string `cell` for `batch` images (1 ..
 * HELP_RUNNER_MAX_BATCH), warm it up, and time forward passes until `runs`
 * (1 .. HELP_RUNNER_MAX_RUNS) of them are quiet (see above).  Checks for
 * interrupts between passes and inside them.  Errors: a malformed cell
 * (its parser's), batch or runs out of range (HELP_ERR_VALUE), no memory
 * (HELP_ERR_DATA).
 */
extern HelpStatus help_nb201_measure(const char *cell, int batch, int runs,
									 HelpRunnerResult *result, HelpError *err);

#endif							/* HELP_NB201_RUNNER_H */

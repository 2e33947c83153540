/*
 * nb201_runner.c
 *	  Timing a NAS-Bench-201 network: warm-up, passes spread over time,
 *	  the median of the quiet ones (see nb201_runner.h).
 */
#include "nb201_runner.h"
#include "alloc.h"
#include "encode.h"
#include "nb201_net.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Warm-up: at least this many passes and this many milliseconds. */
#define WARMUP_RUNS 2
#define WARMUP_MS 20.0
#define WARMUP_MAX_RUNS 50

/* Milliseconds on a clock. */
static double
ClockMs(clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

/* One forward pass: the CPU time the calling thread spent on it, in ms. */
static double
TimedPass(HelpNb201Net *net)
{
	double		t0 = ClockMs(CLOCK_THREAD_CPUTIME_ID);

	help_nb201_forward(net, HELP_NB201_BLOCKS);
	return ClockMs(CLOCK_THREAD_CPUTIME_ID) - t0;
}

/*
 * Sleep HELP_RUNNER_PAUSE_MS.  A signal ends it early (nanosleep returns),
 * so a cancel is seen at the next interrupt check without delay.
 */
static void
Pause(void)
{
	struct timespec t = {0, HELP_RUNNER_PAUSE_MS * 1000000L};

	nanosleep(&t, NULL);
}

static int
CompareDoubles(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

/* Of times[0..n), how many are quiet: within the tolerance of the fastest. */
static int
CountQuiet(const double *times, int n, double fastest)
{
	int			quiet = 0;

	for (int i = 0; i < n; i++)
		quiet += times[i] <= fastest * (1.0 + HELP_QUIET_TOLERANCE);
	return quiet;
}

/* See nb201_runner.h. */
HelpStatus
help_nb201_measure(const char *cell, int batch, int runs,
				   HelpRunnerResult *result, HelpError *err)
{
	int			ops[HELP_NB201_EDGES];
	HelpStatus	status;
	HelpNb201Net *net;
	double	   *times;
	int			attempts = HELP_RUNNER_ATTEMPTS * runs,
				timed = 0,
				quiet = 0;
	double		fastest = 0.0,
				start;

	if ((status = help_parse_nb201(cell, ops, err)) != HELP_OK)
		return status;
	if (batch < 1 || batch > HELP_RUNNER_MAX_BATCH)
		return help_set_error(err, HELP_ERR_VALUE, "batch must be between 1 and %d, not %d",
							  HELP_RUNNER_MAX_BATCH, batch);
	if (runs < 1 || runs > HELP_RUNNER_MAX_RUNS)
		return help_set_error(err, HELP_ERR_VALUE, "runs must be between 1 and %d, not %d",
							  HELP_RUNNER_MAX_RUNS, runs);
	memset(result, 0, sizeof(*result));
	net = help_nb201_net_new(ops, batch, HELP_RUNNER_SEED);
	times = help_alloc(sizeof(double) * attempts);
	if (net == NULL || times == NULL)
	{
		help_nb201_net_free(net);
		help_free(times);
		return help_set_error(err, HELP_ERR_DATA, "out of memory for the network of batch %d", batch);
	}

	/*
	 * Warm-up: the first passes fault the buffers in and fill the caches
	 * and OpenBLAS's own buffers; a few passes and 20 ms of them leave the
	 * network as every timed pass finds it.
	 */
	start = ClockMs(CLOCK_MONOTONIC);
	while (result->warmup < WARMUP_MAX_RUNS &&
		   (result->warmup < WARMUP_RUNS || ClockMs(CLOCK_MONOTONIC) - start < WARMUP_MS))
	{
		HELP_CHECK_INTERRUPTS();
		help_nb201_forward(net, HELP_NB201_BLOCKS);
		result->warmup++;
	}

	/*
	 * Timed passes, spread out by a pause and an untimed pass before each
	 * (the pause lets other work evict the network from the caches), until
	 * `runs` are quiet.  A faster pass can make earlier ones no longer
	 * quiet, so the count is taken afresh whenever the fastest changes.
	 */
	while (quiet < runs && timed < attempts)
	{
		double		ms;

		if (timed > 0)
		{
			Pause();
			HELP_CHECK_INTERRUPTS();
			help_nb201_forward(net, HELP_NB201_BLOCKS);
		}
		HELP_CHECK_INTERRUPTS();
		ms = TimedPass(net);
		times[timed++] = ms;
		if (timed == 1 || ms < fastest)
		{
			fastest = ms;
			quiet = CountQuiet(times, timed, fastest);
		}
		else if (ms <= fastest * (1.0 + HELP_QUIET_TOLERANCE))
			quiet++;
	}

	/* the median of the quiet passes: the first `quiet` once sorted */
	qsort(times, timed, sizeof(double), CompareDoubles);
	result->median_ms = quiet % 2 ? times[quiet / 2] : 0.5 * (times[quiet / 2 - 1] + times[quiet / 2]);
	result->min_ms = times[0];
	result->max_ms = times[timed - 1];
	result->runs = quiet;
	result->disturbed = timed - quiet;
	result->quiet = quiet == runs;

	help_free(times);
	help_nb201_net_free(net);
	return HELP_OK;
}

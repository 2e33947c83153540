/*
 * host_core.c
 *	  The NAS-Bench-201 runner without a server: how repeatable its
 *	  measurements are on this machine.
 *
 *	  bench/host_core [--cells N] [--runs N] [--passes P] [--batch B] [--seed S]
 *	                  [--cell CELL] [--verbose]
 *
 * Draws N random cells (default 100, seeded by S, default 1; or the one
 * --cell), then measures each of them P times (default 2) in passes, every
 * pass in its own shuffled order, with help_nb201_measure (--runs runs each,
 * default 20, batch B, default 1) as help_measure_host does inside a
 * backend.  Prints per pass its seconds, how many measurements found quiet
 * moments for all their runs, and the runs thrown away; then the Spearman
 * correlation and the median relative difference between the first two
 * passes (the runner's repeatability), and the OpenBLAS kernel.
 * --verbose: one line per measurement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <math.h>

#include "bench_clock.h"
#include "blas.h"
#include "encode.h"
#include "nb201_runner.h"
#include "rank.h"
#include "rng.h"

static int
CompareDoubles(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	int			cells = 100,
				runs = 20,
				passes = 2,
				batch = 1;
	unsigned long seed = 1;
	const char *one = NULL;
	int			verbose = 0;
	char		errbuf[256];
	char	  (*cell)[HELP_NB201_CELL_MAXLEN];
	double	   *ms;
	int		   *order;
	HelpRng		rng;

	for (int i = 1; i < argc; i++)
	{
		if (strcmp(argv[i], "--cells") == 0 && i + 1 < argc)
			cells = atoi(argv[++i]);
		else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--passes") == 0 && i + 1 < argc)
			passes = atoi(argv[++i]);
		else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc)
			batch = atoi(argv[++i]);
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			seed = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--cell") == 0 && i + 1 < argc)
			one = argv[++i];
		else if (strcmp(argv[i], "--verbose") == 0)
			verbose = 1;
		else
		{
			fprintf(stderr, "usage: %s [--cells N] [--runs N] [--passes P] [--batch B] [--seed S] [--cell CELL] [--verbose]\n", argv[0]);
			return 2;
		}
	}
	if (one != NULL)
		cells = 1;
	if (cells < 1 || passes < 1)
	{
		fprintf(stderr, "--cells and --passes must be at least 1\n");
		return 2;
	}
	if (!help_blas_open(errbuf, sizeof(errbuf)))
	{
		fprintf(stderr, "%s\n", errbuf);
		return 1;
	}
	help_blas_set_threads(1);	/* one thread, as in a backend */

	cell = malloc(sizeof(*cell) * cells);
	ms = malloc(sizeof(double) * cells * passes);
	order = malloc(sizeof(int) * cells);
	help_rng_seed(&rng, seed);
	for (int c = 0; c < cells; c++)
	{
		int			ops[6];

		for (int e = 0; e < 6; e++)
			ops[e] = (int) help_rng_below(&rng, 5);
		if (one != NULL)
			snprintf(cell[c], sizeof(cell[c]), "%s", one);
		else
			help_nb201_cell_string(ops, cell[c], sizeof(cell[c]));
	}

	for (int p = 0; p < passes; p++)
	{
		double		t0 = clock_seconds(CLOCK_MONOTONIC);
		int			all_quiet = 0;
		long		disturbed = 0;

		/* each pass in its own order, so that a slow spell hits other cells each time */
		for (int c = 0; c < cells; c++)
			order[c] = c;
		help_rng_shuffle(&rng, order, cells);
		for (int k = 0; k < cells; k++)
		{
			int			c = order[k];
			HelpRunnerResult r;
			HelpError	err;

			if (help_nb201_measure(cell[c], batch, runs, &r, &err) != HELP_OK)
			{
				fprintf(stderr, "%s: %s\n", cell[c], err.msg);
				return 1;
			}
			ms[p * cells + c] = r.median_ms;
			all_quiet += r.quiet;
			disturbed += r.disturbed;
			if (verbose)
				printf("pass %d cell %s median_ms %.4f min_ms %.4f max_ms %.4f runs %d disturbed %d warmup %d\n",
					   p + 1, cell[c], r.median_ms, r.min_ms, r.max_ms, r.runs, r.disturbed, r.warmup);
		}
		printf("pass %d seconds %.1f quiet %d/%d disturbed_runs %ld\n",
			   p + 1, clock_seconds(CLOCK_MONOTONIC) - t0, all_quiet, cells, disturbed);
	}
	if (passes >= 2 && cells >= 2)
	{
		HelpPair   *pairs = malloc(sizeof(HelpPair) * cells);
		double	   *rel = malloc(sizeof(double) * cells);

		for (int c = 0; c < cells; c++)
		{
			pairs[c].x = ms[c];
			pairs[c].y = ms[cells + c];
			rel[c] = fabs(ms[c] - ms[cells + c]) / ms[cells + c];
		}
		qsort(rel, cells, sizeof(double), CompareDoubles);
		printf("repeatability spearman %.4f median_rel_diff_pct %.2f cells %d runs %d batch %d\n",
			   help_spearman(pairs, cells), 100 * rel[cells / 2], cells, runs, batch);
		free(pairs);
		free(rel);
	}
	printf("blas_kernel %s\n", help_blas_kernel());
	free(cell);
	free(ms);
	free(order);
	return 0;
}

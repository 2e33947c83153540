/*
 * pool.c
 *	  Outlier trimming and hardware embeddings (docs/method.md section 1).
 */
#include "pool.h"

#include "alloc.h"

#include <math.h>
#include <stdlib.h>

/* A measurement's position with its sort keys. */
typedef struct Measured
{
	double		ms;
	int			idx;
	int			pos;
} Measured;

/* By latency, then architecture index. */
static int
ByLatency(const void *a, const void *b)
{
	const Measured *x = a,
			   *y = b;

	if (x->ms != y->ms)
		return x->ms < y->ms ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* By architecture index. */
static int
ByIndex(const void *a, const void *b)
{
	const Measured *x = a,
			   *y = b;

	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* See pool.h. */
int
help_trim_pool(const int *arch_idx, const double *ms, int n, int *keep)
{
	Measured   *m = help_alloc(sizeof(Measured) * (n > 0 ? n : 1));
	int			first = (int) floor(0.1 * n);
	int			end = (int) floor(0.9 * n);

	for (int i = 0; i < n; i++)
	{
		m[i].ms = ms[i];
		m[i].idx = arch_idx[i];
		m[i].pos = i;
	}

	/*
	 * Sorting by latency with ties broken by architecture index makes the kept
	 * set independent of input order; the kept positions are then put back in
	 * index order for the caller.
	 */
	qsort(m, n, sizeof(Measured), ByLatency);
	qsort(m + first, end - first, sizeof(Measured), ByIndex);
	for (int i = first; i < end; i++)
		keep[i - first] = m[i].pos;
	help_free(m);
	return end - first;
}

/* See pool.h. */
HelpStatus
help_hw_embedding(const double *ref_ms, float *hw, HelpError *err)
{
	double		lo = INFINITY,
				hi = -INFINITY;

	/*
	 * Latencies must be positive, finite numbers of milliseconds: anything
	 * else is a measurement error, and an infinite one would turn the scaling
	 * into NaN.
	 */
	for (int i = 0; i < HELP_HW_DIM; i++)
	{
		if (!(ref_ms[i] > 0.0) || !isfinite(ref_ms[i]))
			return help_set_error(err, HELP_ERR_DATA,
								  "the latency on reference architecture %d is %g ms, not a positive number",
								  i + 1, ref_ms[i]);
		lo = fmin(lo, ref_ms[i]);
		hi = fmax(hi, ref_ms[i]);
	}
	if (!(hi > lo))
		return help_set_error(err, HELP_ERR_DATA,
							  "all %d reference latencies are equal (%g ms): they cannot be scaled",
							  HELP_HW_DIM, lo);
	for (int i = 0; i < HELP_HW_DIM; i++)
		hw[i] = (float) ((ref_ms[i] - lo) / (hi - lo));
	return HELP_OK;
}

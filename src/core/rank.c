/*
 * rank.c
 *	  Spearman's rho and Kendall's tau-b in O(n log n).
 */
#include "rank.h"
#include "alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int
ComparePairs(const void *a, const void *b)
{
	const HelpPair *p = a,
			   *q = b;

	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	if (p->y != q->y)
		return p->y < q->y ? -1 : 1;
	return 0;
}

/* A value with its index: the sort key of AverageRanks. */
typedef struct KeyedValue
{
	double		v;
	long		i;
} KeyedValue;

/*
 * By value, ties broken by index, so the order is total and the same on
 * every platform's qsort.  The key travels with the element (no file-level
 * state), so ranking is reentrant and thread safe.
 */
static int
CompareKeyed(const void *a, const void *b)
{
	const KeyedValue *p = a,
			   *q = b;

	if (p->v != q->v)
		return p->v < q->v ? -1 : 1;
	return p->i < q->i ? -1 : (p->i > q->i);
}

/* Average ranks (1-based) of v into rank. */
static void
AverageRanks(const double *v, long n, double *rank)
{
	KeyedValue *order = help_alloc(sizeof(KeyedValue) * n);

	for (long i = 0; i < n; i++)
	{
		order[i].v = v[i];
		order[i].i = i;
	}
	qsort(order, n, sizeof(KeyedValue), CompareKeyed);
	for (long i = 0; i < n;)
	{
		long		j = i;
		double		avg;

		/* a run of ties shares the mean of the ranks it spans */
		while (j + 1 < n && order[j + 1].v == order[i].v)
			j++;
		avg = (i + j) / 2.0 + 1.0;
		for (long k = i; k <= j; k++)
			rank[order[k].i] = avg;
		i = j + 1;
	}
	help_free(order);
}

/* See rank.h. */
double
help_spearman(HelpPair *pairs, long n)
{
	double	   *v,
			   *rx,
			   *ry;
	double		mean = (n + 1) / 2.0,
				sxy = 0.0,
				sxx = 0.0,
				syy = 0.0;

	if (n < 2)
		return NAN;

	/*
	 * Sorting the pairs by (x, y) first fixes the order in which the sums
	 * below add up, so the coefficient is bit for bit the same whatever order
	 * the rows came in (a parallel plan delivers them in any order).
	 */
	qsort(pairs, n, sizeof(HelpPair), ComparePairs);
	v = help_alloc(sizeof(double) * n);
	rx = help_alloc(sizeof(double) * n);
	ry = help_alloc(sizeof(double) * n);
	for (long i = 0; i < n; i++)
		v[i] = pairs[i].x;
	AverageRanks(v, n, rx);
	for (long i = 0; i < n; i++)
		v[i] = pairs[i].y;
	AverageRanks(v, n, ry);
	for (long i = 0; i < n; i++)
	{
		double		dx = rx[i] - mean,
					dy = ry[i] - mean;

		sxy += dx * dy;
		sxx += dx * dx;
		syy += dy * dy;
	}
	help_free(v);
	help_free(rx);
	help_free(ry);
	if (sxx == 0.0 || syy == 0.0)
		return NAN;
	return sxy / sqrt(sxx * syy);
}

/* Merge sort of y counting swaps (discordant pairs). */
static long long
MergeCount(double *y, double *tmp, long n)
{
	long		mid,
				i,
				j,
				k;
	long long	swaps;

	if (n < 2)
		return 0;
	mid = n / 2;
	swaps = MergeCount(y, tmp, mid) + MergeCount(y + mid, tmp, n - mid);
	i = 0;
	j = mid;
	k = 0;
	while (i < mid && j < n)
	{
		/*
		 * y[j] jumps over the mid - i elements left in the first half: each
		 * such pair is out of order. Equal values are not inversions (strict
		 * <), so ties are not counted as discordant.
		 */
		if (y[j] < y[i])
		{
			tmp[k++] = y[j++];
			swaps += mid - i;
		}
		else
			tmp[k++] = y[i++];
	}
	while (i < mid)
		tmp[k++] = y[i++];
	while (j < n)
		tmp[k++] = y[j++];
	memcpy(y, tmp, sizeof(double) * n);
	return swaps;
}

/* Sum of t (t - 1) / 2 over runs of equal values in sorted v. */
static long long
TiedPairs(const double *v, long n)
{
	long long	ties = 0;

	for (long i = 0; i < n;)
	{
		long		j = i + 1;

		while (j < n && v[j] == v[i])
			j++;
		ties += (long long) (j - i) * (j - i - 1) / 2;
		i = j;
	}
	return ties;
}

/* See rank.h (Knight's algorithm, as in scipy.stats.kendalltau). */
double
help_kendall_tau_b(HelpPair *pairs, long n)
{
	double	   *y,
			   *tmp;
	long long	total,
				xtie,
				ytie,
				jointtie = 0,
				dis;
	double		num,
				den;

	if (n < 2)
		return NAN;

	/*
	 * Knight's O(n log n) algorithm: with the pairs sorted by x (ties by y),
	 * the discordant pairs are the inversions of the y sequence, counted by a
	 * merge sort; pairs tied in x, in y or in both are counted from runs of
	 * equal values for the tau-b correction.
	 */
	qsort(pairs, n, sizeof(HelpPair), ComparePairs);
	y = help_alloc(sizeof(double) * n);
	tmp = help_alloc(sizeof(double) * n);
	for (long i = 0; i < n; i++)
		y[i] = pairs[i].x;
	xtie = TiedPairs(y, n);
	for (long i = 0; i < n;)
	{
		long		j = i + 1;

		while (j < n && pairs[j].x == pairs[i].x && pairs[j].y == pairs[i].y)
			j++;
		jointtie += (long long) (j - i) * (j - i - 1) / 2;
		i = j;
	}
	for (long i = 0; i < n; i++)
		y[i] = pairs[i].y;
	dis = MergeCount(y, tmp, n);	/* leaves y sorted */
	ytie = TiedPairs(y, n);
	help_free(y);
	help_free(tmp);

	total = (long long) n * (n - 1) / 2;
	if (xtie == total || ytie == total)
		return NAN;
	num = (double) (total - xtie - ytie + jointtie) - 2.0 * (double) dis;
	den = sqrt((double) (total - xtie) * (double) (total - ytie));
	return num / den;
}

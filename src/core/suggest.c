/*
 * suggest.c
 *	  Greedy choice of the architectures to measure next (see suggest.h).
 */
#include "suggest.h"
#include "alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The fraction of the predicted range cut from each end (section 1 trims 10 %). */
#define TRIM 0.1

/* qsort order of doubles. */
static int
CompareDoubles(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return x < y ? -1 : x > y ? 1 : 0;
}

/*
 * The [TRIM, 1 - TRIM] quantile range of the eligible candidates' scores
 * (index floor(0.1 n) to floor(0.9 n) - 1 of the sorted scores, as the
 * pools are trimmed).
 */
static void
CentralRange(const double *score, const bool *eligible, int m, double *lo, double *hi)
{
	double	   *sorted = help_alloc(sizeof(double) * (m > 0 ? m : 1));
	int			n = 0;

	for (int i = 0; i < m; i++)
		if (eligible[i])
			sorted[n++] = score[i];
	qsort(sorted, n, sizeof(double), CompareDoubles);
	if (n > 0)
	{
		int			first = (int) (TRIM * n),
					last = (int) ((1.0 - TRIM) * n) - 1;

		*lo = sorted[first];
		*hi = sorted[last > first ? last : first];
	}
	else
		*lo = *hi = 0.0;
	help_free(sorted);
}

/* See suggest.h. */
int
help_suggest(HelpSpace space, const HelpTransfer *adapted_model, const float *X,
			 const double *help_ms, const bool *measured, int m, int n, int *chosen)
{
	int			enc_dim = help_space_encoding_dim(space);
	int			d,
				p,
				n_chosen = 0;
	HelpBayesLinear model;
	double	   *rows,
			   *phi,
			   *score = help_alloc(sizeof(double) * (m > 0 ? m : 1));
	bool	   *eligible = help_alloc(sizeof(bool) * (m > 0 ? m : 1));
	double		lo,
				hi;

	/*
	 * The regression rows: the adapted model's own (HELP's prediction and,
	 * for method transfer, the analytic features), or the analytic features
	 * alone under the default prior.
	 */
	if (adapted_model)
		d = adapted_model->model.d;
	else
		d = help_arch_feature_count(space);
	p = d + 1;
	rows = help_alloc(sizeof(double) * (size_t) (m > 0 ? m : 1) * d);
	phi = help_alloc(sizeof(double) * (size_t) (m > 0 ? m : 1) * p);
	for (int i = 0; i < m; i++)
	{
		if (adapted_model)
			help_transfer_row(space, adapted_model->method, X + (size_t) i * enc_dim, help_ms[i],
							  rows + (size_t) i * d);
		else
			help_arch_features(space, X + (size_t) i * enc_dim, rows + (size_t) i * d);
		eligible[i] = !measured[i];
	}

	if (adapted_model)
		model = adapted_model->model;
	else
	{
		int			group[HELP_MAX_ARCH_FEATURES];
		int			n_groups = help_arch_feature_groups(space, group);

		help_bayes_init_prior(&model, rows, m, d, group, n_groups);
	}
	for (int i = 0; i < m; i++)
	{
		double	   *f = phi + (size_t) i * p;

		help_bayes_phi(&model, rows + (size_t) i * d, f);

		/*
		 * What a measurement teaches is judged on the architecture's costs
		 * only: HELP's prediction (feature 1 of an adapted model's rows) is
		 * known for every candidate already, and chasing its extremes picks
		 * cells the costs explain worst (on gold_6240 the intervals then
		 * held 19 % of the query cells instead of 97 %).
		 */
		if (adapted_model)
			f[1] = 0.0;
	}

	/*
	 * Under the default prior the rows measured so far (the reference
	 * architectures) have not entered the posterior yet; an adapted model's
	 * posterior already holds its support set.
	 */
	if (!adapted_model)
		for (int i = 0; i < m; i++)
			if (measured[i])
				help_bayes_observe(&model, phi + (size_t) i * p);

	/*
	 * Eligible: not measured, and in the middle of the predicted range (the
	 * point prediction of the adapted model, or the FLOPs without one).
	 */
	for (int i = 0; i < m; i++)
	{
		if (adapted_model)
		{
			double		sd;

			help_bayes_predict(&model, rows + (size_t) i * d, &score[i], &sd);
		}
		else
			score[i] = rows[(size_t) i * d + help_arch_flops_feature(space)];
	}
	CentralRange(score, eligible, m, &lo, &hi);
	for (int i = 0; i < m; i++)
		eligible[i] = eligible[i] && score[i] >= lo && score[i] <= hi;

	while (n_chosen < n)
	{
		int			best = -1;
		double		best_var = -1.0;

		HELP_CHECK_INTERRUPTS();
		for (int i = 0; i < m; i++)
		{
			double		v;

			if (!eligible[i])
				continue;
			v = help_bayes_mean_variance(&model, phi + (size_t) i * p);
			if (v > best_var)
			{
				best_var = v;
				best = i;
			}
		}
		if (best < 0)
			break;
		chosen[n_chosen++] = best;
		eligible[best] = false;
		help_bayes_observe(&model, phi + (size_t) best * p);
	}

	help_free(rows);
	help_free(phi);
	help_free(score);
	help_free(eligible);
	return n_chosen;
}

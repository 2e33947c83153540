/*
 * evaluate.c
 *	  Adapt, predict, rank: the Spearman figure of one device.
 */
#include "evaluate.h"

#include <math.h>

#include "rank.h"

/* See evaluate.h. */
double
help_device_spearman(const HelpLayout *L, const float *theta, const float *alpha,
					 const float *infer, const float *hw, const float *support_X,
					 const double *support_ms, int n_support, const float *query_X,
					 const double *query_ms, int n_query, const HelpAdaptSpec *spec,
					 HelpError *err)
{
	HelpAdapted *adapted = help_adapt(L, theta, alpha, infer, hw, support_X, support_ms,
									  n_support, spec, err);
	double	   *pred;
	HelpPair   *pairs;
	double		rho;

	if (adapted == NULL)
		return NAN;

	/*
	 * help_adapt leaves a workspace for the support set only; the query pool
	 * is predicted in chunks of a workspace reserved for it.
	 */
	help_adapted_reserve(adapted, n_query);
	pred = help_alloc(sizeof(double) * (n_query > 0 ? n_query : 1));
	pairs = help_alloc(sizeof(HelpPair) * (n_query > 0 ? n_query : 1));
	help_adapted_predict(adapted, query_X, n_query, NULL, pred, NULL, NULL);

	/*
	 * Spearman of predicted against measured latency: only the ranking
	 * matters, so the millisecond map's scale and offset cannot change it.
	 */
	for (int i = 0; i < n_query; i++)
	{
		pairs[i].x = pred[i];
		pairs[i].y = query_ms[i];
	}
	rho = help_spearman(pairs, n_query);
	help_adapted_destroy(adapted);
	help_free(pred);
	help_free(pairs);
	return rho;
}

/*
 * transfer.c
 *	  The regression of measured latencies on HELP's prediction and the
 *	  analytic features, and its predictive distribution (see transfer.h).
 */
#include "transfer.h"
#include "alloc.h"
#include "student_t.h"

#include <math.h>
#include <string.h>

static const char *const MethodNames[] = {"help", "transfer"};

/* See transfer.h. */
const char *
help_adapt_method_name(HelpAdaptMethod method)
{
	return MethodNames[method];
}

/* See transfer.h. */
int
help_adapt_method_from_name(const char *name)
{
	for (int m = 0; m < 2; m++)
		if (strcmp(name, MethodNames[m]) == 0)
			return m;
	return -1;
}

/* See transfer.h. */
int
help_transfer_row(HelpSpace space, HelpAdaptMethod method, const float *x, double help_ms,
				  double *row)
{
	row[0] = help_ms;
	if (method == HELP_METHOD_HELP)
		return 1;
	help_arch_features(space, x, row + 1);
	return 1 + help_arch_feature_count(space);
}

/* See transfer.h. */
HelpStatus
help_transfer_fit(HelpTransfer *t, HelpSpace space, HelpAdaptMethod method,
				  const float *X, const double *help_ms, const double *ms, int n,
				  HelpError *err)
{
	int			enc_dim = help_space_encoding_dim(space);
	int			d = method == HELP_METHOD_HELP ? 1 : 1 + help_arch_feature_count(space);
	int			group[HELP_TRANSFER_MAX_FEATURES];
	int			n_groups = 1;
	double	   *rows = help_alloc(sizeof(double) * n * d);
	double		fastest = ms[0];
	HelpStatus	status;

	memset(t, 0, sizeof(*t));
	t->space = space;
	t->method = method;

	/* HELP's prediction is group 0; the space's feature groups follow it */
	group[0] = 0;
	if (method == HELP_METHOD_TRANSFER)
	{
		int			feature_group[HELP_MAX_ARCH_FEATURES];

		n_groups += help_arch_feature_groups(space, feature_group);
		for (int k = 0; k < d - 1; k++)
			group[k + 1] = feature_group[k] + 1;
	}
	for (int i = 0; i < n; i++)
	{
		help_transfer_row(space, method, X + (size_t) i * enc_dim, help_ms[i], rows + (size_t) i * d);
		fastest = ms[i] < fastest ? ms[i] : fastest;
	}
	t->floor_ms = HELP_TRANSFER_FLOOR * fastest;
	status = help_bayes_fit(&t->model, rows, ms, n, d, group, n_groups, err);
	if (status == HELP_OK)
		help_bayes_calibrate(&t->model, rows, ms);
	help_free(rows);
	return status;
}

/* See transfer.h. */
void
help_transfer_predict(const HelpTransfer *t, const float *X, const double *help_ms, int n,
					  double *mean_ms, double *scale_ms)
{
	int			enc_dim = help_space_encoding_dim(t->space);

	for (int i = 0; i < n; i++)
	{
		double		row[HELP_TRANSFER_MAX_FEATURES],
					mean,
					sd;

		help_transfer_row(t->space, t->method, X + (size_t) i * enc_dim, help_ms[i], row);
		help_bayes_predict(&t->model, row, &mean, &sd);

		/* method help keeps HELP's own prediction as the point */
		if (t->method == HELP_METHOD_HELP)
			mean = help_ms[i];
		else if (!(mean > t->floor_ms))
			mean = t->floor_ms;
		if (mean_ms)
			mean_ms[i] = mean;
		if (scale_ms)
			scale_ms[i] = t->model.kappa * sd;
	}
}

/* See transfer.h. */
double
help_transfer_standard_quantile(const HelpTransfer *t, double q)
{
	return help_student_t_quantile(q, t->model.dof);
}

/* See transfer.h. */
double
help_transfer_quantile_at(const HelpTransfer *t, double mean_ms, double scale_ms, double t_q)
{
	double		v = mean_ms + scale_ms * t_q;

	return v > t->floor_ms ? v : t->floor_ms;
}

/* See transfer.h. */
double
help_transfer_quantile(const HelpTransfer *t, double mean_ms, double scale_ms, double q)
{
	return help_transfer_quantile_at(t, mean_ms, scale_ms, help_transfer_standard_quantile(t, q));
}

/* See transfer.h. */
double
help_transfer_probability_within(const HelpTransfer *t, double mean_ms, double scale_ms,
								 double max_ms)
{
	if (max_ms < t->floor_ms)
		return 0.0;
	return help_student_t_cdf((max_ms - mean_ms) / scale_ms, t->model.dof);
}

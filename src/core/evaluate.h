/*
 * evaluate.h
 *	  docs/method.md section 7 on one device: adapt on a support set, predict
 *	  the query set, and score the ranking by Spearman's rho.  What a
 *	  meta-training run's validation computes per meta-valid device.
 */
#ifndef HELP_EVALUATE_H
#define HELP_EVALUATE_H

#include "adapt.h"

/*
 * Spearman's rho between the adapted predictor's mean predictions for the
 * n_query architectures query_X and their measured latencies query_ms,
 * after adapting theta/alpha/infer to the device (hardware embedding hw)
 * on n_support architectures support_X measured at support_ms, as
 * help_adapt does with spec.  Returns NaN with err set when adaptation
 * fails, NaN without error when rho is undefined (fewer than two query
 * architectures, or constant predictions).
 */
extern double help_device_spearman(const HelpLayout *layout, const float *theta,
								   const float *alpha, const float *infer,
								   const float *hw, const float *support_X,
								   const double *support_ms, int n_support,
								   const float *query_X, const double *query_ms,
								   int n_query, const HelpAdaptSpec *spec,
								   HelpError *err);

#endif							/* HELP_EVALUATE_H */

/*
 * transfer.h
 *	  What an adapted predictor says in milliseconds: the meta-learned
 *	  prediction combined with what the architecture costs (arch_features.h),
 *	  weighted by the device's own measurements, with a calibrated
 *	  predictive distribution.
 *
 * HELP's meta-learned prediction ranks devices like its meta-training
 * devices well and others badly: a predictor meta-trained on phones and
 * CPUs ranks GPUs at 0.3-0.4 Spearman (NASFLAT's task suite).  The support
 * measurements of the new device say which of the architecture's costs the
 * device pays for, so the transfer method regresses the measured latencies
 * on HELP's prediction and the analytic features together
 * (bayes_linear.h): each is a feature group whose weight the evidence of
 * the support set decides, so a device like the training devices keeps
 * HELP's prediction, a GPU at batch 1 is explained by kernel launches and a
 * phone by FLOPs and parameters, from 10-20 measurements.
 *
 * The predictive distribution of a latency is Student's t: location the
 * regression's prediction, scale its cross-validated predictive standard
 * deviation, degrees of freedom from the number of cross-validated
 * residuals (bayes_linear.h).  Intervals and the probability of meeting a
 * budget come from it.
 *
 * Method "help" keeps HELP's own prediction (the min-max map of section 5)
 * as the point prediction, and takes the predictive scale from a regression
 * on HELP's prediction alone, so that predictors adapted that way (and all
 * those stored before the transfer method existed) get intervals too.
 */
#ifndef HELP_TRANSFER_H
#define HELP_TRANSFER_H

#include "arch_features.h"
#include "bayes_linear.h"

#include <stdbool.h>

/* How an adapted predictor turns HELP's prediction into milliseconds. */
typedef enum HelpAdaptMethod
{
	HELP_METHOD_HELP = 0,		/* HELP's prediction, as the paper */
	HELP_METHOD_TRANSFER = 1	/* HELP's prediction and analytic features */
} HelpAdaptMethod;

/* Features of a regression row: HELP's prediction, then the analytic ones. */
#define HELP_TRANSFER_MAX_FEATURES (1 + HELP_MAX_ARCH_FEATURES)

/*
 * Predictions never fall below this fraction of the fastest support
 * latency: a linear model can extrapolate to zero or below for an
 * architecture far outside the support set, and no latency is that small.
 */
#define HELP_TRANSFER_FLOOR 0.1

/* A fitted transfer model; plain data. */
typedef struct HelpTransfer
{
	HelpSpace	space;
	HelpAdaptMethod method;
	HelpBayesLinear model;
	double		floor_ms;
} HelpTransfer;

/* Name of a method ("help", "transfer") and back (-1 if unknown). */
extern const char *help_adapt_method_name(HelpAdaptMethod method);
extern int	help_adapt_method_from_name(const char *name);

/*
 * Fit the transfer model of a device from its n support rows: encodings X,
 * HELP's predictions help_ms and the measured latencies ms; calibrated.
 */
extern HelpStatus help_transfer_fit(HelpTransfer *transfer, HelpSpace space,
									HelpAdaptMethod method, const float *X,
									const double *help_ms, const double *ms, int n,
									HelpError *err);

/*
 * The regression row of an architecture x (HELP's prediction help_ms, then
 * for method transfer its analytic features) into row; returns its width.
 */
extern int	help_transfer_row(HelpSpace space, HelpAdaptMethod method, const float *x,
							  double help_ms, double *row);

/*
 * For n architectures X with HELP's predictions help_ms: the point
 * prediction mean_ms and the scale of the predictive distribution scale_ms
 * (either may be NULL).
 */
extern void help_transfer_predict(const HelpTransfer *transfer, const float *X,
								  const double *help_ms, int n, double *mean_ms,
								  double *scale_ms);

/* The q-quantile (0 < q < 1) of a prediction's distribution, in ms. */
extern double help_transfer_quantile(const HelpTransfer *transfer, double mean_ms,
									 double scale_ms, double q);

/*
 * The same in two steps, for many predictions at one q: the standard
 * quantile t_q of the model's distribution (an iterative computation), then
 * a prediction's quantile mean_ms + scale_ms t_q (floored like every
 * prediction).
 */
extern double help_transfer_standard_quantile(const HelpTransfer *transfer, double q);
extern double help_transfer_quantile_at(const HelpTransfer *transfer, double mean_ms,
										double scale_ms, double t_q);

/* The probability that the latency is at most max_ms. */
extern double help_transfer_probability_within(const HelpTransfer *transfer,
											   double mean_ms, double scale_ms,
											   double max_ms);

#endif							/* HELP_TRANSFER_H */

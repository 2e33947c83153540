/*
 * bayes_linear.h
 *	  Bayesian linear regression with one prior scale per group of
 *	  features, set by maximizing the evidence, and a cross-validated
 *	  calibration of its predictive scale.
 *
 * The model: t = b0 + sum_k w_k z_k + noise, with z the standardized
 * features, w_k ~ N(0, 1 / alpha_g) for the features k of group g,
 * noise ~ N(0, 1 / beta), and an intercept b0 with a flat prior.  alpha and
 * beta are chosen by type-II maximum likelihood with MacKay's fixed-point
 * updates, so a group the data does not support is shrunk to nothing
 * (automatic relevance determination) and the fit needs no tuning.  With
 * d features the work per update is O(d^3), independent of the number of
 * rows, which only enter through the Gram matrix.
 *
 * The evidence picks a noise level that is honest for the rows it fitted
 * but optimistic for new ones when the rows are few, so the predictive
 * scale is calibrated by K-fold cross-validation: each fold is refitted
 * (hyperparameters included) without its rows, and the held-out residuals
 * are divided by their predictive standard deviations.  Latency errors are
 * heavy-tailed (one odd measurement among twenty is common, and phones
 * report whole milliseconds), so those standardized residuals are fitted
 * by a Student's t with HELP_BAYES_DOF degrees of freedom, by maximum
 * likelihood: kappa is its scale.  A single outlier then widens the
 * intervals a little instead of several times, as a root mean square
 * would.  The predictive distribution of a new row is Student's t with
 * dof degrees of freedom, centred on the posterior mean, with scale kappa
 * times the predictive standard deviation.
 */
#ifndef HELP_BAYES_LINEAR_H
#define HELP_BAYES_LINEAR_H

#include "help_core.h"

#define HELP_BAYES_MAX_FEATURES 15
#define HELP_BAYES_MAX_GROUPS HELP_BAYES_MAX_FEATURES
#define HELP_BAYES_MAX_FOLDS 20
/* degrees of freedom of the calibrated predictive distribution */
#define HELP_BAYES_DOF 4

/* A fitted model; plain data, so it is copied by assignment. */
typedef struct HelpBayesLinear
{
	int			d;				/* features */
	int			n_groups;
	int			group[HELP_BAYES_MAX_FEATURES];
	int			n;				/* rows fitted */
	double		x_mean[HELP_BAYES_MAX_FEATURES];
	double		x_scale[HELP_BAYES_MAX_FEATURES];	/* z = (x - mean) / scale */
	double		y_mean,
				y_scale;
	/* posterior over (b0, w) in standardized units: mean and covariance */
	double		m[HELP_BAYES_MAX_FEATURES + 1];
	double		S[(HELP_BAYES_MAX_FEATURES + 1) * (HELP_BAYES_MAX_FEATURES + 1)];
	double		alpha[HELP_BAYES_MAX_GROUPS];	/* prior precision per group */
	double		beta;			/* noise precision */
	/* calibration (help_bayes_calibrate); kappa 1 and dof 0 before it */
	double		kappa;
	int			dof;
} HelpBayesLinear;

/*
 * Fit y (n) on X (n x d, row-major) with features in groups group[k] (0 ..
 * n_groups - 1).  Needs n >= 2 and y not all equal.
 */
extern HelpStatus help_bayes_fit(HelpBayesLinear *model, const double *X, const double *y,
								 int n, int d, const int *group, int n_groups,
								 HelpError *err);

/*
 * Calibrate a model fitted on X, y (the same rows) by K-fold cross-validation
 * with K = min(n, HELP_BAYES_MAX_FOLDS): row i is held out in fold i mod K.
 * Sets kappa and dof (HELP_BAYES_DOF).  With fewer than 3 rows there is
 * nothing to learn from: kappa 1, dof 1 (a Cauchy, as wide as it gets).
 */
extern void help_bayes_calibrate(HelpBayesLinear *model, const double *X, const double *y);

/* Standardized feature vector (1, z_1, ..., z_d) of a raw row x. */
extern void help_bayes_phi(const HelpBayesLinear *model, const double *x, double *phi);

/*
 * Posterior predictive mean and standard deviation (noise included, before
 * calibration) of a raw row x, in y's units.
 */
extern void help_bayes_predict(const HelpBayesLinear *model, const double *x,
							   double *mean, double *sd);

/*
 * A model that has seen no rows: features standardized over the n rows of
 * X (which are not fitted), unit prior precision per group, noise precision
 * 10 (a tenth of the standardized variance), posterior = prior.  For
 * planning measurements before any exist (suggest.h).
 */
extern void help_bayes_init_prior(HelpBayesLinear *model, const double *X, int n, int d,
								  const int *group, int n_groups);

/* phi^T S phi: the posterior variance of a row's mean (standardized units). */
extern double help_bayes_mean_variance(const HelpBayesLinear *model, const double *phi);

/*
 * Update the posterior covariance as if a row phi had been observed (its
 * value does not matter to the covariance); the mean is left as it is.
 */
extern void help_bayes_observe(HelpBayesLinear *model, const double *phi);

#endif							/* HELP_BAYES_LINEAR_H */

/*
 * suggest.h
 *	  Which architectures to measure next on a device: the ones whose
 *	  latency the transfer model (transfer.h) knows least about.
 *
 * The regression of transfer.h is linear in its features, so how much a
 * measurement of an architecture would teach it does not depend on the
 * latency that will be measured: it is the architecture's predictive
 * variance phi^T S phi under the current posterior.  The suggestions are
 * chosen greedily, each the candidate of largest variance, the posterior
 * updated as if it had been measured (a rank-one update), so that they
 * spread over the directions the device's own data has not pinned down yet
 * (NASFLAT's encoding-based samplers pick diverse architectures for the
 * same reason).  Only candidates in the middle of the predicted range (the
 * 10th to 90th percentile) are eligible: the extremes of a search space are
 * where a linear model extrapolates, and a support set spread over the bulk
 * of the space ranks it best (section 1 trims the pools the same way).
 *
 * With an adapted predictor the posterior, scales and feature weights are
 * the device's own.  Without one (nothing measured yet but the reference
 * architectures) the features are standardized over the candidates, every
 * group gets unit prior precision, and the rows marked measured enter the
 * posterior first.
 */
#ifndef HELP_SUGGEST_H
#define HELP_SUGGEST_H

#include "transfer.h"

#include <stdbool.h>

/*
 * Choose up to n of the m architectures X (encodings of space) that are not
 * marked measured, into chosen[] (indices into X, in the order chosen);
 * returns how many were chosen.  adapted_model: the transfer model of an
 * adapted predictor (method transfer or help), with help_ms HELP's
 * predictions of X; or NULL for the default prior (help_ms unused).  Ties
 * go to the lower index, so the result is deterministic.
 */
extern int	help_suggest(HelpSpace space, const HelpTransfer *adapted_model, const float *X,
						 const double *help_ms, const bool *measured, int m, int n, int *chosen);

#endif							/* HELP_SUGGEST_H */

/*
 * adapt.h
 *	  Adaptation of a meta-trained predictor to one device (docs/method.md
 *	  section 5): per modulator draw, Meta-SGD steps on the support set; then
 *	  predictions averaged over the draws and mapped back to milliseconds.
 */
#ifndef HELP_ADAPT_H
#define HELP_ADAPT_H

#include "model.h"
#include "transfer.h"

#include <stdbool.h>

/* What adaptation needs besides the predictor's weights. */
typedef struct HelpAdaptSpec
{
	int			steps;			/* Meta-SGD steps per draw */
	int			mc_samples;		/* z draws */
	uint64_t	seed;
	double		z_scale;		/* c in section 4 */

	/*
	 * Latency normalization range in ms (section 1: the device's typical
	 * range, e.g. its trimmed meta-train pool).  Both 0: calibrate the
	 * support latencies against the meta-trained predictor instead (see
	 * help_support_targets).
	 */
	double		range_lo;
	double		range_hi;

	/*
	 * What the adapted predictor predicts (transfer.h).  Zero, HELP's own
	 * prediction, is what meta-training validates with.
	 */
	HelpAdaptMethod method;
} HelpAdaptSpec;

/*
 * Method transfer runs the Meta-SGD inner loop on at most this many
 * support rows (evenly spaced in the support's order): the meta-trained
 * inner loop learned to adapt from 10, and a device measured on thousands
 * of architectures would otherwise take seconds per draw.  Every support row
 * still enters the millisecond map and the transfer regression.
 */
#define HELP_TRANSFER_INNER_ROWS 200

/*
 * Whether [lo, hi] can be a latency normalization range: finite and
 * 0 < lo < hi.  (Both 0 means none; callers test that first.)
 */
extern bool help_latency_range_valid(double lo, double hi);

/* A predictor adapted to one device: one parameter vector per draw. */
typedef struct HelpAdapted
{
	HelpArena	arena;			/* owns the struct, theta and head_const */
	const HelpLayout *layout;
	int			n_draws;
	float	   *theta;			/* n_draws x n_params */
	float	   *head_const;		/* n_draws x head: help_net_head_constant */
	float		hw[HELP_HW_DIM];
	bool		has_ms_map;		/* false while help_adapt builds the map */
	double		ms_offset;		/* HELP's ms = ms_offset + ms_scale * mean */
	double		ms_scale;
	double		support_pred_min;	/* mean prediction range over the support */
	double		support_pred_max;
	HelpWorkspace *ws;			/* for prediction (help_adapted_reserve); NULL
								 * in a copy kept only to be copied from */
	HelpTransfer transfer;		/* HELP's prediction to the final one */
} HelpAdapted;

/*
 * Normalize latencies (ms) to 0.05 + 0.9 (t - lo) / (hi - lo) with lo, hi
 * their own minimum and maximum.  Fails when they are all equal.
 */
extern HelpStatus help_normalize_latencies(const double *ms, int n, float *y,
										   HelpError *err);

/*
 * The inner loop's targets for support latencies ms.  With a range in spec:
 * 0.05 + 0.9 (t - lo) / (hi - lo).  Without: the least-squares line from ms
 * to the predictions y0 of the meta-trained predictor (modulated with the
 * posterior mean), which puts the targets on the scale the predictor
 * learned; if that line does not rise, the support's own min-max range.
 */
extern HelpStatus help_support_targets(const HelpLayout *layout, const float *theta,
									   const float *infer, const float *hw,
									   const float *X, const double *ms, int n,
									   const HelpAdaptSpec *spec, float *y,
									   HelpWorkspace *ws, HelpError *err);

/* In-place Meta-SGD: theta <- theta - alpha * grad L_support(theta), steps times. */
extern void help_inner_loop(const HelpLayout *layout, float *theta, const float *alpha,
							const float *hw, const float *X, const float *y, int n,
							int steps, float *grad, HelpWorkspace *ws);

/*
 * Adapt to a device: X (n x encoding) with measured latencies ms.  theta,
 * alpha and infer are the meta-trained predictor.  Returns NULL with err
 * set when the support cannot define the millisecond mapping (fewer than
 * two distinct latencies, or predictions that do not vary).
 */
extern HelpAdapted *help_adapt(const HelpLayout *layout, const float *theta,
							   const float *alpha, const float *infer,
							   const float *hw, const float *X, const double *ms,
							   int n, const HelpAdaptSpec *spec, HelpError *err);

extern void help_adapted_destroy(HelpAdapted *adapted);

/*
 * A deep copy of an adapted predictor that refers to layout (an equal
 * layout the caller keeps alive); with a workspace for prediction batches
 * of up to max_batch architectures, or with none (max_batch 0) when it is
 * only kept to be copied from.
 */
extern HelpAdapted *help_adapted_copy(const HelpAdapted *adapted, const HelpLayout *layout,
									  int max_batch);

/*
 * Largest prediction batch of an adapted predictor's workspace: larger
 * requests run in chunks of it.  A chunk of 1,024 cells keeps the GCN's
 * node classes and the head's activations within the L2 cache.
 */
#define HELP_PREDICT_BATCH 1024

/*
 * Give the adapted predictor a workspace for prediction batches of up to
 * max_batch architectures (at most HELP_PREDICT_BATCH), allocated now, in
 * the caller's memory (help_adapt leaves one for its support set only).
 * Predictions never allocate a workspace themselves.
 */
extern void help_adapted_reserve(HelpAdapted *adapted, int max_batch);

/*
 * Normalized predictions of every draw for n architectures:
 * out[d * n + i] for draw d and architecture i.
 */
extern void help_adapted_predict_draws(HelpAdapted *adapted, const float *X, int n,
									   float *out);

/*
 * HELP's own prediction in ms (the mean of its draws through the
 * millisecond map of section 5) for n architectures, before the transfer
 * model: the first feature of its regression rows.
 */
extern void help_adapted_help_ms(HelpAdapted *adapted, const float *X, int n,
								 float *draws_buf, double *help_ms);

/*
 * For n architectures: the prediction in ms (mean_ms), the spread of HELP's
 * prediction across the modulator draws in ms (spread_ms: their sample
 * standard deviation, not an error bar), and the scale of the predictive
 * distribution in ms (scale_ms, for help_transfer_quantile and
 * help_transfer_probability_within).  Any output may be NULL.  draws_buf
 * (may be NULL) holds n_draws * n floats.
 */
extern void help_adapted_predict(HelpAdapted *adapted, const float *X, int n,
								 float *draws_buf, double *mean_ms, double *spread_ms,
								 double *scale_ms);

#endif							/* HELP_ADAPT_H */

/*
 * adapt.c
 *	  Meta-SGD adaptation over modulator draws, and prediction in ms.
 */
#include "adapt.h"
#include "modulator.h"
#include "rng.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

/* See adapt.h. */
bool
help_latency_range_valid(double lo, double hi)
{
	return isfinite(lo) && isfinite(hi) && lo > 0.0 && hi > lo;
}

/* See adapt.h. */
HelpStatus
help_normalize_latencies(const double *ms, int n, float *y, HelpError *err)
{
	double		lo = ms[0],
				hi = ms[0];

	for (int i = 1; i < n; i++)
	{
		lo = ms[i] < lo ? ms[i] : lo;
		hi = ms[i] > hi ? ms[i] : hi;
	}
	if (!(hi > lo))
		return help_set_error(err, HELP_ERR_DATA,
							  "all %d latencies are equal (%g ms): they cannot be normalized",
							  n, lo);
	for (int i = 0; i < n; i++)
		y[i] = (float) (0.05 + 0.9 * (ms[i] - lo) / (hi - lo));
	return HELP_OK;
}

/* Least-squares line y ~ a + b t; false when t has no spread. */
static bool
FitLine(const double *t, const float *y, int n, double *a, double *b)
{
	double		mt = 0.0,
				my = 0.0,
				stt = 0.0,
				sty = 0.0;

	for (int i = 0; i < n; i++)
	{
		mt += t[i] / n;
		my += y[i] / (double) n;
	}
	for (int i = 0; i < n; i++)
	{
		stt += (t[i] - mt) * (t[i] - mt);
		sty += (t[i] - mt) * (y[i] - my);
	}
	if (!(stt > 0.0))
		return false;
	*b = sty / stt;
	*a = my - *b * mt;
	return isfinite(*a) && isfinite(*b);
}

/* See adapt.h. */
HelpStatus
help_support_targets(const HelpLayout *L, const float *theta, const float *infer,
					 const float *hw, const float *X, const double *ms, int n,
					 const HelpAdaptSpec *spec, float *y, HelpWorkspace *ws,
					 HelpError *err)
{
	HelpArena	scratch = {NULL};
	double	   *mu,
			   *sigma;
	float	   *theta_mu;
	double		a,
				b;
	bool		rising;

	/*
	 * With a range (the device's typical latencies, section 1), the targets
	 * are the normalization the predictor was meta-trained on.
	 */
	if (spec->range_hi > spec->range_lo)
	{
		for (int i = 0; i < n; i++)
			y[i] = (float) (0.05 + 0.9 * (ms[i] - spec->range_lo) /
							(spec->range_hi - spec->range_lo));
		return HELP_OK;
	}

	mu = help_arena_alloc(&scratch, sizeof(double) * L->z_dim);
	sigma = help_arena_alloc(&scratch, sizeof(double) * L->z_dim);
	theta_mu = help_arena_alloc(&scratch, sizeof(float) * L->n_params);

	/*
	 * Without one, ask the meta-trained predictor, modulated by the posterior
	 * mean for this device, where it puts the support architectures, and map
	 * the measured latencies onto that scale by least squares: the support set
	 * alone gives no absolute scale, and its own min-max range cost 0.05
	 * Spearman on NAS-Bench-201.
	 */
	help_modulator_posterior(L, infer, hw, mu, sigma);
	help_modulate(L, theta, mu, spec->z_scale, theta_mu);
	help_net_predict(L, theta_mu, hw, X, n, y, ws);
	rising = FitLine(ms, y, n, &a, &b) && b > 0.0;
	help_arena_release(&scratch);
	if (!rising)
		return help_normalize_latencies(ms, n, y, err);
	for (int i = 0; i < n; i++)
		y[i] = (float) (a + b * ms[i]);
	return HELP_OK;
}

/* See adapt.h. */
void
help_inner_loop(const HelpLayout *L, float *theta, const float *alpha,
				const float *hw, const float *X, const float *y, int n,
				int steps, float *grad, HelpWorkspace *ws)
{
	float	   *pred = help_alloc(sizeof(float) * n);
	float	   *dy = help_alloc(sizeof(float) * n);

	for (int s = 0; s < steps; s++)
	{
		HELP_CHECK_INTERRUPTS();
		help_net_forward(L, theta, hw, X, n, pred, ws);
		help_mse(pred, y, n, dy);
		help_net_backward(L, theta, hw, X, dy, grad, ws);
		for (size_t i = 0; i < L->n_params; i++)
			theta[i] -= alpha[i] * grad[i];
	}
	help_free(pred);
	help_free(dy);
}

/*
 * HELP's own prediction for n architectures: each draw's normalized output,
 * their mean through the millisecond map (normalized while help_adapt is
 * still building the map) and their spread in the same units.
 */
static void
HelpMeanAndSpread(HelpAdapted *ad, const float *X, int n, float *draws, double *mean,
				  double *spread)
{
	double		scale = ad->has_ms_map ? ad->ms_scale : 1.0;
	double		offset = ad->has_ms_map ? ad->ms_offset : 0.0;

	help_adapted_predict_draws(ad, X, n, draws);
	for (int i = 0; i < n; i++)
	{
		double		sum = 0.0,
					m,
					ss = 0.0;

		/*
		 * The draws' mean is HELP's prediction and their sample standard
		 * deviation (n - 1) its spread, both mapped to ms; the scale's
		 * absolute value keeps the spread non-negative.
		 */
		for (int d = 0; d < ad->n_draws; d++)
			sum += draws[(size_t) d * n + i];
		m = sum / ad->n_draws;
		mean[i] = offset + scale * m;
		if (spread)
		{
			for (int d = 0; d < ad->n_draws; d++)
			{
				double		dev = draws[(size_t) d * n + i] - m;

				ss += dev * dev;
			}
			spread[i] = ad->n_draws > 1 ? fabs(scale) * sqrt(ss / (ad->n_draws - 1)) : 0.0;
		}
	}
}

/*
 * The rows the inner loop adapts on: all of them, or for method transfer
 * at most HELP_TRANSFER_INNER_ROWS evenly spaced ones, copied into the
 * scratch arena.
 */
static int
InnerLoopRows(const HelpAdaptSpec *spec, const float *X, const float *y, int n, int enc_dim,
			  HelpArena *scratch, const float **inner_X, const float **inner_y)
{
	float	   *sub_X,
			   *sub_y;
	int			m = HELP_TRANSFER_INNER_ROWS;

	*inner_X = X;
	*inner_y = y;
	if (spec->method != HELP_METHOD_TRANSFER || n <= m)
		return n;
	sub_X = help_arena_alloc(scratch, sizeof(float) * (size_t) m * enc_dim);
	sub_y = help_arena_alloc(scratch, sizeof(float) * m);
	for (int k = 0; k < m; k++)
	{
		int			i = (int) ((int64_t) k * n / m);

		memcpy(sub_X + (size_t) k * enc_dim, X + (size_t) i * enc_dim, sizeof(float) * enc_dim);
		sub_y[k] = y[i];
	}
	*inner_X = sub_X;
	*inner_y = sub_y;
	return m;
}

/* See adapt.h. */
HelpAdapted *
help_adapt(const HelpLayout *L, const float *theta, const float *alpha,
		   const float *infer, const float *hw, const float *X, const double *ms,
		   int n, const HelpAdaptSpec *spec, HelpError *err)
{
	HelpAdapted *ad;
	HelpRng		rng;
	HelpArena	scratch = {NULL};	/* this function's temporaries */
	int			enc_dim = help_space_encoding_dim(L->space);
	bool		transfer = spec->method == HELP_METHOD_TRANSFER;
	double	   *mu = help_arena_alloc(&scratch, sizeof(double) * L->z_dim);
	double	   *sigma = help_arena_alloc(&scratch, sizeof(double) * L->z_dim);
	double	   *z = help_arena_alloc(&scratch, sizeof(double) * L->z_dim);
	float	   *y = help_arena_alloc(&scratch, sizeof(float) * n);
	float	   *grad = help_arena_alloc(&scratch, sizeof(float) * L->n_params);
	double	   *help_ms = help_arena_alloc(&scratch, sizeof(double) * n);
	float	   *draws;
	const float *inner_X,
			   *inner_y;
	int			inner_n;
	HelpWorkspace *ws = NULL;	/* the inner loop's */
	double		lo_ms = ms[0],
				hi_ms = ms[0],
				lo,
				hi;

	/*
	 * Two different latencies at least: the millisecond map (and the
	 * transfer regression) send the support's predictions onto its measured
	 * range, which a single value does not define.
	 */
	for (int i = 0; i < n; i++)
	{
		lo_ms = ms[i] < lo_ms ? ms[i] : lo_ms;
		hi_ms = ms[i] > hi_ms ? ms[i] : hi_ms;
	}
	if (!(hi_ms > lo_ms))
	{
		help_set_error(err, HELP_ERR_DATA,
					   "all %d support latencies are equal (%g ms): adaptation needs at least two different latencies",
					   n, lo_ms);
		help_arena_release(&scratch);
		return NULL;
	}

	ad = HELP_ARENA_NEW(HelpAdapted);
	ad->layout = L;
	ad->n_draws = spec->mc_samples;
	ad->theta = help_arena_alloc(&ad->arena, sizeof(float) * L->n_params * spec->mc_samples);
	ad->head_const = help_arena_alloc(&ad->arena, sizeof(float) * L->head * spec->mc_samples);
	memcpy(ad->hw, hw, sizeof(ad->hw));

	/*
	 * Method help sizes the workspaces for the whole support set, as it always
	 * did (one batch, so its results stay bit for bit what they were);
	 * method transfer bounds them and predicts in chunks.
	 */
	ws = help_workspace_create(L, transfer && n > HELP_TRANSFER_INNER_ROWS ?
							   HELP_TRANSFER_INNER_ROWS : n);
	ad->ws = help_predict_workspace_create(L, transfer && n > HELP_PREDICT_BATCH ?
										   HELP_PREDICT_BATCH : n);
	if (help_support_targets(L, theta, infer, hw, X, ms, n, spec, y, ws, err) != HELP_OK)
		goto fail;
	inner_n = InnerLoopRows(spec, X, y, n, enc_dim, &scratch, &inner_X, &inner_y);

	help_modulator_posterior(L, infer, hw, mu, sigma);

	/*
	 * One generator for all draws, seeded by the spec: the adapted state is a
	 * deterministic function of the stored support set and settings, which is
	 * why an adapted help_predictor can store the support set instead of the
	 * adapted weights.
	 */
	help_rng_seed(&rng, spec->seed);
	for (int d = 0; d < spec->mc_samples; d++)
	{
		float	   *td = ad->theta + (size_t) d * L->n_params;

		HELP_CHECK_INTERRUPTS();
		help_modulator_draw(L->z_dim, mu, sigma, &rng, z);
		help_modulate(L, theta, z, spec->z_scale, td);
		help_inner_loop(L, td, alpha, hw, inner_X, inner_y, inner_n, spec->steps, grad, ws);

		/*
		 * The head's per-draw constant (fc3's bias plus the hardware half) is
		 * the same for every architecture, so it is computed once here rather
		 * than once per prediction chunk.
		 */
		help_net_head_constant(L, td, hw, ad->head_const + (size_t) d * L->head, ws);
	}

	/*
	 * The millisecond map of section 5 sends the range of the support set's
	 * mean predictions onto the range of its measured latencies.
	 */
	draws = help_arena_alloc(&scratch, sizeof(float) * (size_t) n * ad->n_draws);
	HelpMeanAndSpread(ad, X, n, draws, help_ms, NULL);
	lo = hi = help_ms[0];
	for (int i = 0; i < n; i++)
	{
		lo = help_ms[i] < lo ? help_ms[i] : lo;
		hi = help_ms[i] > hi ? help_ms[i] : hi;
	}
	if (!(hi > lo) || !isfinite(hi - lo))
	{
		help_set_error(err, HELP_ERR_DATA,
					   "the adapted predictor gives the same value for every support architecture, so milliseconds cannot be recovered");
		goto fail;
	}
	ad->support_pred_min = lo;
	ad->support_pred_max = hi;
	ad->ms_scale = (hi_ms - lo_ms) / (hi - lo);
	ad->ms_offset = lo_ms - lo * ad->ms_scale;
	ad->has_ms_map = true;

	/*
	 * HELP's predictions of the support set in ms, and the regression of the
	 * measured latencies on them (and, for method transfer, on what each
	 * architecture costs): the final prediction and its uncertainty.
	 */
	for (int i = 0; i < n; i++)
		help_ms[i] = ad->ms_offset + ad->ms_scale * help_ms[i];
	if (help_transfer_fit(&ad->transfer, L->space, spec->method, X, help_ms, ms, n, err) != HELP_OK)
		goto fail;
	goto done;

fail:
	help_adapted_destroy(ad);
	ad = NULL;
done:
	help_arena_release(&scratch);
	help_workspace_destroy(ws);
	return ad;
}

/* See adapt.h. */
void
help_adapted_destroy(HelpAdapted *ad)
{
	if (ad == NULL)
		return;
	help_workspace_destroy(ad->ws);
	help_arena_release(&ad->arena);
}

/* See adapt.h. */
HelpAdapted *
help_adapted_copy(const HelpAdapted *src, const HelpLayout *layout, int max_batch)
{
	HelpAdapted *ad = HELP_ARENA_NEW(HelpAdapted);
	HelpArena	arena = ad->arena;
	size_t		theta_bytes = sizeof(float) * src->layout->n_params * src->n_draws;
	size_t		head_bytes = sizeof(float) * src->layout->head * src->n_draws;

	/* the copy keeps its own arena, not the source's */
	*ad = *src;
	ad->arena = arena;
	ad->layout = layout;
	ad->theta = help_arena_alloc(&ad->arena, theta_bytes);
	memcpy(ad->theta, src->theta, theta_bytes);
	ad->head_const = help_arena_alloc(&ad->arena, head_bytes);
	memcpy(ad->head_const, src->head_const, head_bytes);
	ad->ws = NULL;
	if (max_batch > 0)
		help_adapted_reserve(ad, max_batch);
	return ad;
}

/* See adapt.h. */
void
help_adapted_reserve(HelpAdapted *ad, int max_batch)
{
	int			batch = max_batch < HELP_PREDICT_BATCH ? max_batch : HELP_PREDICT_BATCH;

	/*
	 * A workspace is only ever replaced by a larger one, so a predictor that
	 * scored a large batch keeps its workspace for small ones.
	 */
	if (ad->ws != NULL && ad->ws->max_batch >= batch)
		return;
	help_workspace_destroy(ad->ws);
	ad->ws = help_predict_workspace_create(ad->layout, batch > 0 ? batch : 1);
}

/* See adapt.h. */
void
help_adapted_predict_draws(HelpAdapted *ad, const float *X, int n, float *out)
{
	const HelpLayout *L = ad->layout;

	help_net_predict_many(L, ad->theta, ad->n_draws, ad->head_const, ad->hw, X, n, out, ad->ws);
}

/* See adapt.h. */
void
help_adapted_help_ms(HelpAdapted *ad, const float *X, int n, float *draws_buf, double *help_ms)
{
	float	   *draws = draws_buf ? draws_buf : help_alloc(sizeof(float) * n * ad->n_draws);

	HelpMeanAndSpread(ad, X, n, draws, help_ms, NULL);
	if (!draws_buf)
		help_free(draws);
}

/* See adapt.h. */
void
help_adapted_predict(HelpAdapted *ad, const float *X, int n, float *draws_buf,
					 double *mean_ms, double *spread_ms, double *scale_ms)
{
	float	   *draws = draws_buf ? draws_buf : help_alloc(sizeof(float) * n * ad->n_draws);
	double	   *help_ms = help_alloc(sizeof(double) * n);

	HelpMeanAndSpread(ad, X, n, draws, help_ms, spread_ms);
	help_transfer_predict(&ad->transfer, X, help_ms, n, mean_ms, scale_ms);
	help_free(help_ms);
	if (!draws_buf)
		help_free(draws);
}

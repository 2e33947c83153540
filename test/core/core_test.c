/*
 * core_test.c
 *	  Unit tests of the numerical core, run without a server:
 *	  the support-loss gradient against central finite differences (double
 *	  precision differences of a float network, on a random predictor), the
 *	  encoders, and the rank correlations on hand-computed cases.
 *	  Prints "N passed, M failed".
 */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapt.h"
#include "blas.h"
#include "encode.h"
#include "evaluate.h"
#include "hvp.h"
#include "json_check.h"
#include "live_columns.h"
#include "meta_grad.h"
#include "meta_train.h"
#include "modulator.h"
#include "pool.h"
#include "model.h"
#include "rank.h"
#include "rng.h"
#include "core_test.h"

static int	passed,
			failed;

/* See core_test.h. */
void
check(int ok, const char *what)
{
	if (ok)
		passed++;
	else
	{
		failed++;
		printf("FAILED: %s\n", what);
	}
}


/*
 * Weights ~ N(0, 1/fan_in) keep activations O(1), so float noise stays
 * small (biases use fan_in 4).
 */
static void
random_weights(const HelpTensor *tensors, int n_tensors, HelpRng *rng, float *params)
{
	for (int t = 0; t < n_tensors; t++)
	{
		const HelpTensor *T = &tensors[t];
		int			fan_in = T->ndim == 1 ? 4 : (strstr(T->name, ".gc") ? T->shape[0] : T->shape[1]);

		for (size_t i = 0; i < T->size; i++)
			params[T->offset + i] = (float) (help_rng_normal(rng) / sqrt((double) fan_in));
	}
}

/* A scalar loss of parameters that the caller changes in place. */
typedef double (*LossFn) (void *ctx);

/*
 * The derivative of a loss along the unit direction v inside one tensor
 * (size floats at params): analytically (grad dotted with the displacement
 * actually stored in float) and by central differences of step h.
 */
static void
directional_pair(LossFn loss, void *ctx, float *params, const float *grad, const double *v,
				 size_t size, double h, double *analytic, double *numeric)
{
	float	   *saved = help_alloc(sizeof(float) * size);
	float	   *up = help_alloc(sizeof(float) * size);
	double		loss_up,
				loss_down,
				dot = 0.0;

	memcpy(saved, params, sizeof(float) * size);
	for (size_t i = 0; i < size; i++)
		params[i] = up[i] = (float) (saved[i] + h * v[i]);
	loss_up = loss(ctx);
	for (size_t i = 0; i < size; i++)
		params[i] = (float) (saved[i] - h * v[i]);
	loss_down = loss(ctx);
	for (size_t i = 0; i < size; i++)
		dot += (double) grad[i] * ((double) up[i] - params[i]);
	memcpy(params, saved, sizeof(float) * size);
	*analytic = dot / (2 * h);
	*numeric = (loss_up - loss_down) / (2 * h);
	help_free(saved);
	help_free(up);
}

#define CHECK_MAX_DIRS (2 * HELP_MAX_TENSORS + HELP_INFER_TENSORS)
#define CHECK_STEPS 3

/* One probed direction: its name and the derivative pairs at each step. */
typedef struct DirectionProbe
{
	const char *name;
	double		analytic[CHECK_STEPS];
	double		numeric[CHECK_STEPS];
} DirectionProbe;

/* Probe a random unit direction inside one tensor at every step size. */
static void
probe_direction(LossFn loss, void *ctx, float *params, const float *grad, size_t size,
				HelpRng *rng, const char *name, DirectionProbe *probe)
{
	static const double steps[CHECK_STEPS] = {3e-4, 1e-3, 3e-3};
	double	   *v = help_alloc(sizeof(double) * size);
	double		norm = 0.0;

	for (size_t i = 0; i < size; i++)
	{
		v[i] = help_rng_normal(rng);
		norm += v[i] * v[i];
	}
	for (size_t i = 0; i < size; i++)
		v[i] /= sqrt(norm);
	probe->name = name;
	for (int s = 0; s < CHECK_STEPS; s++)
		directional_pair(loss, ctx, params, grad, v, size, steps[s],
						 &probe->analytic[s], &probe->numeric[s]);
	help_free(v);
}

/*
 * Worst relative error of the probed directional derivatives.  The loss is
 * a float computation with ReLU kinks, so one step size can be spoiled by
 * rounding (small steps; how much depends on the BLAS kernel) or by a kink
 * (large steps): each direction keeps its best of three step sizes, and
 * differences are measured against at least 1% of the largest directional
 * derivative (the rounding floor).  A wrong term is wrong at every step size.
 */
static double
probes_worst_error(const DirectionProbe *probes, int n)
{
	double		scale = 0.0,
				worst = 0.0;

	for (int d = 0; d < n; d++)
		scale = fmax(scale, fabs(probes[d].analytic[1]));
	for (int d = 0; d < n; d++)
	{
		double		best = INFINITY;

		for (int s = 0; s < CHECK_STEPS; s++)
		{
			double		a = probes[d].analytic[s],
						num = probes[d].numeric[s],
						rel = fabs(num - a) / fmax(fmax(fabs(a), fabs(num)), 1e-2 * scale);

			if (isfinite(rel) && rel < best)
				best = rel;
		}
		if (getenv("HELP_TEST_VERBOSE"))
			printf("    %-28s analytic %+.6e numeric %+.6e best rel %.1e\n", probes[d].name,
				   probes[d].analytic[1], probes[d].numeric[1], best);
		worst = fmax(worst, best);
	}
	return isfinite(scale) ? worst : INFINITY;
}

/* The support-loss problem of gradient_check: the loss as a function of theta. */
typedef struct SupportProblem
{
	const HelpLayout *L;
	const float *theta;
	const float *hw;
	const float *X;
	const float *y;
	int			n;
	HelpWorkspace *ws;
} SupportProblem;

/* Support loss at the problem's current theta. */
static double
support_loss(void *ctx)
{
	SupportProblem *s = ctx;
	float		pred[64];

	help_net_forward(s->L, s->theta, s->hw, s->X, s->n, pred, s->ws);
	return help_mse(pred, s->y, s->n, NULL);
}


/* Compare the analytic gradient with central differences on sampled weights. */
static void
gradient_check(HelpSpace space)
{
	HelpLayout	L;
	HelpRng		rng;
	int			n = 6;
	int			dim = help_space_encoding_dim(space);
	float	   *theta,
			   *grad;
	float		X[6 * HELP_NB201_ENC_DIM];
	float		y[6],
				pred[6],
				dy[6],
				hw[HELP_HW_DIM];
	HelpWorkspace *ws;
	SupportProblem problem;
	DirectionProbe probes[HELP_MAX_TENSORS];
	double		worst;
	char		what[128];
	HelpError	err;
	static const char *cells[] = {
		"|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|",
		"|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|",
		"|none~0|+|nor_conv_3x3~0|none~1|+|nor_conv_1x1~0|avg_pool_3x3~1|nor_conv_3x3~2|",
		"|skip_connect~0|+|none~0|none~1|+|none~0|none~1|none~2|",
		"|nor_conv_1x1~0|+|nor_conv_1x1~0|nor_conv_1x1~1|+|nor_conv_1x1~0|nor_conv_1x1~1|nor_conv_1x1~2|",
		"|avg_pool_3x3~0|+|avg_pool_3x3~0|nor_conv_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|",
	};

	help_layout_init(&L, space, 16);
	theta = help_alloc(sizeof(float) * L.n_params);
	grad = help_alloc(sizeof(float) * L.n_params);
	help_rng_seed(&rng, 42);
	random_weights(L.tensors, L.n_tensors, &rng, theta);
	for (int i = 0; i < HELP_HW_DIM; i++)
		hw[i] = (float) help_rng_uniform(&rng);
	for (int b = 0; b < n; b++)
	{
		y[b] = (float) help_rng_uniform(&rng);
		if (space == HELP_SPACE_NASBENCH201)
			help_encode_nb201(cells[b], X + b * dim, &err);
		else
			for (int k = 0; k < dim; k++)
				X[b * dim + k] = help_rng_uniform(&rng) < 0.3 ? 1.0f : 0.0f;
	}
	ws = help_workspace_create(&L, n);
	help_net_forward(&L, theta, hw, X, n, pred, ws);
	help_mse(pred, y, n, dy);
	help_net_backward(&L, theta, hw, X, dy, grad, ws);
	problem = (SupportProblem) {&L, theta, hw, X, y, n, ws};

	/* Per tensor, the derivative along a random unit direction. */
	for (int t = 0; t < L.n_tensors; t++)
	{
		const HelpTensor *T = &L.tensors[t];

		probe_direction(support_loss, &problem, theta + T->offset, grad + T->offset, T->size,
						&rng, T->name, &probes[t]);
	}
	worst = probes_worst_error(probes, L.n_tensors);
	snprintf(what, sizeof(what), "%s support-loss (MSE) gradient vs finite differences (worst relative error %.2e)",
			 help_space_name(space), worst);
	check(worst < 1e-2, what);
	printf("%s\n", what);
	help_workspace_destroy(ws);
}

/*
 * Prediction by distinct node state (gcn_classes.h), in chunks and for
 * several parameter vectors at once, against the plain forward pass over
 * the whole batch: the same numbers up to float rounding.
 */
static void
predict_by_class_matches_forward(void)
{
	static const char *ops[] = {"none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"};
	const int	n = 300,
				n_thetas = 3;
	HelpLayout	L;
	HelpRng		rng;
	HelpError	err;
	float	   *X,
			   *thetas,
			   *plain,
			   *by_class,
				hw[HELP_HW_DIM];
	HelpWorkspace *whole,
			   *chunks;
	double		worst = 0.0,
				scale = 0.0;
	char		what[128];

	help_layout_init(&L, HELP_SPACE_NASBENCH201, 100);
	help_rng_seed(&rng, 7);
	X = help_alloc(sizeof(float) * n * HELP_NB201_ENC_DIM);
	for (int b = 0; b < n; b++)
	{
		char		cell[256];
		int			o[6];

		/* random cells, some repeated */
		for (int k = 0; k < 6; k++)
			o[k] = (int) help_rng_below(&rng, b % 3 == 0 ? 2 : 5);
		snprintf(cell, sizeof(cell), "|%s~0|+|%s~0|%s~1|+|%s~0|%s~1|%s~2|",
				 ops[o[0]], ops[o[1]], ops[o[2]], ops[o[3]], ops[o[4]], ops[o[5]]);
		help_encode_nb201(cell, X + (size_t) b * HELP_NB201_ENC_DIM, &err);
	}
	thetas = help_alloc(sizeof(float) * L.n_params * n_thetas);
	for (int t = 0; t < n_thetas; t++)
		random_weights(L.tensors, L.n_tensors, &rng, thetas + (size_t) t * L.n_params);
	for (int i = 0; i < HELP_HW_DIM; i++)
		hw[i] = (float) help_rng_uniform(&rng);

	plain = help_alloc(sizeof(float) * n * n_thetas);
	by_class = help_alloc(sizeof(float) * n * n_thetas);
	whole = help_workspace_create(&L, n);
	chunks = help_workspace_create(&L, 64);
	for (int t = 0; t < n_thetas; t++)
		help_net_forward(&L, thetas + (size_t) t * L.n_params, hw, X, n, plain + t * n, whole);
	help_net_predict_many(&L, thetas, n_thetas, NULL, hw, X, n, by_class, chunks);
	/* differences relative to the outputs' scale (some outputs are near 0) */
	for (int i = 0; i < n * n_thetas; i++)
		scale = fmax(scale, fabs(plain[i]));
	for (int i = 0; i < n * n_thetas; i++)
		worst = fmax(worst, fabs(plain[i] - by_class[i]) / scale);
	snprintf(what, sizeof(what), "GCN prediction by node class = plain forward (worst difference %.1e of the output scale)",
			 worst);
	check(worst < 1e-5, what);
	printf("%s\n", what);
	help_workspace_destroy(whole);
	help_workspace_destroy(chunks);
	help_free(X);
	help_free(thetas);
	help_free(plain);
	help_free(by_class);
}

/* Encoders against hand-computed vectors. */
static void
encoder_tests(void)
{
	float		v[HELP_NB201_ENC_DIM];
	HelpError	err;
	int			ops[HELP_FBNET_LAYERS];
	int			ks[20],
				e[20],
				d[5] = {2, 3, 4, 2, 2};

	check(help_encode_nb201("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|", v, &err) == HELP_OK, "nb201 parses");
	/* node 1 conv3 -> col 3; node 3 avg_pool -> col 1; node 4 skip -> col 0 */
	check(v[1 * 8 + 3] == 1 && v[3 * 8 + 1] == 1 && v[4 * 8 + 0] == 1 && v[0 * 8 + 4] == 1 &&
		  v[7 * 8 + 6] == 1 && v[8 * 8 + 7] == 1, "nb201 node features");
	/* A[3][1] (1 -> 3), A[6][2], A[6][3], A[7][4..6], A[8][*], no A[1][3] */
	check(v[72 + 3 * 9 + 1] == 1 && v[72 + 6 * 9 + 2] == 1 && v[72 + 6 * 9 + 3] == 1 &&
		  v[72 + 7 * 9 + 5] == 1 && v[72 + 8 * 9 + 0] == 1 && v[72 + 1 * 9 + 3] == 0 &&
		  v[72 + 4 * 9 + 4] == 1, "nb201 propagation matrix");
	check(help_encode_nb201("|nor_conv_3x3~0|+|nor_conv_3x3~1|", v, &err) == HELP_ERR_VALUE, "nb201 wrong edge index");
	check(help_encode_nb201("|conv~0|+|a~0|b~1|+|c~0|d~1|e~2|", v, &err) == HELP_ERR_VALUE, "nb201 unknown op");
	check(help_parse_fbnet("{7,8,1,8,4,8,8,8,7,4,1,4,7,3,2,7,3,2,4,2,4,5}", ops, &err) == HELP_OK &&
		  help_encode_fbnet(ops, v, &err) == HELP_OK, "fbnet parses");
	/* layer 0: op 7 = k5_e6 -> [0,1,0,0,0,1]; layer 1 skip -> zeros; layer 2: op 1 -> [1,0,0,1,0,0] */
	check(v[0] == 0 && v[1] == 1 && v[5] == 1 && v[6] == 0 && v[11] == 0 &&
		  v[12] == 1 && v[15] == 1 && v[13] == 0, "fbnet one-hots");
	check(help_parse_fbnet("{7,8,1}", ops, &err) == HELP_ERR_SIZE, "fbnet wrong length");
	check(help_parse_fbnet("{9,8,1,8,4,8,8,8,7,4,1,4,7,3,2,7,3,2,4,2,4,5}", ops, &err) == HELP_ERR_RANGE, "fbnet op out of range");
	for (int i = 0; i < 20; i++)
	{
		ks[i] = 7;
		e[i] = 4;
	}
	check(help_encode_ofa(ks, e, d, 160, v, &err) == HELP_OK, "ofa encodes");
	/* stage 1 depth 2: blocks 0,1 present, 2,3 absent */
	check(v[2] == 1 && v[5] == 1 && v[8] == 0 && v[11] == 0 && v[60 + 1] == 1 &&
		  v[60 + 7] == 0 && v[120 + 8] == 1, "ofa one-hots and absent blocks");
	ks[0] = 4;
	check(help_encode_ofa(ks, e, d, 160, v, &err) == HELP_ERR_RANGE, "ofa bad kernel");

	/* one text per architecture: no second spelling of a node index or an op index */
	check(help_encode_nb201("|nor_conv_3x3~00|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|", v, &err) == HELP_ERR_SYNTAX &&
		  help_encode_nb201("|nor_conv_3x3~0 |+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|", v, &err) == HELP_ERR_SYNTAX,
		  "nb201 node index \"00\" or with a space refused");
	check(help_parse_fbnet("{007,8,1,8,4,8,8,8,7,4,1,4,7,3,2,7,3,2,4,2,4,5}", ops, &err) == HELP_ERR_SYNTAX &&
		  help_parse_fbnet("{-0,8,1,8,4,8,8,8,7,4,1,4,7,3,2,7,3,2,4,2,4,5}", ops, &err) == HELP_ERR_SYNTAX &&
		  help_parse_fbnet("{+7,8,1,8,4,8,8,8,7,4,1,4,7,3,2,7,3,2,4,2,4,5}", ops, &err) == HELP_ERR_SYNTAX &&
		  help_parse_fbnet("{0,8,1,8,4,8,8,8,7,4,1,4,7,3,2,7,3,2,4,2,4,5}", ops, &err) == HELP_OK,
		  "fbnet op index \"007\", \"-0\" or \"+7\" refused, \"0\" read");
}

/*
 * help_check_encoding accepts exactly what the encoders produce: every
 * encoder output (random architectures of each space), and nothing else.
 */
static void
check_encoding_tests(void)
{
	HelpRng		rng;
	HelpError	err;
	float		v[HELP_NB201_ENC_DIM];
	int			ops[HELP_FBNET_LAYERS],
				ks[HELP_OFA_BLOCKS],
				e[HELP_OFA_BLOCKS],
				d[HELP_OFA_STAGES];
	static const int kc[3] = {3, 5, 7},
				ec[3] = {3, 4, 6};
	int			accepted = 0;

	help_rng_seed(&rng, 99);
	for (int t = 0; t < 200; t++)
	{
		help_encode_random_nb201(&rng, v);
		accepted += help_check_encoding(HELP_SPACE_NASBENCH201, v, HELP_NB201_ENC_DIM, &err) == HELP_OK;
		for (int l = 0; l < HELP_FBNET_LAYERS; l++)
			ops[l] = (int) help_rng_below(&rng, HELP_FBNET_N_OPS);
		help_encode_fbnet(ops, v, &err);
		accepted += help_check_encoding(HELP_SPACE_FBNET, v, HELP_FBNET_ENC_DIM, &err) == HELP_OK;
		for (int b = 0; b < HELP_OFA_BLOCKS; b++)
		{
			ks[b] = kc[help_rng_below(&rng, 3)];
			e[b] = ec[help_rng_below(&rng, 3)];
		}
		for (int s = 0; s < HELP_OFA_STAGES; s++)
			d[s] = 2 + (int) help_rng_below(&rng, 3);
		help_encode_ofa(ks, e, d, 128 + 4 * (int) help_rng_below(&rng, 25), v, &err);
		accepted += help_check_encoding(HELP_SPACE_OFA, v, HELP_OFA_ENC_DIM, &err) == HELP_OK;
	}
	check(accepted == 600, "every encoder output passes help_check_encoding");

	for (int i = 0; i < HELP_NB201_ENC_DIM; i++)
		v[i] = 1.0f;
	check(help_check_encoding(HELP_SPACE_NASBENCH201, v, HELP_NB201_ENC_DIM, &err) == HELP_ERR_DATA,
		  "an all-ones nasbench201 encoding is refused");
	help_encode_random_nb201(&rng, v);
	v[72 + 1 * 9 + 3] = 1.0f;	/* an edge 3 -> 1 no cell has */
	check(help_check_encoding(HELP_SPACE_NASBENCH201, v, HELP_NB201_ENC_DIM, &err) == HELP_ERR_DATA,
		  "a nasbench201 encoding with another graph is refused");
	for (int l = 0; l < HELP_FBNET_LAYERS; l++)
		ops[l] = 2;
	help_encode_fbnet(ops, v, &err);
	v[6 * 4 + 1] = 1.0f;		/* layer 5: both kernel sizes */
	check(help_check_encoding(HELP_SPACE_FBNET, v, HELP_FBNET_ENC_DIM, &err) == HELP_ERR_DATA,
		  "an fbnet layer of two kernel sizes is refused");
	for (int b = 0; b < HELP_OFA_BLOCKS; b++)
	{
		ks[b] = 5;
		e[b] = 4;
	}
	for (int s = 0; s < HELP_OFA_STAGES; s++)
		d[s] = 3;
	help_encode_ofa(ks, e, d, 160, v, &err);
	memmove(v + 3 * 3, v + 3 * 2, sizeof(float) * 3);	/* stage 1: block 4 present ... */
	memset(v + 3 * 2, 0, sizeof(float) * 3);	/* ... after an absent block 3 */
	check(help_check_encoding(HELP_SPACE_OFA, v, HELP_OFA_ENC_DIM, &err) == HELP_ERR_DATA,
		  "an ofa encoding with a block after an absent one is refused");
}

/* Section 1 trimming and hardware embedding on hand-made cases. */
static void
pool_tests(void)
{
	/* 12 measurements, the later the faster */
	int			idx[12] = {50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61};
	double		ms[12];
	int			keep[12];
	double		ref[HELP_HW_DIM] = {2, 4, 6, 3, 2, 10, 5, 7, 8, 9};
	double		flat[HELP_HW_DIM] = {3, 3, 3, 3, 3, 3, 3, 3, 3, 3};
	float		hw[HELP_HW_DIM];
	HelpError	err;
	int			n,
				ok = 1;

	for (int i = 0; i < 12; i++)
		ms[i] = 100.0 - i;
	/*
	 * sorted positions floor(1.2) = 1 .. floor(10.8) - 1 = 9 kept: drops the
	 * fastest (position 11) and the two slowest (positions 0 and 1)
	 */
	n = help_trim_pool(idx, ms, 12, keep);
	for (int i = 0; i < n; i++)
		ok &= keep[i] == i + 2;
	check(n == 9 && ok, "trimming keeps the middle 80% in index order");
	check(help_hw_embedding(ref, hw, &err) == HELP_OK && hw[0] == 0.0f && hw[5] == 1.0f &&
		  fabsf(hw[1] - 0.25f) < 1e-7f, "hardware embedding is min-max scaled");
	check(help_hw_embedding(flat, hw, &err) == HELP_ERR_DATA, "equal reference latencies are refused");
}

/* Rank correlations against values worked out by hand. */
static void
rank_tests(void)
{
	HelpPair	a[5] = {{1, 2}, {2, 1}, {3, 4}, {4, 3}, {5, 5}};
	HelpPair	b[4] = {{1, 1}, {1, 2}, {2, 3}, {3, 3}};
	HelpPair	c[5] = {{1, 2}, {2, 1}, {3, 4}, {4, 3}, {5, 5}};

	/* d = (1,1,1,1,0): rho = 1 - 6*4/(5*24) = 0.8 */
	check(fabs(help_spearman(a, 5) - 0.8) < 1e-12, "spearman 0.8");
	/* concordant 8, discordant 2 of 10: tau = 0.6 */
	check(fabs(help_kendall_tau_b(c, 5) - 0.6) < 1e-12, "kendall 0.6");
	/* ties: x ranks (1.5,1.5,3,4), y ranks (1,2,3.5,3.5): rho = 4 / 4.5 */
	check(fabs(help_spearman(b, 4) - 8.0 / 9.0) < 1e-12, "spearman with ties");
	/* tau-b = (C - D) / sqrt((n0 - n1)(n0 - n2)) = 4 / sqrt(5 * 5) = 0.8 */
	check(fabs(help_kendall_tau_b(b, 4) - 0.8) < 1e-12, "kendall tau-b with ties");
}

/* n random encodings: random NAS-Bench-201 cells, or sparse 0/1 vectors. */
static void
random_encodings(HelpSpace space, HelpRng *rng, int n, float *X)
{
	int			dim = help_space_encoding_dim(space);

	for (int b = 0; b < n; b++)
	{
		if (space == HELP_SPACE_NASBENCH201)
			help_encode_random_nb201(rng, X + (size_t) b * dim);
		else
			for (int k = 0; k < dim; k++)
				X[(size_t) b * dim + k] = help_rng_uniform(rng) < 0.3 ? 1.0f : 0.0f;
	}
}

/*
 * help_sgemm_live_columns against a double-precision product: with dead
 * columns (some holding -0), with every column dead, and with too few rows
 * to pack.
 */
static void
live_columns_tests(void)
{
	const int	k = 50,
				n = 37;
	HelpRng		rng;
	HelpLiveScratch *scratch = help_live_scratch_create(64 * k, n * k);
	float	   *X = help_alloc(sizeof(float) * 64 * k);
	float	   *Wt = help_alloc(sizeof(float) * n * k);
	float	   *C = help_alloc(sizeof(float) * 64 * n);
	double		worst = 0.0;
	int			all_zero = 1;
	char		what[160];

	help_rng_seed(&rng, 5);
	for (int i = 0; i < n * k; i++)
		Wt[i] = (float) help_rng_normal(&rng);
	for (int m = 8; m <= 64; m += 56)
	{
		for (int r = 0; r < m; r++)
			for (int c = 0; c < k; c++)
				X[r * k + c] = c % 3 == 1 ? (r % 2 ? -0.0f : 0.0f)
					: (help_rng_uniform(&rng) < 0.5 ? 0.0f : (float) help_rng_normal(&rng));
		help_sgemm_live_columns(m, n, k, X, k, Wt, k, C, n, scratch);
		for (int r = 0; r < m; r++)
			for (int j = 0; j < n; j++)
			{
				double		ref = 0.0,
							mag = 0.0;

				for (int c = 0; c < k; c++)
				{
					ref += (double) X[r * k + c] * Wt[j * k + c];
					mag += fabs((double) X[r * k + c] * Wt[j * k + c]);
				}
				worst = fmax(worst, fabs(C[r * n + j] - ref) / fmax(mag, 1e-30));
			}
	}
	memset(X, 0, sizeof(float) * 64 * k);
	memset(C, 0xff, sizeof(float) * 64 * n);	/* NaNs: must be overwritten */
	help_sgemm_live_columns(64, n, k, X, k, Wt, k, C, n, scratch);
	for (int i = 0; i < 64 * n; i++)
		all_zero &= C[i] == 0.0f;
	snprintf(what, sizeof(what), "products over live columns = full products (worst relative error %.1e); no live column gives zeros",
			 worst);
	check(worst < 1e-6 && all_zero, what);
	printf("%s\n", what);
	help_free(X);
	help_free(Wt);
	help_free(C);
	help_live_scratch_destroy(scratch);
}

/* A tiny random meta-learning problem: one task and all trainable weights. */
typedef struct TinyProblem
{
	HelpLayout	L;
	HelpMetaSpec spec;
	float	   *theta,
			   *alpha,
			   *infer;
	float		hw[HELP_HW_DIM];
	float	   *X,
			   *y;				/* support rows, then query rows */
	double	   *eps;
	HelpMetaTask task;
	HelpMetaWorkspace *mw;
} TinyProblem;

/*
 * Scale alpha so that the first inner step moves theta by about 0.3 (in
 * norm): large enough for the Hessian terms to matter, small enough that
 * the inner loop does not diverge on a random predictor.
 */
static void
scale_inner_rates(TinyProblem *p)
{
	float	   *grad = p->mw->grads;
	double		norm = 0.0;

	help_net_forward(&p->L, p->theta, p->hw, p->task.support_X, p->task.n_support,
					 p->mw->pred, p->mw->ws);
	help_mse(p->mw->pred, p->task.support_y, p->task.n_support, p->mw->dy);
	help_net_backward(&p->L, p->theta, p->hw, p->task.support_X, p->mw->dy, grad, p->mw->ws);
	for (size_t i = 0; i < p->L.n_params; i++)
		norm += (double) grad[i] * grad[i];
	for (size_t i = 0; i < p->L.n_params; i++)
		p->alpha[i] *= (float) (0.3 / sqrt(norm));
}

/*
 * Width 8, 5 support and 7 query architectures, large inner learning rates
 * and z scale so that the second-order and modulation terms are not lost
 * in the first-order ones.
 */
static void
tiny_problem_init(TinyProblem *p, HelpSpace space, uint64_t seed)
{
	HelpRng		rng;
	int			n_support = 5,
				n_query = 7;
	int			dim = help_space_encoding_dim(space);

	help_rng_seed(&rng, seed);
	help_layout_init(&p->L, space, 8);
	p->spec.inner_steps = 2;
	p->spec.z_scale = 0.3;
	p->spec.kl_weight = 0.1;
	p->spec.second_order = 1;
	p->theta = help_alloc(sizeof(float) * p->L.n_params);
	p->alpha = help_alloc(sizeof(float) * p->L.n_params);
	p->infer = help_alloc(sizeof(float) * p->L.n_infer);
	p->X = help_alloc(sizeof(float) * (n_support + n_query) * dim);
	p->y = help_alloc(sizeof(float) * (n_support + n_query));
	p->eps = help_alloc(sizeof(double) * p->L.z_dim);
	random_weights(p->L.tensors, p->L.n_tensors, &rng, p->theta);
	random_weights(p->L.infer, HELP_INFER_TENSORS, &rng, p->infer);
	for (size_t i = 0; i < p->L.n_params; i++)
		p->alpha[i] = (float) (0.5 + help_rng_uniform(&rng));
	for (int i = 0; i < HELP_HW_DIM; i++)
		p->hw[i] = (float) help_rng_uniform(&rng);
	random_encodings(space, &rng, n_support + n_query, p->X);
	for (int i = 0; i < n_support + n_query; i++)
		p->y[i] = (float) (0.05 + 0.9 * help_rng_uniform(&rng));
	for (int k = 0; k < p->L.z_dim; k++)
		p->eps[k] = help_rng_normal(&rng);
	p->task.hw = p->hw;
	p->task.support_X = p->X;
	p->task.support_y = p->y;
	p->task.n_support = n_support;
	p->task.query_X = p->X + (size_t) n_support * dim;
	p->task.query_y = p->y + n_support;
	p->task.n_query = n_query;
	p->task.eps = p->eps;
	p->mw = help_meta_workspace_create(&p->L, n_support, n_query, p->spec.inner_steps);
	scale_inner_rates(p);
}

static void
tiny_problem_free(TinyProblem *p)
{
	help_meta_workspace_destroy(p->mw);
	help_free(p->theta);
	help_free(p->alpha);
	help_free(p->infer);
	help_free(p->X);
	help_free(p->y);
	help_free(p->eps);
}

/* The meta-loss's gradient into freshly zeroed accumulators. */
static void
tiny_meta_gradient(TinyProblem *p, const HelpMetaSpec *spec, HelpMetaGrad *g)
{
	memset(g->theta, 0, sizeof(float) * p->L.n_params);
	memset(g->alpha, 0, sizeof(float) * p->L.n_params);
	memset(g->infer, 0, sizeof(float) * p->L.n_infer);
	help_meta_task(&p->L, spec, p->theta, p->alpha, p->infer, &p->task, 1.0, g, NULL, p->mw);
}

/* The meta-loss at the problem's current weights. */
static double
tiny_meta_loss(void *ctx)
{
	TinyProblem *p = ctx;

	return help_meta_task(&p->L, &p->spec, p->theta, p->alpha, p->infer, &p->task,
						  1.0, NULL, NULL, p->mw);
}

/*
 * Worst relative error of the meta-gradient (per tensor of theta, alpha and
 * the inference network) against finite differences of the meta-loss, the
 * analytic side computed with or without the second-order terms.
 */
static double
meta_gradient_error(HelpSpace space, int second_order)
{
	TinyProblem p;
	HelpMetaSpec spec;
	HelpMetaGrad g;
	HelpRng		rng;
	DirectionProbe probes[CHECK_MAX_DIRS];
	int			n = 0;
	double		worst;

	tiny_problem_init(&p, space, 7);
	spec = p.spec;
	spec.second_order = second_order;
	g.theta = help_alloc(sizeof(float) * p.L.n_params);
	g.alpha = help_alloc(sizeof(float) * p.L.n_params);
	g.infer = help_alloc(sizeof(float) * p.L.n_infer);
	tiny_meta_gradient(&p, &spec, &g);
	help_rng_seed(&rng, 99);
	for (int t = 0; t < p.L.n_tensors; t++)
	{
		const HelpTensor *T = &p.L.tensors[t];

		probe_direction(tiny_meta_loss, &p, p.theta + T->offset, g.theta + T->offset, T->size, &rng,
						T->name, &probes[n++]);
		probe_direction(tiny_meta_loss, &p, p.alpha + T->offset, g.alpha + T->offset, T->size, &rng,
						"(its alpha)", &probes[n++]);
	}
	for (int t = 0; t < HELP_INFER_TENSORS; t++)
	{
		const HelpTensor *T = &p.L.infer[t];

		probe_direction(tiny_meta_loss, &p, p.infer + T->offset, g.infer + T->offset, T->size, &rng,
						T->name, &probes[n++]);
	}
	worst = probes_worst_error(probes, n);
	help_free(g.theta);
	help_free(g.alpha);
	help_free(g.infer);
	tiny_problem_free(&p);
	return worst;
}

/*
 * The whole meta-gradient against finite differences; and the check has
 * teeth: the first-order gradient (Hessian terms dropped) must fail it.
 */
static void
meta_gradient_check(HelpSpace space)
{
	double		second = meta_gradient_error(space, 1);
	double		first = meta_gradient_error(space, 0);
	char		what[160];

	snprintf(what, sizeof(what), "%s meta-gradient vs finite differences (worst relative error %.2e)",
			 help_space_name(space), second);
	check(second < 1e-2, what);
	printf("%s\n", what);
	snprintf(what, sizeof(what), "%s meta-gradient check rejects the first-order gradient (worst relative error %.2e)",
			 help_space_name(space), first);
	check(first > 1e-1, what);
	printf("%s\n", what);
}

/* H v against central differences of the float gradient along v. */
static void
hvp_check(HelpSpace space)
{
	TinyProblem p;
	HelpRng		rng;
	size_t		P;
	float	   *v,
			   *hv,
			   *shifted,
			   *g_up,
			   *g_down;
	float		pred[8],
				dy[8];
	double		h = 1e-3,
				diff = 0.0,
				norm = 0.0;
	char		what[128];

	tiny_problem_init(&p, space, 11);
	P = p.L.n_params;
	v = help_alloc(sizeof(float) * P);
	hv = help_alloc(sizeof(float) * P);
	shifted = help_alloc(sizeof(float) * P);
	g_up = help_alloc(sizeof(float) * P);
	g_down = help_alloc(sizeof(float) * P);
	help_rng_seed(&rng, 5);
	for (size_t i = 0; i < P; i++)
		v[i] = (float) (help_rng_normal(&rng) / sqrt((double) P));
	help_mse_hvp(&p.L, p.theta, v, p.hw, p.task.support_X, p.task.support_y,
				 p.task.n_support, hv, p.mw->ws, p.mw->hvp);
	for (int sign = 1; sign >= -1; sign -= 2)
	{
		float	   *g = sign > 0 ? g_up : g_down;

		for (size_t i = 0; i < P; i++)
			shifted[i] = (float) (p.theta[i] + sign * h * v[i]);
		help_net_forward(&p.L, shifted, p.hw, p.task.support_X, p.task.n_support, pred, p.mw->ws);
		help_mse(pred, p.task.support_y, p.task.n_support, dy);
		help_net_backward(&p.L, shifted, p.hw, p.task.support_X, dy, g, p.mw->ws);
	}
	for (size_t i = 0; i < P; i++)
	{
		double		numeric = ((double) g_up[i] - g_down[i]) / (2 * h);

		diff += (numeric - hv[i]) * (numeric - hv[i]);
		norm += (double) hv[i] * hv[i];
	}
	snprintf(what, sizeof(what), "%s Hessian-vector product vs differences of gradients (relative error %.2e)",
			 help_space_name(space), sqrt(diff / norm));
	check(sqrt(diff / norm) < 1e-2, what);
	printf("%s\n", what);
	help_free(v);
	help_free(hv);
	help_free(shifted);
	help_free(g_up);
	help_free(g_down);
	tiny_problem_free(&p);
}

/* The same task and weights give bit-identical meta-gradients. */
static void
meta_gradient_determinism(HelpSpace space)
{
	TinyProblem p;
	HelpMetaGrad a,
				b;
	char		what[128];
	int			same;

	tiny_problem_init(&p, space, 3);
	a.theta = help_alloc(sizeof(float) * p.L.n_params);
	a.alpha = help_alloc(sizeof(float) * p.L.n_params);
	a.infer = help_alloc(sizeof(float) * p.L.n_infer);
	b.theta = help_alloc(sizeof(float) * p.L.n_params);
	b.alpha = help_alloc(sizeof(float) * p.L.n_params);
	b.infer = help_alloc(sizeof(float) * p.L.n_infer);
	tiny_meta_gradient(&p, &p.spec, &a);
	tiny_meta_gradient(&p, &p.spec, &b);
	same = memcmp(a.theta, b.theta, sizeof(float) * p.L.n_params) == 0 &&
		memcmp(a.alpha, b.alpha, sizeof(float) * p.L.n_params) == 0 &&
		memcmp(a.infer, b.infer, sizeof(float) * p.L.n_infer) == 0;
	snprintf(what, sizeof(what), "%s meta-gradient is deterministic", help_space_name(space));
	check(same, what);
	help_free(a.theta);
	help_free(a.alpha);
	help_free(a.infer);
	help_free(b.theta);
	help_free(b.alpha);
	help_free(b.infer);
	tiny_problem_free(&p);
}

/*
 * Meta-training adapts exactly as help_adapt does: theta_K kept by
 * help_meta_task equals help_inner_loop from the same modulated start.
 */
static void
inner_steps_match_adaptation(HelpSpace space)
{
	TinyProblem p;
	size_t		P;
	double	   *mu,
			   *sigma,
			   *z;
	float	   *start,
			   *grad;
	char		what[128];

	tiny_problem_init(&p, space, 13);
	P = p.L.n_params;
	mu = help_alloc(sizeof(double) * p.L.z_dim);
	sigma = help_alloc(sizeof(double) * p.L.z_dim);
	z = help_alloc(sizeof(double) * p.L.z_dim);
	start = help_alloc(sizeof(float) * P);
	grad = help_alloc(sizeof(float) * P);
	help_meta_task(&p.L, &p.spec, p.theta, p.alpha, p.infer, &p.task, 1.0, NULL, NULL, p.mw);
	help_modulator_posterior(&p.L, p.infer, p.hw, mu, sigma);
	for (int k = 0; k < p.L.z_dim; k++)
		z[k] = mu[k] + sigma[k] * p.eps[k];
	help_modulate(&p.L, p.theta, z, p.spec.z_scale, start);
	help_inner_loop(&p.L, start, p.alpha, p.hw, p.task.support_X, p.task.support_y,
					p.task.n_support, p.spec.inner_steps, grad, p.mw->ws);
	snprintf(what, sizeof(what), "%s meta-training's inner steps are help_inner_loop's, bit for bit",
			 help_space_name(space));
	check(memcmp(start, p.mw->thetas + P * p.spec.inner_steps, sizeof(float) * P) == 0, what);
	help_free(mu);
	help_free(sigma);
	help_free(z);
	help_free(start);
	help_free(grad);
	tiny_problem_free(&p);
}

/* The per-device validation figure: a correlation, undefined on one architecture. */
static void
device_spearman_test(HelpSpace space)
{
	TinyProblem p;
	HelpAdaptSpec spec = {.steps = 2, .mc_samples = 3, .seed = 1, .z_scale = 0.01,
	.range_lo = 0.5, .range_hi = 2.0};
	double		support_ms[5],
				query_ms[7],
				rho,
				single;
	HelpError	err;
	char		what[128];

	tiny_problem_init(&p, space, 17);
	for (int i = 0; i < 5; i++)
		support_ms[i] = 0.5 + 1.5 * p.task.support_y[i];
	for (int i = 0; i < 7; i++)
		query_ms[i] = 0.5 + 1.5 * p.task.query_y[i];
	rho = help_device_spearman(&p.L, p.theta, p.alpha, p.infer, p.hw, p.task.support_X,
							   support_ms, 5, p.task.query_X, query_ms, 7, &spec, &err);
	single = help_device_spearman(&p.L, p.theta, p.alpha, p.infer, p.hw, p.task.support_X,
								  support_ms, 5, p.task.query_X, query_ms, 1, &spec, &err);
	snprintf(what, sizeof(what), "%s device Spearman is a correlation (%.3f), NaN on one architecture",
			 help_space_name(space), rho);
	check(rho >= -1.0 && rho <= 1.0 && isnan(single), what);
	tiny_problem_free(&p);
}

/* What the training hooks saw. */
typedef struct HookLog
{
	int			validations;
	int			last_episode;
	double		last_loss;
	int			interrupt_calls;
	int			stop_after_calls;	/* interrupt once this many calls were made (0: never) */
} HookLog;

static int
log_validation(void *arg, int episode, double meta_loss, const float *theta,
			   const float *alpha, const float *infer)
{
	HookLog    *log = arg;

	log->validations++;
	log->last_episode = episode;
	log->last_loss = meta_loss;
	return 0;
}

static int
log_interrupt(void *arg)
{
	HookLog    *log = arg;

	log->interrupt_calls++;
	return log->stop_after_calls > 0 && log->interrupt_calls >= log->stop_after_calls;
}

/* A short training run on tiny synthetic devices; returns its status. */
static HelpStatus
tiny_training_run(HelpSpace space, int n_devices, int episodes, int threads, HookLog *log,
				  float **theta_out, float **alpha_out, float **infer_out,
				  HelpLayout *L, HelpError *err)
{
	enum
	{
		POOL = 30
	};
	HelpMetaTrainSpec spec = {
		.episodes = episodes, .tasks_per_episode = 3, .support = 4, .query = 9,
		.meta_lr = 1e-3, .validate_every = 2, .seed = 77, .threads = threads,
		.meta = {.inner_steps = 2, .z_scale = 0.01, .kl_weight = 0.1, .second_order = 1}
	};
	HelpMetaTrainHooks hooks = {.validate = log_validation, .interrupted = log_interrupt, .arg = log};
	HelpTrainDevice devices[6];
	HelpRng		rng;
	int			dim = help_space_encoding_dim(space);
	float	   *X = help_alloc(sizeof(float) * POOL * dim);
	float	   *y = help_alloc(sizeof(float) * POOL * 6);
	HelpStatus	status;
	int			done;

	help_layout_init(L, space, 8);
	help_rng_seed(&rng, 2024);
	random_encodings(space, &rng, POOL, X);
	for (int d = 0; d < n_devices; d++)
	{
		for (int i = 0; i < HELP_HW_DIM; i++)
			devices[d].hw[i] = (float) help_rng_uniform(&rng);
		for (int a = 0; a < POOL; a++)
			y[d * POOL + a] = (float) (0.05 + 0.9 * help_rng_uniform(&rng));
		devices[d].n = POOL;
		devices[d].X = X;
		devices[d].y = y + d * POOL;
	}
	*theta_out = help_alloc(sizeof(float) * L->n_params);
	*alpha_out = help_alloc(sizeof(float) * L->n_params);
	*infer_out = help_alloc(sizeof(float) * L->n_infer);
	help_meta_init(L, 5, 1e-3, *theta_out, *alpha_out, *infer_out);
	status = help_meta_train_run(L, &spec, devices, n_devices, *theta_out, *alpha_out,
								 *infer_out, &hooks, &done, err);
	log->last_episode = status == HELP_OK ? done : -1;
	help_free(X);
	help_free(y);
	return status;
}

/* Same seed, same result; hooks called as documented; bad inputs refused. */
static void
meta_train_tests(HelpSpace space)
{
	HookLog		a = {0},
				b = {0},
				stop = {.stop_after_calls = 5},
				few = {0};
	float	   *theta_a,
			   *alpha_a,
			   *infer_a,
			   *theta_b,
			   *alpha_b,
			   *infer_b,
			   *t,
			   *al,
			   *in;
	HelpLayout	L;
	HelpError	err;
	char		what[128];
	int			same,
				moved = 0;

	check(tiny_training_run(space, 6, 5, 1, &a, &theta_a, &alpha_a, &infer_a, &L, &err) == HELP_OK &&
		  tiny_training_run(space, 6, 5, 1, &b, &theta_b, &alpha_b, &infer_b, &L, &err) == HELP_OK,
		  "meta-training runs");
	same = memcmp(theta_a, theta_b, sizeof(float) * L.n_params) == 0 &&
		memcmp(alpha_a, alpha_b, sizeof(float) * L.n_params) == 0 &&
		memcmp(infer_a, infer_b, sizeof(float) * L.n_infer) == 0;
	snprintf(what, sizeof(what), "%s meta-training is deterministic for a seed", help_space_name(space));
	check(same, what);
	for (size_t i = 0; i < L.n_params; i++)
		moved += alpha_a[i] != 1e-3f;
	check(moved > 0 && isfinite(a.last_loss), "meta-training moves the inner learning rates");
	/* 5 episodes, validate_every 2: after 2, 4 and the last */
	check(a.validations == 3 && a.last_episode == 5, "validation hook after every 2nd and the last episode");
	check(a.interrupt_calls == 5 * 3, "interrupt hook after every task");
	help_free(theta_b);
	help_free(alpha_b);
	help_free(infer_b);

	check(tiny_training_run(space, 6, 5, 2, &b, &theta_b, &alpha_b, &infer_b, &L, &err) == HELP_OK,
		  "meta-training runs on two threads");
	same = memcmp(theta_a, theta_b, sizeof(float) * L.n_params) == 0 &&
		memcmp(alpha_a, alpha_b, sizeof(float) * L.n_params) == 0 &&
		memcmp(infer_a, infer_b, sizeof(float) * L.n_infer) == 0;
	snprintf(what, sizeof(what), "%s meta-training on two threads gives the one-thread weights bit for bit",
			 help_space_name(space));
	check(same, what);
	help_free(theta_b);
	help_free(alpha_b);
	help_free(infer_b);

	check(tiny_training_run(space, 6, 5, 1, &stop, &t, &al, &in, &L, &err) == HELP_OK &&
		  stop.last_episode == 1 && stop.validations == 0,
		  "an interrupt hook stops training mid-episode");
	help_free(t);
	help_free(al);
	help_free(in);
	check(tiny_training_run(space, 2, 5, 1, &few, &t, &al, &in, &L, &err) == HELP_ERR_DATA &&
		  strstr(err.msg, "distinct") != NULL,
		  "too few devices for an episode is an error");
	help_free(t);
	help_free(al);
	help_free(in);
	help_free(theta_a);
	help_free(alpha_a);
	help_free(infer_a);
}

/* The strict checker's verdict on text, and its canonical form in *canon. */
static HelpStatus
json_verdict(const char *text, int max_depth, char *canon, size_t size)
{
	HelpJsonLimits lim = {.max_depth = max_depth, .max_values = 1000};
	HelpJsonBuf buf = {0};
	HelpError	err;
	HelpStatus	st = help_json_check(text, strlen(text), &lim, NULL, &buf, &err);

	snprintf(canon, size, "%s", st == HELP_OK ? buf.data : err.msg);
	help_json_buf_free(&buf);
	return st;
}

/*
 * The strict JSON checker: RFC 8259 and nothing more, keys unique, the
 * canonical form json-c's printer gives (and canonical texts are fixed
 * points), limits.
 */
static void
json_check_tests(void)
{
	static const struct
	{
		const char *in;
		HelpStatus	want;
		const char *canon;		/* expected canonical form, or NULL */
	}			cases[] = {
		{" {\"a\" : [1, -0, 0.5e-3, true, null], \"b\": {}} ", HELP_OK,
		"{\"a\":[1,0,0.5e-3,true,null],\"b\":{}}"},
		{"{\"s\":\"\\u00e9\\/\\u001f\\t\\\"\\\\x\\ud83d\\ude00\"}", HELP_OK,
		"{\"s\":\"\xc3\xa9/\\u001f\\t\\\"\\\\x\xf0\x9f\x98\x80\"}"},
		{"-9223372036854775808", HELP_OK, "-9223372036854775808"},
		{"9223372036854775807", HELP_OK, "9223372036854775807"},
		{"1E400", HELP_OK, "1E400"},
		{"{\"a\":1,\"a\":2}", HELP_ERR_SYNTAX, NULL},
		{"{\"a\":1,\"\\u0061\":2}", HELP_ERR_SYNTAX, NULL},
		{"{\"k1\":1,\"k2\":1,\"k3\":1,\"k4\":1,\"k5\":1,\"k6\":1,\"k7\":1,\"k8\":1,\"k9\":1,\"k3\":{}}",
		HELP_ERR_SYNTAX, NULL},
		{"{\"a\":{\"x\":1},\"b\":{\"x\":1}}", HELP_OK, NULL},
		{"{\"s\":\"a\\u0000b\"}", HELP_ERR_SYNTAX, NULL},
		{"\"\\ud83d\"", HELP_ERR_SYNTAX, NULL},
		{"\"\\ude00\"", HELP_ERR_SYNTAX, NULL},
		{"\"\xff\"", HELP_ERR_SYNTAX, NULL},
		{"\"\xc0\xaf\"", HELP_ERR_SYNTAX, NULL},
		{"\"\xed\xa0\x80\"", HELP_ERR_SYNTAX, NULL},
		{"\"\xf4\x90\x80\x80\"", HELP_ERR_SYNTAX, NULL},
		{"\"a\tb\"", HELP_ERR_SYNTAX, NULL},
		{"{'a':1}", HELP_ERR_SYNTAX, NULL},
		{"[1,2,]", HELP_ERR_SYNTAX, NULL},
		{"{\"a\":1,}", HELP_ERR_SYNTAX, NULL},
		{"[1]/* c */", HELP_ERR_SYNTAX, NULL},
		{"[NaN]", HELP_ERR_SYNTAX, NULL},
		{"[Infinity]", HELP_ERR_SYNTAX, NULL},
		{"[007]", HELP_ERR_SYNTAX, NULL},
		{"[+1]", HELP_ERR_SYNTAX, NULL},
		{"[.5]", HELP_ERR_SYNTAX, NULL},
		{"[5.]", HELP_ERR_SYNTAX, NULL},
		{"[1e]", HELP_ERR_SYNTAX, NULL},
		{"[0x10]", HELP_ERR_SYNTAX, NULL},
		{"[tru]", HELP_ERR_SYNTAX, NULL},
		{"[1] [2]", HELP_ERR_SYNTAX, NULL},
		{"", HELP_ERR_SYNTAX, NULL},
		{"[9223372036854775808]", HELP_ERR_RANGE, NULL},
		{"[-9223372036854775809]", HELP_ERR_RANGE, NULL},
		{"[[[[1]]]]", HELP_ERR_LIMIT, NULL},
	};
	char		canon[256],
				again[256],
				what[300];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		HelpStatus	st = json_verdict(cases[i].in, 3, canon, sizeof(canon));
		bool		ok = st == cases[i].want;

		if (ok && st == HELP_OK)
		{
			ok = cases[i].canon == NULL || strcmp(canon, cases[i].canon) == 0;
			ok = ok && json_verdict(canon, 3, again, sizeof(again)) == HELP_OK &&
				strcmp(canon, again) == 0;
		}
		snprintf(what, sizeof(what), "JSON check of %.60s: status %d (want %d), %.80s",
				 cases[i].in, st, cases[i].want, canon);
		check(ok, what);
	}
	{
		const char *text = "{\"a\": [1, {\"provenance\": 2}], \"provenance\" : {\"x\": \"}\"} , \"z\": 0}";
		size_t		start,
					end;

		check(help_json_member_span(text, strlen(text), "provenance", &start, &end) &&
			  strncmp(text + start, "{\"x\": \"}\"}", end - start) == 0 &&
			  !help_json_member_span(text, strlen(text), "q", &start, &end),
			  "JSON member span of a top-level key");
		text = "{\"a\\u00e9\\n\\ud83d\\ude00\": [], \"z\": 1}";
		check(help_json_member_span(text, strlen(text), "a\xc3\xa9\n\xf0\x9f\x98\x80", &start, &end) &&
			  end - start == 2 && !help_json_member_span(text, strlen(text), "a", &start, &end),
			  "JSON member span of a key written with escapes");
	}
}

/* What the interrupt hook saw, and when it should jump out. */
static struct
{
	pthread_t	main_thread;
	int			calls;
	int			foreign_calls;	/* calls from another thread */
	int			jump_at;		/* longjmp on this call (0: never) */
	jmp_buf		jump;
} hook_log;

static void
counting_hook(void)
{
	if (!pthread_equal(pthread_self(), hook_log.main_thread))
		hook_log.foreign_calls++;
	if (++hook_log.calls == hook_log.jump_at)
		longjmp(hook_log.jump, 1);
}

/*
 * The interrupt hook: adaptation and prediction call it (per draw and
 * step, per chunk and draw); meta-training calls it on the calling thread
 * only when tasks run there, never while worker threads run; a hook that
 * jumps out of an adaptation (as CHECK_FOR_INTERRUPTS does) leaves the core
 * usable.
 */
static void
interrupt_hook_tests(void)
{
	TinyProblem p;
	HelpAdaptSpec spec = {.steps = 3, .mc_samples = 4, .seed = 1, .z_scale = 0.01};
	double		ms[5],
				pred[7];
	HelpError	err;
	HelpAdapted *ad;
	HookLog		log = {0};
	float	   *t,
			   *al,
			   *in;
	HelpLayout	L;
	int			adapt_calls;

	hook_log.main_thread = pthread_self();
	tiny_problem_init(&p, HELP_SPACE_NASBENCH201, 23);
	for (int i = 0; i < 5; i++)
		ms[i] = 1.0 + i;
	help_set_interrupt_hook(counting_hook);

	ad = help_adapt(&p.L, p.theta, p.alpha, p.infer, p.hw, p.task.support_X, ms, 5, &spec, &err);
	adapt_calls = hook_log.calls;
	check(ad != NULL && adapt_calls >= spec.mc_samples * (spec.steps + 1),
		  "adaptation checks for interrupts per draw and per inner step");
	hook_log.calls = 0;
	help_adapted_reserve(ad, 7);
	help_adapted_predict(ad, p.task.query_X, 7, NULL, pred, NULL, NULL);
	check(hook_log.calls >= spec.mc_samples, "prediction checks for interrupts per draw");
	help_adapted_destroy(ad);

	/* jump out halfway through an adaptation, then adapt again */
	hook_log.calls = 0;
	hook_log.jump_at = adapt_calls / 2;
	if (setjmp(hook_log.jump) == 0)
	{
		help_adapt(&p.L, p.theta, p.alpha, p.infer, p.hw, p.task.support_X, ms, 5, &spec, &err);
		check(0, "the hook's longjmp leaves the adaptation");
	}
	hook_log.jump_at = 0;
	hook_log.calls = 0;
	ad = help_adapt(&p.L, p.theta, p.alpha, p.infer, p.hw, p.task.support_X, ms, 5, &spec, &err);
	check(ad != NULL && hook_log.calls == adapt_calls,
		  "adaptation after a jump out of one runs as before");
	help_adapted_destroy(ad);

	/* one thread: tasks run on the calling thread and check there */
	hook_log.calls = hook_log.foreign_calls = 0;
	check(tiny_training_run(HELP_SPACE_NASBENCH201, 6, 2, 1, &log, &t, &al, &in, &L, &err) == HELP_OK &&
		  hook_log.calls > 0 && hook_log.foreign_calls == 0,
		  "one-thread meta-training checks for interrupts on the calling thread");
	help_free(t);
	help_free(al);
	help_free(in);

	/* two threads: tasks and updates run threaded, with the hook held off */
	hook_log.calls = hook_log.foreign_calls = 0;
	check(tiny_training_run(HELP_SPACE_NASBENCH201, 6, 2, 2, &log, &t, &al, &in, &L, &err) == HELP_OK &&
		  hook_log.calls == 0 && help_interrupt_hook == counting_hook,
		  "threaded meta-training never calls the hook while workers run, and restores it");
	help_free(t);
	help_free(al);
	help_free(in);

	help_set_interrupt_hook(NULL);
	tiny_problem_free(&p);
}

int
main(void)
{
	char		blas_err[256];

	if (!help_blas_open(blas_err, sizeof(blas_err)))
	{
		fprintf(stderr, "%s\n", blas_err);
		return 1;
	}
	gradient_check(HELP_SPACE_NASBENCH201);
	gradient_check(HELP_SPACE_FBNET);
	gradient_check(HELP_SPACE_OFA);
	for (int space = 0; space < 2; space++)
	{
		hvp_check((HelpSpace) space);
		meta_gradient_check((HelpSpace) space);
		meta_gradient_determinism((HelpSpace) space);
		inner_steps_match_adaptation((HelpSpace) space);
		device_spearman_test((HelpSpace) space);
		meta_train_tests((HelpSpace) space);
	}
	predict_by_class_matches_forward();
	encoder_tests();
	check_encoding_tests();
	pool_tests();
	live_columns_tests();
	rank_tests();
	json_check_tests();
	interrupt_hook_tests();
	transfer_tests();
	runner_tests();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

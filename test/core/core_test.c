/*
 * core_test.c
 *	  Unit tests of the numerical core, run without a server:
 *	  the support-loss gradient against central finite differences (double
 *	  precision differences of a float network, on a random predictor), the
 *	  encoders, and the rank correlations on hand-computed cases.
 *	  Prints "N passed, M failed".
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "adapt.h"
#include "encode.h"
#include "model.h"
#include "rank.h"
#include "rng.h"

static int	passed,
			failed;

static void
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

/* Support loss at theta. */
static double
loss_at(const HelpLayout *L, const float *theta, const float *hw, const float *X,
		const float *y, int n, HelpWorkspace *ws)
{
	float		pred[64];

	help_net_forward(L, theta, hw, X, n, pred, ws);
	return help_mse(pred, y, n, NULL);
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
	double		worst = 0.0;
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
	/* weights ~ N(0, 1/fan_in) keep activations O(1), so float noise stays small */
	for (int t = 0; t < L.n_tensors; t++)
	{
		const HelpTensor *T = &L.tensors[t];
		int			fan_in = T->ndim == 1 ? 4 : (strstr(T->name, ".gc") ? T->shape[0] : T->shape[1]);

		for (size_t i = 0; i < T->size; i++)
			theta[T->offset + i] = (float) (help_rng_normal(&rng) / sqrt((double) fan_in));
	}
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

	/*
	 * Per tensor, the directional derivative along a random unit direction:
	 * it sums many entries, so float rounding in the loss stays far below it.
	 */
	for (int t = 0; t < L.n_tensors; t++)
	{
		const HelpTensor *T = &L.tensors[t];
		float	   *saved = help_alloc(sizeof(float) * T->size);
		double	   *v = help_alloc(sizeof(double) * T->size);
		double		norm = 0.0,
					analytic = 0.0,
					h = 1e-3,
					up,
					down,
					numeric,
					rel;

		memcpy(saved, theta + T->offset, sizeof(float) * T->size);
		for (size_t i = 0; i < T->size; i++)
		{
			v[i] = help_rng_normal(&rng);
			norm += v[i] * v[i];
		}
		for (size_t i = 0; i < T->size; i++)
		{
			v[i] /= sqrt(norm);
			analytic += v[i] * grad[T->offset + i];
		}
		for (size_t i = 0; i < T->size; i++)
			theta[T->offset + i] = (float) (saved[i] + h * v[i]);
		up = loss_at(&L, theta, hw, X, y, n, ws);
		for (size_t i = 0; i < T->size; i++)
			theta[T->offset + i] = (float) (saved[i] - h * v[i]);
		down = loss_at(&L, theta, hw, X, y, n, ws);
		memcpy(theta + T->offset, saved, sizeof(float) * T->size);
		numeric = (up - down) / (2 * h);
		rel = fabs(numeric - analytic) / fmax(fabs(analytic), 1e-3);
		if (rel > 1e-2)
			printf("  %s: analytic %g numeric %g\n", T->name, analytic, numeric);
		worst = fmax(worst, rel);
		help_free(saved);
		help_free(v);
	}
	snprintf(what, sizeof(what), "%s gradient vs finite differences (worst relative error %.2e)",
			 help_space_name(space), worst);
	check(worst < 1e-2, what);
	printf("%s\n", what);
	help_workspace_destroy(ws);
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

int
main(void)
{
	gradient_check(HELP_SPACE_NASBENCH201);
	gradient_check(HELP_SPACE_FBNET);
	gradient_check(HELP_SPACE_OFA);
	encoder_tests();
	rank_tests();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

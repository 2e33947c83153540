/*
 * transfer_test.c
 *	  Unit tests of the transfer method's parts: Student's t, the analytic
 *	  features, the evidence-maximizing regression and its calibration, the
 *	  predictive distribution, and the choice of measurements.
 */
#include "core_test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "arch_features.h"
#include "bayes_linear.h"
#include "encode.h"
#include "rng.h"
#include "student_t.h"
#include "suggest.h"
#include "transfer.h"

/* Student's t against tabulated values and its own symmetry. */
static void
StudentTTests(void)
{
	check(fabs(help_student_t_cdf(0.0, 7.0) - 0.5) < 1e-12, "t cdf(0) = 0.5");
	check(fabs(help_student_t_quantile(0.95, 10.0) - 1.812461) < 1e-5, "t_10 0.95 quantile");
	check(fabs(help_student_t_quantile(0.975, 1.0) - 12.706205) < 1e-4, "t_1 0.975 quantile");
	check(fabs(help_student_t_quantile(0.975, 1e6) - 1.959966) < 1e-4, "t_inf 0.975 quantile");
	check(fabs(help_student_t_cdf(2.5, 4.0) + help_student_t_cdf(-2.5, 4.0) - 1.0) < 1e-12,
		  "t cdf symmetric");
	for (double q = 0.01; q < 1.0; q += 0.07)
		if (fabs(help_student_t_cdf(help_student_t_quantile(q, 19.0), 19.0) - q) > 1e-10)
		{
			check(0, "t quantile inverts the cdf");
			return;
		}
	check(1, "t quantile inverts the cdf");
}

/* Features of hand-built architectures. */
static void
FeatureTests(void)
{
	float		enc[HELP_NB201_ENC_DIM];
	double		f[HELP_MAX_ARCH_FEATURES],
				g[HELP_MAX_ARCH_FEATURES];
	int			ops[HELP_FBNET_LAYERS];
	int			group[HELP_MAX_ARCH_FEATURES];
	HelpError	err;

	help_encode_nb201("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", enc, &err);
	help_arch_features(HELP_SPACE_NASBENCH201, enc, f);
	check(f[0] == 6 && f[1] == 0 && f[3] == 0 && f[help_arch_flops_feature(HELP_SPACE_NASBENCH201)] == 0,
		  "nb201 all-none: six none, no FLOPs");
	help_encode_nb201("|nor_conv_3x3~0|+|nor_conv_1x1~0|nor_conv_3x3~1|+|skip_connect~0|avg_pool_3x3~1|nor_conv_3x3~2|",
					  enc, &err);
	help_arch_features(HELP_SPACE_NASBENCH201, enc, g);
	check(g[3] == 3 && g[2] == 1 && g[1] == 1 && g[4] == 1 && g[0] == 0, "nb201 op counts");
	check(g[5] > 0 && g[6] > 0 && g[7] > 0 && g[8] == 3 * 15 + 3 * 15 + 3 * 15 + 3 * 15 + 15,
		  "nb201 FLOPs, memory, params, kernels");
	check(help_arch_feature_groups(HELP_SPACE_NASBENCH201, group) == 2 && group[4] == 0 && group[5] == 1
		  && group[8] == 1, "nb201 groups: the counts, then the analytic features");

	/* all skip: only the six layers that change channels or stride cost */
	for (int l = 0; l < HELP_FBNET_LAYERS; l++)
		ops[l] = 8;
	help_encode_fbnet(ops, enc, &err);
	help_arch_features(HELP_SPACE_FBNET, enc, f);
	check(f[3] == 6 && f[0] > 0, "fbnet all-skip: six 1x1 convolutions");
	ops[5] = 7;					/* one k5_e6 block costs more than k3_e1 */
	help_encode_fbnet(ops, enc, &err);
	help_arch_features(HELP_SPACE_FBNET, enc, g);
	ops[5] = 0;
	help_encode_fbnet(ops, enc, &err);
	help_arch_features(HELP_SPACE_FBNET, enc, f);
	check(g[0] > f[0] && g[2] > f[2] && g[3] == f[3], "fbnet k5_e6 costs more FLOPs and parameters than k3_e1");
	check(help_arch_feature_count(HELP_SPACE_OFA) == 4, "ofa has the four analytic features");
}

/*
 * The regression recovers a linear law from noisy rows, switches off a
 * group of noise features, and its calibration is near 1 for data that
 * match its assumptions.
 */
static void
RegressionTests(void)
{
	enum
	{
		N = 60, D = 4
	};
	double		X[N * D],
				y[N];
	int			group[D] = {0, 0, 1, 2};
	HelpBayesLinear m;
	HelpError	err;
	HelpRng		rng;
	double		mean,
				sd,
				x[D] = {1.0, -0.5, 0.3, 0.0};

	help_rng_seed(&rng, 7);
	for (int i = 0; i < N; i++)
	{
		for (int k = 0; k < D; k++)
			X[i * D + k] = help_rng_normal(&rng);
		y[i] = 5.0 + 2.0 * X[i * D] - 1.0 * X[i * D + 1] + 0.05 * help_rng_normal(&rng);
	}
	check(help_bayes_fit(&m, X, y, N, D, group, 3, &err) == HELP_OK, "regression fits");
	help_bayes_predict(&m, x, &mean, &sd);
	check(fabs(mean - (5.0 + 2.0 + 0.5)) < 0.05, "regression recovers the law");
	check(sd < 0.1, "regression's noise estimate is small");
	check(m.alpha[1] > 100 * m.alpha[0] && m.alpha[2] > 100 * m.alpha[0], "noise feature groups are shrunk away");
	help_bayes_calibrate(&m, X, y);
	/* a t(4) fitted to normal residuals has scale about 0.8 */
	check(m.kappa > 0.6 && m.kappa < 1.2 && m.dof == HELP_BAYES_DOF, "calibration near 0.8 on well-specified data");

	/* all-equal targets cannot be fitted */
	for (int i = 0; i < N; i++)
		y[i] = 3.0;
	check(help_bayes_fit(&m, X, y, N, D, group, 3, &err) == HELP_ERR_DATA, "equal targets refused");
}

/*
 * The transfer model on NAS-Bench-201 cells whose latency is a cost law of
 * their operations plus noise: it ranks the cells, its intervals are
 * ordered and widen with the level, and method help keeps HELP's point.
 */
static void
TransferTests(void)
{
	enum
	{
		N = 20, M = 200
	};
	static float X[M * HELP_NB201_ENC_DIM];
	double		ms[M],
				help_ms[M],
				mean[M],
				scale[M];
	bool		measured[M];
	int			chosen[10],
				again[10];
	HelpTransfer t;
	HelpError	err;
	HelpRng		rng;
	int			concordant = 0,
				pairs = 0,
				n_chosen;
	bool		ordered = true,
				distinct = true;

	help_rng_seed(&rng, 3);
	for (int i = 0; i < M; i++)
	{
		double		f[HELP_MAX_ARCH_FEATURES];

		help_encode_random_nb201(&rng, X + (size_t) i * HELP_NB201_ENC_DIM);
		help_arch_features(HELP_SPACE_NASBENCH201, X + (size_t) i * HELP_NB201_ENC_DIM, f);
		ms[i] = 2.0 + 0.8 * f[3] + 0.3 * f[2] + 0.1 * f[4] + 0.05 * help_rng_normal(&rng);
		help_ms[i] = 1.0 + 0.1 * help_rng_normal(&rng);	/* a useless "HELP" */
	}
	check(help_transfer_fit(&t, HELP_SPACE_NASBENCH201, HELP_METHOD_TRANSFER, X, help_ms, ms, N, &err)
		  == HELP_OK, "transfer fits");
	help_transfer_predict(&t, X, help_ms, M, mean, scale);
	for (int i = N; i < M; i++)
		for (int j = i + 1; j < M; j++)
			if (ms[i] != ms[j])
			{
				pairs++;
				concordant += (mean[i] < mean[j]) == (ms[i] < ms[j]);
			}
	check(concordant > 0.9 * pairs, "transfer ranks cells by their cost law");
	for (int i = 0; i < M; i++)
	{
		double		lo80 = help_transfer_quantile(&t, mean[i], scale[i], 0.1),
					hi80 = help_transfer_quantile(&t, mean[i], scale[i], 0.9),
					lo95 = help_transfer_quantile(&t, mean[i], scale[i], 0.025),
					hi95 = help_transfer_quantile(&t, mean[i], scale[i], 0.975);

		ordered = ordered && lo95 <= lo80 && lo80 <= mean[i] && mean[i] <= hi80 && hi80 <= hi95;
	}
	check(ordered, "intervals ordered and nested by level");
	check(fabs(help_transfer_probability_within(&t, mean[0], scale[0], mean[0]) - 0.5) < 1e-9,
		  "the point prediction is the median");

	check(help_transfer_fit(&t, HELP_SPACE_NASBENCH201, HELP_METHOD_HELP, X, help_ms, ms, N, &err)
		  == HELP_OK, "method help fits");
	help_transfer_predict(&t, X, help_ms, M, mean, scale);
	check(mean[7] == help_ms[7] && scale[7] > 0, "method help keeps HELP's point and has a scale");

	/* suggestions: distinct, unmeasured, deterministic */
	for (int i = 0; i < M; i++)
		measured[i] = i < 10;
	n_chosen = help_suggest(HELP_SPACE_NASBENCH201, NULL, X, NULL, measured, M, 10, chosen);
	help_suggest(HELP_SPACE_NASBENCH201, NULL, X, NULL, measured, M, 10, again);
	for (int a = 0; a < n_chosen; a++)
	{
		distinct = distinct && !measured[chosen[a]];
		for (int b = 0; b < a; b++)
			distinct = distinct && chosen[a] != chosen[b];
	}
	check(n_chosen == 10 && distinct, "suggestions are 10 distinct unmeasured architectures");
	check(memcmp(chosen, again, sizeof(chosen)) == 0, "suggestions are deterministic");
}

/* See core_test.h. */
void
transfer_tests(void)
{
	StudentTTests();
	FeatureTests();
	RegressionTests();
	TransferTests();
}

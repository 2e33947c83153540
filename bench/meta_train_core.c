/*
 * meta_train_core.c
 *	  Seconds per meta-training episode of the numerical core, without a
 *	  server, on synthetic devices shaped like the paper's data: 18 devices
 *	  with trimmed meta-train pools of 720 cells (nasbench201) or 3,200
 *	  encodings (fbnet, ofa), width 100, 8 tasks of 10 support + 200 query.
 *
 *	  bench/meta_train_core [--space S] [--episodes N] [--validate-every N]
 *	                        [--seed N] [--threads N] [--first-order]
 *
 * Latencies are synthetic (a device-specific positive linear cost of the
 * encoding plus an interaction term), so the meta-loss it prints should
 * fall; the figure that matters is seconds_per_episode, single-threaded
 * OpenBLAS as inside one PostgreSQL backend.
 */
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "encode.h"
#include "meta_train.h"
#include "rng.h"

#define N_DEVICES 18

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* A random architecture of the space, encoded. */
static void
random_architecture(HelpSpace space, HelpRng *rng, float *out)
{
	static const char *const ops[] = {
		"none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"
	};
	HelpError	err;
	int			dim = help_space_encoding_dim(space);

	if (space == HELP_SPACE_NASBENCH201)
	{
		const char *o[6];
		char		cell[256];

		for (int e = 0; e < 6; e++)
			o[e] = ops[help_rng_below(rng, 5)];
		snprintf(cell, sizeof(cell), "|%s~0|+|%s~0|%s~1|+|%s~0|%s~1|%s~2|",
				 o[0], o[1], o[2], o[3], o[4], o[5]);
		help_encode_nb201(cell, out, &err);
	}
	else if (space == HELP_SPACE_FBNET)
	{
		int			codes[HELP_FBNET_LAYERS];

		for (int l = 0; l < HELP_FBNET_LAYERS; l++)
			codes[l] = (int) help_rng_below(rng, HELP_FBNET_N_OPS);
		help_encode_fbnet(codes, out, &err);
	}
	else
		for (int k = 0; k < dim; k++)
			out[k] = help_rng_uniform(rng) < 0.3f ? 1.0f : 0.0f;
}

/* y <- 0.05 + 0.9 (y - min) / (max - min). */
static void
min_max(float *y, int n)
{
	float		lo = y[0],
				hi = y[0];

	for (int i = 1; i < n; i++)
	{
		lo = y[i] < lo ? y[i] : lo;
		hi = y[i] > hi ? y[i] : hi;
	}
	for (int i = 0; i < n; i++)
		y[i] = 0.05f + 0.9f * (y[i] - lo) / (hi - lo);
}

/* Synthetic devices sharing one architecture pool. */
static void
make_devices(HelpSpace space, HelpRng *rng, int pool, float *X, float *Y,
			 HelpTrainDevice *devices)
{
	int			dim = help_space_encoding_dim(space);
	float	   *shared = malloc(sizeof(float) * dim);
	float	   *own = malloc(sizeof(float) * dim);

	for (int a = 0; a < pool; a++)
		random_architecture(space, rng, X + (size_t) a * dim);
	for (int k = 0; k < dim; k++)
		shared[k] = (float) help_rng_uniform(rng);
	for (int d = 0; d < N_DEVICES; d++)
	{
		float	   *y = Y + (size_t) d * pool;
		float		ref[HELP_HW_DIM];

		for (int k = 0; k < dim; k++)
			own[k] = shared[k] + 0.5f * (float) help_rng_uniform(rng);
		for (int a = 0; a < pool; a++)
		{
			const float *x = X + (size_t) a * dim;
			double		lin = 0.0;

			for (int k = 0; k < dim; k++)
				lin += own[k] * x[k];
			y[a] = (float) (lin + 0.002 * (d + 1) * lin * lin);
		}
		memcpy(ref, y, sizeof(ref));
		min_max(ref, HELP_HW_DIM);
		min_max(y, pool);
		memcpy(devices[d].hw, ref, sizeof(ref));
		devices[d].n = pool;
		devices[d].X = X;
		devices[d].y = y;
	}
	free(shared);
	free(own);
}

/* Print the running meta-loss at each validation point. */
static int
report(void *arg, int episode, double meta_loss, const float *theta,
	   const float *alpha, const float *infer)
{
	double		start = *(double *) arg;

	printf("episode %d meta_loss %.5f elapsed %.2f\n", episode, meta_loss,
		   now_seconds() - start);
	return 0;
}

int
main(int argc, char **argv)
{
	HelpSpace	space = HELP_SPACE_NASBENCH201;
	HelpMetaTrainSpec spec = {
		.episodes = 20, .tasks_per_episode = 8, .support = 10, .query = 200,
		.meta_lr = 1e-4, .validate_every = 10, .seed = 1, .threads = 1,
		.meta = {.inner_steps = 2, .z_scale = 0.01, .kl_weight = 0.1, .second_order = 1}
	};
	HelpLayout	L;
	HelpTrainDevice devices[N_DEVICES];
	HelpMetaTrainHooks hooks = {.validate = report};
	HelpRng		rng;
	HelpError	err;
	float	   *X,
			   *Y,
			   *theta,
			   *alpha,
			   *infer;
	int			pool,
				done;
	double		start;

	for (int i = 1; i < argc; i++)
	{
		if (strcmp(argv[i], "--space") == 0 && i + 1 < argc)
			space = (HelpSpace) help_space_from_name(argv[++i]);
		else if (strcmp(argv[i], "--episodes") == 0 && i + 1 < argc)
			spec.episodes = atoi(argv[++i]);
		else if (strcmp(argv[i], "--validate-every") == 0 && i + 1 < argc)
			spec.validate_every = atoi(argv[++i]);
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			spec.seed = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
			spec.threads = atoi(argv[++i]);
		else if (strcmp(argv[i], "--first-order") == 0)
			spec.meta.second_order = 0;
		else
		{
			fprintf(stderr, "usage: %s [--space S] [--episodes N] [--validate-every N] [--seed N] [--threads N] [--first-order]\n",
					argv[0]);
			return 2;
		}
	}
	if ((int) space < 0)
	{
		fprintf(stderr, "unknown space\n");
		return 2;
	}
	openblas_set_num_threads(1);
	help_layout_init(&L, space, 100);
	pool = space == HELP_SPACE_NASBENCH201 ? 720 : 3200;
	X = malloc(sizeof(float) * pool * help_space_encoding_dim(space));
	Y = malloc(sizeof(float) * pool * N_DEVICES);
	help_rng_seed(&rng, 12345);
	make_devices(space, &rng, pool, X, Y, devices);
	theta = help_alloc(sizeof(float) * L.n_params);
	alpha = help_alloc(sizeof(float) * L.n_params);
	infer = help_alloc(sizeof(float) * L.n_infer);
	help_meta_init(&L, spec.seed, 1e-3, theta, alpha, infer);

	start = now_seconds();
	hooks.arg = &start;
	if (help_meta_train_run(&L, &spec, devices, N_DEVICES, theta, alpha, infer,
							&hooks, &done, &err) != HELP_OK)
	{
		fprintf(stderr, "error: %s\n", err.msg);
		return 1;
	}
	printf("space %s second_order %d threads %d episodes %d\n", help_space_name(space),
		   spec.meta.second_order, spec.threads, done);
	printf("seconds_per_episode %.4f\n", (now_seconds() - start) / (done ? done : 1));
	return 0;
}

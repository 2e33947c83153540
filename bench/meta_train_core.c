/*
 * meta_train_core.c
 *	  Meta-training with the numerical core alone, without a server.
 *
 *	  bench/meta_train_core [--space S] [--data DIR] [--episodes N]
 *	                        [--validate-every N] [--seed N] [--threads N]
 *	                        [--kl-weight W] [--first-order] [--checkpoint]
 *
 * With --data DIR (e.g. data/help): the folder's meta_train devices, validated
 * on its meta_valid devices (Spearman on the trimmed query pool after
 * adapting on 10 fixed support architectures, 10 z draws), 2000 or 4000
 * episodes by default.  Without: 18 synthetic devices shaped like the
 * paper's data (trimmed pools of 720 cells or 3,200 encodings), width 100,
 * 8 tasks of 10 support + 200 query, for timing.  --checkpoint (with
 * --data) validates the published checkpoint instead of training, to
 * compare like with like.
 *
 * Synthetic latencies are a device-specific positive linear cost of the
 * encoding plus an interaction term, so the meta-loss it prints should
 * fall; the figure that matters is seconds_per_episode, single-threaded
 * OpenBLAS as inside one PostgreSQL backend (cpu_seconds_per_episode sums
 * the CPU time of all threads, a steadier figure when others share the
 * machine).
 */
#include "blas.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_clock.h"
#include "encode.h"
#include "evaluate.h"
#include "help_data.h"
#include "meta_train.h"
#include "rng.h"

#define N_DEVICES 18			/* synthetic devices; at most this many real ones */

/* Wall-clock seconds. */
static double
now_seconds(void)
{
	return clock_seconds(CLOCK_MONOTONIC);
}

/* A random architecture of the space, encoded. */
static void
random_architecture(HelpSpace space, HelpRng *rng, float *out)
{
	HelpError	err;
	int			dim = help_space_encoding_dim(space);

	if (space == HELP_SPACE_NASBENCH201)
		help_encode_random_nb201(rng, out);
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

/* Resident set size in MB (from /proc/self/statm), or -1. */
static double
resident_mb(void)
{
	long		pages_total,
				pages_resident = -1;
	FILE	   *f = fopen("/proc/self/statm", "r");

	if (f)
	{
		if (fscanf(f, "%ld %ld", &pages_total, &pages_resident) != 2)
			pages_resident = -1;
		fclose(f);
	}
	return pages_resident < 0 ? -1.0 : pages_resident * (sysconf(_SC_PAGESIZE) / 1048576.0);
}

/* The state of a run that its validation hook sees. */
typedef struct Run
{
	const HelpLayout *L;
	double		start;
	double		validation_seconds; /* spent inside the hook */
	const HelpData *data;		/* NULL for synthetic devices */
	const HelpMetaTrainSpec *spec;
	double		best;			/* best mean valid Spearman */
	int			best_episode;
	float	   *best_theta,		/* the weights that scored it */
			   *best_alpha,
			   *best_infer;
} Run;

/*
 * Spearman of one valid device, adapted on 10 random support architectures
 * of its trimmed meta-train pool: draw 0 is the one every validation uses,
 * draws 1, 2, 3 give the final figures.
 */
static double
valid_spearman(const Run *run, const DataDevice *dev, int device_no, int draw,
			   const float *theta, const float *alpha, const float *infer)
{
	uint64_t	seed = 1000 * (draw + 1) + device_no;
	HelpAdaptSpec aspec = {
		.steps = run->spec->meta.inner_steps, .mc_samples = 10, .seed = seed,
		.z_scale = run->spec->meta.z_scale, .range_lo = dev->lo_ms, .range_hi = dev->hi_ms
	};
	int			dim = help_space_encoding_dim(run->L->space);
	int		   *order = malloc(sizeof(int) * dev->n_train);
	float		X[10 * HELP_NB201_ENC_DIM];
	double		ms[10];
	HelpRng		rng;
	HelpError	err;
	double		rho;

	help_rng_seed(&rng, seed);
	for (int i = 0; i < dev->n_train; i++)
		order[i] = i;
	help_rng_shuffle(&rng, order, dev->n_train);
	for (int i = 0; i < 10; i++)
	{
		memcpy(X + i * dim, dev->train_X + (size_t) order[i] * dim, sizeof(float) * dim);
		ms[i] = dev->train_ms[order[i]];
	}
	rho = help_device_spearman(run->L, theta, alpha, infer, dev->hw, X, ms, 10,
							   dev->query_X, dev->query_ms, dev->n_query, &aspec, &err);
	free(order);
	return rho;
}

/* Print the running meta-loss, and on real data the valid Spearman. */
static int
report(void *arg, int episode, double meta_loss, const float *theta,
	   const float *alpha, const float *infer)
{
	Run		   *run = arg;
	double		t0 = now_seconds();
	double		sum = 0.0;
	int			n = 0;

	printf("episode %d meta_loss %.5f elapsed %.2f rss_mb %.1f", episode, meta_loss,
		   t0 - run->start, resident_mb());
	for (int d = 0; run->data && d < run->data->n_devices; d++)
	{
		const DataDevice *dev = &run->data->devices[d];
		double		rho;

		if (strcmp(dev->split, "meta_valid") != 0)
			continue;
		rho = valid_spearman(run, dev, d, 0, theta, alpha, infer);
		printf(" %s %.3f", dev->name, rho);
		sum += rho;
		n++;
	}
	if (n > 0)
	{
		printf(" mean %.4f", sum / n);
		if (sum / n > run->best)
		{
			run->best = sum / n;
			run->best_episode = episode;
			memcpy(run->best_theta, theta, sizeof(float) * run->L->n_params);
			memcpy(run->best_alpha, alpha, sizeof(float) * run->L->n_params);
			memcpy(run->best_infer, infer, sizeof(float) * run->L->n_infer);
		}
	}
	printf("\n");
	fflush(stdout);
	run->validation_seconds += now_seconds() - t0;
	return 0;
}

/*
 * The valid Spearman of the given weights averaged over support draws 1..3
 * per device, as the paper's tables average seeds; per device and mean.
 */
static void
final_evaluation(const Run *run, const char *label, const float *theta,
				 const float *alpha, const float *infer)
{
	double		sum = 0.0;
	int			n = 0;

	printf("%s", label);
	for (int d = 0; d < run->data->n_devices; d++)
	{
		const DataDevice *dev = &run->data->devices[d];
		double		rho = 0.0;

		if (strcmp(dev->split, "meta_valid") != 0)
			continue;
		for (int draw = 1; draw <= 3; draw++)
			rho += valid_spearman(run, dev, d, draw, theta, alpha, infer) / 3;
		printf(" %s %.3f", dev->name, rho);
		sum += rho;
		n++;
	}
	printf(" mean %.4f\n", n ? sum / n : NAN);
}

/* The meta_train devices of a data folder as training devices; returns their count. */
static int
training_devices(const HelpData *data, HelpTrainDevice *devices, int max)
{
	int			n = 0;

	for (int d = 0; d < data->n_devices && n < max; d++)
		if (strcmp(data->devices[d].split, "meta_train") == 0)
		{
			memcpy(devices[n].hw, data->devices[d].hw, sizeof(devices[n].hw));
			devices[n].n = data->devices[d].n_train;
			devices[n].X = data->devices[d].train_X;
			devices[n].y = data->devices[d].train_y;
			n++;
		}
	return n;
}

int
main(int argc, char **argv)
{
	HelpSpace	space = HELP_SPACE_NASBENCH201;
	HelpMetaTrainSpec spec = {
		.episodes = -1, .tasks_per_episode = 8, .support = 10, .query = 200,
		.meta_lr = 1e-4, .validate_every = -1, .seed = 1, .threads = 1,
		.meta = {.inner_steps = 2, .z_scale = 0.01, .kl_weight = 0.1, .second_order = 1}
	};
	HelpLayout	L;
	HelpTrainDevice devices[N_DEVICES];
	HelpMetaTrainHooks hooks = {.validate = report};
	HelpData	data;
	Run			run = {.best = -2.0};
	HelpRng		rng;
	HelpError	err;
	const char *data_dir = NULL;
	int			checkpoint = 0;
	char		errbuf[256];
	float	   *theta,
			   *alpha,
			   *infer;
	int			n_devices,
				done;
	double		cpu_start,
				cpu_seconds,
				train_seconds;

	for (int i = 1; i < argc; i++)
	{
		if (strcmp(argv[i], "--space") == 0 && i + 1 < argc)
			space = (HelpSpace) help_space_from_name(argv[++i]);
		else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			data_dir = argv[++i];
		else if (strcmp(argv[i], "--episodes") == 0 && i + 1 < argc)
			spec.episodes = atoi(argv[++i]);
		else if (strcmp(argv[i], "--validate-every") == 0 && i + 1 < argc)
			spec.validate_every = atoi(argv[++i]);
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			spec.seed = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
			spec.threads = atoi(argv[++i]);
		else if (strcmp(argv[i], "--checkpoint") == 0)
			checkpoint = 1;
		else if (strcmp(argv[i], "--kl-weight") == 0 && i + 1 < argc)
			spec.meta.kl_weight = atof(argv[++i]);
		else if (strcmp(argv[i], "--first-order") == 0)
			spec.meta.second_order = 0;
		else
		{
			fprintf(stderr, "usage: %s [--space S] [--data DIR] [--episodes N] [--validate-every N] [--seed N] [--threads N] [--kl-weight W] [--first-order] [--checkpoint]\n",
					argv[0]);
			return 2;
		}
	}
	if ((int) space < 0)
	{
		fprintf(stderr, "unknown space\n");
		return 2;
	}
	if (!help_blas_open(errbuf, sizeof(errbuf)))
	{
		fprintf(stderr, "%s\n", errbuf);
		return 1;
	}
	help_blas_set_threads(1);
	help_layout_init(&L, space, 100);
	if (data_dir)
	{
		if (help_data_load(data_dir, space, space == HELP_SPACE_NASBENCH201 ? 900 : 4000,
						   1000, &data, errbuf, sizeof(errbuf)) != 0)
		{
			fprintf(stderr, "error: %s\n", errbuf);
			return 1;
		}
		n_devices = training_devices(&data, devices, N_DEVICES);
		run.data = &data;
		if (spec.episodes < 0)
			spec.episodes = space == HELP_SPACE_NASBENCH201 ? 2000 : 4000;
		if (spec.validate_every < 0)
			spec.validate_every = 50;
	}
	else
	{
		int			pool = space == HELP_SPACE_NASBENCH201 ? 720 : 3200;
		float	   *X = malloc(sizeof(float) * pool * help_space_encoding_dim(space));
		float	   *Y = malloc(sizeof(float) * pool * N_DEVICES);

		help_rng_seed(&rng, 12345);
		make_devices(space, &rng, pool, X, Y, devices);
		n_devices = N_DEVICES;
		if (spec.episodes < 0)
			spec.episodes = 20;
		if (spec.validate_every < 0)
			spec.validate_every = 10;
	}
	theta = help_alloc(sizeof(float) * L.n_params);
	alpha = help_alloc(sizeof(float) * L.n_params);
	infer = help_alloc(sizeof(float) * L.n_infer);
	help_meta_init(&L, spec.seed, 1e-3, theta, alpha, infer);

	run.L = &L;
	run.spec = &spec;
	run.best_theta = help_alloc(sizeof(float) * L.n_params);
	run.best_alpha = help_alloc(sizeof(float) * L.n_params);
	run.best_infer = help_alloc(sizeof(float) * L.n_infer);
	if (checkpoint)
	{
		if (!data_dir ||
			help_data_load_checkpoint(data_dir, &L, theta, alpha, infer, errbuf, sizeof(errbuf)) != 0)
		{
			fprintf(stderr, "error: %s\n", data_dir ? errbuf : "--checkpoint needs --data");
			return 1;
		}
		final_evaluation(&run, "checkpoint_valid_spearman_3_draws", theta, alpha, infer);
		return 0;
	}
	run.start = now_seconds();
	cpu_start = clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
	hooks.arg = &run;
	if (help_meta_train_run(&L, &spec, devices, n_devices, theta, alpha, infer,
							&hooks, &done, &err) != HELP_OK)
	{
		fprintf(stderr, "error: %s\n", err.msg);
		return 1;
	}
	train_seconds = now_seconds() - run.start;
	cpu_seconds = clock_seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
	printf("space %s second_order %d threads %d seed %llu kl_weight %g episodes %d\n",
		   help_space_name(space), spec.meta.second_order, spec.threads,
		   (unsigned long long) spec.seed, spec.meta.kl_weight, done);
	if (run.data)
	{
		printf("best_valid_spearman %.4f at episode %d\n", run.best, run.best_episode);
		final_evaluation(&run, "best_valid_spearman_3_draws", run.best_theta, run.best_alpha,
						 run.best_infer);
	}
	printf("train_seconds %.2f (validations %.2f)\n", train_seconds, run.validation_seconds);
	/* validations excluded: they are the caller's, not the episode's */
	printf("seconds_per_episode %.4f\n",
		   (train_seconds - run.validation_seconds) / (done ? done : 1));
	/* CPU time of all threads: steadier than wall time on a shared machine */
	printf("cpu_seconds_per_episode %.4f\n",
		   (cpu_seconds - run.validation_seconds) / (done ? done : 1));
	return 0;
}

/*
 * predict_core.c
 *	  Prediction of every architecture of a space with the numerical core
 *	  alone, without a server: the arithmetic under help_predict_batch.
 *
 *	  bench/predict_core [--space S] [--data DIR] [--device NAME] [--reps N]
 *	                     [--draws N]
 *
 * Adapts the published checkpoint to the device (default: the first
 * meta_valid device of the folder) on 10 architectures of its trimmed
 * meta-train pool (--draws z draws, default 10; 2 steps, seed 1), then predicts every
 * architecture of architectures.csv with every draw, --reps times (default
 * 7), single-threaded OpenBLAS as inside one PostgreSQL backend.  Prints
 * the median wall and CPU seconds and a checksum of the predictions.
 */
#include "blas.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adapt.h"
#include "bench_clock.h"
#include "help_data.h"

#define MAX_REPS 101

static int
compare_doubles(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

/* The median of n values (sorted in place). */
static double
median(double *v, int n)
{
	qsort(v, n, sizeof(double), compare_doubles);
	return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

int
main(int argc, char **argv)
{
	const char *dir = getenv("HELP_DATA") ? getenv("HELP_DATA") : "data/help";
	const char *space_name = "nasbench201";
	const char *device = NULL;
	int			reps = 7;
	HelpSpace	space;
	HelpLayout	L;
	HelpData	data;
	HelpError	err;
	char		errbuf[512];
	DataDevice *dev = NULL;
	float	   *theta,
			   *alpha,
			   *infer,
			   *support_X;
	double		support_ms[10];
	HelpAdaptSpec spec = {.steps = 2,.mc_samples = 10,.seed = 1,.z_scale = 0.01};
	HelpAdapted *adapted;
	double	   *mean;
	double		wall[MAX_REPS],
				cpu[MAX_REPS],
				checksum = 0.0;

	for (int i = 1; i < argc; i++)
	{
		if (strcmp(argv[i], "--space") == 0 && i + 1 < argc)
			space_name = argv[++i];
		else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (strcmp(argv[i], "--device") == 0 && i + 1 < argc)
			device = argv[++i];
		else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
			reps = atoi(argv[++i]);
		else if (strcmp(argv[i], "--draws") == 0 && i + 1 < argc)
			spec.mc_samples = atoi(argv[++i]);
		else
		{
			fprintf(stderr, "usage: %s [--space S] [--data DIR] [--device NAME] [--reps N] [--draws N]\n",
					argv[0]);
			return 2;
		}
	}
	if (reps < 1 || reps > MAX_REPS)
	{
		fprintf(stderr, "--reps must be between 1 and %d\n", MAX_REPS);
		return 2;
	}
	if (spec.mc_samples < 1 || spec.mc_samples > 100)
	{
		fprintf(stderr, "--draws must be between 1 and 100\n");
		return 2;
	}
	if (help_space_from_name(space_name) < 0)
	{
		fprintf(stderr, "unknown space %s\n", space_name);
		return 2;
	}
	space = (HelpSpace) help_space_from_name(space_name);
	if (!help_blas_open(errbuf, sizeof(errbuf)))
	{
		fprintf(stderr, "%s\n", errbuf);
		return 1;
	}
	help_blas_set_threads(1);
	help_layout_init(&L, space, 100);
	if (help_data_load(dir, space, space == HELP_SPACE_NASBENCH201 ? 900 : 4000, 1000, &data,
					   errbuf, sizeof(errbuf)) != 0)
	{
		fprintf(stderr, "%s\n", errbuf);
		return 1;
	}
	for (int d = 0; d < data.n_devices && dev == NULL; d++)
		if (device ? strcmp(data.devices[d].name, device) == 0
			: strcmp(data.devices[d].split, "meta_valid") == 0)
			dev = &data.devices[d];
	if (dev == NULL || dev->n_train < 10)
	{
		fprintf(stderr, "device %s not found in %s\n", device ? device : "(meta_valid)", dir);
		return 1;
	}
	theta = malloc(sizeof(float) * L.n_params);
	alpha = malloc(sizeof(float) * L.n_params);
	infer = malloc(sizeof(float) * L.n_infer);
	if (help_data_load_checkpoint(dir, &L, theta, alpha, infer, errbuf, sizeof(errbuf)) != 0)
	{
		fprintf(stderr, "%s\n", errbuf);
		return 1;
	}
	/* the first 10 of the trimmed pool: any fixed 10 will do for timing */
	support_X = malloc(sizeof(float) * 10 * data.enc_dim);
	memcpy(support_X, dev->train_X, sizeof(float) * 10 * data.enc_dim);
	for (int i = 0; i < 10; i++)
		support_ms[i] = dev->train_ms[i];
	spec.range_lo = dev->lo_ms;
	spec.range_hi = dev->hi_ms;
	adapted = help_adapt(&L, theta, alpha, infer, dev->hw, support_X, support_ms, 10,
						 &spec, &err);
	if (adapted == NULL)
	{
		fprintf(stderr, "adaptation failed: %s\n", err.msg);
		return 1;
	}
	help_adapted_reserve(adapted, data.n_archs);

	mean = malloc(sizeof(double) * data.n_archs);
	for (int r = 0; r < reps; r++)
	{
		double		w0 = clock_seconds(CLOCK_MONOTONIC),
					c0 = clock_seconds(CLOCK_PROCESS_CPUTIME_ID);

		help_adapted_predict(adapted, data.archs_X, data.n_archs, NULL, mean, NULL, NULL);
		wall[r] = clock_seconds(CLOCK_MONOTONIC) - w0;
		cpu[r] = clock_seconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
	}
	for (int i = 0; i < data.n_archs; i++)
		checksum += mean[i];
	printf("device %s archs %d draws %d blas_kernel %s\n", dev->name, data.n_archs, adapted->n_draws,
		   help_blas_kernel());
	printf("predict_all_seconds %.4f cpu %.4f (median of %d)\n", median(wall, reps),
		   median(cpu, reps), reps);
	printf("checksum_ms %.6f\n", checksum);
	return 0;
}

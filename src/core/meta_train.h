/*
 * meta_train.h
 *	  Meta-training (docs/method.md section 6): episodes of distinct devices,
 *	  support/query splits of their trimmed meta-train pools, the second-order
 *	  meta-gradient of each task, and Adam on the predictor weights, inner
 *	  learning rates and inference network together.
 *
 * The caller owns the data and the weights, and decides what a validation
 * is: a callback receives the weights every validate_every episodes (and
 * after the last) and keeps the best.  Everything random comes from one
 * generator seeded by the spec, so a run repeats exactly for the same
 * devices in the same order (the caller sorts them), whatever the number of
 * threads.  Worker threads only compute: they allocate nothing, call no
 * hook and run with every signal blocked.
 */
#ifndef HELP_META_TRAIN_H
#define HELP_META_TRAIN_H

#include "meta_grad.h"

/* One meta-train device: its hardware embedding and trimmed meta-train pool. */
typedef struct HelpTrainDevice
{
	float		hw[HELP_HW_DIM];
	int			n;				/* architectures in the trimmed pool */
	const float *X;				/* n encodings, rows of the space's width */
	const float *y;				/* n normalized latencies */
} HelpTrainDevice;

/* The settings of a training run (paper defaults in comments). */
typedef struct HelpMetaTrainSpec
{
	int			episodes;		/* 2000 (nasbench201) or 4000 */
	int			tasks_per_episode;	/* 8 */
	int			support;		/* 10 */
	int			query;			/* 200 */
	double		meta_lr;		/* 1e-4 (Adam) */
	int			validate_every; /* 50 */
	uint64_t	seed;
	int			threads;		/* 1: tasks run on the calling thread; n > 1:
								 * on up to n threads, with the same results */
	HelpMetaSpec meta;			/* inner_steps 2, z_scale 0.01, kl_weight 0.1,
								 * second_order 1 */
} HelpMetaTrainSpec;

/*
 * Validation hook, after episode `episode` (1-based) with the mean meta-loss
 * of the episodes since the previous call.  Returning nonzero stops training.
 */
typedef int (*HelpValidateFn) (void *arg, int episode, double meta_loss,
							   const float *theta, const float *alpha,
							   const float *infer);

/*
 * Interrupt hook, called on the calling thread after every task, or after
 * every episode when tasks run on several threads (never while other
 * threads work, so it may longjmp).  Returning nonzero stops training;
 * inside PostgreSQL it can simply run CHECK_FOR_INTERRUPTS() and return 0.
 */
typedef int (*HelpInterruptFn) (void *arg);

typedef struct HelpMetaTrainHooks
{
	HelpValidateFn validate;	/* may be NULL */
	HelpInterruptFn interrupted;	/* may be NULL */
	void	   *arg;			/* passed to both */
} HelpMetaTrainHooks;

/*
 * Initial weights as the reference's PyTorch modules have them: Linear
 * weights and biases U(-1/sqrt(fan_in), 1/sqrt(fan_in)), graph-convolution
 * weights U(-0.05, 0.05) and biases U(-1/sqrt(width), 1/sqrt(width)); every
 * inner learning rate inner_lr_init.
 */
extern void help_meta_init(const HelpLayout *layout, uint64_t seed, double inner_lr_init,
						   float *theta, float *alpha, float *infer);

/*
 * Meta-train theta, alpha and infer in place.  Fails (err set, weights
 * untouched) when the spec or the devices cannot make an episode.  Returns
 * HELP_OK also when a hook stopped training; *episodes_done (may be NULL)
 * says how many episodes ran.
 */
extern HelpStatus help_meta_train_run(const HelpLayout *layout,
									  const HelpMetaTrainSpec *spec,
									  const HelpTrainDevice *devices, int n_devices,
									  float *theta, float *alpha, float *infer,
									  const HelpMetaTrainHooks *hooks,
									  int *episodes_done, HelpError *err);

#endif							/* HELP_META_TRAIN_H */

/*
 * meta_grad.h
 *	  The meta-loss of one task and its gradient (docs/method.md section 6):
 *	  modulate the predictor by a draw of z, take Meta-SGD steps on the
 *	  support set, score the query set, add the KL term; then differentiate
 *	  all of it, second order through the inner steps, with respect to the
 *	  predictor weights, the inner learning rates and the inference network.
 */
#ifndef HELP_META_GRAD_H
#define HELP_META_GRAD_H

#include "hvp.h"
#include "model.h"

/* The settings of the meta-loss. */
typedef struct HelpMetaSpec
{
	int			inner_steps;	/* Meta-SGD steps on the support set */
	double		z_scale;		/* c in section 4 */
	double		kl_weight;		/* weight of the KL term */
	int			second_order;	/* 0 drops the Hessian terms (first-order MAML) */
} HelpMetaSpec;

/* One task: a device's hardware embedding, support and query sets, and z noise. */
typedef struct HelpMetaTask
{
	const float *hw;			/* HELP_HW_DIM */
	const float *support_X;		/* n_support encodings */
	const float *support_y;		/* normalized latencies */
	int			n_support;
	const float *query_X;
	const float *query_y;
	int			n_query;
	const double *eps;			/* z_dim standard normal draws: z = mu + sigma eps */
} HelpMetaTask;

/* Gradient accumulators, in the layouts of theta, alpha and infer. */
typedef struct HelpMetaGrad
{
	float	   *theta;			/* n_params */
	float	   *alpha;			/* n_params */
	float	   *infer;			/* n_infer */
} HelpMetaGrad;

/* Scratch for one task at a time; created once per training run. */
typedef struct HelpMetaWorkspace
{
	HelpArena	arena;			/* owns the workspace and its buffers */
	int			max_support;
	int			max_query;
	int			inner_steps;
	HelpWorkspace *ws;			/* forward/backward passes */
	HelpHvpWorkspace *hvp;		/* Hessian-vector products on the support */
	float	   *thetas;			/* (inner_steps + 1) x n_params: theta_0 .. theta_K */
	float	   *grads;			/* inner_steps x n_params: support gradients */
	float	   *u;				/* backpropagated gradient [n_params] */
	float	   *alpha_u;		/* alpha (.) u */
	float	   *hv;				/* H (alpha (.) u) */
	float	   *pred,
			   *dy;				/* [max_query] */
	double	   *mu,
			   *sigma,
			   *z,
			   *dmu,
			   *dsigma,
			   *dz;				/* [z_dim] */
	float	   *dinfer;			/* [n_infer] */
} HelpMetaWorkspace;

extern HelpMetaWorkspace *help_meta_workspace_create(const HelpLayout *layout,
													 int max_support, int max_query,
													 int inner_steps);
extern void help_meta_workspace_destroy(HelpMetaWorkspace *mw);

/*
 * The meta-loss of one task, query MSE + kl_weight * KL, at the predictor
 * weights theta, inner learning rates alpha and inference network infer.
 * When grad is not NULL, adds weight times its gradient into grad.  The
 * query MSE alone goes to *query_mse when that is not NULL.
 */
extern double help_meta_task(const HelpLayout *layout, const HelpMetaSpec *spec,
							 const float *theta, const float *alpha,
							 const float *infer, const HelpMetaTask *task,
							 double weight, HelpMetaGrad *grad, double *query_mse,
							 HelpMetaWorkspace *mw);

#endif							/* HELP_META_GRAD_H */

/*
 * hvp.h
 *	  Exact Hessian-vector products of the support loss (docs/method.md
 *	  section 6): the second-order terms of the meta-gradient.
 *
 * Pearlmutter's R-operator: a tangent pass along v through the forward pass,
 * then a joint pass through the backward pass that differentiates every
 * gradient along v.  ReLU has zero second derivative almost everywhere, so
 * its only contribution is the primal mask.  Float, like the network.
 */
#ifndef HELP_HVP_H
#define HELP_HVP_H

#include "model.h"

/* Scratch for Hessian-vector products over up to max_batch architectures. */
typedef struct HelpHvpWorkspace
{
	HelpArena	arena;			/* owns the workspace and every buffer */
	int			max_batch;
	float	   *pred,
			   *dy,
			   *rpred,
			   *rdy;			/* [batch] */
	float	   *rhw1,
			   *rhw2,
			   *rhead_const;	/* tangents of the hardware branch and fc3 bias */
	float	   *dhw2,
			   *rdhw1,
			   *rdhw2;			/* hardware branch gradients and tangents */
	float	   *s3,
			   *rs3;			/* column sums of d(z3) and their tangents [head] */
	float	   *ract[HELP_MAX_GCN_LAYERS + 1];	/* arch branch tangents */
	float	   *rreadout;		/* GCN: tangent of A[8,:] H3 */
	float	   *rarch_out,
			   *rz3,
			   *rz4;
	float	   *dz3,
			   *dz4,
			   *rdz3,
			   *rdz4;			/* head gradients and tangents [batch, head] */
	float	   *darch,
			   *rdarch;			/* [batch, width] */
	float	   *dh,
			   *rdh,
			   *ds,
			   *rds;			/* arch branch gradients and tangents [rows, width] */
	float	   *tmp;			/* [rows, max(width, in_dim)] */
} HelpHvpWorkspace;

extern HelpHvpWorkspace *help_hvp_workspace_create(const HelpLayout *layout, int max_batch);
extern void help_hvp_workspace_destroy(HelpHvpWorkspace *hws);

/*
 * hv = H v, with H the Hessian at theta of the mean squared error of the
 * network's predictions for X (n encodings) against y.  ws serves the
 * primal forward pass (n <= both workspaces' max_batch).  Returns the loss.
 */
extern double help_mse_hvp(const HelpLayout *layout, const float *theta,
						   const float *v, const float *hw, const float *X,
						   const float *y, int n, float *hv,
						   HelpWorkspace *ws, HelpHvpWorkspace *hws);

#endif							/* HELP_HVP_H */

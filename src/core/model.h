/*
 * model.h
 *	  Forward and backward pass of the HELP predictor (docs/method.md
 *	  section 3) and the scratch memory they run in.
 *
 * The parameter layout is in layout.h; the batching helpers that the
 * prediction pass calls (gcn_classes.h, live_columns.h) sit below this
 * module and know nothing of the workspace.
 */
#ifndef HELP_MODEL_H
#define HELP_MODEL_H

#include "alloc.h"
#include "layout.h"

struct HelpGcnPlan;
struct HelpLiveScratch;

/*
 * Scratch memory for passes over up to max_batch architectures, allocated
 * once and reused: for a forward and backward pass (help_workspace_create,
 * every field), or for prediction only (help_predict_workspace_create: the
 * hardware branch, the head, and the MLP's hidden layer or the GCN's plan;
 * the other pointers are NULL).
 */
typedef struct HelpWorkspace
{
	HelpArena	arena;			/* owns the workspace and every buffer */
	int			max_batch;
	int			batch;			/* rows of the last forward pass */
	float	   *hw1,
			   *hw2;			/* hardware branch activations [width] */
	float	   *head_const;		/* fc3 bias plus the hardware half [head] */
	float	   *act[HELP_MAX_GCN_LAYERS + 1]; /* arch branch activations */
	float	   *readout;		/* GCN: A[8,:] H3 [batch, width] */
	float	   *scratch;		/* S = H W, and backward temporaries */
	float	   *scratch2;
	float	   *arch_out;		/* [batch, width] */
	float	   *z3,
			   *z4;				/* head activations [batch, head] */
	float	   *dz3,
			   *dz4;
	float	   *darch;			/* d(arch_out) [batch, width] */
	float	   *dhw1,
			   *dhw2;			/* hardware branch gradients [width] */
	/*
	 * GCN: the distinct rows of the input of each of the layers computed at
	 * every node (see GemmDistinctRows in model.c), kept for the backward pass
	 */
	int		   *row_class[HELP_MAX_GCN_LAYERS];	/* [batch * nodes]: row's class */
	float	   *distinct_in[HELP_MAX_GCN_LAYERS];	/* [batch * nodes, wide] */
	int			n_distinct[HELP_MAX_GCN_LAYERS];
	int		   *row_table;		/* open-addressing hash table of classes */
	int			table_size;		/* a power of two >= 2 * batch * nodes */
	float	   *distinct_out;	/* [batch * nodes, width]: a layer's product
								 * per class, then per-class gradients */
	struct HelpGcnPlan *plan;	/* GCN prediction by class (gcn_classes.h),
								 * made by the first prediction */
	struct HelpLiveScratch *live;	/* products over live columns
									 * (live_columns.h) */
} HelpWorkspace;

extern HelpWorkspace *help_workspace_create(const HelpLayout *layout, int max_batch);
extern HelpWorkspace *help_predict_workspace_create(const HelpLayout *layout, int max_batch);
extern void help_workspace_destroy(HelpWorkspace *ws);

/*
 * Forward pass: y[b] for each of the batch encodings X (batch x encoding
 * width), under parameters theta and hardware embedding hw.  Keeps the
 * activations in ws for a following help_net_backward.
 */
extern void help_net_forward(const HelpLayout *layout, const float *theta,
							 const float *hw, const float *X, int batch,
							 float *y, HelpWorkspace *ws);

/*
 * Backward pass after help_net_forward with the same arguments: writes the
 * gradient of sum_b dy[b] * y[b] with respect to theta into grad.
 */
extern void help_net_backward(const HelpLayout *layout, const float *theta,
							  const float *hw, const float *X,
							  const float *dy, float *grad, HelpWorkspace *ws);

/* Mean squared error of y against t and its derivative dL/dy. */
extern double help_mse(const float *y, const float *t, int n, float *dy);

/*
 * Predict a batch of any size by chunks of the workspace's batch size.
 */
extern void help_net_predict(const HelpLayout *layout, const float *theta,
							 const float *hw, const float *X, int n,
							 float *y, HelpWorkspace *ws);

/*
 * The same under n_thetas parameter vectors (thetas, one after another):
 * out[t * n + i].  Work that depends on the architectures only is done once
 * per chunk for all of them.  head_consts: help_net_head_constant of each
 * theta (n_thetas x head, one after another), or NULL to compute them.
 */
extern void help_net_predict_many(const HelpLayout *layout, const float *thetas,
								  int n_thetas, const float *head_consts,
								  const float *hw, const float *X, int n,
								  float *out, HelpWorkspace *ws);

/*
 * What every row of a batch shares in the head: fc3's bias plus fc3 of the
 * hardware branch's output for hw, into out (head floats).
 */
extern void help_net_head_constant(const HelpLayout *layout, const float *theta,
								   const float *hw, float *out, HelpWorkspace *ws);

/*
 * out[b] = A_b in[b] for each NAS-Bench-201 cell b of the encodings X (node
 * rows of width n), or A_b^T in[b] when transposed is nonzero.
 */
extern void help_nb201_propagate(const float *X, int batch, const float *in,
								 float *out, int n, int transposed);

#endif							/* HELP_MODEL_H */

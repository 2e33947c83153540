/*
 * layout.h
 *	  Parameter layout of the HELP predictor (docs/method.md section 3) and
 *	  of its inference network (section 4).
 *
 * Parameters are one flat float vector in the PyTorch checkpoint's order and
 * layout: Linear weights [out, in] row-major, graph-convolution weights
 * [in, out] row-major.  The Meta-SGD inner learning rates share the layout.
 * Every pass over the network (model.c, gcn_classes.c, hvp.c, ...) and the
 * PostgreSQL layer's on-disk type read their tensors through it.
 */
#ifndef HELP_LAYOUT_H
#define HELP_LAYOUT_H

#include "help_core.h"

#define HELP_MAX_TENSORS 18
#define HELP_INFER_TENSORS 4
#define HELP_INFER_HIDDEN 10
#define HELP_MAX_GCN_LAYERS 4
/* NAS-Bench-201: layers computed at every node (the fourth only at the global one) */
#define HELP_NB201_NODE_LAYERS 3

/* One named tensor inside a flat parameter vector. */
typedef struct HelpTensor
{
	const char *name;			/* checkpoint name without its prefix */
	int			ndim;			/* 1 or 2 */
	int			shape[2];		/* PyTorch shape */
	size_t		offset;			/* in floats */
	size_t		size;			/* in floats */
} HelpTensor;

/* The layout of a predictor: sizes, tensors, and where each layer lives. */
typedef struct HelpLayout
{
	HelpSpace	space;
	HelpNetKind kind;
	int			in_dim;			/* node features (GCN) or encoding width (MLP) */
	int			width;			/* architecture and hardware branch width */
	int			hw_dim;			/* hardware embedding length */
	int			head;			/* 2 * width */
	int			n_arch_layers;	/* 4 graph convolutions or 2 Linear */
	int			n_tensors;
	HelpTensor	tensors[HELP_MAX_TENSORS];
	size_t		n_params;
	/* tensor indices */
	int			arch_w[HELP_MAX_GCN_LAYERS];
	int			arch_b[HELP_MAX_GCN_LAYERS];
	int			hw1_w,
				hw1_b,
				hw2_w,
				hw2_b,
				fc3_w,
				fc3_b,
				fc4_w,
				fc4_b,
				fc5_w,
				fc5_b;
	/* inference network: hw_dim -> 10 -> 2 * z_dim */
	int			z_dim;			/* 3 * (head + 1) */
	HelpTensor	infer[HELP_INFER_TENSORS];
	size_t		n_infer;
} HelpLayout;

extern void help_layout_init(HelpLayout *layout, HelpSpace space, int width);

/* Pointer to one tensor of a flat parameter vector. */
static inline float *
help_tensor(const HelpLayout *layout, float *params, int t)
{
	return params + layout->tensors[t].offset;
}

static inline const float *
help_ctensor(const HelpLayout *layout, const float *params, int t)
{
	return params + layout->tensors[t].offset;
}

#endif							/* HELP_LAYOUT_H */

/*
 * gcn_classes.c
 *	  The graph convolutions by distinct node state (see gcn_classes.h).
 */
#include "gcn_classes.h"

#include "blas.h"
#include <stdbool.h>
#include <string.h>

#include "vec.h"

#define N_NODES HELP_NB201_NODES
#define N_LAYERS HELP_NB201_NODE_LAYERS
/* a signature: its length, then up to N_NODES (coefficient bits, class) pairs */
#define SIG_INTS (1 + 2 * N_NODES)

struct HelpGcnPlan
{
	HelpArena	arena;			/* owns the plan and its arrays */
	int			width;
	int			stride;			/* row length of state and product: width
								 * rounded up to whole blocks, padded with 0 */
	int			capacity;		/* classes per layer: max_batch * N_NODES */
	int			table_size;		/* power of two >= 2 * capacity */
	int		   *table;			/* class + 1 per slot, 0 = empty */
	const float *X;				/* the cells (not owned) */
	int			batch;
	int			n_features;		/* classes of layer-0 rows */
	float	   *features;		/* n_features x HELP_NB201_FEATS */
	int			n_classes[N_LAYERS];
	int32_t    *sigs[N_LAYERS];	/* capacity x SIG_INTS per layer */
	int		   *class_of;		/* capacity: layer-3 class of each (cell, node) */
	int		   *scratch_class;	/* capacity: the same for the layer being built */
	float	   *state[2];		/* capacity x stride: one row per class */
	float	   *product;		/* capacity x stride: state x W */
	float	   *bias;			/* stride: a layer's bias, padded */
};

/* See gcn_classes.h. */
HelpGcnPlan *
help_gcn_plan_create(const HelpLayout *L, int max_batch)
{
	HelpGcnPlan *plan = HELP_ARENA_NEW(HelpGcnPlan);
	size_t		cap = (size_t) max_batch * N_NODES;
	size_t		stride = (L->width + HELP_BLOCK - 1) / HELP_BLOCK * HELP_BLOCK;

	plan->width = L->width;
	plan->stride = (int) stride;
	plan->capacity = (int) cap;
	plan->table_size = 1;
	while ((size_t) plan->table_size < 2 * cap)
		plan->table_size *= 2;
	plan->table = help_arena_alloc(&plan->arena, sizeof(int) * plan->table_size);
	plan->features = help_arena_alloc(&plan->arena, sizeof(float) * cap * HELP_NB201_FEATS);
	for (int l = 0; l < N_LAYERS; l++)
		plan->sigs[l] = help_arena_alloc(&plan->arena, sizeof(int32_t) * cap * SIG_INTS);
	plan->class_of = help_arena_alloc(&plan->arena, sizeof(int) * cap);
	plan->scratch_class = help_arena_alloc(&plan->arena, sizeof(int) * cap);
	for (int k = 0; k < 2; k++)
		plan->state[k] = help_arena_alloc(&plan->arena, sizeof(float) * cap * stride);
	plan->product = help_arena_alloc(&plan->arena, sizeof(float) * cap * stride);
	plan->bias = help_arena_alloc(&plan->arena, sizeof(float) * stride);
	return plan;
}

/* See gcn_classes.h. */
void
help_gcn_plan_destroy(HelpGcnPlan *plan)
{
	if (plan != NULL)
		help_arena_release(&plan->arena);
}

/* The bits of a float, for signatures. */
static inline int32_t
FloatBits(float f)
{
	int32_t		bits;

	memcpy(&bits, &f, sizeof(bits));
	return bits;
}

/*
 * The class of the n_ints-long signature sig among those stored in sigs
 * (stride SIG_INTS), adding it as class *n_classes when new.
 */
static int
Intern(HelpGcnPlan *plan, int32_t *sigs, const int32_t *sig, int n_ints, int *n_classes)
{
	const uint32_t mask = (uint32_t) plan->table_size - 1;
	uint32_t	h = 2166136261u;

	for (int k = 0; k < n_ints; k++)
		h = (h ^ (uint32_t) sig[k]) * 16777619u;
	for (uint32_t slot = (h ^ (h >> 15)) & mask;; slot = (slot + 1) & mask)
	{
		int			c = plan->table[slot] - 1;

		if (c < 0)
		{
			c = (*n_classes)++;
			memcpy(sigs + (size_t) c * SIG_INTS, sig, sizeof(int32_t) * n_ints);
			plan->table[slot] = c + 1;
			return c;
		}
		if (memcmp(sigs + (size_t) c * SIG_INTS, sig, sizeof(int32_t) * n_ints) == 0)
			return c;
	}
}

/*
 * Put the len (coefficient, class) pairs of a signature in order of class,
 * then coefficient bits (insertion sort: at most N_NODES pairs).  A node's
 * sum does not depend on the order of its terms, so nodes that aggregate
 * the same terms in another order, like the global node of cells with the
 * same operations in other places, share a class.
 */
static void
SortPairs(int32_t *sig, int len)
{
	int32_t    *pairs = sig + 1;

	for (int i = 1; i < len; i++)
	{
		int32_t		coef = pairs[2 * i],
					cls = pairs[2 * i + 1];
		int			j = i;

		for (; j > 0 && (pairs[2 * j - 1] > cls ||
						 (pairs[2 * j - 1] == cls && pairs[2 * j - 2] > coef)); j--)
		{
			pairs[2 * j] = pairs[2 * j - 2];
			pairs[2 * j + 1] = pairs[2 * j - 1];
		}
		pairs[2 * j] = coef;
		pairs[2 * j + 1] = cls;
	}
}

/* See gcn_classes.h. */
void
help_gcn_plan_build(HelpGcnPlan *plan, const float *X, int batch)
{
	const int	F = HELP_NB201_FEATS;
	int32_t		sig[SIG_INTS];

	/*
	 * Classes of each layer alternate between two arrays so that layer 3's
	 * end in class_of: layer 0 in scratch_class, 1 in class_of, ...
	 */
	int		   *layer_class[2] = {plan->scratch_class, plan->class_of};

	plan->X = X;
	plan->batch = batch;

	/* layer 0: a class per distinct feature row (its bits are its signature) */
	memset(plan->table, 0, sizeof(int) * plan->table_size);
	plan->n_features = 0;
	for (int b = 0; b < batch; b++)
		for (int i = 0; i < N_NODES; i++)
		{
			const float *f = X + (size_t) b * HELP_NB201_ENC_DIM + i * F;

			for (int k = 0; k < F; k++)
				sig[k] = FloatBits(f[k]);
			layer_class[0][b * N_NODES + i] = Intern(plan, plan->sigs[0], sig, F,
													 &plan->n_features);
		}
	/* Intern() left the layer-0 signatures in sigs[0]: turn them back into rows */
	for (int c = 0; c < plan->n_features; c++)
		memcpy(plan->features + (size_t) c * F, plan->sigs[0] + (size_t) c * SIG_INTS,
			   sizeof(float) * F);

	/* layers 1-3: a class per distinct sorted list of (coefficient, class) */
	for (int l = 0; l < N_LAYERS; l++)
	{
		const int  *prev = layer_class[l % 2];
		int		   *next = layer_class[(l + 1) % 2];

		HELP_CHECK_INTERRUPTS();
		memset(plan->table, 0, sizeof(int) * plan->table_size);
		plan->n_classes[l] = 0;
		for (int b = 0; b < batch; b++)
		{
			const float *A = X + (size_t) b * HELP_NB201_ENC_DIM + N_NODES * F;

			for (int i = 0; i < N_NODES; i++)
			{
				int			len = 0;

				for (int j = 0; j < N_NODES; j++)
					if (A[i * N_NODES + j] != 0.0f)
					{
						sig[1 + 2 * len] = FloatBits(A[i * N_NODES + j]);
						sig[2 + 2 * len] = prev[b * N_NODES + j];
						len++;
					}
				sig[0] = len;
				SortPairs(sig, len);
				next[b * N_NODES + i] = Intern(plan, plan->sigs[l], sig, 1 + 2 * len,
											   &plan->n_classes[l]);
			}
		}
	}
}

/*
 * out = relu(sum over the signature's pairs of a * product[class] + bias)
 * over rows of stride floats, summed in the signature's order.  Padding
 * columns stay 0: their product and bias are 0.
 */
HELP_VECTOR_CLONES
static void
Aggregate(const int32_t *sig, const float *product, const float *bias, int stride,
		  float *out)
{
	const float *rows[N_NODES];
	float		coef[N_NODES];

	for (int p = 0; p < sig[0]; p++)
	{
		memcpy(&coef[p], &sig[1 + 2 * p], sizeof(float));
		rows[p] = product + (size_t) sig[2 + 2 * p] * stride;
	}
	help_combine_rows(out, rows, coef, sig[0], stride);
	for (int k = 0; k < stride; k++)
	{
		float		v = out[k] + bias[k];

		out[k] = v > 0.0f ? v : 0.0f;
	}
}

/*
 * readout[b] (width W) = sum_j A_b[8][j] state[class of (b, j)], as the
 * plain pass sums it; state rows have stride floats.
 */
HELP_VECTOR_CLONES
static void
GlobalReadout(const float *X, int batch, const int *class_of, const float *state,
			  int stride, int W, float *readout)
{
	for (int b = 0; b < batch; b++)
	{
		const float *A8 = X + (size_t) b * HELP_NB201_ENC_DIM +
			N_NODES * HELP_NB201_FEATS + (N_NODES - 1) * N_NODES;
		const float *rows[N_NODES];
		float		coef[N_NODES];
		int			n = 0;

		for (int j = 0; j < N_NODES; j++)
			if (A8[j] != 0.0f)
			{
				rows[n] = state + (size_t) class_of[b * N_NODES + j] * stride;
				coef[n++] = A8[j];
			}
		help_combine_rows(readout + (size_t) b * W, rows, coef, n, W);
	}
}

/* See gcn_classes.h. */
void
help_gcn_plan_readout(const HelpLayout *L, const float *theta, HelpGcnPlan *plan,
					  float *readout)
{
	const int	W = plan->width;
	const int	stride = plan->stride;
	const float *in = plan->features;
	int			n_in = plan->n_features;
	int			in_w = HELP_NB201_FEATS,
				ld_in = HELP_NB201_FEATS;

	for (int l = 0; l < N_LAYERS; l++)
	{
		float	   *out = plan->state[l % 2];

		memcpy(plan->bias, help_ctensor(L, theta, L->arch_b[l]), sizeof(float) * W);
		help_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n_in, W, in_w,
				   1.0f, in, ld_in, help_ctensor(L, theta, L->arch_w[l]), W,
				   0.0f, plan->product, stride);
		for (int c = 0; c < plan->n_classes[l]; c++)
			Aggregate(plan->sigs[l] + (size_t) c * SIG_INTS, plan->product, plan->bias,
					  stride, out + (size_t) c * stride);
		in = out;
		n_in = plan->n_classes[l];
		in_w = W;
		ld_in = stride;
	}
	GlobalReadout(plan->X, plan->batch, plan->class_of, in, stride, W, readout);
}

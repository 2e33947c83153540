/*
 * model.c
 *	  Forward and backward pass of the HELP predictor, and its workspaces.
 *
 * The network (docs/method.md section 3):
 *	  architecture branch: 4 graph convolutions H <- relu(A (H W) + b) read out
 *		at the global node (NAS-Bench-201), or relu(fc1), relu(fc2) (FBNet, OFA);
 *	  hardware branch: relu(fc_hw1), relu(fc_hw2) of the hardware embedding;
 *	  head: relu(fc3), relu(fc4), fc5 over [architecture, hardware].
 *
 * Two exact shortcuts keep it cheap without changing any result: the last
 * graph convolution is evaluated only at the global node (the only row read
 * out), as (A[8,:] H) W; and since the hardware half of fc3's input is the
 * same for every row, it is folded into a per-call bias once.
 */
#include "model.h"

#include <stdbool.h>
#include <string.h>

#include "blas.h"
#include "gcn_classes.h"
#include "live_columns.h"
#include "vec.h"

/* The buffers of a prediction-only workspace (see HelpWorkspace). */
static HelpWorkspace *
WorkspaceForPrediction(const HelpLayout *L, int max_batch)
{
	HelpWorkspace *ws = HELP_ARENA_NEW(HelpWorkspace);
	size_t		B = (size_t) max_batch;
	size_t		W = (size_t) L->width;
	size_t		H = (size_t) L->head;

	ws->max_batch = max_batch;
	ws->hw1 = help_arena_alloc(&ws->arena, sizeof(float) * W);
	ws->hw2 = help_arena_alloc(&ws->arena, sizeof(float) * W);
	ws->head_const = help_arena_alloc(&ws->arena, sizeof(float) * H);
	ws->readout = help_arena_alloc(&ws->arena, sizeof(float) * B * W);
	ws->arch_out = help_arena_alloc(&ws->arena, sizeof(float) * B * W);
	ws->z3 = help_arena_alloc(&ws->arena, sizeof(float) * B * H);
	ws->z4 = help_arena_alloc(&ws->arena, sizeof(float) * B * H);

	/*
	 * The live-column scratch holds the packed copies of the head's input
	 * (batch x head) and of its weights (head x head), the largest product it
	 * serves.
	 */
	ws->live = help_live_scratch_create((int) (B * H), (int) (H * H));
	return ws;
}

/* See model.h: scratch for passes over up to max_batch architectures. */
HelpWorkspace *
help_workspace_create(const HelpLayout *L, int max_batch)
{
	HelpWorkspace *ws = WorkspaceForPrediction(L, max_batch);
	size_t		B = (size_t) max_batch;
	size_t		W = (size_t) L->width;
	size_t		H = (size_t) L->head;
	size_t		rows = L->kind == HELP_NET_GCN ? B * HELP_NB201_NODES : B;
	size_t		wide = W > (size_t) L->in_dim ? W : (size_t) L->in_dim;

	ws->act[0] = help_arena_alloc(&ws->arena, sizeof(float) * rows * (size_t) L->in_dim);
	for (int l = 1; l <= L->n_arch_layers; l++)
		ws->act[l] = help_arena_alloc(&ws->arena, sizeof(float) * rows * W);
	ws->scratch = help_arena_alloc(&ws->arena, sizeof(float) * rows * wide);
	ws->scratch2 = help_arena_alloc(&ws->arena, sizeof(float) * rows * wide);
	ws->dz3 = help_arena_alloc(&ws->arena, sizeof(float) * B * H);
	ws->dz4 = help_arena_alloc(&ws->arena, sizeof(float) * B * H);
	ws->darch = help_arena_alloc(&ws->arena, sizeof(float) * B * W);
	ws->dhw1 = help_arena_alloc(&ws->arena, sizeof(float) * W);
	ws->dhw2 = help_arena_alloc(&ws->arena, sizeof(float) * W);

	/*
	 * GCN only: the buffers of GemmDistinctRows, an open-addressing table at
	 * most half full, and each layer's distinct input rows with every row's
	 * class, which the backward pass needs again.
	 */
	if (L->kind == HELP_NET_GCN)
	{
		ws->table_size = 1;
		while ((size_t) ws->table_size < 2 * rows)
			ws->table_size *= 2;
		for (int l = 0; l < HELP_NB201_NODE_LAYERS; l++)
		{
			ws->row_class[l] = help_arena_alloc(&ws->arena, sizeof(int) * rows);
			ws->distinct_in[l] = help_arena_alloc(&ws->arena, sizeof(float) * rows * wide);
		}
		ws->row_table = help_arena_alloc(&ws->arena, sizeof(int) * ws->table_size);
		ws->distinct_out = help_arena_alloc(&ws->arena, sizeof(float) * rows * W);
	}
	return ws;
}

/* See model.h: scratch for help_net_predict_many only. */
HelpWorkspace *
help_predict_workspace_create(const HelpLayout *L, int max_batch)
{
	HelpWorkspace *ws = WorkspaceForPrediction(L, max_batch);

	/*
	 * A prediction workspace keeps no per-node activations: the GCN goes
	 * through the plan of distinct node states, the MLP needs only its hidden
	 * layer.
	 */
	if (L->kind == HELP_NET_GCN)
		ws->plan = help_gcn_plan_create(L, max_batch);
	else
		ws->act[1] = help_arena_alloc(&ws->arena, sizeof(float) * (size_t) max_batch * L->width);
	return ws;
}

void
help_workspace_destroy(HelpWorkspace *ws)
{
	if (ws == NULL)
		return;
	help_gcn_plan_destroy(ws->plan);
	help_live_scratch_destroy(ws->live);
	help_arena_release(&ws->arena);
}

/* x <- relu(x + bias) over rows of length n. */
HELP_VECTOR_CLONES
static void
AddBiasRelu(float *x, const float *bias, size_t rows, int n)
{
	for (size_t r = 0; r < rows; r++)
	{
		float	   *row = x + r * n;

		for (int k = 0; k < n; k++)
		{
			float		v = row[k] + bias[k];

			row[k] = v > 0.0f ? v : 0.0f;
		}
	}
}

/*
 * x[i] <- 0 where the forward activation act[i] was clipped by relu.  Written
 * as a select, not a branch: the sign pattern is random, so a branch is
 * mispredicted half the time, and the select vectorizes.
 */
HELP_VECTOR_CLONES
static void
ReluMask(float *x, const float *act, size_t n)
{
	for (size_t i = 0; i < n; i++)
		x[i] = act[i] <= 0.0f ? 0.0f : x[i];
}

/* out[k] = sum over rows of x[r][k]. */
HELP_VECTOR_CLONES
static void
ColumnSums(const float *x, size_t rows, int n, float *out)
{
	memset(out, 0, sizeof(float) * n);
	for (size_t r = 0; r < rows; r++)
		for (int k = 0; k < n; k++)
			out[k] += x[r * n + k];
}

/* out[c] = sum of the rows x[r] (width n) of class c, for n_classes classes. */
HELP_VECTOR_CLONES
static void
SumByClass(const float *x, size_t rows, int n, const int *row_class, int n_classes,
		   float *out)
{
	memset(out, 0, sizeof(float) * n_classes * n);
	for (size_t r = 0; r < rows; r++)
	{
		float	   *o = out + (size_t) row_class[r] * n;
		const float *row = x + r * n;

		for (int k = 0; k < n; k++)
			o[k] += row[k];
	}
}

/* g[i][j] = a[i] * b[j] (an outer product into a gradient). */
HELP_VECTOR_CLONES
static void
Outer(float *g, const float *a, int m, const float *b, int n)
{
	for (int i = 0; i < m; i++)
		for (int j = 0; j < n; j++)
			g[(size_t) i * n + j] = a[i] * b[j];
}

/* Propagation matrix of the b-th NAS-Bench-201 encoding. */
static inline const float *
CellAdjacency(const float *X, int b)
{
	return X + (size_t) b * HELP_NB201_ENC_DIM + HELP_NB201_NODES * HELP_NB201_FEATS;
}

/*
 * out[b] = A_b in[b] for every cell of the batch (rows of width n), or
 * A_b^T in[b] when transposed (the backward pass).  A has about 27 nonzeros
 * of 81, so each output row is a short sum of scaled input rows.  With
 * row_class, node row r of the input is row row_class[r] of in (a layer's
 * product by distinct row, see GemmDistinctRows).
 */
HELP_VECTOR_CLONES
static void
Propagate(const float *X, int batch, const float *in, const int *row_class, float *out,
		  int n, bool transposed)
{
	const int	N = HELP_NB201_NODES;

	for (int b = 0; b < batch; b++)
	{
		const float *A = CellAdjacency(X, b);
		float	   *dst = out + (size_t) b * N * n;

		for (int to = 0; to < N; to++)
		{
			const float *rows[HELP_NB201_NODES];
			float		coef[HELP_NB201_NODES];
			int			terms = 0;

			for (int from = 0; from < N; from++)
			{
				const float a = transposed ? A[from * N + to] : A[to * N + from];
				const int	r = b * N + from;

				if (a == 0.0f)
					continue;
				rows[terms] = in + (size_t) (row_class ? row_class[r] : r) * n;
				coef[terms++] = a;
			}
			help_combine_rows(dst + (size_t) to * n, rows, coef, terms, n);
		}
	}
}

/*
 * Hash of a row of n floats by the bits of up to 8 of them, spread over the
 * row: enough to tell rows apart in practice (equality is checked anyway)
 * and far cheaper than hashing every value.
 */
static inline uint32_t
RowHash(const float *row, int n)
{
	const int	step = n > 8 ? n / 8 : 1;
	uint32_t	h = 2166136261u;

	for (int k = 0; k < n; k += step)
	{
		uint32_t	bits;

		memcpy(&bits, &row[k], sizeof(bits));
		h = (h ^ bits) * 16777619u;
	}
	return h ^ (h >> 15);
}

/*
 * out = in W for rows x in_w `in` and in_w x out_w `W`, computing each
 * distinct row of `in` once.  In a batch of cells most node rows repeat (the
 * input node is the same in every cell, node 1's first-layer row depends on
 * one operation only, ...), so this cuts the GCN's matrix products several
 * fold.  Rows are compared by their bits, so the result is exact.  The
 * product is left by class in ws->distinct_out (row r's is row
 * ws->row_class[layer][r]); the distinct rows and each row's class are kept
 * in ws as layer's, for the weight gradient (GcnBackward).
 */
static void
GemmDistinctRows(const float *in, int rows, int in_w, const float *W, int out_w,
				 HelpWorkspace *ws, int layer)
{
	const uint32_t mask = (uint32_t) ws->table_size - 1;
	int		   *row_class = ws->row_class[layer];
	float	   *distinct_in = ws->distinct_in[layer];
	int			n_distinct = 0;

	memset(ws->row_table, 0, sizeof(int) * ws->table_size);
	for (int r = 0; r < rows; r++)
	{
		const float *row = in + (size_t) r * in_w;
		uint32_t	slot = RowHash(row, in_w) & mask;

		for (;; slot = (slot + 1) & mask)
		{
			int			c = ws->row_table[slot] - 1;

			if (c < 0)
			{
				c = n_distinct++;
				memcpy(distinct_in + (size_t) c * in_w, row, sizeof(float) * in_w);
				ws->row_table[slot] = c + 1;
			}
			else if (memcmp(distinct_in + (size_t) c * in_w, row,
							sizeof(float) * in_w) != 0)
				continue;
			row_class[r] = c;
			break;
		}
	}
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n_distinct, out_w, in_w,
			   1.0f, distinct_in, in_w, W, out_w, 0.0f, ws->distinct_out, out_w);
	ws->n_distinct[layer] = n_distinct;
}

static void GcnLastLayer(const HelpLayout *L, const float *theta, int batch,
						 HelpWorkspace *ws);

/* Graph-convolution branch: fills ws->act[0..3] and ws->arch_out. */
static void
GcnForward(const HelpLayout *L, const float *theta, const float *X, int batch,
		   HelpWorkspace *ws)
{
	const int	N = HELP_NB201_NODES;
	const int	F = HELP_NB201_FEATS;
	const int	W = L->width;
	int			rows = batch * N;

	for (int b = 0; b < batch; b++)
		memcpy(ws->act[0] + (size_t) b * N * F, X + (size_t) b * HELP_NB201_ENC_DIM,
			   sizeof(float) * N * F);

	for (int l = 0; l < HELP_NB201_NODE_LAYERS; l++)
	{
		int			in = l == 0 ? F : W;

		/*
		 * A layer over a large support set (900 k node rows for 100,000
		 * cells) takes a good fraction of a second: check between layers.
		 */
		HELP_CHECK_INTERRUPTS();
		GemmDistinctRows(ws->act[l], rows, in, help_ctensor(L, theta, L->arch_w[l]), W,
						 ws, l);
		Propagate(X, batch, ws->distinct_out, ws->row_class[l], ws->act[l + 1], W, false);
		AddBiasRelu(ws->act[l + 1], help_ctensor(L, theta, L->arch_b[l]), rows, W);
	}

	/* last layer at the global node only: relu((A[8,:] H3) W4 + b4) */
	for (int b = 0; b < batch; b++)
	{
		const float *A8 = CellAdjacency(X, b) + (N - 1) * N;
		const float *h = ws->act[3] + (size_t) b * N * W;
		float	   *g = ws->readout + (size_t) b * W;

		memset(g, 0, sizeof(float) * W);
		for (int j = 0; j < N; j++)
			if (A8[j] != 0.0f)
				help_saxpy(W, A8[j], h + (size_t) j * W, 1, g, 1);
	}
	GcnLastLayer(L, theta, batch, ws);
}

/* The fourth graph convolution, at the global node: arch_out from readout. */
static void
GcnLastLayer(const HelpLayout *L, const float *theta, int batch, HelpWorkspace *ws)
{
	const int	W = L->width;

	help_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, batch, W, W,
			   1.0f, ws->readout, W, help_ctensor(L, theta, L->arch_w[3]), W,
			   0.0f, ws->arch_out, W);
	AddBiasRelu(ws->arch_out, help_ctensor(L, theta, L->arch_b[3]), batch, W);
}

/* MLP branch: fills ws->act[1] and ws->arch_out. */
static void
MlpForward(const HelpLayout *L, const float *theta, const float *X, int batch,
		   HelpWorkspace *ws)
{
	const int	W = L->width;

	help_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, batch, W, L->in_dim,
			   1.0f, X, L->in_dim, help_ctensor(L, theta, L->arch_w[0]), L->in_dim,
			   0.0f, ws->act[1], W);
	AddBiasRelu(ws->act[1], help_ctensor(L, theta, L->arch_b[0]), batch, W);
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, batch, W, W,
			   1.0f, ws->act[1], W, help_ctensor(L, theta, L->arch_w[1]), W,
			   0.0f, ws->arch_out, W);
	AddBiasRelu(ws->arch_out, help_ctensor(L, theta, L->arch_b[1]), batch, W);
}

/* See model.h.  Leaves the hardware branch's activations in ws. */
void
help_net_head_constant(const HelpLayout *L, const float *theta, const float *hw,
					   float *out, HelpWorkspace *ws)
{
	const int	W = L->width;
	const int	H = L->head;

	help_sgemv(CblasRowMajor, CblasNoTrans, W, L->hw_dim, 1.0f,
			   help_ctensor(L, theta, L->hw1_w), L->hw_dim, hw, 1, 0.0f, ws->hw1, 1);
	AddBiasRelu(ws->hw1, help_ctensor(L, theta, L->hw1_b), 1, W);
	help_sgemv(CblasRowMajor, CblasNoTrans, W, W, 1.0f,
			   help_ctensor(L, theta, L->hw2_w), W, ws->hw1, 1, 0.0f, ws->hw2, 1);
	AddBiasRelu(ws->hw2, help_ctensor(L, theta, L->hw2_b), 1, W);
	memcpy(out, help_ctensor(L, theta, L->fc3_b), sizeof(float) * H);
	help_sgemv(CblasRowMajor, CblasNoTrans, H, W, 1.0f, help_ctensor(L, theta, L->fc3_w) + W, H,
			   ws->hw2, 1, 1.0f, out, 1);
}

/*
 * The forward pass.  With a plan (GCN only), compute the graph convolutions
 * by distinct node state (gcn_classes.h): no per-node activations are kept,
 * so this is for prediction; without, keep every activation for
 * help_net_backward.  head_const: help_net_head_constant's output for theta
 * and hw, or NULL to compute it here (as the backward pass needs).
 */
static void
NetForward(const HelpLayout *L, const float *theta, const float *hw,
		   const float *X, int batch, float *y, HelpWorkspace *ws, HelpGcnPlan *plan,
		   const float *head_const)
{
	const int	W = L->width;
	const int	H = L->head;
	const float *w3 = help_ctensor(L, theta, L->fc3_w);

	HELP_CHECK_INTERRUPTS();
	ws->batch = batch;
	if (head_const == NULL)
	{
		help_net_head_constant(L, theta, hw, ws->head_const, ws);
		head_const = ws->head_const;
	}

	if (plan != NULL)
	{
		help_gcn_plan_readout(L, theta, plan, ws->readout);
		GcnLastLayer(L, theta, batch, ws);
	}
	else if (L->kind == HELP_NET_GCN)
		GcnForward(L, theta, X, batch, ws);
	else
		MlpForward(L, theta, X, batch, ws);

	/*
	 * The head: fc3 takes [arch_out, hw2]; its hardware half is the same for
	 * every row and is already in head_const, so only the architecture half
	 * (the first W columns of fc3) is multiplied here. Both head products skip
	 * the inputs' all-zero columns (live_columns.h).
	 */
	help_sgemm_live_columns(batch, H, W, ws->arch_out, W, w3, H, ws->z3, H, ws->live);
	AddBiasRelu(ws->z3, head_const, batch, H);
	help_sgemm_live_columns(batch, H, H, ws->z3, H, help_ctensor(L, theta, L->fc4_w), H,
							ws->z4, H, ws->live);
	AddBiasRelu(ws->z4, help_ctensor(L, theta, L->fc4_b), batch, H);
	help_sgemv(CblasRowMajor, CblasNoTrans, batch, H, 1.0f, ws->z4, H,
			   help_ctensor(L, theta, L->fc5_w), 1, 0.0f, y, 1);
	for (int b = 0; b < batch; b++)
		y[b] += help_ctensor(L, theta, L->fc5_b)[0];
}

/* See model.h. */
void
help_net_forward(const HelpLayout *L, const float *theta, const float *hw,
				 const float *X, int batch, float *y, HelpWorkspace *ws)
{
	NetForward(L, theta, hw, X, batch, y, ws, NULL, NULL);
}

/* Backward through the graph convolutions, from d(arch_out) in dP. */
static void
GcnBackward(const HelpLayout *L, const float *theta, const float *X, int batch,
			float *dP, float *grad, HelpWorkspace *ws)
{
	const int	N = HELP_NB201_NODES;
	const int	F = HELP_NB201_FEATS;
	const int	W = L->width;
	int			rows = batch * N;
	float	   *dS = ws->scratch;
	float	   *dH = ws->scratch2;
	float	   *dG = ws->dz4;		/* free by now; batch x width fits */

	/* last layer: arch_out = relu(G W4 + b4), G = A[8,:] H3 */
	ReluMask(dP, ws->arch_out, (size_t) batch * W);
	help_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, W, W, batch,
			   1.0f, ws->readout, W, dP, W, 0.0f, help_tensor(L, grad, L->arch_w[3]), W);
	ColumnSums(dP, batch, W, help_tensor(L, grad, L->arch_b[3]));
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, batch, W, W,
			   1.0f, dP, W, help_ctensor(L, theta, L->arch_w[3]), W, 0.0f, dG, W);
	for (int b = 0; b < batch; b++)
	{
		const float *A8 = CellAdjacency(X, b) + (N - 1) * N;

		for (int j = 0; j < N; j++)
		{
			float	   *dst = dH + ((size_t) b * N + j) * W;

			for (int k = 0; k < W; k++)
				dst[k] = A8[j] * dG[(size_t) b * W + k];
		}
	}

	/*
	 * layers 3, 2, 1: act[l+1] = relu(A (act[l] W) + b).  The weight
	 * gradient sum_rows act[l][row]^T dS[row] is taken over the distinct
	 * rows of act[l] that the forward pass found, with dS summed by class.
	 */
	for (int l = HELP_NB201_NODE_LAYERS - 1; l >= 0; l--)
	{
		int			in = l == 0 ? F : W;

		HELP_CHECK_INTERRUPTS();
		ReluMask(dH, ws->act[l + 1], (size_t) rows * W);
		ColumnSums(dH, rows, W, help_tensor(L, grad, L->arch_b[l]));
		Propagate(X, batch, dH, NULL, dS, W, true);
		SumByClass(dS, rows, W, ws->row_class[l], ws->n_distinct[l], ws->distinct_out);
		help_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, in, W, ws->n_distinct[l],
				   1.0f, ws->distinct_in[l], in, ws->distinct_out, W, 0.0f,
				   help_tensor(L, grad, L->arch_w[l]), W);
		if (l > 0)
			help_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, W, W,
					   1.0f, dS, W, help_ctensor(L, theta, L->arch_w[l]), W, 0.0f, dH, W);
	}
}

/* Backward through the MLP branch, from d(arch_out) in dH2. */
static void
MlpBackward(const HelpLayout *L, const float *theta, const float *X, int batch,
			float *dH2, float *grad, HelpWorkspace *ws)
{
	const int	W = L->width;
	float	   *dH1 = ws->scratch2;

	ReluMask(dH2, ws->arch_out, (size_t) batch * W);
	help_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, W, W, batch,
			   1.0f, dH2, W, ws->act[1], W, 0.0f, help_tensor(L, grad, L->arch_w[1]), W);
	ColumnSums(dH2, batch, W, help_tensor(L, grad, L->arch_b[1]));
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, batch, W, W,
			   1.0f, dH2, W, help_ctensor(L, theta, L->arch_w[1]), W, 0.0f, dH1, W);
	ReluMask(dH1, ws->act[1], (size_t) batch * W);
	help_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, W, L->in_dim, batch,
			   1.0f, dH1, W, X, L->in_dim, 0.0f, help_tensor(L, grad, L->arch_w[0]), L->in_dim);
	ColumnSums(dH1, batch, W, help_tensor(L, grad, L->arch_b[0]));
}

/* See model.h. */
void
help_net_backward(const HelpLayout *L, const float *theta, const float *hw,
				  const float *X, const float *dy, float *grad, HelpWorkspace *ws)
{
	const int	W = L->width;
	const int	H = L->head;
	int			batch = ws->batch;
	const float *w3 = help_ctensor(L, theta, L->fc3_w);
	const float *w5 = help_ctensor(L, theta, L->fc5_w);
	float	   *g3 = help_tensor(L, grad, L->fc3_w);
	float	   *darch = ws->darch;
	float	   *dhw1 = ws->dhw1;
	float	   *dhw2 = ws->dhw2;
	float	   *dz3_sum = help_tensor(L, grad, L->fc3_b);
	double		sum_dy = 0.0;

	HELP_CHECK_INTERRUPTS();

	/* fc5 */
	help_sgemv(CblasRowMajor, CblasTrans, batch, H, 1.0f, ws->z4, H, dy, 1,
			   0.0f, help_tensor(L, grad, L->fc5_w), 1);
	for (int b = 0; b < batch; b++)
		sum_dy += dy[b];
	help_tensor(L, grad, L->fc5_b)[0] = (float) sum_dy;

	/* fc4 */
	for (int b = 0; b < batch; b++)
		for (int k = 0; k < H; k++)
			ws->dz4[(size_t) b * H + k] = dy[b] * w5[k];
	ReluMask(ws->dz4, ws->z4, (size_t) batch * H);
	help_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, H, H, batch,
			   1.0f, ws->dz4, H, ws->z3, H, 0.0f, help_tensor(L, grad, L->fc4_w), H);
	ColumnSums(ws->dz4, batch, H, help_tensor(L, grad, L->fc4_b));

	/* fc3: its input is [arch_out, hw2] */
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, batch, H, H,
			   1.0f, ws->dz4, H, help_ctensor(L, theta, L->fc4_w), H, 0.0f, ws->dz3, H);
	ReluMask(ws->dz3, ws->z3, (size_t) batch * H);
	help_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, H, W, batch,
			   1.0f, ws->dz3, H, ws->arch_out, W, 0.0f, g3, H);
	ColumnSums(ws->dz3, batch, H, dz3_sum);
	for (int k = 0; k < H; k++)
		for (int j = 0; j < W; j++)
			g3[(size_t) k * H + W + j] = dz3_sum[k] * ws->hw2[j];
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, batch, W, H,
			   1.0f, ws->dz3, H, w3, H, 0.0f, darch, W);

	/* hardware branch: its output fed every row, so its gradient is summed */
	help_sgemv(CblasRowMajor, CblasTrans, H, W, 1.0f, w3 + W, H, dz3_sum, 1, 0.0f, dhw2, 1);
	ReluMask(dhw2, ws->hw2, W);
	Outer(help_tensor(L, grad, L->hw2_w), dhw2, W, ws->hw1, W);
	memcpy(help_tensor(L, grad, L->hw2_b), dhw2, sizeof(float) * W);
	help_sgemv(CblasRowMajor, CblasTrans, W, W, 1.0f, help_ctensor(L, theta, L->hw2_w), W,
			   dhw2, 1, 0.0f, dhw1, 1);
	ReluMask(dhw1, ws->hw1, W);
	Outer(help_tensor(L, grad, L->hw1_w), dhw1, W, hw, L->hw_dim);
	memcpy(help_tensor(L, grad, L->hw1_b), dhw1, sizeof(float) * W);

	if (L->kind == HELP_NET_GCN)
		GcnBackward(L, theta, X, batch, darch, grad, ws);
	else
		MlpBackward(L, theta, X, batch, darch, grad, ws);
}

/* See model.h. */
double
help_mse(const float *y, const float *t, int n, float *dy)
{
	double		sum = 0.0;

	for (int i = 0; i < n; i++)
	{
		double		d = (double) y[i] - (double) t[i];

		sum += d * d;
		if (dy)
			dy[i] = (float) (2.0 * d / n);
	}
	return sum / n;
}

/* See model.h. */
void
help_net_predict_many(const HelpLayout *L, const float *thetas, int n_thetas,
					  const float *head_consts, const float *hw, const float *X, int n,
					  float *out, HelpWorkspace *ws)
{
	int			enc_dim = help_space_encoding_dim(L->space);

	/*
	 * Chunks of the workspace's size. The plan depends on the cells only, so
	 * it is built once per chunk and serves every parameter vector (the
	 * modulator draws); each draw then runs the per-class products.
	 */
	for (int start = 0; start < n; start += ws->max_batch)
	{
		int			len = n - start < ws->max_batch ? n - start : ws->max_batch;
		const float *Xc = X + (size_t) start * enc_dim;

		if (L->kind == HELP_NET_GCN && ws->plan == NULL)
			ws->plan = help_gcn_plan_create(L, ws->max_batch);
		if (L->kind == HELP_NET_GCN)
			help_gcn_plan_build(ws->plan, Xc, len);
		for (int t = 0; t < n_thetas; t++)
		{
			HELP_CHECK_INTERRUPTS();
			NetForward(L, thetas + (size_t) t * L->n_params, hw, Xc, len,
					   out + (size_t) t * n + start, ws,
					   L->kind == HELP_NET_GCN ? ws->plan : NULL,
					   head_consts ? head_consts + (size_t) t * L->head : NULL);
		}
	}
}

/* See model.h. */
void
help_net_predict(const HelpLayout *L, const float *theta, const float *hw,
				 const float *X, int n, float *y, HelpWorkspace *ws)
{
	help_net_predict_many(L, theta, 1, NULL, hw, X, n, y, ws);
}

/* See model.h: the graph propagation, for passes written outside this file. */
void
help_nb201_propagate(const float *X, int batch, const float *in, float *out,
					 int n, int transposed)
{
	Propagate(X, batch, in, NULL, out, n, transposed != 0);
}

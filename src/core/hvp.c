/*
 * hvp.c
 *	  Hessian-vector products of the support loss by the R-operator.
 *
 * Notation: for any quantity q of the forward or backward pass, r(q) is its
 * derivative along the direction v in parameter space.  The tangent pass
 * computes r() of every activation from the primal activations that
 * help_net_forward leaves in the HelpWorkspace; the joint pass then runs the
 * backward pass and its tangent side by side, and r() of each weight
 * gradient is a row of H v.  Products of two tangents never occur (the loss
 * is quadratic in the prediction and ReLU is piecewise linear), so the
 * result is exact up to float rounding.
 */
#include "hvp.h"

#include "blas.h"
#include <string.h>

#define CT(params, t) help_ctensor(L, (params), (t))

/* Allocate scratch for products over up to max_batch architectures. */
HelpHvpWorkspace *
help_hvp_workspace_create(const HelpLayout *L, int max_batch)
{
	HelpHvpWorkspace *h = HELP_ARENA_NEW(HelpHvpWorkspace);
	size_t		B = (size_t) max_batch;
	size_t		W = (size_t) L->width;
	size_t		H = (size_t) L->head;
	size_t		rows = L->kind == HELP_NET_GCN ? B * HELP_NB201_NODES : B;

	h->max_batch = max_batch;
	h->pred = help_arena_alloc(&h->arena, sizeof(float) * B);
	h->dy = help_arena_alloc(&h->arena, sizeof(float) * B);
	h->rpred = help_arena_alloc(&h->arena, sizeof(float) * B);
	h->rdy = help_arena_alloc(&h->arena, sizeof(float) * B);
	h->rhw1 = help_arena_alloc(&h->arena, sizeof(float) * W);
	h->rhw2 = help_arena_alloc(&h->arena, sizeof(float) * W);
	h->dhw2 = help_arena_alloc(&h->arena, sizeof(float) * W);
	h->rdhw1 = help_arena_alloc(&h->arena, sizeof(float) * W);
	h->rdhw2 = help_arena_alloc(&h->arena, sizeof(float) * W);
	h->rhead_const = help_arena_alloc(&h->arena, sizeof(float) * H);
	h->s3 = help_arena_alloc(&h->arena, sizeof(float) * H);
	h->rs3 = help_arena_alloc(&h->arena, sizeof(float) * H);
	for (int l = 1; l < L->n_arch_layers; l++)
		h->ract[l] = help_arena_alloc(&h->arena, sizeof(float) * rows * W);
	h->rreadout = help_arena_alloc(&h->arena, sizeof(float) * B * W);
	h->rarch_out = help_arena_alloc(&h->arena, sizeof(float) * B * W);
	h->darch = help_arena_alloc(&h->arena, sizeof(float) * B * W);
	h->rdarch = help_arena_alloc(&h->arena, sizeof(float) * B * W);
	h->rz3 = help_arena_alloc(&h->arena, sizeof(float) * B * H);
	h->rz4 = help_arena_alloc(&h->arena, sizeof(float) * B * H);
	h->dz3 = help_arena_alloc(&h->arena, sizeof(float) * B * H);
	h->dz4 = help_arena_alloc(&h->arena, sizeof(float) * B * H);
	h->rdz3 = help_arena_alloc(&h->arena, sizeof(float) * B * H);
	h->rdz4 = help_arena_alloc(&h->arena, sizeof(float) * B * H);
	h->dh = help_arena_alloc(&h->arena, sizeof(float) * rows * W);
	h->rdh = help_arena_alloc(&h->arena, sizeof(float) * rows * W);
	h->ds = help_arena_alloc(&h->arena, sizeof(float) * rows * W);
	h->rds = help_arena_alloc(&h->arena, sizeof(float) * rows * W);
	h->tmp = help_arena_alloc(&h->arena, sizeof(float) * rows * W);
	return h;
}

void
help_hvp_workspace_destroy(HelpHvpWorkspace *h)
{
	if (h != NULL)
		help_arena_release(&h->arena);
}

/* x[i] <- 0 where the primal activation act[i] was clipped by relu. */
static void
MaskClipped(float *x, const float *act, size_t n)
{
	for (size_t i = 0; i < n; i++)
		x[i] = act[i] <= 0.0f ? 0.0f : x[i];	/* branch-free: vectorizes */
}

/* Add bias to each of rows rows of length n. */
static void
AddToRows(float *x, const float *bias, size_t rows, int n)
{
	for (size_t r = 0; r < rows; r++)
		for (int k = 0; k < n; k++)
			x[r * n + k] += bias[k];
}

/* out[k] = sum over rows of x[r][k]. */
static void
SumRows(const float *x, size_t rows, int n, float *out)
{
	memset(out, 0, sizeof(float) * n);
	for (size_t r = 0; r < rows; r++)
		for (int k = 0; k < n; k++)
			out[k] += x[r * n + k];
}

/* g (m x n, leading dimension ld) = a1 b1^T + a2 b2^T; a2 may be NULL. */
static void
OuterPair(float *g, int ld, const float *a1, const float *b1,
		  const float *a2, const float *b2, int m, int n)
{
	for (int i = 0; i < m; i++)
		for (int j = 0; j < n; j++)
			g[(size_t) i * ld + j] = a1[i] * b1[j] + (a2 ? a2[i] * b2[j] : 0.0f);
}

/* Global-node readout of each cell: out[b] = A_b[8,:] in[b] (rows of width n). */
static void
ReadoutGlobal(const float *X, int batch, const float *in, float *out, int n)
{
	const int	N = HELP_NB201_NODES;

	memset(out, 0, sizeof(float) * batch * n);
	for (int b = 0; b < batch; b++)
	{
		const float *A8 = X + (size_t) b * HELP_NB201_ENC_DIM + N * HELP_NB201_FEATS + (N - 1) * N;

		for (int j = 0; j < N; j++)
			if (A8[j] != 0.0f)
				help_saxpy(n, A8[j], in + ((size_t) b * N + j) * n, 1, out + (size_t) b * n, 1);
	}
}

/* Transpose of ReadoutGlobal: out[b][j] = A_b[8][j] in[b]. */
static void
ReadoutGlobalTransposed(const float *X, int batch, const float *in, float *out, int n)
{
	const int	N = HELP_NB201_NODES;

	for (int b = 0; b < batch; b++)
	{
		const float *A8 = X + (size_t) b * HELP_NB201_ENC_DIM + N * HELP_NB201_FEATS + (N - 1) * N;

		for (int j = 0; j < N; j++)
			for (int k = 0; k < n; k++)
				out[((size_t) b * N + j) * n + k] = A8[j] * in[(size_t) b * n + k];
	}
}

/* Tangent of the graph-convolution branch: fills ract[1..3], rarch_out. */
static void
GcnTangent(const HelpLayout *L, const float *theta, const float *v,
		   const float *X, int batch, const HelpWorkspace *ws, HelpHvpWorkspace *h)
{
	const int	W = L->width;
	const int	rows = batch * HELP_NB201_NODES;

	/*
	 * Product rule per layer: r(act W) = act r(W) + r(act) W, with r(W) the
	 * block of v. A does not depend on the weights and the relu mask is fixed
	 * by the primal activations, so both apply to the tangent unchanged.
	 */
	for (int l = 0; l < 3; l++)
	{
		int			in = l == 0 ? L->in_dim : W;

		/* r(act[l+1]) = mask (A (act[l] V + r(act[l]) W) + vb); r(act[0]) = 0 */
		help_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, W, in,
				   1.0f, ws->act[l], in, CT(v, L->arch_w[l]), W, 0.0f, h->tmp, W);
		if (l > 0)
			help_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, W, W,
					   1.0f, h->ract[l], W, CT(theta, L->arch_w[l]), W, 1.0f, h->tmp, W);
		help_nb201_propagate(X, batch, h->tmp, h->ract[l + 1], W, 0);
		AddToRows(h->ract[l + 1], CT(v, L->arch_b[l]), rows, W);
		MaskClipped(h->ract[l + 1], ws->act[l + 1], (size_t) rows * W);
	}
	ReadoutGlobal(X, batch, h->ract[3], h->rreadout, W);
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, batch, W, W,
			   1.0f, h->rreadout, W, CT(theta, L->arch_w[3]), W, 0.0f, h->rarch_out, W);
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, batch, W, W,
			   1.0f, ws->readout, W, CT(v, L->arch_w[3]), W, 1.0f, h->rarch_out, W);
	AddToRows(h->rarch_out, CT(v, L->arch_b[3]), batch, W);
	MaskClipped(h->rarch_out, ws->arch_out, (size_t) batch * W);
}

/* Tangent of the MLP branch: fills ract[1], rarch_out. */
static void
MlpTangent(const HelpLayout *L, const float *theta, const float *v,
		   const float *X, int batch, const HelpWorkspace *ws, HelpHvpWorkspace *h)
{
	const int	W = L->width;

	help_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, batch, W, L->in_dim,
			   1.0f, X, L->in_dim, CT(v, L->arch_w[0]), L->in_dim, 0.0f, h->ract[1], W);
	AddToRows(h->ract[1], CT(v, L->arch_b[0]), batch, W);
	MaskClipped(h->ract[1], ws->act[1], (size_t) batch * W);
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, batch, W, W,
			   1.0f, h->ract[1], W, CT(theta, L->arch_w[1]), W, 0.0f, h->rarch_out, W);
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, batch, W, W,
			   1.0f, ws->act[1], W, CT(v, L->arch_w[1]), W, 1.0f, h->rarch_out, W);
	AddToRows(h->rarch_out, CT(v, L->arch_b[1]), batch, W);
	MaskClipped(h->rarch_out, ws->arch_out, (size_t) batch * W);
}

/* Tangent of the whole forward pass: r(prediction) into h->rpred. */
static void
TangentForward(const HelpLayout *L, const float *theta, const float *v,
			   const float *hw, const float *X, int batch,
			   const HelpWorkspace *ws, HelpHvpWorkspace *h)
{
	const int	W = L->width;
	const int	H = L->head;
	const float *w3 = CT(theta, L->fc3_w);
	const float *v3 = CT(v, L->fc3_w);

	/* hardware branch */
	memcpy(h->rhw1, CT(v, L->hw1_b), sizeof(float) * W);
	help_sgemv(CblasRowMajor, CblasNoTrans, W, L->hw_dim, 1.0f, CT(v, L->hw1_w), L->hw_dim,
			   hw, 1, 1.0f, h->rhw1, 1);
	MaskClipped(h->rhw1, ws->hw1, W);
	memcpy(h->rhw2, CT(v, L->hw2_b), sizeof(float) * W);
	help_sgemv(CblasRowMajor, CblasNoTrans, W, W, 1.0f, CT(v, L->hw2_w), W,
			   ws->hw1, 1, 1.0f, h->rhw2, 1);
	help_sgemv(CblasRowMajor, CblasNoTrans, W, W, 1.0f, CT(theta, L->hw2_w), W,
			   h->rhw1, 1, 1.0f, h->rhw2, 1);
	MaskClipped(h->rhw2, ws->hw2, W);

	/* fc3's shared bias: b3 + W3[:, W:] hw2 */
	memcpy(h->rhead_const, CT(v, L->fc3_b), sizeof(float) * H);
	help_sgemv(CblasRowMajor, CblasNoTrans, H, W, 1.0f, v3 + W, H, ws->hw2, 1,
			   1.0f, h->rhead_const, 1);
	help_sgemv(CblasRowMajor, CblasNoTrans, H, W, 1.0f, w3 + W, H, h->rhw2, 1,
			   1.0f, h->rhead_const, 1);

	if (L->kind == HELP_NET_GCN)
		GcnTangent(L, theta, v, X, batch, ws, h);
	else
		MlpTangent(L, theta, v, X, batch, ws, h);

	/* head */
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, batch, H, W,
			   1.0f, h->rarch_out, W, w3, H, 0.0f, h->rz3, H);
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, batch, H, W,
			   1.0f, ws->arch_out, W, v3, H, 1.0f, h->rz3, H);
	AddToRows(h->rz3, h->rhead_const, batch, H);
	MaskClipped(h->rz3, ws->z3, (size_t) batch * H);
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, batch, H, H,
			   1.0f, h->rz3, H, CT(theta, L->fc4_w), H, 0.0f, h->rz4, H);
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, batch, H, H,
			   1.0f, ws->z3, H, CT(v, L->fc4_w), H, 1.0f, h->rz4, H);
	AddToRows(h->rz4, CT(v, L->fc4_b), batch, H);
	MaskClipped(h->rz4, ws->z4, (size_t) batch * H);
	for (int b = 0; b < batch; b++)
		h->rpred[b] = CT(v, L->fc5_b)[0];
	help_sgemv(CblasRowMajor, CblasNoTrans, batch, H, 1.0f, h->rz4, H,
			   CT(theta, L->fc5_w), 1, 1.0f, h->rpred, 1);
	help_sgemv(CblasRowMajor, CblasNoTrans, batch, H, 1.0f, ws->z4, H,
			   CT(v, L->fc5_w), 1, 1.0f, h->rpred, 1);
}

/* Joint backward through the graph convolutions, from darch and rdarch. */
static void
GcnJointBackward(const HelpLayout *L, const float *theta, const float *v,
				 const float *X, int batch, const HelpWorkspace *ws,
				 HelpHvpWorkspace *h, float *hv)
{
	const int	W = L->width;
	const int	rows = batch * HELP_NB201_NODES;

	/* last layer: arch_out = relu(G W4 + b4), G = A[8,:] H3 */
	MaskClipped(h->darch, ws->arch_out, (size_t) batch * W);
	MaskClipped(h->rdarch, ws->arch_out, (size_t) batch * W);
	help_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, W, W, batch,
			   1.0f, ws->readout, W, h->rdarch, W, 0.0f, help_tensor(L, hv, L->arch_w[3]), W);
	help_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, W, W, batch,
			   1.0f, h->rreadout, W, h->darch, W, 1.0f, help_tensor(L, hv, L->arch_w[3]), W);
	SumRows(h->rdarch, batch, W, help_tensor(L, hv, L->arch_b[3]));
	/* d(G) into ds, r(d(G)) into rds, then spread over the nodes */
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, batch, W, W,
			   1.0f, h->darch, W, CT(theta, L->arch_w[3]), W, 0.0f, h->ds, W);
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, batch, W, W,
			   1.0f, h->rdarch, W, CT(theta, L->arch_w[3]), W, 0.0f, h->rds, W);
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, batch, W, W,
			   1.0f, h->darch, W, CT(v, L->arch_w[3]), W, 1.0f, h->rds, W);
	ReadoutGlobalTransposed(X, batch, h->ds, h->dh, W);
	ReadoutGlobalTransposed(X, batch, h->rds, h->rdh, W);

	/* layers 3, 2, 1: act[l+1] = relu(A (act[l] W) + b) */
	for (int l = 2; l >= 0; l--)
	{
		int			in = l == 0 ? L->in_dim : W;
		float	   *hv_w = help_tensor(L, hv, L->arch_w[l]);

		MaskClipped(h->dh, ws->act[l + 1], (size_t) rows * W);
		MaskClipped(h->rdh, ws->act[l + 1], (size_t) rows * W);
		SumRows(h->rdh, rows, W, help_tensor(L, hv, L->arch_b[l]));
		help_nb201_propagate(X, batch, h->dh, h->ds, W, 1);
		help_nb201_propagate(X, batch, h->rdh, h->rds, W, 1);
		help_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, in, W, rows,
				   1.0f, ws->act[l], in, h->rds, W, 0.0f, hv_w, W);
		if (l == 0)
			break;
		help_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, W, W, rows,
				   1.0f, h->ract[l], W, h->ds, W, 1.0f, hv_w, W);
		help_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, W, W,
				   1.0f, h->ds, W, CT(theta, L->arch_w[l]), W, 0.0f, h->dh, W);
		help_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, W, W,
				   1.0f, h->rds, W, CT(theta, L->arch_w[l]), W, 0.0f, h->rdh, W);
		help_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, W, W,
				   1.0f, h->ds, W, CT(v, L->arch_w[l]), W, 1.0f, h->rdh, W);
	}
}

/* Joint backward through the MLP branch, from darch and rdarch. */
static void
MlpJointBackward(const HelpLayout *L, const float *theta, const float *v,
				 const float *X, int batch, const HelpWorkspace *ws,
				 HelpHvpWorkspace *h, float *hv)
{
	const int	W = L->width;
	float	   *hv_w1 = help_tensor(L, hv, L->arch_w[1]);

	MaskClipped(h->darch, ws->arch_out, (size_t) batch * W);
	MaskClipped(h->rdarch, ws->arch_out, (size_t) batch * W);
	help_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, W, W, batch,
			   1.0f, h->rdarch, W, ws->act[1], W, 0.0f, hv_w1, W);
	help_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, W, W, batch,
			   1.0f, h->darch, W, h->ract[1], W, 1.0f, hv_w1, W);
	SumRows(h->rdarch, batch, W, help_tensor(L, hv, L->arch_b[1]));
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, batch, W, W,
			   1.0f, h->rdarch, W, CT(theta, L->arch_w[1]), W, 0.0f, h->rdh, W);
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, batch, W, W,
			   1.0f, h->darch, W, CT(v, L->arch_w[1]), W, 1.0f, h->rdh, W);
	MaskClipped(h->rdh, ws->act[1], (size_t) batch * W);
	help_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, W, L->in_dim, batch,
			   1.0f, h->rdh, W, X, L->in_dim, 0.0f, help_tensor(L, hv, L->arch_w[0]), L->in_dim);
	SumRows(h->rdh, batch, W, help_tensor(L, hv, L->arch_b[0]));
}

/*
 * The backward pass of the MSE and its tangent, writing r(gradient) = H v
 * into hv.  Needs the primal (ws) and tangent (h) forward passes.
 */
static void
JointBackward(const HelpLayout *L, const float *theta, const float *v,
			  const float *hw, const float *X, const float *y, int batch,
			  const HelpWorkspace *ws, HelpHvpWorkspace *h, float *hv)
{
	const int	W = L->width;
	const int	H = L->head;
	const float *w3 = CT(theta, L->fc3_w);
	const float *v3 = CT(v, L->fc3_w);
	const float *w5 = CT(theta, L->fc5_w);
	const float *v5 = CT(v, L->fc5_w);
	float	   *hv3 = help_tensor(L, hv, L->fc3_w);
	double		sum_rdy = 0.0;

	/* loss: dy = 2 (pred - y) / n, r(dy) = 2 r(pred) / n */
	/*
	 * In the joint pass every gradient g is a product of primal factors; its
	 * tangent r(g) is the sum of the same products with one factor replaced by
	 * its tangent or by v's block of the weights. r(g) of each weight, written
	 * into hv, is that weight's row of H v.
	 */
	for (int b = 0; b < batch; b++)
	{
		h->dy[b] = (float) (2.0 * ((double) h->pred[b] - y[b]) / batch);
		h->rdy[b] = (float) (2.0 * h->rpred[b] / batch);
		sum_rdy += h->rdy[b];
	}

	/* fc5: pred = z4 w5 + b5 */
	help_sgemv(CblasRowMajor, CblasTrans, batch, H, 1.0f, ws->z4, H, h->rdy, 1,
			   0.0f, help_tensor(L, hv, L->fc5_w), 1);
	help_sgemv(CblasRowMajor, CblasTrans, batch, H, 1.0f, h->rz4, H, h->dy, 1,
			   1.0f, help_tensor(L, hv, L->fc5_w), 1);
	help_tensor(L, hv, L->fc5_b)[0] = (float) sum_rdy;

	/* fc4: z4 = relu(z3 W4^T + b4) */
	for (int b = 0; b < batch; b++)
		for (int k = 0; k < H; k++)
		{
			h->dz4[(size_t) b * H + k] = h->dy[b] * w5[k];
			h->rdz4[(size_t) b * H + k] = h->rdy[b] * w5[k] + h->dy[b] * v5[k];
		}
	MaskClipped(h->dz4, ws->z4, (size_t) batch * H);
	MaskClipped(h->rdz4, ws->z4, (size_t) batch * H);
	help_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, H, H, batch,
			   1.0f, h->rdz4, H, ws->z3, H, 0.0f, help_tensor(L, hv, L->fc4_w), H);
	help_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, H, H, batch,
			   1.0f, h->dz4, H, h->rz3, H, 1.0f, help_tensor(L, hv, L->fc4_w), H);
	SumRows(h->rdz4, batch, H, help_tensor(L, hv, L->fc4_b));

	/* fc3: z3 = relu([arch_out, hw2] W3^T + b3) */
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, batch, H, H,
			   1.0f, h->dz4, H, CT(theta, L->fc4_w), H, 0.0f, h->dz3, H);
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, batch, H, H,
			   1.0f, h->rdz4, H, CT(theta, L->fc4_w), H, 0.0f, h->rdz3, H);
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, batch, H, H,
			   1.0f, h->dz4, H, CT(v, L->fc4_w), H, 1.0f, h->rdz3, H);
	MaskClipped(h->dz3, ws->z3, (size_t) batch * H);
	MaskClipped(h->rdz3, ws->z3, (size_t) batch * H);
	help_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, H, W, batch,
			   1.0f, h->rdz3, H, ws->arch_out, W, 0.0f, hv3, H);
	help_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, H, W, batch,
			   1.0f, h->dz3, H, h->rarch_out, W, 1.0f, hv3, H);
	SumRows(h->dz3, batch, H, h->s3);
	SumRows(h->rdz3, batch, H, h->rs3);
	memcpy(help_tensor(L, hv, L->fc3_b), h->rs3, sizeof(float) * H);
	OuterPair(hv3 + W, H, h->rs3, ws->hw2, h->s3, h->rhw2, H, W);
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, batch, W, H,
			   1.0f, h->dz3, H, w3, H, 0.0f, h->darch, W);
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, batch, W, H,
			   1.0f, h->rdz3, H, w3, H, 0.0f, h->rdarch, W);
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, batch, W, H,
			   1.0f, h->dz3, H, v3, H, 1.0f, h->rdarch, W);

	/* hardware branch, fed to every row through fc3's shared bias */
	help_sgemv(CblasRowMajor, CblasTrans, H, W, 1.0f, w3 + W, H, h->s3, 1, 0.0f, h->dhw2, 1);
	help_sgemv(CblasRowMajor, CblasTrans, H, W, 1.0f, v3 + W, H, h->s3, 1, 0.0f, h->rdhw2, 1);
	help_sgemv(CblasRowMajor, CblasTrans, H, W, 1.0f, w3 + W, H, h->rs3, 1, 1.0f, h->rdhw2, 1);
	MaskClipped(h->dhw2, ws->hw2, W);
	MaskClipped(h->rdhw2, ws->hw2, W);
	OuterPair(help_tensor(L, hv, L->hw2_w), W, h->rdhw2, ws->hw1, h->dhw2, h->rhw1, W, W);
	memcpy(help_tensor(L, hv, L->hw2_b), h->rdhw2, sizeof(float) * W);
	help_sgemv(CblasRowMajor, CblasTrans, W, W, 1.0f, CT(theta, L->hw2_w), W,
			   h->rdhw2, 1, 0.0f, h->rdhw1, 1);
	help_sgemv(CblasRowMajor, CblasTrans, W, W, 1.0f, CT(v, L->hw2_w), W,
			   h->dhw2, 1, 1.0f, h->rdhw1, 1);
	MaskClipped(h->rdhw1, ws->hw1, W);
	OuterPair(help_tensor(L, hv, L->hw1_w), L->hw_dim, h->rdhw1, hw, NULL, NULL, W, L->hw_dim);
	memcpy(help_tensor(L, hv, L->hw1_b), h->rdhw1, sizeof(float) * W);

	if (L->kind == HELP_NET_GCN)
		GcnJointBackward(L, theta, v, X, batch, ws, h, hv);
	else
		MlpJointBackward(L, theta, v, X, batch, ws, h, hv);
}

/* See hvp.h. */
double
help_mse_hvp(const HelpLayout *L, const float *theta, const float *v,
			 const float *hw, const float *X, const float *y, int n, float *hv,
			 HelpWorkspace *ws, HelpHvpWorkspace *h)
{
	/*
	 * The primal pass first: the tangent and joint passes read its activations
	 * from ws.
	 */
	help_net_forward(L, theta, hw, X, n, h->pred, ws);
	TangentForward(L, theta, v, hw, X, n, ws, h);
	JointBackward(L, theta, v, hw, X, y, n, ws, h, hv);
	return help_mse(h->pred, y, n, NULL);
}

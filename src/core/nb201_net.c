/*
 * nb201_net.c
 *	  NAS-Bench-201's network for one cell: seeded weights with batch norm
 *	  folded, and the forward pass (see nb201_net.h).
 */
#include "nb201_net.h"
#include "encode.h"
#include "rng.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define BN_EPS 1e-5f

/* Channels and map side of each stage. */
static const int StageChannels[HELP_NB201_STAGES] = {16, 32, 64};
static const int StageSide[HELP_NB201_STAGES] = {32, 16, 8};

/*
 * floats floats from the arena, 64-byte aligned: the allocator promises 16
 * bytes (8 from palloc), and a buffer's alignment changes how fast the
 * vector loops and OpenBLAS run over it, so without this two networks of
 * the same cell could time differently.
 */
static float *
AlignedFloats(HelpArena *arena, size_t floats)
{
	char	   *p = help_arena_alloc(arena, sizeof(float) * floats + 64);

	if (p == NULL)
		return NULL;
	return (float *) (p + ((64 - (uintptr_t) p % 64) % 64));
}

/* A uniform draw in [lo, hi). */
static float
Uniform(HelpRng *rng, float lo, float hi)
{
	return lo + (hi - lo) * (float) help_rng_uniform(rng);
}

/*
 * A convolution's seeded weights: uniform with variance 1/fan_in (so that
 * a ReLU-conv halves the variance and the sums of a cell's nodes roughly
 * restore it: activations neither vanish into denormals nor overflow over
 * the 17 blocks), and, with batch norm, a batch norm of plausible trained
 * statistics folded in.  False if the allocator fails.
 */
static bool
InitConv(HelpConv *conv, HelpArena *arena, HelpRng *rng, int cin, int cout, int k,
		 int stride, bool relu_in, bool bn)
{
	int			fan_in = cin * k * k;
	float		a = sqrtf(3.0f / (float) fan_in);

	conv->cin = cin;
	conv->cout = cout;
	conv->k = k;
	conv->stride = stride;
	conv->pad = k / 2;
	conv->relu_in = relu_in;
	conv->w = AlignedFloats(arena, (size_t) cout * fan_in);
	conv->b = bn ? AlignedFloats(arena, cout) : NULL;
	if (conv->w == NULL || (bn && conv->b == NULL))
		return false;
	for (size_t j = 0; j < (size_t) cout * fan_in; j++)
		conv->w[j] = Uniform(rng, -a, a);
	if (bn)
	{
		float		gamma[HELP_NB201_MAX_CHANNELS],
					beta[HELP_NB201_MAX_CHANNELS],
					mean[HELP_NB201_MAX_CHANNELS],
					var[HELP_NB201_MAX_CHANNELS];

		for (int co = 0; co < cout; co++)
		{
			gamma[co] = Uniform(rng, 0.5f, 1.5f);
			beta[co] = Uniform(rng, -0.1f, 0.1f);
			mean[co] = Uniform(rng, -0.1f, 0.1f);
			var[co] = Uniform(rng, 0.5f, 1.5f);
		}
		help_conv_fold_bn(conv->w, conv->b, cout, fan_in, gamma, beta, mean, var, BN_EPS);
	}
	return true;
}

/* Grow *floats to the im2col workspace conv needs on side x side maps. */
static void
NoteWorkspace(size_t *floats, const HelpConv *conv, int side)
{
	if (help_conv_workspace(conv, side) > *floats)
		*floats = help_conv_workspace(conv, side);
}

/* Block b (0..16) after the stem: a reduction block, or else which cell. */
static bool
BlockIsReduction(int b, int *index)
{
	int			stage = b / (HELP_NB201_CELLS_PER_STAGE + 1);

	if (b % (HELP_NB201_CELLS_PER_STAGE + 1) == HELP_NB201_CELLS_PER_STAGE)
	{
		*index = stage;
		return true;
	}
	*index = b - stage;
	return false;
}

/* See nb201_net.h. */
HelpNb201Net *
help_nb201_net_new(const int *ops, int batch, uint64_t seed)
{
	HelpNb201Net *net = HELP_ARENA_NEW(HelpNb201Net);
	HelpArena  *arena;
	HelpRng		rng;
	size_t		largest_map = (size_t) StageChannels[0] * batch * StageSide[0] * StageSide[0];
	size_t		col_floats;
	bool		ok;

	if (net == NULL)
		return NULL;
	arena = &net->arena;
	memcpy(net->ops, ops, sizeof(net->ops));
	net->batch = batch;
	help_rng_seed(&rng, seed);

	/* weights, in the order of the network */
	ok = InitConv(&net->stem, arena, &rng, 3, StageChannels[0], 3, 1, false, true);
	col_floats = 0;
	NoteWorkspace(&col_floats, &net->stem, HELP_NB201_IMAGE_SIDE);
	for (int b = 0; b < HELP_NB201_BLOCKS && ok; b++)
	{
		int			index;

		if (BlockIsReduction(b, &index))
		{
			HelpNb201Reduction *r = &net->reductions[index];
			int			cin = StageChannels[index],
						cout = StageChannels[index + 1];

			r->side = StageSide[index];
			ok = InitConv(&r->conv_a, arena, &rng, cin, cout, 3, 2, true, true) &&
				InitConv(&r->conv_b, arena, &rng, cout, cout, 3, 1, true, true) &&
				InitConv(&r->shortcut, arena, &rng, cin, cout, 1, 1, false, false);
			NoteWorkspace(&col_floats, &r->conv_a, r->side);
			NoteWorkspace(&col_floats, &r->conv_b, r->side / 2);
		}
		else
		{
			HelpNb201Cell *cell = &net->cells[index];
			int			stage = index / HELP_NB201_CELLS_PER_STAGE;

			cell->channels = StageChannels[stage];
			cell->side = StageSide[stage];
			for (int e = 0; e < HELP_NB201_EDGES && ok; e++)
			{
				if (ops[e] != HELP_NB201_CONV1 && ops[e] != HELP_NB201_CONV3)
					continue;
				ok = InitConv(&cell->edge[e], arena, &rng, cell->channels, cell->channels,
							  ops[e] == HELP_NB201_CONV3 ? 3 : 1, 1, true, true);
				NoteWorkspace(&col_floats, &cell->edge[e], cell->side);
			}
		}
	}
	if (!ok)
	{
		help_arena_release(arena);
		return NULL;
	}
	for (int c = 0; c < HELP_NB201_MAX_CHANNELS; c++)
	{
		float		gamma = Uniform(&rng, 0.5f, 1.5f),
					beta = Uniform(&rng, -0.1f, 0.1f),
					mean = Uniform(&rng, -0.1f, 0.1f),
					var = Uniform(&rng, 0.5f, 1.5f);

		net->head_scale[c] = gamma / sqrtf(var + BN_EPS);
		net->head_shift[c] = beta - mean * net->head_scale[c];
	}
	for (int j = 0; j < HELP_NB201_CLASSES * HELP_NB201_MAX_CHANNELS; j++)
		net->fc_w[j] = Uniform(&rng, -0.125f, 0.125f);
	for (int j = 0; j < HELP_NB201_CLASSES; j++)
		net->fc_b[j] = Uniform(&rng, -0.125f, 0.125f);

	/*
	 * The workspace.  The im2col buffer holds the largest convolution's
	 * matrix for one image times the batch, up to 4 Mi floats (16 MB);
	 * beyond that the convolution works through the batch in chunks.
	 */
	if (col_floats * batch <= ((size_t) 4 << 20))
		col_floats *= batch;
	else if (((size_t) 4 << 20) > col_floats)
		col_floats = (size_t) 4 << 20;
	net->col_floats = col_floats;
	net->input = AlignedFloats(arena, (size_t) 3 * batch * HELP_NB201_IMAGE_SIDE * HELP_NB201_IMAGE_SIDE);
	net->col = AlignedFloats(arena, col_floats);
	net->logits = AlignedFloats(arena, (size_t) batch * HELP_NB201_CLASSES);
	ok = net->input != NULL && net->col != NULL && net->logits != NULL;
	for (int m = 0; m < 4 && ok; m++)
		ok = (net->maps[m] = AlignedFloats(arena, largest_map)) != NULL;
	if (!ok)
	{
		help_arena_release(arena);
		return NULL;
	}
	for (size_t j = 0; j < (size_t) 3 * batch * HELP_NB201_IMAGE_SIDE * HELP_NB201_IMAGE_SIDE; j++)
		net->input[j] = Uniform(&rng, -1.0f, 1.0f);
	return net;
}

/* See nb201_net.h. */
void
help_nb201_net_free(HelpNb201Net *net)
{
	if (net != NULL)
		help_arena_release(&net->arena);
}

/*
 * One cell: nodes[0] is its input; nodes 1..3 are written, node j the sum
 * of the operations of the edges into it (edge (j-1)*j/2 + i from node i,
 * the cell string's order).  A node no operation writes (all none) is zero.
 */
static void
CellForward(HelpNb201Net *net, const HelpNb201Cell *cell, float *const *nodes)
{
	const int	n = net->batch;
	const size_t count = (size_t) cell->channels * n * cell->side * cell->side;

	for (int j = 1; j <= 3; j++)
	{
		bool		written = false;

		for (int i = 0; i < j; i++)
		{
			int			e = (j - 1) * j / 2 + i;

			switch (net->ops[e])
			{
				case HELP_NB201_NONE:
					continue;
				case HELP_NB201_SKIP:
					help_add_maps(nodes[i], count, nodes[j], written);
					break;
				case HELP_NB201_POOL:
					help_avg_pool3(nodes[i], cell->channels, n, cell->side, nodes[j], written);
					break;
				default:
					help_conv_forward(&cell->edge[e], nodes[i], n, cell->side, nodes[j], written,
									  net->col, net->col_floats);
					break;
			}
			written = true;
		}
		if (!written)
			memset(nodes[j], 0, sizeof(float) * count);
	}
}

/*
 * A reduction block from in to out, with tmp and mid as scratch:
 * out = shortcut(avgpool2(in)) + conv_b(conv_a(in)).
 */
static void
ReductionForward(HelpNb201Net *net, const HelpNb201Reduction *r,
				 const float *in, float *tmp, float *mid, float *out)
{
	const int	n = net->batch;
	const int	half = r->side / 2;

	help_avg_pool2(in, r->conv_a.cin, n, r->side, tmp);
	help_conv_forward(&r->shortcut, tmp, n, half, out, false, net->col, net->col_floats);
	help_conv_forward(&r->conv_a, in, n, r->side, mid, false, net->col, net->col_floats);
	help_conv_forward(&r->conv_b, mid, n, half, out, true, net->col, net->col_floats);
}

/* See nb201_net.h. */
void
help_nb201_forward(HelpNb201Net *net, int blocks)
{
	/*
	 * The current map is maps[cur]; a block writes its output into another
	 * of the four buffers, which becomes current.
	 */
	int			cur = 0;
	int			channels = StageChannels[0],
				side = HELP_NB201_IMAGE_SIDE;

	help_conv_forward(&net->stem, net->input, net->batch, side, net->maps[0], false,
					  net->col, net->col_floats);
	for (int b = 0; b < blocks && b < HELP_NB201_BLOCKS; b++)
	{
		float	   *other[3];
		int			index;

		HELP_CHECK_INTERRUPTS();
		for (int k = 1; k <= 3; k++)
			other[k - 1] = net->maps[(cur + k) % 4];
		if (BlockIsReduction(b, &index))
		{
			const HelpNb201Reduction *r = &net->reductions[index];

			ReductionForward(net, r, net->maps[cur], other[0], other[1], other[2]);
			channels = r->conv_a.cout;
			side = r->side / 2;
			cur = (cur + 3) % 4;
		}
		else
		{
			float	   *nodes[4] = {net->maps[cur], other[0], other[1], other[2]};

			CellForward(net, &net->cells[index], nodes);
			cur = (cur + 3) % 4;
		}
	}
	net->out = net->maps[cur];
	net->out_channels = channels;
	net->out_side = side;
	if (blocks >= HELP_NB201_BLOCKS)
		help_bn_relu_pool_linear(net->out, channels, net->batch, side,
								 net->head_scale, net->head_shift,
								 net->fc_w, net->fc_b, HELP_NB201_CLASSES, net->logits);
}

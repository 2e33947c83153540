/*
 * nb201_net.h
 *	  NAS-Bench-201's network for one cell, built for inference.
 *
 * The network is NAS-Bench-201's (Dong & Yang 2020, its TinyNetwork with
 * C = 16, N = 5, 10 classes), layer for layer:
 *
 *   stem        3x3 conv 3 -> 16, batch norm                      32 x 32
 *   stage 1     5 cells at 16 channels                            32 x 32
 *   reduction   residual block 16 -> 32, stride 2                 16 x 16
 *   stage 2     5 cells at 32 channels                            16 x 16
 *   reduction   residual block 32 -> 64, stride 2                  8 x 8
 *   stage 3     5 cells at 64 channels                             8 x 8
 *   head        batch norm, ReLU, global average pooling, linear 64 -> 10
 *
 * A cell has 4 nodes; node j (1..3) is the sum of one operation on each
 * earlier node, the six operations the cell string names: none (zeros),
 * skip_connect (identity), nor_conv_1x1 and nor_conv_3x3 (ReLU, conv,
 * batch norm), avg_pool_3x3 (stride 1, padding 1, padding not counted).
 * The cell's output is node 3.  A reduction block (ResNetBasicblock) is
 * ReLU-conv3x3(stride 2)-BN, then ReLU-conv3x3-BN, plus a shortcut of a 2x2
 * average pool and a 1x1 conv.
 *
 * Inference only: every batch norm that follows a convolution is folded
 * into it (a bias per channel), the head's is a per-channel scale and
 * shift; the weights come from a seeded generator (a network's latency
 * does not depend on their values, as long as no value is denormal, which
 * these scales keep clear of).  Every operation of the cell is computed,
 * as NAS-Bench-201's own forward pass does, except that none adds nothing
 * instead of multiplying its input by zero, and a node's ReLU is fused
 * into the convolution's im2col.  Each cell has its own weights, as in the
 * real network, so the weights a pass reads are as many as it would read.
 */
#ifndef HELP_NB201_NET_H
#define HELP_NB201_NET_H

#include "alloc.h"
#include "cnn_layers.h"
#include "help_core.h"

#include <stdint.h>

#define HELP_NB201_EDGES 6
#define HELP_NB201_STAGES 3
#define HELP_NB201_CELLS_PER_STAGE 5
#define HELP_NB201_CELLS (HELP_NB201_STAGES * HELP_NB201_CELLS_PER_STAGE)
/* Blocks after the stem: 15 cells and 2 reduction blocks. */
#define HELP_NB201_BLOCKS (HELP_NB201_CELLS + HELP_NB201_STAGES - 1)
#define HELP_NB201_CLASSES 10
#define HELP_NB201_IMAGE_SIDE 32
#define HELP_NB201_MAX_CHANNELS 64

/* One cell: its channels and map side, and the convolutions of its conv edges. */
typedef struct HelpNb201Cell
{
	int			channels,
				side;
	HelpConv	edge[HELP_NB201_EDGES]; /* set where the edge is a convolution */
} HelpNb201Cell;

/* A reduction block: side is its input's; conv_a halves it. */
typedef struct HelpNb201Reduction
{
	int			side;
	HelpConv	conv_a,
				conv_b,
				shortcut;
} HelpNb201Reduction;

/*
 * The network with its weights and the workspace of one batch size.
 * maps: four feature-map buffers, each of the largest map of the network
 * (16 x batch x 32 x 32 floats), enough for a cell's four nodes and for a
 * reduction block's input, pooled input, intermediate and output.
 */
typedef struct HelpNb201Net
{
	HelpArena	arena;
	int			ops[HELP_NB201_EDGES];
	int			batch;
	HelpConv	stem;
	HelpNb201Cell cells[HELP_NB201_CELLS];
	HelpNb201Reduction reductions[HELP_NB201_STAGES - 1];
	float		head_scale[HELP_NB201_MAX_CHANNELS],
				head_shift[HELP_NB201_MAX_CHANNELS];
	float		fc_w[HELP_NB201_CLASSES * HELP_NB201_MAX_CHANNELS],
				fc_b[HELP_NB201_CLASSES];

	float	   *input;			/* [3][batch][32][32], seeded */
	float	   *maps[4];
	float	   *col;			/* im2col workspace */
	size_t		col_floats;
	float	   *logits;			/* [batch][10] */

	/* after help_nb201_forward: the map it ended on, [c][batch][side][side] */
	const float *out;
	int			out_channels,
				out_side;
} HelpNb201Net;

/*
 * The network of the cell whose six edge operations are ops (help_parse_nb201),
 * for batches of batch images, with weights and input drawn from seed.
 * NULL only if the allocator fails (in the server it raises instead).
 */
extern HelpNb201Net *help_nb201_net_new(const int *ops, int batch, uint64_t seed);
extern void help_nb201_net_free(HelpNb201Net *net);

/*
 * One forward pass over the batch: the stem and the first `blocks` blocks
 * (HELP_NB201_BLOCKS: all of them, then the head, into net->logits).  The
 * last map is left in net->out.  Checks for interrupts once per block.
 */
extern void help_nb201_forward(HelpNb201Net *net, int blocks);

#endif							/* HELP_NB201_NET_H */

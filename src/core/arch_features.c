/*
 * arch_features.c
 *	  FLOPs, activation memory, parameters and kernel launches of an
 *	  architecture, from its encoding and its space's macro-architecture.
 *
 * The units (multiply-adds, elements, weights, kernels) are left raw: the
 * regression that uses them standardizes every feature over the support
 * set, so only their ratios between architectures matter.
 */
#include "arch_features.h"

#include <math.h>
#include <string.h>

/* Feature order of the analytic block, the same in every space. */
enum
{
	FEAT_FLOPS,
	FEAT_MEMORY,
	FEAT_PARAMS,
	FEAT_KERNELS,
	N_ANALYTIC
};

static const char *const AnalyticNames[N_ANALYTIC] = {"flops", "memory", "params", "kernels"};

/* NAS-Bench-201 operations in the order of its cell strings' vocabulary. */
enum
{
	NB_NONE,
	NB_SKIP,
	NB_CONV1,
	NB_CONV3,
	NB_POOL,
	NB_N_OPS
};

static const char *const Nb201CountNames[NB_N_OPS] = {
	"count_none", "count_skip_connect", "count_nor_conv_1x1", "count_nor_conv_3x3",
	"count_avg_pool_3x3"
};

/* A layer's four costs. */
typedef struct LayerCost
{
	double		flops,
				memory,
				params,
				kernels;
} LayerCost;

/* Add a layer's costs to the analytic block. */
static void
AddCost(double *out, const LayerCost *c)
{
	out[FEAT_FLOPS] += c->flops;
	out[FEAT_MEMORY] += c->memory;
	out[FEAT_PARAMS] += c->params;
	out[FEAT_KERNELS] += c->kernels;
}

/*
 * Cost of one NAS-Bench-201 edge operation over the 15 cells: 5 cells at
 * each of 16, 32 and 64 channels on 32x32, 16x16 and 8x8 maps.  Convs are
 * ReLU-conv-BN (three kernels); none writes zeros (one kernel); skip moves
 * nothing.
 */
static LayerCost
Nb201EdgeCost(int op)
{
	static const int channels[3] = {16, 32, 64};
	static const int sides[3] = {32, 16, 8};
	LayerCost	c = {0, 0, 0, 0};

	for (int s = 0; s < 3; s++)
	{
		double		ch = channels[s],
					hw = (double) sides[s] * sides[s];

		switch (op)
		{
			case NB_CONV3:
				c.flops += 5 * 9 * ch * ch * hw;
				c.memory += 5 * 2 * ch * hw;
				c.params += 5 * 9 * ch * ch;
				c.kernels += 5 * 3;
				break;
			case NB_CONV1:
				c.flops += 5 * ch * ch * hw;
				c.memory += 5 * 2 * ch * hw;
				c.params += 5 * ch * ch;
				c.kernels += 5 * 3;
				break;
			case NB_POOL:
				c.flops += 5 * 9 * ch * hw;
				c.memory += 5 * 2 * ch * hw;
				c.kernels += 5;
				break;
			case NB_NONE:
				c.memory += 5 * ch * hw;
				c.kernels += 5;
				break;
			default:
				break;			/* skip_connect: an identity */
		}
	}
	return c;
}

/*
 * The operation of NAS-Bench-201 edge node (1..6) from its one-hot row
 * (features skip_connect, avg_pool_3x3, nor_conv_1x1, nor_conv_3x3, input,
 * none, output, global).
 */
static int
Nb201NodeOp(const float *row)
{
	if (row[3] > 0.5f)
		return NB_CONV3;
	if (row[2] > 0.5f)
		return NB_CONV1;
	if (row[1] > 0.5f)
		return NB_POOL;
	if (row[0] > 0.5f)
		return NB_SKIP;
	return NB_NONE;
}

/* NAS-Bench-201: the five operation counts, then the analytic block. */
static void
Nb201Features(const float *enc, double *out)
{
	double	   *analytic = out + NB_N_OPS;

	for (int node = 1; node <= 6; node++)
	{
		int			op = Nb201NodeOp(enc + node * HELP_NB201_FEATS);
		LayerCost	c = Nb201EdgeCost(op);

		out[op] += 1.0;
		AddCost(analytic, &c);
	}
}

/*
 * An inverted-residual block: 1x1 expansion to mid channels (groups g),
 * k x k depthwise at the stride, 1x1 projection (groups g), on an h x h
 * input; squeeze-and-excitation on mid channels when se_mid > 0.
 */
static LayerCost
BlockCost(double h, double c_in, double c_out, double mid, int k, int stride,
		  int groups, double se_mid)
{
	double		ho = ceil(h / stride);
	LayerCost	c;

	c.flops = h * h * c_in * mid / groups + ho * ho * mid * k * k + ho * ho * mid * c_out / groups;
	c.memory = h * h * c_in + h * h * mid + ho * ho * mid + ho * ho * c_out;
	c.params = c_in * mid / groups + mid * k * k + mid * c_out / groups;
	/* three convolutions, plus a channel shuffle between grouped ones */
	c.kernels = 3 + (groups > 1 ? 1 : 0);
	if (se_mid > 0)
	{
		c.flops += 2 * mid * se_mid;
		c.params += 2 * mid * se_mid;
		c.kernels += 3;			/* pool, reduce, expand */
	}
	return c;
}

/*
 * FBNet (HW-NAS-Bench's space): a 16-channel stem at stride 2 on 224x224,
 * then 22 searchable layers in stages of 1, 4, 4, 4, 4, 4, 1 layers with 16,
 * 24, 32, 64, 112, 184, 352 channels and first strides 1, 2, 2, 2, 1, 2, 1.
 * Ops 0-7 are k3/k5 blocks with expansion 1 (groups 1 or 2), 3 or 6; op 8
 * (skip) is an identity, or a 1x1 convolution where the layer changes
 * channels or stride.
 */
static void
FbnetFeatures(const float *enc, double *out)
{
	static const int stage_layers[7] = {1, 4, 4, 4, 4, 4, 1};
	static const int stage_channels[7] = {16, 24, 32, 64, 112, 184, 352};
	static const int stage_strides[7] = {1, 2, 2, 2, 1, 2, 1};
	double		h = 112.0,
				c_in = 16.0;
	int			l = 0;

	for (int s = 0; s < 7; s++)
		for (int i = 0; i < stage_layers[s]; i++, l++)
		{
			const float *f = enc + 6 * l;
			double		c_out = stage_channels[s];
			int			stride = i == 0 ? stage_strides[s] : 1;
			LayerCost	c = {0, 0, 0, 0};

			if (f[0] > 0.5f || f[1] > 0.5f)
			{
				int			k = f[1] > 0.5f ? 5 : 3;
				int			expand = f[4] > 0.5f ? 3 : f[5] > 0.5f ? 6 : 1;
				int			groups = f[3] > 0.5f ? 2 : 1;

				c = BlockCost(h, c_in, c_out, expand * c_in, k, stride, groups, 0.0);
			}
			else if (c_in != c_out || stride != 1)
			{
				double		ho = ceil(h / stride);

				c.flops = ho * ho * c_in * c_out;
				c.memory = h * h * c_in + ho * ho * c_out;
				c.params = c_in * c_out;
				c.kernels = 1;
			}
			AddCost(out, &c);
			h = ceil(h / stride);
			c_in = c_out;
		}
}

/* OFA's channel rounding: to a multiple of 8, never below 90 % of v. */
static double
MakeDivisible(double v)
{
	double		r = floor((v + 4.0) / 8.0) * 8.0;

	if (r < 8.0)
		r = 8.0;
	if (r < 0.9 * v)
		r += 8.0;
	return r;
}

/*
 * OFA MobileNetV3 (width 1.0): a 16-channel stem at stride 2 and a fixed
 * 16-channel k3 block, then 5 stages of 2-4 blocks with 24, 40, 80, 112,
 * 160 channels, first strides 2, 2, 2, 1, 2 and squeeze-and-excitation in
 * stages 2, 4 and 5, then a 960-channel 1x1 expansion; all on an r x r
 * input.  A block's kernel size and expand ratio come from the encoding;
 * blocks past a stage's depth are absent (all-zero one-hots).
 */
static void
OfaFeatures(const float *enc, double *out)
{
	static const int widths[HELP_OFA_STAGES] = {24, 40, 80, 112, 160};
	static const int strides[HELP_OFA_STAGES] = {2, 2, 2, 1, 2};
	static const int se[HELP_OFA_STAGES] = {0, 1, 0, 1, 1};
	static const int ks_choices[3] = {3, 5, 7};
	static const int e_choices[3] = {3, 4, 6};
	double		r = 128.0,
				h,
				c_in = 16.0;
	LayerCost	c;

	for (int i = 0; i < 25; i++)
		if (enc[120 + i] > 0.5f)
			r = 128.0 + 4.0 * i;
	h = ceil(r / 2.0);

	/* stem (3 -> 16, k3, stride 2) and the fixed first block (k3, e1) */
	c.flops = h * h * 3 * 16 * 9 + h * h * 16 * 9 + h * h * 16 * 16;
	c.memory = r * r * 3 + 3 * h * h * 16;
	c.params = 3 * 16 * 9 + 16 * 9 + 16 * 16;
	c.kernels = 3;
	AddCost(out, &c);

	for (int s = 0; s < HELP_OFA_STAGES; s++)
		for (int j = 0; j < 4; j++)
		{
			int			b = 4 * s + j;
			int			k = 0,
						e = 0;
			int			stride = j == 0 ? strides[s] : 1;
			double		mid;

			for (int q = 0; q < 3; q++)
			{
				if (enc[3 * b + q] > 0.5f)
					k = ks_choices[q];
				if (enc[60 + 3 * b + q] > 0.5f)
					e = e_choices[q];
			}
			if (k == 0 || e == 0)
				continue;		/* beyond the stage's depth */
			mid = MakeDivisible(c_in * e);
			c = BlockCost(h, c_in, widths[s], mid, k, stride, 1,
						  se[s] ? MakeDivisible(mid / 4.0) : 0.0);
			AddCost(out, &c);
			h = ceil(h / stride);
			c_in = widths[s];
		}

	/* final 1x1 expansion to 960 channels (the head after pooling is fixed) */
	c.flops = h * h * c_in * 960;
	c.memory = h * h * (c_in + 960);
	c.params = c_in * 960;
	c.kernels = 1;
	AddCost(out, &c);
}

/* See arch_features.h. */
int
help_arch_feature_count(HelpSpace space)
{
	return space == HELP_SPACE_NASBENCH201 ? NB_N_OPS + N_ANALYTIC : N_ANALYTIC;
}

/* See arch_features.h. */
int
help_arch_feature_groups(HelpSpace space, int *group)
{
	int			n = 0,
				k = 0;

	/*
	 * NAS-Bench-201's counts share one group, and the four analytic features
	 * another: one prior scale for all the costs, so that 10-20 measurements
	 * choose between two or three hypotheses (HELP, the costs, the counts)
	 * rather than six, which on devices like the meta-training ones let
	 * noise pull weight away from HELP (FBNet task 4: 0.71 against HELP's
	 * 0.73 with a scale per feature, 0.73 with one).
	 */
	if (space == HELP_SPACE_NASBENCH201)
	{
		for (; k < NB_N_OPS; k++)
			group[k] = 0;
		n = 1;
	}
	for (int a = 0; a < N_ANALYTIC; a++, k++)
		group[k] = n;
	return n + 1;
}

/* See arch_features.h. */
int
help_arch_flops_feature(HelpSpace space)
{
	return (space == HELP_SPACE_NASBENCH201 ? NB_N_OPS : 0) + FEAT_FLOPS;
}

/* See arch_features.h. */
const char *
help_arch_feature_name(HelpSpace space, int k)
{
	if (space == HELP_SPACE_NASBENCH201)
	{
		if (k < NB_N_OPS)
			return Nb201CountNames[k];
		k -= NB_N_OPS;
	}
	return k >= 0 && k < N_ANALYTIC ? AnalyticNames[k] : "?";
}

/* See arch_features.h. */
void
help_arch_features(HelpSpace space, const float *encoding, double *out)
{
	memset(out, 0, sizeof(double) * help_arch_feature_count(space));
	switch (space)
	{
		case HELP_SPACE_NASBENCH201:
			Nb201Features(encoding, out);
			break;
		case HELP_SPACE_FBNET:
			FbnetFeatures(encoding, out);
			break;
		default:
			OfaFeatures(encoding, out);
			break;
	}
}

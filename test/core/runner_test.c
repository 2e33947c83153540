/*
 * runner_test.c
 *	  Tests of the NAS-Bench-201 runner: each layer against a naive
 *	  reference (convolutions followed by an unfolded batch norm, pools with
 *	  and without padding), the network's shapes block by block, its first
 *	  8 blocks against a naive per-image implementation of NAS-Bench-201's
 *	  cells and reduction block, and help_nb201_measure's results and
 *	  argument checks (one timed pass per cell: timing is bench/host's job).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cnn_layers.h"
#include "encode.h"
#include "nb201_net.h"
#include "nb201_runner.h"
#include "rng.h"
#include "core_test.h"

/* Largest |a - b| relative to the largest |b| (1 if b is all zeros and a is not). */
static double
MaxRelDiff(const float *a, const float *b, size_t n)
{
	double		diff = 0.0,
				scale = 0.0;

	for (size_t i = 0; i < n; i++)
	{
		if (fabs(a[i] - b[i]) > diff)
			diff = fabs(a[i] - b[i]);
		if (fabs(b[i]) > scale)
			scale = fabs(b[i]);
	}
	return scale > 0.0 ? diff / scale : (diff > 0.0 ? 1.0 : 0.0);
}

static void
FillUniform(HelpRng *rng, float *v, size_t n, float lo, float hi)
{
	for (size_t i = 0; i < n; i++)
		v[i] = lo + (hi - lo) * (float) help_rng_uniform(rng);
}

/*
 * Naive convolution of one image, NCHW: out[co][y][x] = sum over ci, ky, kx
 * of w * in (through a ReLU when relu_in), zero outside the map, plus b.
 */
static void
NaiveConv(const float *in, int cin, int side, const float *w, const float *b,
		  int cout, int k, int stride, int pad, int relu_in, float *out)
{
	int			so = (side + 2 * pad - k) / stride + 1;

	for (int co = 0; co < cout; co++)
		for (int y = 0; y < so; y++)
			for (int x = 0; x < so; x++)
			{
				double		s = b ? b[co] : 0.0;

				for (int ci = 0; ci < cin; ci++)
					for (int ky = 0; ky < k; ky++)
						for (int kx = 0; kx < k; kx++)
						{
							int			iy = y * stride - pad + ky,
										ix = x * stride - pad + kx;
							float		v;

							if (iy < 0 || iy >= side || ix < 0 || ix >= side)
								continue;
							v = in[(ci * side + iy) * side + ix];
							if (relu_in && v < 0)
								v = 0;
							s += (double) w[((co * cin + ci) * k + ky) * k + kx] * v;
						}
				out[(co * so + y) * so + x] = (float) s;
			}
}

/* Naive 3x3 average pool, stride 1, padding 1 not counted, one image NCHW; added to out. */
static void
NaiveAvgPool3Add(const float *in, int c, int side, float *out)
{
	for (int ch = 0; ch < c; ch++)
		for (int y = 0; y < side; y++)
			for (int x = 0; x < side; x++)
			{
				double		s = 0.0;
				int			count = 0;

				for (int dy = -1; dy <= 1; dy++)
					for (int dx = -1; dx <= 1; dx++)
						if (y + dy >= 0 && y + dy < side && x + dx >= 0 && x + dx < side)
						{
							s += in[(ch * side + y + dy) * side + x + dx];
							count++;
						}
				out[(ch * side + y) * side + x] += (float) (s / count);
			}
}

/* Layout change: image i of a [c][n][side][side] map to NCHW [c][side][side]. */
static void
ImageOf(const float *cnhw, int c, int n, int side, int i, float *chw)
{
	for (int ch = 0; ch < c; ch++)
		memcpy(chw + (size_t) ch * side * side, cnhw + ((size_t) ch * n + i) * side * side,
			   sizeof(float) * side * side);
}

/*
 * help_conv_forward against NaiveConv followed by an unfolded batch norm,
 * over a batch of 3, for each shape the network uses (and the direct path
 * of the 1x1 shortcut), with a workspace of one image so the batch goes in
 * chunks, writing and accumulating.
 */
static void
ConvLayerTests(void)
{
	static const int shapes[][6] = {
		/* cin, cout, k, stride, relu_in, bn */
		{3, 16, 3, 1, 0, 1}, {16, 16, 3, 1, 1, 1}, {16, 16, 1, 1, 1, 1},
		{16, 32, 3, 2, 1, 1}, {16, 32, 1, 1, 0, 0}, {7, 5, 3, 2, 0, 1}
	};
	HelpRng		rng;

	help_rng_seed(&rng, 42);
	for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++)
	{
		const int	cin = shapes[s][0],
					cout = shapes[s][1],
					k = shapes[s][2],
					stride = shapes[s][3],
					n = 3,
					side = 9;
		const int	fan = cin * k * k;
		HelpConv	conv = {cin, cout, k, stride, k / 2, shapes[s][4], NULL, NULL};
		int			so = help_conv_out_side(side, k, stride, k / 2);
		size_t		col_floats = help_conv_workspace(&conv, side) + 1;
		float	   *w = malloc(sizeof(float) * cout * fan),
				   *raw = malloc(sizeof(float) * cout * fan),
				   *b = malloc(sizeof(float) * cout),
				   *in = malloc(sizeof(float) * cin * n * side * side),
				   *col = malloc(sizeof(float) * col_floats),
				   *out = malloc(sizeof(float) * cout * n * so * so),
				   *want = malloc(sizeof(float) * cout * n * so * so),
				   *img = malloc(sizeof(float) * cin * side * side),
				   *one = malloc(sizeof(float) * cout * so * so);
		float		gamma[32],
					beta[32],
					mean[32],
					var[32];
		char		what[128];

		FillUniform(&rng, raw, (size_t) cout * fan, -0.5f, 0.5f);
		FillUniform(&rng, in, (size_t) cin * n * side * side, -1.0f, 1.0f);
		FillUniform(&rng, gamma, cout, 0.5f, 1.5f);
		FillUniform(&rng, beta, cout, -0.2f, 0.2f);
		FillUniform(&rng, mean, cout, -0.2f, 0.2f);
		FillUniform(&rng, var, cout, 0.5f, 1.5f);
		memcpy(w, raw, sizeof(float) * cout * fan);
		conv.w = w;
		if (shapes[s][5])
		{
			help_conv_fold_bn(w, b, cout, fan, gamma, beta, mean, var, 1e-5f);
			conv.b = b;
		}

		/* the reference: per image, conv with the raw weights, then batch norm */
		for (int i = 0; i < n; i++)
		{
			ImageOf(in, cin, n, side, i, img);
			NaiveConv(img, cin, side, raw, NULL, cout, k, stride, k / 2, shapes[s][4], one);
			for (int co = 0; co < cout; co++)
				for (int j = 0; j < so * so; j++)
				{
					float		v = one[co * so * so + j];

					if (shapes[s][5])
						v = gamma[co] * (v - mean[co]) / sqrtf(var[co] + 1e-5f) + beta[co];
					want[((size_t) co * n + i) * so * so + j] = v;
				}
		}
		help_conv_forward(&conv, in, n, side, out, false, col, col_floats);
		snprintf(what, sizeof(what), "conv %dx%d %d->%d stride %d relu %d bn %d matches conv then batch norm",
				 k, k, cin, cout, stride, shapes[s][4], shapes[s][5]);
		check(MaxRelDiff(out, want, (size_t) cout * n * so * so) < 1e-5, what);

		/* accumulating adds the same again */
		help_conv_forward(&conv, in, n, side, out, true, col, col_floats);
		for (size_t j = 0; j < (size_t) cout * n * so * so; j++)
			want[j] *= 2.0f;
		snprintf(what, sizeof(what), "conv %dx%d %d->%d stride %d accumulates", k, k, cin, cout, stride);
		check(MaxRelDiff(out, want, (size_t) cout * n * so * so) < 1e-5, what);

		free(w);
		free(raw);
		free(b);
		free(in);
		free(col);
		free(out);
		free(want);
		free(img);
		free(one);
	}
}

/* The pools and the head against naive references. */
static void
PoolAndHeadTests(void)
{
	enum
	{
		C = 3, N = 2, SIDE = 6
	};
	HelpRng		rng;
	float		in[C * N * SIDE * SIDE],
				out[C * N * SIDE * SIDE],
				want[C * N * SIDE * SIDE],
				img[C * SIDE * SIDE],
				acc[C * SIDE * SIDE],
				half[C * N * 3 * 3];
	float		scale[C] = {0.5f, 1.0f, 2.0f},
				shift[C] = {0.1f, -0.3f, 0.0f},
				w[2 * C] = {1, 2, 3, -1, 0.5f, 0},
				b[2] = {0.25f, -0.5f},
				logits[N * 2];
	bool		pool2_ok = true,
				head_ok = true;

	help_rng_seed(&rng, 7);
	FillUniform(&rng, in, C * N * SIDE * SIDE, -1.0f, 1.0f);

	/* 3x3 average pool: corners average 4 values, edges 6, the inside 9 */
	for (int i = 0; i < N; i++)
	{
		ImageOf(in, C, N, SIDE, i, img);
		memset(acc, 0, sizeof(acc));
		NaiveAvgPool3Add(img, C, SIDE, acc);
		for (int ch = 0; ch < C; ch++)
			memcpy(want + ((size_t) ch * N + i) * SIDE * SIDE, acc + ch * SIDE * SIDE,
				   sizeof(float) * SIDE * SIDE);
	}
	help_avg_pool3(in, C, N, SIDE, out, false);
	check(MaxRelDiff(out, want, C * N * SIDE * SIDE) < 1e-6,
		  "avg_pool_3x3 does not count the padding (count_include_pad=False)");
	check(fabsf(out[0] - (in[0] + in[1] + in[SIDE] + in[SIDE + 1]) / 4) < 1e-6,
		  "avg_pool_3x3's corner is the mean of 4 values");

	/* 2x2 average pool, stride 2 */
	help_avg_pool2(in, C, N, SIDE, half);
	for (int m = 0; m < C * N; m++)
		for (int y = 0; y < 3; y++)
			for (int x = 0; x < 3; x++)
			{
				const float *p = in + (size_t) m * SIDE * SIDE;
				float		v = (p[2 * y * SIDE + 2 * x] + p[2 * y * SIDE + 2 * x + 1] +
								 p[(2 * y + 1) * SIDE + 2 * x] + p[(2 * y + 1) * SIDE + 2 * x + 1]) / 4;

				pool2_ok &= fabsf(half[m * 9 + y * 3 + x] - v) < 1e-6;
			}
	check(pool2_ok, "2x2 average pool, stride 2");

	/* head: batch norm, ReLU, global average pool, linear */
	help_bn_relu_pool_linear(in, C, N, SIDE, scale, shift, w, b, 2, logits);
	for (int i = 0; i < N; i++)
		for (int j = 0; j < 2; j++)
		{
			double		z = b[j];

			for (int ch = 0; ch < C; ch++)
			{
				double		s = 0.0;

				for (int p = 0; p < SIDE * SIDE; p++)
				{
					double		v = in[((size_t) ch * N + i) * SIDE * SIDE + p] * scale[ch] + shift[ch];

					s += v > 0 ? v : 0;
				}
				z += w[j * C + ch] * s / (SIDE * SIDE);
			}
			head_ok &= fabs(logits[i * 2 + j] - z) < 1e-5;
		}
	check(head_ok, "head: batch norm, ReLU, global average pool, classifier");
}

/*
 * NAS-Bench-201 computed naively, one image at a time in NCHW, from the
 * network's (folded) weights: the stem and the first `blocks` blocks.
 * x holds 64 x 32 x 32 floats; returns the channels and sets *side.
 */
static int
NaiveNb201(const HelpNb201Net *net, int image, int blocks, float *x, int *side_out)
{
	const size_t big = (size_t) 64 * 32 * 32;
	float	   *nodes[4],
			   *tmp = malloc(sizeof(float) * big),
			   *mid = malloc(sizeof(float) * big),
			   *img = malloc(sizeof(float) * 3 * 32 * 32);
	int			c = 16,
				side = 32,
				cell = 0;

	for (int j = 0; j < 4; j++)
		nodes[j] = malloc(sizeof(float) * big);
	ImageOf(net->input, 3, net->batch, 32, image, img);
	NaiveConv(img, 3, 32, net->stem.w, net->stem.b, 16, 3, 1, 1, 0, x);
	for (int b = 0; b < blocks; b++)
	{
		if (b == 5 || b == 11)
		{
			/* ResNetBasicblock: shortcut(avgpool2(x)) + conv_b(conv_a(x)) */
			const HelpNb201Reduction *r = &net->reductions[b / 6];
			int			half = side / 2;

			for (int ch = 0; ch < c; ch++)
				for (int y = 0; y < half; y++)
					for (int xx = 0; xx < half; xx++)
					{
						const float *p = x + (size_t) ch * side * side;

						tmp[(ch * half + y) * half + xx] =
							(p[2 * y * side + 2 * xx] + p[2 * y * side + 2 * xx + 1] +
							 p[(2 * y + 1) * side + 2 * xx] + p[(2 * y + 1) * side + 2 * xx + 1]) / 4;
					}
			NaiveConv(tmp, c, half, r->shortcut.w, NULL, 2 * c, 1, 1, 0, 0, nodes[1]);
			NaiveConv(x, c, side, r->conv_a.w, r->conv_a.b, 2 * c, 3, 2, 1, 1, mid);
			NaiveConv(mid, 2 * c, half, r->conv_b.w, r->conv_b.b, 2 * c, 3, 1, 1, 1, nodes[2]);
			c *= 2;
			side = half;
			for (size_t j = 0; j < (size_t) c * side * side; j++)
				x[j] = nodes[1][j] + nodes[2][j];
			continue;
		}
		/* InferCell: node j = sum over i < j of op(i -> j)(node i) */
		memcpy(nodes[0], x, sizeof(float) * c * side * side);
		for (int j = 1; j <= 3; j++)
		{
			memset(nodes[j], 0, sizeof(float) * c * side * side);
			for (int i = 0; i < j; i++)
			{
				int			e = (j - 1) * j / 2 + i;
				const HelpConv *conv = &net->cells[cell].edge[e];

				switch (net->ops[e])
				{
					case HELP_NB201_SKIP:
						for (size_t q = 0; q < (size_t) c * side * side; q++)
							nodes[j][q] += nodes[i][q];
						break;
					case HELP_NB201_POOL:
						NaiveAvgPool3Add(nodes[i], c, side, nodes[j]);
						break;
					case HELP_NB201_CONV1:
					case HELP_NB201_CONV3:
						NaiveConv(nodes[i], c, side, conv->w, conv->b, c, conv->k, 1, conv->k / 2, 1, tmp);
						for (size_t q = 0; q < (size_t) c * side * side; q++)
							nodes[j][q] += tmp[q];
						break;
					default:
						break;	/* none */
				}
			}
		}
		memcpy(x, nodes[3], sizeof(float) * c * side * side);
		cell++;
	}
	for (int j = 0; j < 4; j++)
		free(nodes[j]);
	free(tmp);
	free(mid);
	free(img);
	*side_out = side;
	return c;
}

/*
 * The network: its shapes block by block, its first 8 blocks (stage 1, the
 * first reduction, two cells of stage 2) against the naive reference for
 * cells that use every operation, and full passes that give finite logits,
 * the same for the same seed.
 */
static void
NetworkTests(void)
{
	static const char *const cells[] = {
		"|nor_conv_3x3~0|+|avg_pool_3x3~0|skip_connect~1|+|nor_conv_1x1~0|none~1|avg_pool_3x3~2|",
		"|skip_connect~0|+|nor_conv_1x1~0|nor_conv_3x3~1|+|none~0|skip_connect~1|nor_conv_3x3~2|",
		"|none~0|+|none~0|none~1|+|none~0|none~1|none~2|",
	};
	float	   *x = malloc(sizeof(float) * 64 * 32 * 32),
			   *got = malloc(sizeof(float) * 64 * 32 * 32);

	for (size_t k = 0; k < sizeof(cells) / sizeof(cells[0]); k++)
	{
		int			ops[HELP_NB201_EDGES];
		HelpError	err;
		HelpNb201Net *net,
				   *again;
		bool		shapes_ok = true,
					finite = true;
		char		what[200];

		check(help_parse_nb201(cells[k], ops, &err) == HELP_OK, "runner test cell parses");
		net = help_nb201_net_new(ops, 2, 5);
		again = help_nb201_net_new(ops, 2, 5);

		/* shapes: 16 x 32 x 32 through stage 1, 32 x 16 x 16, 64 x 8 x 8 */
		for (int blocks = 0; blocks <= HELP_NB201_BLOCKS; blocks++)
		{
			int			want_c = blocks <= 5 ? 16 : blocks <= 11 ? 32 : 64;

			help_nb201_forward(net, blocks);
			shapes_ok &= net->out_channels == want_c && net->out_side == 512 / want_c;
		}
		snprintf(what, sizeof(what), "network of %s: map shapes block by block", cells[k]);
		check(shapes_ok, what);

		/* the first 8 blocks, both images, against the naive reference */
		help_nb201_forward(net, 8);
		for (int i = 0; i < 2; i++)
		{
			int			side,
						c = NaiveNb201(net, i, 8, x, &side);

			ImageOf(net->out, net->out_channels, 2, net->out_side, i, got);
			snprintf(what, sizeof(what), "network of %s, image %d: 8 blocks match the naive reference (%dx%dx%d)",
					 cells[k], i, c, side, side);
			check(c == net->out_channels && side == net->out_side &&
				  MaxRelDiff(got, x, (size_t) c * side * side) < 1e-4, what);
		}

		/* full passes: finite logits, the same for the same seed */
		help_nb201_forward(net, HELP_NB201_BLOCKS);
		help_nb201_forward(again, HELP_NB201_BLOCKS);
		for (int j = 0; j < 2 * HELP_NB201_CLASSES; j++)
			finite &= isfinite(net->logits[j]);
		snprintf(what, sizeof(what), "network of %s: finite logits, the same for the same seed", cells[k]);
		check(finite && memcmp(net->logits, again->logits, sizeof(float) * 2 * HELP_NB201_CLASSES) == 0, what);
		help_nb201_net_free(net);
		help_nb201_net_free(again);
	}
	free(x);
	free(got);
}

/* help_nb201_measure: one timed pass per cell, and its argument checks. */
static void
MeasureTests(void)
{
	HelpRunnerResult r;
	HelpError	err;

	check(help_nb201_measure("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|",
							 1, 1, &r, &err) == HELP_OK &&
		  r.median_ms > 0 && r.min_ms <= r.median_ms && r.median_ms <= r.max_ms &&
		  r.runs == 1 && r.quiet && r.warmup >= 2,
		  "help_nb201_measure: one pass of the all-3x3 cell");
	check(help_nb201_measure("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", 2, 1, &r, &err) == HELP_OK &&
		  r.median_ms > 0 && r.runs == 1,
		  "help_nb201_measure: one pass of the all-none cell, batch 2");
	check(help_nb201_measure("|nor_conv_3x3~0|+|", 1, 1, &r, &err) == HELP_ERR_SYNTAX,
		  "help_nb201_measure refuses a malformed cell");
	check(help_nb201_measure("|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|", 1, 1, &r, &err) == HELP_ERR_VALUE,
		  "help_nb201_measure refuses an unknown operation");
	check(help_nb201_measure("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", 0, 1, &r, &err) == HELP_ERR_VALUE &&
		  help_nb201_measure("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", HELP_RUNNER_MAX_BATCH + 1, 1, &r, &err) == HELP_ERR_VALUE,
		  "help_nb201_measure refuses a batch out of range");
	check(help_nb201_measure("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", 1, 0, &r, &err) == HELP_ERR_VALUE &&
		  help_nb201_measure("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", 1, HELP_RUNNER_MAX_RUNS + 1, &r, &err) == HELP_ERR_VALUE,
		  "help_nb201_measure refuses runs out of range");
}

/* See core_test.h. */
void
runner_tests(void)
{
	char		cell[HELP_NB201_CELL_MAXLEN];
	int			ops[6] = {4, 4, 4, 4, 4, 4},
				back[6];
	HelpError	err;

	help_nb201_cell_string(ops, cell, sizeof(cell));
	check(help_parse_nb201(cell, back, &err) == HELP_OK && memcmp(ops, back, sizeof(ops)) == 0 &&
		  strlen(cell) < HELP_NB201_CELL_MAXLEN,
		  "help_nb201_cell_string round-trips through help_parse_nb201");
	ConvLayerTests();
	PoolAndHeadTests();
	NetworkTests();
	MeasureTests();
}

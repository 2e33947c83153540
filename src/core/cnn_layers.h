/*
 * cnn_layers.h
 *	  The layers of a small convolutional network for inference, on float
 *	  feature maps in channel-major layout: [channel][image][row][column].
 *
 * Channel-major (CNHW rather than PyTorch's NCHW) makes a convolution over a
 * whole batch one matrix product: weights [cout][cin*k*k] times the im2col
 * matrix [cin*k*k][images*rows*columns] gives the output maps [cout][...]
 * directly, with no transposition, and every per-channel operation (bias,
 * batch norm) runs over one contiguous row.  The layers only compute what
 * their outputs need: a network built from them (nb201_net.h) is an
 * inference engine, not a training framework.
 */
#ifndef HELP_CNN_LAYERS_H
#define HELP_CNN_LAYERS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A convolution with batch norm folded in: out = W * x (+ b), optionally on
 * relu(x) (NAS-Bench-201's ReLU-conv-BN).  Square kernel k, stride, zero
 * padding pad.  W is [cout][cin*k*k] (PyTorch's weight layout flattened);
 * b is [cout], or NULL for a convolution without bias or batch norm.
 */
typedef struct HelpConv
{
	int			cin,
				cout,
				k,
				stride,
				pad;
	bool		relu_in;
	float	   *w;
	float	   *b;
} HelpConv;

/* Output side of a convolution or pool over a side-by-side map. */
static inline int
help_conv_out_side(int side, int k, int stride, int pad)
{
	return (side + 2 * pad - k) / stride + 1;
}

/*
 * Floats of im2col workspace a convolution needs so that a chunk of at
 * least one image fits (help_conv_forward works through the batch in
 * chunks of this size, or larger when the workspace is).
 */
extern size_t help_conv_workspace(const HelpConv *conv, int side);

/*
 * Fold batch norm (gamma, beta, running mean and variance, eps) into a
 * convolution without bias that precedes it: w [cout][fan_in] is scaled per
 * output channel in place and b [cout] receives the shift.
 */
extern void help_conv_fold_bn(float *w, float *b, int cout, int fan_in,
							  const float *gamma, const float *beta,
							  const float *mean, const float *var, float eps);

/*
 * out (+)= conv(in) over n images of side x side: in is [cin][n][side][side],
 * out [cout][n][so][so] with so = help_conv_out_side(side, k, stride, pad).
 * accumulate: add to out instead of overwriting it.  col: a workspace of
 * col_floats floats, at least help_conv_workspace(conv, side).
 */
extern void help_conv_forward(const HelpConv *conv, const float *in, int n, int side,
							  float *out, bool accumulate, float *col, size_t col_floats);

/*
 * out (+)= 3x3 average pool, stride 1, padding 1, the padding not counted
 * (PyTorch's count_include_pad=False): maps [c][n][side][side].
 */
extern void help_avg_pool3(const float *in, int c, int n, int side, float *out, bool accumulate);

/* out = 2x2 average pool, stride 2: [c][n][side][side] to [c][n][side/2][side/2]. */
extern void help_avg_pool2(const float *in, int c, int n, int side, float *out);

/* out (+)= in, count floats. */
extern void help_add_maps(const float *in, size_t count, float *out, bool accumulate);

/*
 * The head: batch norm (as a per-channel scale and shift), ReLU and global
 * average pooling of [c][n][side][side], then the linear classifier
 * w [classes][c] with bias b: logits [n][classes].
 */
extern void help_bn_relu_pool_linear(const float *in, int c, int n, int side,
									 const float *scale, const float *shift,
									 const float *w, const float *b, int classes,
									 float *logits);

#endif							/* HELP_CNN_LAYERS_H */

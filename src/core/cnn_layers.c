/*
 * cnn_layers.c
 *	  Inference layers on channel-major feature maps: convolution by im2col
 *	  and one OpenBLAS sgemm per chunk of images, pools, the classifier head.
 */
#include "cnn_layers.h"
#include "blas.h"

#include <math.h>
#include <string.h>

/*
 * max(v, 0).  Not fmaxf: without -ffast-math that is a call into libm per
 * value (it must order NaNs), which made the ReLU half of a pass's time;
 * this compiles to one vector max.
 */
static inline float
Relu(float v)
{
	return v > 0.0f ? v : 0.0f;
}

/*
 * Whether a convolution reads its input as the product's right-hand matrix
 * directly: a 1x1 kernel, stride 1, no padding and no ReLU to apply (the
 * reduction block's shortcut).  [cin][n][rows][cols] is then already the
 * [cin][n*rows*cols] matrix im2col would build.
 */
static bool
ConvReadsInputDirectly(const HelpConv *conv)
{
	return conv->k == 1 && conv->stride == 1 && conv->pad == 0 && !conv->relu_in;
}

/* See cnn_layers.h. */
size_t
help_conv_workspace(const HelpConv *conv, int side)
{
	int			so = help_conv_out_side(side, conv->k, conv->stride, conv->pad);

	if (ConvReadsInputDirectly(conv))
		return 0;
	return (size_t) conv->cin * conv->k * conv->k * so * so;
}

/* See cnn_layers.h. */
void
help_conv_fold_bn(float *w, float *b, int cout, int fan_in,
				  const float *gamma, const float *beta,
				  const float *mean, const float *var, float eps)
{
	for (int co = 0; co < cout; co++)
	{
		float		s = gamma[co] / sqrtf(var[co] + eps);

		for (int j = 0; j < fan_in; j++)
			w[(size_t) co * fan_in + j] *= s;
		b[co] = beta[co] - mean[co] * s;
	}
}

/*
 * im2col of images i0..i0+m-1: col [cin*k*k][m*so*so], row (ci, ky, kx)
 * holding input channel ci shifted by (ky, kx) under each output position,
 * zero where the kernel hangs over the padding, through a ReLU when the
 * convolution has one (so the ReLU costs no pass of its own).
 */
static void
Im2col(const HelpConv *conv, const float *in, int n, int side, int i0, int m,
	   int so, float *col)
{
	const int	k = conv->k,
				s = conv->stride,
				p = conv->pad;
	const size_t plane = (size_t) side * side;
	const size_t cols = (size_t) m * so * so;

	for (int ci = 0; ci < conv->cin; ci++)
		for (int ky = 0; ky < k; ky++)
			for (int kx = 0; kx < k; kx++)
			{
				float	   *row = col + ((size_t) (ci * k + ky) * k + kx) * cols;

				/*
				 * Output columns ox whose input column ox*s - p + kx lies
				 * inside the map: [lo, hi).  Outside it the row is zero; inside,
				 * a stride-1 kernel copies a contiguous run (vectorized).
				 */
				int			lo = 0,
							hi = so;

				while (lo < so && lo * s - p + kx < 0)
					lo++;
				while (hi > lo && (hi - 1) * s - p + kx >= side)
					hi--;
				for (int i = 0; i < m; i++)
				{
					const float *src = in + ((size_t) ci * n + i0 + i) * plane;

					for (int oy = 0; oy < so; oy++)
					{
						float	   *dst = row + ((size_t) i * so + oy) * so;
						int			iy = oy * s - p + ky;
						const float *srow;

						if (iy < 0 || iy >= side)
						{
							memset(dst, 0, sizeof(float) * so);
							continue;
						}
						srow = src + (size_t) iy * side - p + kx;
						for (int ox = 0; ox < lo; ox++)
							dst[ox] = 0.0f;
						if (s == 1 && conv->relu_in)
							for (int ox = lo; ox < hi; ox++)
								dst[ox] = Relu(srow[ox]);
						else if (s == 1)
							memcpy(dst + lo, srow + lo, sizeof(float) * (hi - lo));
						else
							for (int ox = lo; ox < hi; ox++)
								dst[ox] = conv->relu_in ? Relu(srow[ox * s]) : srow[ox * s];
						for (int ox = hi; ox < so; ox++)
							dst[ox] = 0.0f;
					}
				}
			}
}

/* See cnn_layers.h. */
void
help_conv_forward(const HelpConv *conv, const float *in, int n, int side,
				  float *out, bool accumulate, float *col, size_t col_floats)
{
	const int	so = help_conv_out_side(side, conv->k, conv->stride, conv->pad);
	const size_t oplane = (size_t) so * so;
	const size_t total = (size_t) n * oplane;
	const int	kk = conv->cin * conv->k * conv->k;
	const float beta = accumulate ? 1.0f : 0.0f;

	if (ConvReadsInputDirectly(conv))
	{
		/* one product over the whole batch, straight from the input maps */
		help_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, conv->cout, (int) total, kk,
				   1.0f, conv->w, kk, in, (int) total, beta, out, (int) total);
	}
	else
	{
		/*
		 * As many images per product as the workspace holds: one product
		 * for the whole batch when it fits, so small maps still give
		 * OpenBLAS a wide matrix.  The chunk's output columns sit inside
		 * out's rows (leading dimension n*so*so).
		 */
		int			chunk = (int) (col_floats / ((size_t) kk * oplane));

		if (chunk < 1)
			chunk = 1;			/* cannot happen: the workspace holds one image */
		for (int i0 = 0; i0 < n; i0 += chunk)
		{
			int			m = n - i0 < chunk ? n - i0 : chunk;

			Im2col(conv, in, n, side, i0, m, so, col);
			help_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, conv->cout, m * (int) oplane, kk,
					   1.0f, conv->w, kk, col, m * (int) oplane, beta,
					   out + (size_t) i0 * oplane, (int) total);
		}
	}
	if (conv->b != NULL)
		for (int co = 0; co < conv->cout; co++)
		{
			float	   *row = out + (size_t) co * total;
			const float bias = conv->b[co];

			for (size_t j = 0; j < total; j++)
				row[j] += bias;
		}
}

/* See cnn_layers.h. */
void
help_avg_pool3(const float *in, int c, int n, int side, float *out, bool accumulate)
{
	const size_t plane = (size_t) side * side;

	for (size_t map = 0; map < (size_t) c * n; map++)
	{
		const float *src = in + map * plane;
		float	   *dst = out + map * plane;

		for (int y = 0; y < side; y++)
		{
			int			y0 = y > 0 ? y - 1 : 0,
						y1 = y < side - 1 ? y + 1 : side - 1;

			for (int x = 0; x < side; x++)
			{
				int			x0 = x > 0 ? x - 1 : 0,
							x1 = x < side - 1 ? x + 1 : side - 1;
				float		sum = 0.0f;

				for (int yy = y0; yy <= y1; yy++)
					for (int xx = x0; xx <= x1; xx++)
						sum += src[yy * side + xx];
				/* count_include_pad=False: divide by the cells inside the map */
				sum /= (float) ((y1 - y0 + 1) * (x1 - x0 + 1));
				if (accumulate)
					dst[y * side + x] += sum;
				else
					dst[y * side + x] = sum;
			}
		}
	}
}

/* See cnn_layers.h. */
void
help_avg_pool2(const float *in, int c, int n, int side, float *out)
{
	const int	half = side / 2;

	for (size_t map = 0; map < (size_t) c * n; map++)
	{
		const float *src = in + map * side * side;
		float	   *dst = out + map * half * half;

		for (int y = 0; y < half; y++)
			for (int x = 0; x < half; x++)
				dst[y * half + x] = 0.25f * (src[2 * y * side + 2 * x] + src[2 * y * side + 2 * x + 1] +
											 src[(2 * y + 1) * side + 2 * x] + src[(2 * y + 1) * side + 2 * x + 1]);
	}
}

/* See cnn_layers.h. */
void
help_add_maps(const float *in, size_t count, float *out, bool accumulate)
{
	if (!accumulate)
		memcpy(out, in, sizeof(float) * count);
	else
		for (size_t j = 0; j < count; j++)
			out[j] += in[j];
}

/* See cnn_layers.h. */
void
help_bn_relu_pool_linear(const float *in, int c, int n, int side,
						 const float *scale, const float *shift,
						 const float *w, const float *b, int classes,
						 float *logits)
{
	const size_t plane = (size_t) side * side;

	for (int i = 0; i < n; i++)
		for (int j = 0; j < classes; j++)
			logits[(size_t) i * classes + j] = b[j];
	for (int ch = 0; ch < c; ch++)
		for (int i = 0; i < n; i++)
		{
			const float *src = in + ((size_t) ch * n + i) * plane;
			float		sum = 0.0f,
						pooled;

			for (size_t j = 0; j < plane; j++)
				sum += Relu(src[j] * scale[ch] + shift[ch]);
			pooled = sum / (float) plane;
			for (int j = 0; j < classes; j++)
				logits[(size_t) i * classes + j] += w[(size_t) j * c + ch] * pooled;
		}
}

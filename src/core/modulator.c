/*
 * modulator.c
 *	  Inference network and modulation of the predictor by z.
 */
#include "modulator.h"

#include <math.h>
#include <string.h>

/* PyTorch's Softplus (beta 1, threshold 20). */
static double
Softplus(double x)
{
	return x > 20.0 ? x : log1p(exp(x));
}

/* The inference network's hidden layer: h = relu(W0 hw + b0), in double. */
static void
InferHidden(const HelpLayout *L, const float *infer, const float *hw, double *h)
{
	const float *w0 = infer + L->infer[0].offset;
	const float *b0 = infer + L->infer[1].offset;

	for (int i = 0; i < HELP_INFER_HIDDEN; i++)
	{
		double		s = b0[i];

		for (int j = 0; j < L->hw_dim; j++)
			s += (double) w0[i * L->hw_dim + j] * hw[j];
		h[i] = s > 0.0 ? s : 0.0;
	}
}

/* See modulator.h. */
void
help_modulator_posterior(const HelpLayout *L, const float *infer, const float *hw,
						 double *mu, double *sigma)
{
	const float *w2 = infer + L->infer[2].offset;
	const float *b2 = infer + L->infer[3].offset;
	double		h[HELP_INFER_HIDDEN];

	InferHidden(L, infer, hw, h);

	/*
	 * The second layer gives 2 z_dim values: the first half is the mean of z,
	 * the second its spread through softplus, which keeps it positive.
	 */
	for (int k = 0; k < 2 * L->z_dim; k++)
	{
		double		s = b2[k];

		for (int i = 0; i < HELP_INFER_HIDDEN; i++)
			s += (double) w2[k * HELP_INFER_HIDDEN + i] * h[i];
		if (k < L->z_dim)
			mu[k] = s;
		else
			sigma[k - L->z_dim] = Softplus(s);
	}
}

/* See modulator.h. */
double
help_kl_std_normal(const double *mu, const double *sigma, int n)
{
	double		kl = 0.0;

	/*
	 * KL(N(mu, sigma^2) || N(0, 1)) summed over independent coordinates, in
	 * closed form.
	 */
	for (int k = 0; k < n; k++)
		kl += -log(sigma[k]) + 0.5 * (sigma[k] * sigma[k] + mu[k] * mu[k]) - 0.5;
	return kl;
}

/* See modulator.h. */
void
help_modulator_draw(int z_dim, const double *mu, const double *sigma,
					HelpRng *rng, double *z)
{
	for (int k = 0; k < z_dim; k++)
		z[k] = mu[k] + sigma[k] * help_rng_normal(rng);
}

/* See modulator.h. */
void
help_modulate(const HelpLayout *L, const float *theta, const double *z,
			  double c, float *out)
{
	const int	H = L->head;
	const int	weights[3] = {L->fc3_w, L->fc4_w, L->fc5_w};
	const int	biases[3] = {L->fc3_b, L->fc4_b, L->fc5_b};

	/*
	 * z modulates only the head (fc3, fc4, fc5), docs/method.md section 4: the
	 * first H z values scale fc3's input columns, the next H fc4's, the next H
	 * fc5's, each by 1 + c z, and the last 3 shift each layer's biases by c z.
	 */
	if (out != theta)
		memcpy(out, theta, sizeof(float) * L->n_params);
	for (int layer = 0; layer < 3; layer++)
	{
		const HelpTensor *t = &L->tensors[weights[layer]];
		const HelpTensor *tb = &L->tensors[biases[layer]];
		const double *zw = z + (size_t) layer * H;
		float	   *w = out + t->offset;
		float	   *b = out + tb->offset;
		float		shift = (float) (c * z[3 * H + layer]);

		for (int r = 0; r < t->shape[0]; r++)
			for (int k = 0; k < H; k++)
				w[(size_t) r * H + k] *= (float) (1.0 + c * zw[k]);
		for (size_t i = 0; i < tb->size; i++)
			b[i] += shift;
	}
}

/* Derivative of Softplus (its threshold included): the logistic function. */
static double
SoftplusDerivative(double x)
{
	return x > 20.0 ? 1.0 : 1.0 / (1.0 + exp(-x));
}

/* See modulator.h. */
void
help_modulator_posterior_backward(const HelpLayout *L, const float *infer,
								  const float *hw, const double *dmu,
								  const double *dsigma, float *dinfer)
{
	const float *w2 = infer + L->infer[2].offset;
	const float *b2 = infer + L->infer[3].offset;
	float	   *dw0 = dinfer + L->infer[0].offset;
	float	   *db0 = dinfer + L->infer[1].offset;
	float	   *dw2 = dinfer + L->infer[2].offset;
	float	   *db2 = dinfer + L->infer[3].offset;
	double		h[HELP_INFER_HIDDEN];
	double		dh[HELP_INFER_HIDDEN] = {0};

	InferHidden(L, infer, hw, h);
	for (int k = 0; k < 2 * L->z_dim; k++)
	{
		double		dout;

		if (k < L->z_dim)
			dout = dmu[k];
		else
		{
			double		s = b2[k];

			for (int i = 0; i < HELP_INFER_HIDDEN; i++)
				s += (double) w2[k * HELP_INFER_HIDDEN + i] * h[i];
			dout = dsigma[k - L->z_dim] * SoftplusDerivative(s);
		}
		db2[k] = (float) dout;
		for (int i = 0; i < HELP_INFER_HIDDEN; i++)
		{
			dw2[k * HELP_INFER_HIDDEN + i] = (float) (dout * h[i]);
			dh[i] += dout * w2[k * HELP_INFER_HIDDEN + i];
		}
	}
	for (int i = 0; i < HELP_INFER_HIDDEN; i++)
	{
		double		d = h[i] > 0.0 ? dh[i] : 0.0;

		db0[i] = (float) d;
		for (int j = 0; j < L->hw_dim; j++)
			dw0[i * L->hw_dim + j] = (float) (d * hw[j]);
	}
}

/* See modulator.h. */
void
help_modulate_backward(const HelpLayout *L, const float *theta, const double *z,
					   double c, const float *dout, float *dtheta, double *dz)
{
	const int	H = L->head;
	const int	weights[3] = {L->fc3_w, L->fc4_w, L->fc5_w};
	const int	biases[3] = {L->fc3_b, L->fc4_b, L->fc5_b};

	if (dtheta != dout)
		memcpy(dtheta, dout, sizeof(float) * L->n_params);

	/*
	 * The reverse of help_modulate: each weight's gradient is scaled by the
	 * same 1 + c z, and z gets c times the gradient-weighted sum of what it
	 * scaled.
	 */
	memset(dz, 0, sizeof(double) * L->z_dim);
	for (int layer = 0; layer < 3; layer++)
	{
		const HelpTensor *t = &L->tensors[weights[layer]];
		const HelpTensor *tb = &L->tensors[biases[layer]];
		const double *zw = z + (size_t) layer * H;
		double	   *dzw = dz + (size_t) layer * H;
		const float *w = theta + t->offset;
		float	   *dw = dtheta + t->offset;
		double		bias_sum = 0.0;

		/* out = w (1 + c z_k) per input column k */
		for (int r = 0; r < t->shape[0]; r++)
			for (int k = 0; k < H; k++)
			{
				size_t		i = (size_t) r * H + k;

				dzw[k] += c * (double) dw[i] * w[i];
				dw[i] = (float) (dw[i] * (1.0 + c * zw[k]));
			}
		/* out_b = b + c z_b[layer] */
		for (size_t i = 0; i < tb->size; i++)
			bias_sum += dtheta[tb->offset + i];
		dz[3 * H + layer] = c * bias_sum;
	}
}

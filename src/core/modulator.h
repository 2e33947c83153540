/*
 * modulator.h
 *	  The variational modulator (docs/method.md section 4): the inference
 *	  network maps a hardware embedding to a Gaussian over z, and a draw of z
 *	  rescales the head's weights and shifts its biases.
 */
#ifndef HELP_MODULATOR_H
#define HELP_MODULATOR_H

#include "layout.h"
#include "rng.h"

/* Posterior N(mu, sigma) over z (z_dim each) for a hardware embedding. */
extern void help_modulator_posterior(const HelpLayout *layout, const float *infer,
									 const float *hw, double *mu, double *sigma);

/* KL(N(mu, sigma) || N(0, 1)) summed over n dimensions. */
extern double help_kl_std_normal(const double *mu, const double *sigma, int n);

/* z = mu + sigma * eps with eps drawn from rng (z_dim values). */
extern void help_modulator_draw(int z_dim, const double *mu, const double *sigma,
								HelpRng *rng, double *z);

/*
 * out = theta modulated by z with scale c: fc3/fc4/fc5 input column k scaled
 * by (1 + c z_w[k]), biases shifted by c z_b.  out may equal theta.
 */
extern void help_modulate(const HelpLayout *layout, const float *theta,
						  const double *z, double c, float *out);

/*
 * Backward pass of help_modulator_posterior: dinfer (n_infer, overwritten)
 * = gradient of a loss whose gradients with respect to mu and sigma are
 * dmu and dsigma.
 */
extern void help_modulator_posterior_backward(const HelpLayout *layout,
											  const float *infer, const float *hw,
											  const double *dmu, const double *dsigma,
											  float *dinfer);

/*
 * Backward pass of help_modulate: from dout = d loss / d out, writes the
 * gradient with respect to theta into dtheta (may equal dout) and with
 * respect to z into dz (z_dim).
 */
extern void help_modulate_backward(const HelpLayout *layout, const float *theta,
								   const double *z, double c, const float *dout,
								   float *dtheta, double *dz);

#endif							/* HELP_MODULATOR_H */

/*
 * meta_grad.c
 *	  Meta-loss of one task and its second-order gradient.
 *
 * Forward:  z = mu + sigma eps (inference network on the hardware embedding),
 *	  theta_0 = modulate(theta, z), theta_{k+1} = theta_k - alpha (.) g_k with
 *	  g_k = grad L_support(theta_k), loss = L_query(theta_K) + w KL(mu, sigma).
 * Backward: u = grad L_query(theta_K); for k = K-1 .. 0:
 *	  d alpha += -g_k (.) u;  u <- u - H_k (alpha (.) u)  (H_k the support
 *	  Hessian at theta_k, symmetric); then u = d loss / d theta_0 goes back
 *	  through the modulation to theta and z, and z to mu and sigma (plus the
 *	  KL's own gradient) and on into the inference network.
 */
#include "meta_grad.h"

#include "modulator.h"
#include "vec.h"


/* Allocate the scratch of help_meta_task. */
HelpMetaWorkspace *
help_meta_workspace_create(const HelpLayout *L, int max_support, int max_query,
						   int inner_steps)
{
	HelpMetaWorkspace *mw = HELP_ARENA_NEW(HelpMetaWorkspace);
	size_t		P = L->n_params;
	size_t		Z = (size_t) L->z_dim;
	int			max_batch = max_support > max_query ? max_support : max_query;

	mw->max_support = max_support;
	mw->max_query = max_query;
	mw->inner_steps = inner_steps;
	mw->ws = help_workspace_create(L, max_batch);
	mw->hvp = help_hvp_workspace_create(L, max_support);
	mw->thetas = help_arena_alloc(&mw->arena, sizeof(float) * P * (inner_steps + 1));
	mw->grads = help_arena_alloc(&mw->arena, sizeof(float) * P * (inner_steps > 0 ? inner_steps : 1));
	mw->u = help_arena_alloc(&mw->arena, sizeof(float) * P);
	mw->alpha_u = help_arena_alloc(&mw->arena, sizeof(float) * P);
	mw->hv = help_arena_alloc(&mw->arena, sizeof(float) * P);
	mw->pred = help_arena_alloc(&mw->arena, sizeof(float) * max_batch);
	mw->dy = help_arena_alloc(&mw->arena, sizeof(float) * max_batch);
	mw->mu = help_arena_alloc(&mw->arena, sizeof(double) * Z);
	mw->sigma = help_arena_alloc(&mw->arena, sizeof(double) * Z);
	mw->z = help_arena_alloc(&mw->arena, sizeof(double) * Z);
	mw->dmu = help_arena_alloc(&mw->arena, sizeof(double) * Z);
	mw->dsigma = help_arena_alloc(&mw->arena, sizeof(double) * Z);
	mw->dz = help_arena_alloc(&mw->arena, sizeof(double) * Z);
	mw->dinfer = help_arena_alloc(&mw->arena, sizeof(float) * L->n_infer);
	return mw;
}

void
help_meta_workspace_destroy(HelpMetaWorkspace *mw)
{
	if (mw == NULL)
		return;
	help_workspace_destroy(mw->ws);
	help_hvp_workspace_destroy(mw->hvp);
	help_arena_release(&mw->arena);
}

/*
 * One Meta-SGD step as help_inner_loop takes it, without allocating (the
 * task path must not, so that tasks can run off the main thread):
 * next = cur - alpha (.) g with g = grad L_support(cur) kept in grad.
 */
static void
InnerStep(const HelpLayout *L, const float *cur, float *restrict next,
		  const float *restrict alpha, const HelpMetaTask *task,
		  float *restrict grad, HelpMetaWorkspace *mw)
{
	help_net_forward(L, cur, task->hw, task->support_X, task->n_support, mw->pred, mw->ws);
	help_mse(mw->pred, task->support_y, task->n_support, mw->dy);
	help_net_backward(L, cur, task->hw, task->support_X, mw->dy, grad, mw->ws);
	for (size_t i = 0; i < L->n_params; i++)
		next[i] = cur[i] - alpha[i] * grad[i];
}

/*
 * Back through the inner steps: turns u = d loss / d theta_K into
 * d loss / d theta_0 and adds weight * d loss / d alpha into dalpha.  Built
 * for AVX-512/AVX2 too: its per-parameter loops are hot.  (InnerStep is
 * not: it must match help_inner_loop bit for bit.)
 */
HELP_VECTOR_CLONES
static void
BackpropInnerSteps(const HelpLayout *L, const HelpMetaSpec *spec,
				   const float *restrict alpha, const HelpMetaTask *task,
				   double weight, float *restrict dalpha, HelpMetaWorkspace *mw)
{
	size_t		P = L->n_params;
	float		w = (float) weight;
	float	   *restrict u = mw->u;
	float	   *restrict alpha_u = mw->alpha_u;
	const float *restrict hv = mw->hv;

	for (int k = spec->inner_steps - 1; k >= 0; k--)
	{
		const float *restrict g = mw->grads + P * k;

		for (size_t i = 0; i < P; i++)
		{
			dalpha[i] -= w * g[i] * u[i];
			alpha_u[i] = alpha[i] * u[i];
		}
		if (!spec->second_order)
			continue;
		help_mse_hvp(L, mw->thetas + P * k, alpha_u, task->hw, task->support_X,
					 task->support_y, task->n_support, mw->hv, mw->ws, mw->hvp);
		for (size_t i = 0; i < P; i++)
			u[i] -= hv[i];
	}
}

/* See meta_grad.h. */
double
help_meta_task(const HelpLayout *L, const HelpMetaSpec *spec, const float *theta,
			   const float *alpha, const float *infer, const HelpMetaTask *task,
			   double weight, HelpMetaGrad *grad, double *query_mse,
			   HelpMetaWorkspace *mw)
{
	size_t		P = L->n_params;
	int			Z = L->z_dim;
	int			K = spec->inner_steps;
	double		kl,
				mse;

	/* modulated start: theta_0 = modulate(theta, mu + sigma eps) */
	help_modulator_posterior(L, infer, task->hw, mw->mu, mw->sigma);
	for (int k = 0; k < Z; k++)
		mw->z[k] = mw->mu[k] + mw->sigma[k] * task->eps[k];
	kl = help_kl_std_normal(mw->mu, mw->sigma, Z);
	help_modulate(L, theta, mw->z, spec->z_scale, mw->thetas);

	/* inner steps, keeping every theta_k and g_k for the backward pass */
	for (int k = 0; k < K; k++)
		InnerStep(L, mw->thetas + P * k, mw->thetas + P * (k + 1), alpha, task,
				  mw->grads + P * k, mw);

	/* query loss at theta_K */
	help_net_forward(L, mw->thetas + P * K, task->hw, task->query_X, task->n_query,
					 mw->pred, mw->ws);
	mse = help_mse(mw->pred, task->query_y, task->n_query, mw->dy);
	if (query_mse)
		*query_mse = mse;
	if (grad == NULL)
		return mse + spec->kl_weight * kl;

	help_net_backward(L, mw->thetas + P * K, task->hw, task->query_X, mw->dy, mw->u, mw->ws);
	BackpropInnerSteps(L, spec, alpha, task, weight, grad->alpha, mw);

	/* through the modulation, the reparameterization and the KL term */
	help_modulate_backward(L, theta, mw->z, spec->z_scale, mw->u, mw->u, mw->dz);
	for (size_t i = 0; i < P; i++)
		grad->theta[i] += (float) weight * mw->u[i];
	for (int k = 0; k < Z; k++)
	{
		mw->dmu[k] = mw->dz[k] + spec->kl_weight * mw->mu[k];
		mw->dsigma[k] = mw->dz[k] * task->eps[k] +
			spec->kl_weight * (mw->sigma[k] - 1.0 / mw->sigma[k]);
	}
	help_modulator_posterior_backward(L, infer, task->hw, mw->dmu, mw->dsigma, mw->dinfer);
	for (size_t i = 0; i < L->n_infer; i++)
		grad->infer[i] += (float) weight * mw->dinfer[i];
	return mse + spec->kl_weight * kl;
}

/*
 * meta_train.c
 *	  The episode loop of meta-training, Adam, and the initial weights.
 *
 * Per episode: draw tasks_per_episode distinct devices; per device, a fresh
 * partial shuffle of its pool gives support (first `support`) and query
 * (next `query`), and z_dim normal draws give the modulator noise; the
 * meta-gradient of each task, weighted 1/tasks, is summed; then one Adam
 * step.  All memory is allocated before the first episode.
 */
#include "meta_train.h"

#include "rng.h"

#include <math.h>
#include <string.h>

/* PyTorch's Adam defaults. */
#define ADAM_BETA1 0.9
#define ADAM_BETA2 0.999
#define ADAM_EPS 1e-8

/* Adam's moment estimates for one parameter vector. */
typedef struct AdamMoments
{
	float	   *m;
	float	   *v;
} AdamMoments;

/* Everything an episode needs, allocated once. */
typedef struct Trainer
{
	const HelpLayout *L;
	const HelpMetaTrainSpec *spec;
	int			enc_dim;
	HelpRng		rng;
	int		   *device_order;	/* [n_devices], a partial shuffle per episode */
	int		   *pool_order;		/* [largest pool] */
	float	   *X;				/* support then query encodings */
	float	   *y;
	double	   *eps;			/* [z_dim] */
	HelpMetaGrad grad;
	AdamMoments adam_theta,
				adam_alpha,
				adam_infer;
	int			adam_t;			/* steps taken */
	HelpMetaWorkspace *mw;
} Trainer;

/* Uniform in [-bound, bound). */
static float
uniform_symmetric(HelpRng *rng, double bound)
{
	return (float) ((2.0 * help_rng_uniform(rng) - 1.0) * bound);
}

/* Fill one layout's tensors as PyTorch's Linear does (bias bound from its weight). */
static void
init_linear_tensors(const HelpTensor *tensors, int n_tensors, HelpRng *rng, float *params)
{
	double		bound = 1.0;

	for (int t = 0; t < n_tensors; t++)
	{
		const HelpTensor *T = &tensors[t];

		if (T->ndim == 2)
			bound = 1.0 / sqrt((double) T->shape[1]);
		for (size_t i = 0; i < T->size; i++)
			params[T->offset + i] = uniform_symmetric(rng, bound);
	}
}

/* See meta_train.h. */
void
help_meta_init(const HelpLayout *L, uint64_t seed, double inner_lr_init,
			   float *theta, float *alpha, float *infer)
{
	HelpRng		rng;

	help_rng_seed(&rng, seed);
	init_linear_tensors(L->tensors, L->n_tensors, &rng, theta);
	if (L->kind == HELP_NET_GCN)
	{
		/* the reference's GraphConvolution and its init_weights() */
		for (int l = 0; l < L->n_arch_layers; l++)
		{
			const HelpTensor *w = &L->tensors[L->arch_w[l]];
			const HelpTensor *b = &L->tensors[L->arch_b[l]];

			for (size_t i = 0; i < w->size; i++)
				theta[w->offset + i] = uniform_symmetric(&rng, 0.05);
			for (size_t i = 0; i < b->size; i++)
				theta[b->offset + i] = uniform_symmetric(&rng, 1.0 / sqrt((double) L->width));
		}
	}
	init_linear_tensors(L->infer, HELP_INFER_TENSORS, &rng, infer);
	for (size_t i = 0; i < L->n_params; i++)
		alpha[i] = (float) inner_lr_init;
}

/* One Adam step (t counts from 1) of n parameters p with gradient g. */
static void
adam_step(float *p, const float *g, AdamMoments *mom, size_t n, double lr, int t)
{
	double		correction1 = 1.0 - pow(ADAM_BETA1, t);
	double		correction2 = 1.0 - pow(ADAM_BETA2, t);

	for (size_t i = 0; i < n; i++)
	{
		double		m = ADAM_BETA1 * mom->m[i] + (1.0 - ADAM_BETA1) * g[i];
		double		v = ADAM_BETA2 * mom->v[i] + (1.0 - ADAM_BETA2) * (double) g[i] * g[i];

		mom->m[i] = (float) m;
		mom->v[i] = (float) v;
		p[i] -= (float) (lr * (m / correction1) / (sqrt(v / correction2) + ADAM_EPS));
	}
}

/* Reject settings and data that cannot make an episode. */
static HelpStatus
check_inputs(const HelpMetaTrainSpec *spec, const HelpTrainDevice *devices,
			 int n_devices, HelpError *err)
{
	if (spec->episodes < 0 || spec->tasks_per_episode < 1 || spec->support < 1 ||
		spec->query < 1 || spec->meta.inner_steps < 0 || spec->validate_every < 1)
		return help_set_error(err, HELP_ERR_VALUE,
							  "episodes must be >= 0, inner_steps >= 0, and tasks_per_episode, support, query, validate_every >= 1");
	if (!(spec->meta_lr > 0.0) || !isfinite(spec->meta_lr))
		return help_set_error(err, HELP_ERR_VALUE, "meta_lr must be a positive number");
	if (n_devices < spec->tasks_per_episode)
		return help_set_error(err, HELP_ERR_DATA,
							  "an episode needs %d distinct meta-train devices but there are %d",
							  spec->tasks_per_episode, n_devices);
	for (int d = 0; d < n_devices; d++)
		if (devices[d].n < spec->support + spec->query)
			return help_set_error(err, HELP_ERR_DATA,
								  "meta-train device %d has %d architectures in its trimmed pool, fewer than support + query = %d",
								  d, devices[d].n, spec->support + spec->query);
	return HELP_OK;
}

static void
adam_moments_alloc(AdamMoments *mom, size_t n)
{
	mom->m = help_alloc(sizeof(float) * n);
	mom->v = help_alloc(sizeof(float) * n);
}

static void
adam_moments_free(AdamMoments *mom)
{
	help_free(mom->m);
	help_free(mom->v);
}

static Trainer *
trainer_create(const HelpLayout *L, const HelpMetaTrainSpec *spec,
			   const HelpTrainDevice *devices, int n_devices)
{
	Trainer    *tr = help_alloc(sizeof(Trainer));
	int			rows = spec->support + spec->query;
	int			largest = 0;

	for (int d = 0; d < n_devices; d++)
		largest = devices[d].n > largest ? devices[d].n : largest;
	tr->L = L;
	tr->spec = spec;
	tr->enc_dim = help_space_encoding_dim(L->space);
	help_rng_seed(&tr->rng, spec->seed);
	tr->device_order = help_alloc(sizeof(int) * n_devices);
	for (int d = 0; d < n_devices; d++)
		tr->device_order[d] = d;
	tr->pool_order = help_alloc(sizeof(int) * largest);
	tr->X = help_alloc(sizeof(float) * rows * tr->enc_dim);
	tr->y = help_alloc(sizeof(float) * rows);
	tr->eps = help_alloc(sizeof(double) * L->z_dim);
	tr->grad.theta = help_alloc(sizeof(float) * L->n_params);
	tr->grad.alpha = help_alloc(sizeof(float) * L->n_params);
	tr->grad.infer = help_alloc(sizeof(float) * L->n_infer);
	adam_moments_alloc(&tr->adam_theta, L->n_params);
	adam_moments_alloc(&tr->adam_alpha, L->n_params);
	adam_moments_alloc(&tr->adam_infer, L->n_infer);
	tr->mw = help_meta_workspace_create(L, spec->support, spec->query, spec->meta.inner_steps);
	return tr;
}

static void
trainer_destroy(Trainer *tr)
{
	help_meta_workspace_destroy(tr->mw);
	help_free(tr->device_order);
	help_free(tr->pool_order);
	help_free(tr->X);
	help_free(tr->y);
	help_free(tr->eps);
	help_free(tr->grad.theta);
	help_free(tr->grad.alpha);
	help_free(tr->grad.infer);
	adam_moments_free(&tr->adam_theta);
	adam_moments_free(&tr->adam_alpha);
	adam_moments_free(&tr->adam_infer);
	help_free(tr);
}

/* Move k random items of items[0..n) to the front (partial Fisher-Yates). */
static void
choose_front(HelpRng *rng, int *items, int n, int k)
{
	for (int i = 0; i < k; i++)
	{
		int			j = i + (int) help_rng_below(rng, (uint32_t) (n - i));
		int			t = items[i];

		items[i] = items[j];
		items[j] = t;
	}
}

/* Draw one device's task: support and query rows from its pool, and z noise. */
static void
draw_task(Trainer *tr, const HelpTrainDevice *dev, HelpMetaTask *task)
{
	const HelpMetaTrainSpec *spec = tr->spec;
	int			rows = spec->support + spec->query;

	for (int i = 0; i < dev->n; i++)
		tr->pool_order[i] = i;
	choose_front(&tr->rng, tr->pool_order, dev->n, rows);
	for (int r = 0; r < rows; r++)
	{
		int			a = tr->pool_order[r];

		memcpy(tr->X + (size_t) r * tr->enc_dim, dev->X + (size_t) a * tr->enc_dim,
			   sizeof(float) * tr->enc_dim);
		tr->y[r] = dev->y[a];
	}
	for (int k = 0; k < tr->L->z_dim; k++)
		tr->eps[k] = help_rng_normal(&tr->rng);
	task->hw = dev->hw;
	task->support_X = tr->X;
	task->support_y = tr->y;
	task->n_support = spec->support;
	task->query_X = tr->X + (size_t) spec->support * tr->enc_dim;
	task->query_y = tr->y + spec->support;
	task->n_query = spec->query;
	task->eps = tr->eps;
}

/*
 * One episode: the summed meta-gradient of its tasks and an Adam step.
 * Returns the episode's meta-loss; *stopped is set when the interrupt hook
 * asked to stop (the weights are then left as they were).
 */
static double
run_episode(Trainer *tr, const HelpTrainDevice *devices, int n_devices,
			float *theta, float *alpha, float *infer,
			const HelpMetaTrainHooks *hooks, int *stopped)
{
	const HelpLayout *L = tr->L;
	const HelpMetaTrainSpec *spec = tr->spec;
	int			T = spec->tasks_per_episode;
	double		loss = 0.0;

	memset(tr->grad.theta, 0, sizeof(float) * L->n_params);
	memset(tr->grad.alpha, 0, sizeof(float) * L->n_params);
	memset(tr->grad.infer, 0, sizeof(float) * L->n_infer);
	choose_front(&tr->rng, tr->device_order, n_devices, T);
	for (int t = 0; t < T; t++)
	{
		HelpMetaTask task;

		draw_task(tr, &devices[tr->device_order[t]], &task);
		loss += help_meta_task(L, &spec->meta, theta, alpha, infer, &task, 1.0 / T,
							   &tr->grad, NULL, tr->mw) / T;
		if (hooks && hooks->interrupted && hooks->interrupted(hooks->arg))
		{
			*stopped = 1;
			return loss;
		}
	}
	tr->adam_t++;
	adam_step(theta, tr->grad.theta, &tr->adam_theta, L->n_params, spec->meta_lr, tr->adam_t);
	adam_step(alpha, tr->grad.alpha, &tr->adam_alpha, L->n_params, spec->meta_lr, tr->adam_t);
	adam_step(infer, tr->grad.infer, &tr->adam_infer, L->n_infer, spec->meta_lr, tr->adam_t);
	return loss;
}

/* See meta_train.h. */
HelpStatus
help_meta_train_run(const HelpLayout *L, const HelpMetaTrainSpec *spec,
					const HelpTrainDevice *devices, int n_devices,
					float *theta, float *alpha, float *infer,
					const HelpMetaTrainHooks *hooks, int *episodes_done,
					HelpError *err)
{
	Trainer    *tr;
	HelpStatus	status;
	double		loss_since = 0.0;
	int			episodes_since = 0;
	int			done = 0;
	int			stopped = 0;

	if (episodes_done)
		*episodes_done = 0;
	status = check_inputs(spec, devices, n_devices, err);
	if (status != HELP_OK)
		return status;
	tr = trainer_create(L, spec, devices, n_devices);
	while (done < spec->episodes && !stopped)
	{
		double		loss = run_episode(tr, devices, n_devices, theta, alpha, infer,
									   hooks, &stopped);

		if (stopped)
			break;
		done++;
		loss_since += loss;
		episodes_since++;
		if ((done % spec->validate_every == 0 || done == spec->episodes) &&
			hooks && hooks->validate)
		{
			stopped = hooks->validate(hooks->arg, done, loss_since / episodes_since,
									  theta, alpha, infer);
			loss_since = 0.0;
			episodes_since = 0;
		}
	}
	trainer_destroy(tr);
	if (episodes_done)
		*episodes_done = done;
	return HELP_OK;
}

/*
 * meta_train.c
 *	  The episode loop of meta-training, Adam, and the initial weights.
 *
 * Per episode: draw tasks_per_episode distinct devices; per device, a fresh
 * partial shuffle of its pool gives support (first `support`) and query
 * (next `query`), and z_dim normal draws give the modulator noise (all
 * drawn on the calling thread, in task order); each task's meta-gradient
 * goes to its own buffer, on whichever thread; the buffers are summed in
 * task order, weighted 1/tasks; then one Adam step.  All memory is
 * allocated before the first episode.
 */
#include "meta_train.h"

#include "rng.h"
#include "vec.h"

#include <math.h>
#include <pthread.h>
#include <signal.h>
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

/* One task of an episode: its data, z noise, and its own gradient. */
typedef struct TaskSlot
{
	float	   *X;				/* support then query encodings */
	float	   *y;
	double	   *eps;			/* [z_dim] */
	HelpMetaTask task;
	HelpMetaGrad grad;			/* gradient of this task's meta-loss */
	double		loss;
} TaskSlot;

struct Trainer;

/* A thread's share of an episode: tasks id, id + threads, ... */
typedef struct Worker
{
	struct Trainer *tr;
	int			id;
	HelpMetaWorkspace *mw;
} Worker;

/* Everything an episode needs, allocated once. */
typedef struct Trainer
{
	HelpArena	arena;			/* owns the trainer and its buffers */
	const HelpLayout *L;
	const HelpMetaTrainSpec *spec;
	int			enc_dim;
	int			threads;
	HelpRng		rng;
	int		   *device_order;	/* [n_devices], a partial shuffle per episode */
	int		   *pool_order;		/* [largest pool] */
	TaskSlot   *slots;			/* [tasks_per_episode] */
	Worker	   *workers;		/* [threads] */
	pthread_t  *thread_ids;		/* [threads], 0 unused */
	int		   *thread_started; /* [threads] */
	HelpMetaGrad grad;			/* the episode's gradient */
	float	   *theta,
			   *alpha,
			   *infer;			/* the weights of the current episode (tasks
								 * read them, the update writes them) */
	AdamMoments adam_theta,
				adam_alpha,
				adam_infer;
	int			adam_t;			/* steps taken */
} Trainer;

/* Uniform in [-bound, bound). */
static float
UniformSymmetric(HelpRng *rng, double bound)
{
	return (float) ((2.0 * help_rng_uniform(rng) - 1.0) * bound);
}

/* Fill one layout's tensors as PyTorch's Linear does (bias bound from its weight). */
static void
InitLinearTensors(const HelpTensor *tensors, int n_tensors, HelpRng *rng, float *params)
{
	double		bound = 1.0;

	for (int t = 0; t < n_tensors; t++)
	{
		const HelpTensor *T = &tensors[t];

		if (T->ndim == 2)
			bound = 1.0 / sqrt((double) T->shape[1]);
		for (size_t i = 0; i < T->size; i++)
			params[T->offset + i] = UniformSymmetric(rng, bound);
	}
}

/* See meta_train.h. */
void
help_meta_init(const HelpLayout *L, uint64_t seed, double inner_lr_init,
			   float *theta, float *alpha, float *infer)
{
	HelpRng		rng;

	help_rng_seed(&rng, seed);
	InitLinearTensors(L->tensors, L->n_tensors, &rng, theta);
	if (L->kind == HELP_NET_GCN)
	{
		/* the reference's GraphConvolution and its init_weights() */
		for (int l = 0; l < L->n_arch_layers; l++)
		{
			const HelpTensor *w = &L->tensors[L->arch_w[l]];
			const HelpTensor *b = &L->tensors[L->arch_b[l]];

			for (size_t i = 0; i < w->size; i++)
				theta[w->offset + i] = UniformSymmetric(&rng, 0.05);
			for (size_t i = 0; i < b->size; i++)
				theta[b->offset + i] = UniformSymmetric(&rng, 1.0 / sqrt((double) L->width));
		}
	}
	InitLinearTensors(L->infer, HELP_INFER_TENSORS, &rng, infer);
	for (size_t i = 0; i < L->n_params; i++)
		alpha[i] = (float) inner_lr_init;
}

/*
 * One Adam step (t counts from 1) of the n parameters p with gradient g and
 * moments m and v.
 */
HELP_VECTOR_CLONES
static void
AdamStep(float *p, const float *g, float *m, float *v, size_t n, double lr, int t)
{
	double		correction1 = 1.0 - pow(ADAM_BETA1, t);
	double		correction2 = 1.0 - pow(ADAM_BETA2, t);

	for (size_t i = 0; i < n; i++)
	{
		double		mi = ADAM_BETA1 * m[i] + (1.0 - ADAM_BETA1) * g[i];
		double		vi = ADAM_BETA2 * v[i] + (1.0 - ADAM_BETA2) * (double) g[i] * g[i];

		m[i] = (float) mi;
		v[i] = (float) vi;
		p[i] -= (float) (lr * (mi / correction1) / (sqrt(vi / correction2) + ADAM_EPS));
	}
}

/* Reject settings and data that cannot make an episode. */
static HelpStatus
CheckInputs(const HelpMetaTrainSpec *spec, const HelpTrainDevice *devices,
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

/* Zeroed Adam moments for n parameters, from arena. */
static void
AdamMomentsAlloc(AdamMoments *mom, size_t n, HelpArena *arena)
{
	mom->m = help_arena_alloc(arena, sizeof(float) * n);
	mom->v = help_arena_alloc(arena, sizeof(float) * n);
}

/* Zeroed gradient buffers in the layouts of theta, alpha and infer. */
static void
MetaGradAlloc(HelpMetaGrad *g, const HelpLayout *L, HelpArena *arena)
{
	g->theta = help_arena_alloc(arena, sizeof(float) * L->n_params);
	g->alpha = help_arena_alloc(arena, sizeof(float) * L->n_params);
	g->infer = help_arena_alloc(arena, sizeof(float) * L->n_infer);
}

static void
MetaGradZero(HelpMetaGrad *g, const HelpLayout *L)
{
	memset(g->theta, 0, sizeof(float) * L->n_params);
	memset(g->alpha, 0, sizeof(float) * L->n_params);
	memset(g->infer, 0, sizeof(float) * L->n_infer);
}

static Trainer *
TrainerCreate(const HelpLayout *L, const HelpMetaTrainSpec *spec,
			  const HelpTrainDevice *devices, int n_devices)
{
	Trainer    *tr = HELP_ARENA_NEW(Trainer);
	int			T = spec->tasks_per_episode;
	int			rows = spec->support + spec->query;
	int			largest = 0;

	for (int d = 0; d < n_devices; d++)
		largest = devices[d].n > largest ? devices[d].n : largest;
	tr->L = L;
	tr->spec = spec;
	tr->enc_dim = help_space_encoding_dim(L->space);
	tr->threads = spec->threads < 1 ? 1 : (spec->threads > T ? T : spec->threads);
	help_rng_seed(&tr->rng, spec->seed);

	/*
	 * Everything the workers touch is allocated here, before any thread
	 * starts: the task path allocates nothing, since the server's allocator is
	 * not thread safe.
	 */
	tr->device_order = help_arena_alloc(&tr->arena, sizeof(int) * n_devices);
	for (int d = 0; d < n_devices; d++)
		tr->device_order[d] = d;
	tr->pool_order = help_arena_alloc(&tr->arena, sizeof(int) * largest);
	tr->slots = help_arena_alloc(&tr->arena, sizeof(TaskSlot) * T);
	for (int t = 0; t < T; t++)
	{
		tr->slots[t].X = help_arena_alloc(&tr->arena, sizeof(float) * rows * tr->enc_dim);
		tr->slots[t].y = help_arena_alloc(&tr->arena, sizeof(float) * rows);
		tr->slots[t].eps = help_arena_alloc(&tr->arena, sizeof(double) * L->z_dim);
		MetaGradAlloc(&tr->slots[t].grad, L, &tr->arena);
	}
	tr->workers = help_arena_alloc(&tr->arena, sizeof(Worker) * tr->threads);
	tr->thread_ids = help_arena_alloc(&tr->arena, sizeof(pthread_t) * tr->threads);
	tr->thread_started = help_arena_alloc(&tr->arena, sizeof(int) * tr->threads);
	for (int w = 0; w < tr->threads; w++)
	{
		tr->workers[w].tr = tr;
		tr->workers[w].id = w;
		tr->workers[w].mw = help_meta_workspace_create(L, spec->support, spec->query,
													   spec->meta.inner_steps);
	}
	MetaGradAlloc(&tr->grad, L, &tr->arena);
	AdamMomentsAlloc(&tr->adam_theta, L->n_params, &tr->arena);
	AdamMomentsAlloc(&tr->adam_alpha, L->n_params, &tr->arena);
	AdamMomentsAlloc(&tr->adam_infer, L->n_infer, &tr->arena);
	return tr;
}

static void
TrainerDestroy(Trainer *tr)
{
	for (int w = 0; w < tr->threads; w++)
		help_meta_workspace_destroy(tr->workers[w].mw);
	help_arena_release(&tr->arena);
}

/* Move k random items of items[0..n) to the front (partial Fisher-Yates). */
static void
ChooseFront(HelpRng *rng, int *items, int n, int k)
{
	for (int i = 0; i < k; i++)
	{
		int			j = i + (int) help_rng_below(rng, (uint32_t) (n - i));
		int			t = items[i];

		items[i] = items[j];
		items[j] = t;
	}
}

/* Draw one device's task into a slot: support and query rows, and z noise. */
static void
DrawTask(Trainer *tr, const HelpTrainDevice *dev, TaskSlot *slot)
{
	const HelpMetaTrainSpec *spec = tr->spec;
	int			rows = spec->support + spec->query;

	for (int i = 0; i < dev->n; i++)
		tr->pool_order[i] = i;
	ChooseFront(&tr->rng, tr->pool_order, dev->n, rows);
	for (int r = 0; r < rows; r++)
	{
		int			a = tr->pool_order[r];

		memcpy(slot->X + (size_t) r * tr->enc_dim, dev->X + (size_t) a * tr->enc_dim,
			   sizeof(float) * tr->enc_dim);
		slot->y[r] = dev->y[a];
	}
	for (int k = 0; k < tr->L->z_dim; k++)
		slot->eps[k] = help_rng_normal(&tr->rng);
	slot->task.hw = dev->hw;
	slot->task.support_X = slot->X;
	slot->task.support_y = slot->y;
	slot->task.n_support = spec->support;
	slot->task.query_X = slot->X + (size_t) spec->support * tr->enc_dim;
	slot->task.query_y = slot->y + spec->support;
	slot->task.n_query = spec->query;
	slot->task.eps = slot->eps;
}

/* Meta-loss and gradient of one task into its slot. */
static void
RunTask(Worker *w, TaskSlot *slot)
{
	const Trainer *tr = w->tr;

	MetaGradZero(&slot->grad, tr->L);
	slot->loss = help_meta_task(tr->L, &tr->spec->meta, tr->theta, tr->alpha, tr->infer,
								&slot->task, 1.0, &slot->grad, NULL, w->mw);
}

/* A worker thread's share of the episode's tasks: id, id + threads, ... */
static void *
TasksMain(void *arg)
{
	Worker	   *w = arg;

	for (int t = w->id; t < w->tr->spec->tasks_per_episode; t += w->tr->threads)
		RunTask(w, &w->tr->slots[t]);
	return NULL;
}

/* The first..first + n elements of slice part of parts of n_total. */
static size_t
SliceBounds(size_t n_total, int part, int parts, size_t *n)
{
	size_t		first = n_total * part / parts;

	*n = n_total * (part + 1) / parts - first;
	return first;
}

/*
 * The update of slice part of parts of every parameter vector: the tasks'
 * gradients summed in task order, then the Adam step.  Both are per
 * element, so how the vectors are sliced cannot change a bit.
 */
static void
UpdateSlice(Trainer *tr, int part, int parts)
{
	const HelpLayout *L = tr->L;
	int			T = tr->spec->tasks_per_episode;
	float		weight = 1.0f / T;
	size_t		n,
				ni;
	size_t		first = SliceBounds(L->n_params, part, parts, &n);
	size_t		ifirst = SliceBounds(L->n_infer, part, parts, &ni);
	HelpMetaGrad *sum = &tr->grad;

	memset(sum->theta + first, 0, sizeof(float) * n);
	memset(sum->alpha + first, 0, sizeof(float) * n);
	memset(sum->infer + ifirst, 0, sizeof(float) * ni);
	for (int t = 0; t < T; t++)
	{
		const HelpMetaGrad *g = &tr->slots[t].grad;

		for (size_t i = first; i < first + n; i++)
		{
			sum->theta[i] += weight * g->theta[i];
			sum->alpha[i] += weight * g->alpha[i];
		}
		for (size_t i = ifirst; i < ifirst + ni; i++)
			sum->infer[i] += weight * g->infer[i];
	}
	AdamStep(tr->theta + first, sum->theta + first, tr->adam_theta.m + first,
			 tr->adam_theta.v + first, n, tr->spec->meta_lr, tr->adam_t);
	AdamStep(tr->alpha + first, sum->alpha + first, tr->adam_alpha.m + first,
			 tr->adam_alpha.v + first, n, tr->spec->meta_lr, tr->adam_t);
	AdamStep(tr->infer + ifirst, sum->infer + ifirst, tr->adam_infer.m + ifirst,
			 tr->adam_infer.v + ifirst, ni, tr->spec->meta_lr, tr->adam_t);
}

/* A worker thread's slice of the episode's update. */
static void *
UpdateMain(void *arg)
{
	Worker	   *w = arg;

	UpdateSlice(w->tr, w->id, w->tr->threads);
	return NULL;
}

/*
 * work(worker) for every worker on tr->threads threads (the calling one
 * included).  Workers start with every signal blocked, so that the
 * server's handlers only ever run on the calling thread; a worker that
 * cannot be started has its share run here.
 */
static void
RunThreaded(Trainer *tr, void *(*work) (void *))
{
	pthread_t  *threads = tr->thread_ids;
	int		   *started = tr->thread_started;
	sigset_t	all,
				old;
	HelpInterruptHook held = help_interrupt_hook;

	/*
	 * The calling thread runs worker 0's share through the same passes that
	 * check for interrupts; a longjmp out of it would leave the other
	 * threads running on freed memory.  So the hook is held off until every
	 * thread has joined (the workers' own hook is NULL: it is per thread).
	 */
	help_interrupt_hook = NULL;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (int w = 1; w < tr->threads; w++)
		started[w] = pthread_create(&threads[w], NULL, work, &tr->workers[w]) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	work(&tr->workers[0]);
	for (int w = 1; w < tr->threads; w++)
	{
		if (started[w])
			pthread_join(threads[w], NULL);
		else
			work(&tr->workers[w]);
	}
	help_interrupt_hook = held;
}

/*
 * One episode: draw its tasks, compute their meta-gradients, sum them in
 * task order (so the thread count cannot change a bit), take an Adam step;
 * the tasks, then the slices of the update, on tr->threads threads.
 * Returns the episode's meta-loss; *stopped is set when the interrupt hook
 * asked to stop (the weights are then left as they were).
 */
static double
RunEpisode(Trainer *tr, const HelpTrainDevice *devices, int n_devices,
		   float *theta, float *alpha, float *infer,
		   const HelpMetaTrainHooks *hooks, int *stopped)
{
	const HelpMetaTrainSpec *spec = tr->spec;
	int			T = spec->tasks_per_episode;
	double		loss = 0.0;
	HelpInterruptFn interrupted = hooks ? hooks->interrupted : NULL;

	/*
	 * Every random draw of the episode happens here, on the calling thread and
	 * in task order, before any task runs: the draw sequence, and with it the
	 * whole run, is the same for any number of threads.
	 */
	ChooseFront(&tr->rng, tr->device_order, n_devices, T);
	for (int t = 0; t < T; t++)
		DrawTask(tr, &devices[tr->device_order[t]], &tr->slots[t]);
	tr->theta = theta;
	tr->alpha = alpha;
	tr->infer = infer;
	if (tr->threads == 1)
	{
		for (int t = 0; t < T && !*stopped; t++)
		{
			RunTask(&tr->workers[0], &tr->slots[t]);
			*stopped = interrupted && interrupted(hooks->arg);
		}
	}
	else
	{
		RunThreaded(tr, TasksMain);
		*stopped = interrupted && interrupted(hooks->arg);
	}
	if (*stopped)
		return 0.0;

	/*
	 * Losses and gradients are summed in task order after all tasks have
	 * finished, never as threads complete, for the same reason.
	 */
	for (int t = 0; t < T; t++)
		loss += tr->slots[t].loss / T;
	tr->adam_t++;
	if (tr->threads == 1)
		UpdateSlice(tr, 0, 1);
	else
		RunThreaded(tr, UpdateMain);
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
	status = CheckInputs(spec, devices, n_devices, err);
	if (status != HELP_OK)
		return status;
	tr = TrainerCreate(L, spec, devices, n_devices);
	while (done < spec->episodes && !stopped)
	{
		double		loss = RunEpisode(tr, devices, n_devices, theta, alpha, infer,
									  hooks, &stopped);

		if (stopped)
			break;
		done++;
		loss_since += loss;
		episodes_since++;

		/*
		 * The hook sees the mean meta-loss since its previous call, and always
		 * runs after the last episode, so the caller's best weights are chosen
		 * among validated ones.
		 */
		if ((done % spec->validate_every == 0 || done == spec->episodes) &&
			hooks && hooks->validate)
		{
			stopped = hooks->validate(hooks->arg, done, loss_since / episodes_since,
									  theta, alpha, infer);
			loss_since = 0.0;
			episodes_since = 0;
		}
	}
	TrainerDestroy(tr);
	if (episodes_done)
		*episodes_done = done;
	return HELP_OK;
}

/*
 * meta_train_aggregate.c
 *	  The help_meta_train aggregate: meta-train a predictor (docs/method.md
 *	  sections 1 and 6) from the measurements of many devices.
 *
 * Rows are (device, arch_idx, encoding, latency_ms).  The final function
 * sorts everything (so the row order does not matter), prepares each
 * meta-train device's trimmed, normalized meta-train pool and each
 * validation device's support and query sets, and runs the core's training
 * loop with two hooks: one that checks for interrupts, one that validates
 * (section 7 on every validation device), reports a NOTICE and keeps the
 * best weights by mean Spearman.
 */
#include "predictor.h"
#include "aggregate_options.h"
#include "arrays.h"
#include "json_write.h"
#include "options.h"

#include <math.h>

#include "encode.h"
#include "blas.h"
#include "evaluate.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "pool.h"
#include "rng.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(help_meta_train_transfn);
PG_FUNCTION_INFO_V1(help_meta_train_finalfn);

/* Rows collected by the transition function. */
typedef struct TrainState
{
	char	   *options;		/* JSON text of the first row's options */
	char	   *options_canonical;	/* the same in canonical form (provenance) */
	HelpMetaTrainOptions opts;
	int			enc_dim;
	HTAB	   *devices;		/* name -> DeviceEntry */
	int			n_devices;
	HTAB	   *archs;			/* arch_idx -> ArchEntry */
	int			n_archs;
	float	   *encodings;		/* n_archs x enc_dim, in first-seen order */
	int			arch_capacity;
	int			n_rows;
	int			row_capacity;
	int		   *row_device;		/* DeviceEntry.id of each row */
	int		   *row_arch;		/* arch_idx of each row */
	double	   *row_ms;
} TrainState;

typedef struct DeviceEntry
{
	char		name[NAMEDATALEN];
	int			id;				/* first-seen order */
} DeviceEntry;

typedef struct ArchEntry
{
	int			arch_idx;
	int			slot;			/* row of encodings */
} ArchEntry;

/* One device's measurements after sorting. */
typedef struct DeviceRows
{
	const char *name;
	int			first;			/* into the sorted rows */
	int			n;
	bool		valid;			/* a validation device */
	float		hw[HELP_HW_DIM];
} DeviceRows;

/* A validation device, prepared once. */
typedef struct ValidDevice
{
	const char *name;
	float		hw[HELP_HW_DIM];
	int			n_sets;			/* support sets (option valid_supports) */
	int			n_support;		/* architectures per set */
	float	   *support_X;		/* n_sets x n_support encodings */
	double	   *support_ms;
	int			n_query;
	float	   *query_X;
	double	   *query_ms;
	double		range_lo;		/* trimmed meta-train pool, section 1 */
	double		range_hi;
} ValidDevice;

/* What the validation hook needs and keeps. */
typedef struct TrainRun
{
	const HelpLayout *layout;
	const HelpMetaTrainOptions *opts;
	ValidDevice *valid;
	int			n_valid;
	MemoryContext scratch;		/* reset after each validation */
	MemoryContext keep;			/* for the best weights and their scores */
	TimestampTz start;
	float	   *best_theta;
	float	   *best_alpha;
	float	   *best_infer;
	double		best_mean;
	int			best_episode;
	double	   *best_rho;		/* per validation device */
	int			validations;
	int64		validation_us;	/* time spent validating */
	Size		memory_first;	/* bytes in use at the first validation */
	Size		memory_last;
} TrainRun;

/* First row: parse the options and set up the collections. */
static TrainState *
TrainStateNew(FunctionCallInfo fcinfo, MemoryContext aggcxt)
{
	MemoryContext old = MemoryContextSwitchTo(aggcxt);
	TrainState *st = palloc0(sizeof(TrainState));
	HASHCTL		ctl;

	st->options = help_agg_options(fcinfo);
	help_parse_meta_train_options(st->options, &st->opts);

	/*
	 * The options go into the result's provenance one level down: checked
	 * now, so that a run is not refused only after training.
	 */
	st->options_canonical = help_json_canonical(st->options, HELP_PROVENANCE_MAX_DEPTH - 1,
												"help_meta_train options");
	st->enc_dim = help_space_encoding_dim((HelpSpace) st->opts.space);

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = NAMEDATALEN;
	ctl.entrysize = sizeof(DeviceEntry);
	ctl.hcxt = aggcxt;
	st->devices = hash_create("help_meta_train devices", 64, &ctl,
							  HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(int);
	ctl.entrysize = sizeof(ArchEntry);
	ctl.hcxt = aggcxt;
	st->archs = hash_create("help_meta_train architectures", 1024, &ctl,
							HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	st->arch_capacity = 1024;
	st->encodings = palloc(sizeof(float) * st->enc_dim * st->arch_capacity);
	st->row_capacity = 4096;
	st->row_device = palloc(sizeof(int) * st->row_capacity);
	st->row_arch = palloc(sizeof(int) * st->row_capacity);
	st->row_ms = palloc(sizeof(double) * st->row_capacity);
	MemoryContextSwitchTo(old);
	return st;
}

/* The id of a device name, adding it when new. */
static int
DeviceId(TrainState *st, const char *name)
{
	DeviceEntry *e;
	bool		found;

	/*
	 * Device names key a hash table of NAMEDATALEN-byte entries: a longer
	 * name would be cut and could collide with another, so it is refused.
	 */
	if (strlen(name) >= NAMEDATALEN)
		ereport(ERROR,
				(errcode(ERRCODE_NAME_TOO_LONG),
				 errmsg("device name \"%s\" is longer than %d bytes", name, NAMEDATALEN - 1)));
	if (name[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("help_meta_train device name must not be empty")));
	e = hash_search(st->devices, name, HASH_ENTER, &found);
	if (!found)
		e->id = st->n_devices++;
	return e->id;
}

/* Record the encoding of arch_idx, or check it against the one recorded. */
static void
RecordEncoding(TrainState *st, int arch_idx, const float *x)
{
	ArchEntry  *e;
	bool		found;

	/*
	 * Each architecture's encoding is stored once, however many devices
	 * measured it; rows only carry its arch_idx.
	 */
	e = hash_search(st->archs, &arch_idx, HASH_ENTER, &found);
	if (found)
	{
		if (memcmp(st->encodings + (Size) e->slot * st->enc_dim, x,
				   sizeof(float) * st->enc_dim) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("help_meta_train got two different encodings for arch_idx %d", arch_idx),
					 errhint("Every row of one architecture must carry the same encoding.")));
		return;
	}
	if (st->n_archs == st->arch_capacity)
	{
		st->arch_capacity *= 2;
		st->encodings = repalloc_huge(st->encodings,
									  sizeof(float) * st->enc_dim * st->arch_capacity);
	}
	e->slot = st->n_archs++;
	memcpy(st->encodings + (Size) e->slot * st->enc_dim, x, sizeof(float) * st->enc_dim);
}

/* help_meta_train(device, arch_idx, arch, latency_ms, options) transition. */
Datum
help_meta_train_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	MemoryContext old;
	TrainState *st;
	float	   *x;
	int			n;
	int			arch_idx;
	double		ms;
	HelpError	err;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "help_meta_train_transfn called in non-aggregate context");
	for (int i = 1; i <= 4; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("help_meta_train %s must not be NULL",
							i == 1 ? "device" : i == 2 ? "arch_idx" : i == 3 ? "architecture" : "latency")));
	if (PG_ARGISNULL(0))
		st = TrainStateNew(fcinfo, aggcxt);
	else
	{
		st = (TrainState *) PG_GETARG_POINTER(0);
		help_agg_check_same_options(fcinfo, st->options, "help_meta_train");
	}

	arch_idx = PG_GETARG_INT32(2);
	if (arch_idx < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("arch_idx must not be negative, got %d", arch_idx)));
	ms = PG_GETARG_FLOAT8(4);
	help_check_latency(ms, psprintf("latency of arch_idx %d", arch_idx));
	x = help_float4_array(PG_GETARG_ARRAYTYPE_P(3), &n, "architecture encoding");
	if (help_check_encoding((HelpSpace) st->opts.space, x, n, &err) != HELP_OK)
		help_report(&err);

	old = MemoryContextSwitchTo(aggcxt);
	if (st->n_rows == st->row_capacity)
	{
		st->row_capacity *= 2;
		st->row_device = repalloc_huge(st->row_device, sizeof(int) * st->row_capacity);
		st->row_arch = repalloc_huge(st->row_arch, sizeof(int) * st->row_capacity);
		st->row_ms = repalloc_huge(st->row_ms, sizeof(double) * st->row_capacity);
	}
	st->row_device[st->n_rows] = DeviceId(st, text_to_cstring(PG_GETARG_TEXT_PP(1)));
	st->row_arch[st->n_rows] = arch_idx;
	st->row_ms[st->n_rows] = ms;
	st->n_rows++;
	RecordEncoding(st, arch_idx, x);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(st);
}

/* What CompareRows sorts by: the rows, and each device id's name. */
typedef struct RowOrder
{
	const TrainState *st;
	const char **names;			/* by device id */
} RowOrder;

/*
 * Rows by device name, then arch_idx.  Rows that compare equal are
 * duplicates, which the caller rejects, so the order of ties never
 * matters.
 */
static int
CompareRows(const void *a, const void *b, void *arg)
{
	const RowOrder *ro = arg;
	const TrainState *st = ro->st;
	int			i = *(const int *) a,
				j = *(const int *) b;
	int			c = strcmp(ro->names[st->row_device[i]], ro->names[st->row_device[j]]);

	if (c != 0)
		return c;
	return (st->row_arch[i] > st->row_arch[j]) - (st->row_arch[i] < st->row_arch[j]);
}

/* The encoding of arch_idx. */
static const float *
EncodingOf(const TrainState *st, int arch_idx)
{
	ArchEntry  *e = hash_search(st->archs, &arch_idx, HASH_FIND, NULL);

	Assert(e != NULL);
	return st->encodings + (Size) e->slot * st->enc_dim;
}

/*
 * One device's measurements with arch_idx in [lo, hi), trimmed (section 1):
 * their count, and arch_idx and ms of the kept ones in *idx and *ms.
 */
static int
TrimmedPool(const TrainState *st, const int *order, const DeviceRows *d, int lo, int hi,
			int **idx, double **ms)
{
	int		   *a = palloc(sizeof(int) * Max(d->n, 1));
	double	   *t = palloc(sizeof(double) * Max(d->n, 1));
	int		   *keep = palloc(sizeof(int) * Max(d->n, 1));
	int			n = 0,
				kept;

	/*
	 * The device's rows are contiguous in the sorted order; keep those whose
	 * arch_idx falls in the pool's range [lo, hi).
	 */
	for (int r = d->first; r < d->first + d->n; r++)
	{
		int			row = order[r];

		if (st->row_arch[row] >= lo && st->row_arch[row] < hi)
		{
			a[n] = st->row_arch[row];
			t[n] = st->row_ms[row];
			n++;
		}
	}

	/*
	 * Trimming (the middle 80 % by latency, docs/method.md section 1) drops
	 * the outliers a few runaway measurements would otherwise put at the ends
	 * of the normalized range.
	 */
	kept = help_trim_pool(a, t, n, keep);
	*idx = palloc(sizeof(int) * Max(kept, 1));
	*ms = palloc(sizeof(double) * Max(kept, 1));
	for (int k = 0; k < kept; k++)
	{
		(*idx)[k] = a[keep[k]];
		(*ms)[k] = t[keep[k]];
	}
	return kept;
}

/* The device's hardware embedding from its reference measurements. */
static void
DeviceEmbedding(const TrainState *st, const int *order, DeviceRows *d)
{
	double		ref_ms[HELP_HW_DIM];
	HelpError	err;

	/*
	 * The embedding needs the latency of each reference architecture, in the
	 * reference order; latencies are positive, so -1 marks one not found.
	 */
	for (int p = 0; p < HELP_HW_DIM; p++)
	{
		ref_ms[p] = -1.0;
		for (int r = d->first; r < d->first + d->n; r++)
			if (st->row_arch[order[r]] == st->opts.reference_archs[p])
				ref_ms[p] = st->row_ms[order[r]];
		if (ref_ms[p] < 0.0)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("device \"%s\" has no measurement of reference architecture %d (arch_idx %d)",
							d->name, p + 1, st->opts.reference_archs[p]),
					 errhint("Every device needs its 10 reference measurements: they are its hardware embedding.")));
	}
	if (help_hw_embedding(ref_ms, d->hw, &err) != HELP_OK)
		ereport(ERROR,
				(errcode(help_sqlstate(err.status)),
				 errmsg("device \"%s\": %s", d->name, err.msg)));
}

/* A meta-train device: its trimmed meta-train pool, normalized (section 1). */
static void
PrepareTrainDevice(const TrainState *st, const int *order, const DeviceRows *d,
				   HelpTrainDevice *out)
{
	int		   *idx;
	double	   *ms;
	int			n = TrimmedPool(st, order, d, 0, st->opts.train_pool, &idx, &ms);
	float	   *X = palloc(sizeof(float) * st->enc_dim * Max(n, 1));
	float	   *y = palloc(sizeof(float) * Max(n, 1));
	double		lo = n > 0 ? ms[0] : 0.0,
				hi = lo;

	for (int k = 0; k < n; k++)
	{
		lo = Min(lo, ms[k]);
		hi = Max(hi, ms[k]);
	}

	/*
	 * A task draws support and query without replacement from this pool, and
	 * the min-max normalization below needs two distinct latencies.
	 */
	if (n < st->opts.spec.support + st->opts.spec.query || !(hi > lo))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("meta-train device \"%s\" has %d architectures in its trimmed meta-train pool (arch_idx below %d), fewer than support + query = %d, or all of equal latency",
						d->name, n, st->opts.train_pool, st->opts.spec.support + st->opts.spec.query)));
	for (int k = 0; k < n; k++)
	{
		memcpy(X + (Size) k * st->enc_dim, EncodingOf(st, idx[k]), sizeof(float) * st->enc_dim);
		y[k] = (float) (0.05 + 0.9 * (ms[k] - lo) / (hi - lo));
	}
	memcpy(out->hw, d->hw, sizeof(out->hw));
	out->n = n;
	out->X = X;
	out->y = y;
}

/*
 * A validation device (section 7): opts.valid_supports support sets of
 * opts.spec.support architectures each, disjoint, drawn at random from its
 * trimmed meta-train pool (fixed by the seed); query = its trimmed query
 * pool.
 */
static void
PrepareValidDevice(const TrainState *st, const int *order, const DeviceRows *d,
				   int ordinal, ValidDevice *v)
{
	int		   *tidx,
			   *qidx,
			   *pick;
	double	   *tms,
			   *qms;
	int			nt = TrimmedPool(st, order, d, 0, st->opts.train_pool, &tidx, &tms);
	int			nq = TrimmedPool(st, order, d, st->opts.train_pool,
								 st->opts.train_pool + st->opts.query_pool, &qidx, &qms);
	int			sets = st->opts.valid_supports;
	int			ns = st->opts.spec.support;
	HelpRng		rng;

	if (nt < ns * sets || nq < 2)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("validation device \"%s\" has %d architectures in its trimmed meta-train pool and %d in its trimmed query pool; it needs %d (support x valid_supports) and 2",
						d->name, nt, nq, ns * sets)));
	v->name = d->name;
	memcpy(v->hw, d->hw, sizeof(v->hw));

	/*
	 * Validation adapts with the trimmed meta-train pool's range as
	 * latency_range, as bench/meta_test does (section 7), so validation
	 * figures compare with the benchmark's.
	 */
	v->range_lo = v->range_hi = tms[0];
	for (int k = 0; k < nt; k++)
	{
		v->range_lo = Min(v->range_lo, tms[k]);
		v->range_hi = Max(v->range_hi, tms[k]);
	}
	pick = palloc(sizeof(int) * nt);
	for (int k = 0; k < nt; k++)
		pick[k] = k;

	/*
	 * A generator per validation device, derived from the run's seed and the
	 * device's position: the support sets are the same in every validation and
	 * every run with this seed, so validation scores are comparable across
	 * episodes.
	 */
	help_rng_seed(&rng, st->opts.spec.seed ^ (UINT64CONST(0x9e3779b97f4a7c15) * (uint64) (ordinal + 1)));
	help_rng_shuffle(&rng, pick, nt);
	v->n_sets = sets;
	v->n_support = ns;
	v->support_X = palloc(sizeof(float) * st->enc_dim * ns * sets);
	v->support_ms = palloc(sizeof(double) * ns * sets);
	for (int k = 0; k < ns * sets; k++)
	{
		memcpy(v->support_X + (Size) k * st->enc_dim, EncodingOf(st, tidx[pick[k]]),
			   sizeof(float) * st->enc_dim);
		v->support_ms[k] = tms[pick[k]];
	}
	v->n_query = nq;
	v->query_X = palloc(sizeof(float) * st->enc_dim * nq);
	v->query_ms = qms;
	for (int k = 0; k < nq; k++)
		memcpy(v->query_X + (Size) k * st->enc_dim, EncodingOf(st, qidx[k]),
			   sizeof(float) * st->enc_dim);
}

/* Interrupt hook: a cancel or statement_timeout ends training here. */
static int
TrainInterrupted(void *arg)
{
	CHECK_FOR_INTERRUPTS();
	return 0;
}

/*
 * Validation hook: section 7 on every validation device, a NOTICE, and the
 * best weights by mean Spearman (the last ones when there is no validation
 * device).
 */
static int
TrainValidate(void *arg, int episode, double meta_loss, const float *theta,
			  const float *alpha, const float *infer)
{
	TrainRun   *run = (TrainRun *) arg;
	const HelpLayout *L = run->layout;
	const int	enc_dim = help_space_encoding_dim(L->space);
	TimestampTz began = GetCurrentTimestamp();
	MemoryContext old = MemoryContextSwitchTo(run->scratch);
	double	   *rho = palloc(sizeof(double) * Max(run->n_valid, 1));
	double		mean = 0.0;
	StringInfoData msg;
	bool		better;
	Size		memory = MemoryContextMemAllocated(run->keep, true);

	initStringInfo(&msg);
	for (int i = 0; i < run->n_valid; i++)
	{
		ValidDevice *v = &run->valid[i];
		HelpAdaptSpec spec = {0};

		/*
		 * Validation scores HELP's own prediction (method help): it is the
		 * meta-trained weights that are being selected.
		 */
		spec.method = HELP_METHOD_HELP;
		spec.steps = run->opts->spec.meta.inner_steps;
		spec.mc_samples = run->opts->mc_samples;
		spec.seed = run->opts->spec.seed;
		spec.z_scale = run->opts->spec.meta.z_scale;
		spec.range_lo = v->range_lo;
		spec.range_hi = v->range_hi;
		rho[i] = 0.0;
		for (int s = 0; s < v->n_sets; s++)
		{
			HelpError	err = {HELP_OK};
			double		r = help_device_spearman(L, theta, alpha, infer, v->hw,
												 v->support_X + (Size) s * v->n_support * enc_dim,
												 v->support_ms + (Size) s * v->n_support,
												 v->n_support, v->query_X, v->query_ms,
												 v->n_query, &spec, &err);

			/* a failed or constant adaptation ranks nothing */
			rho[i] += (isnan(r) ? 0.0 : r) / v->n_sets;
		}
		mean += rho[i] / run->n_valid;
		appendStringInfo(&msg, "%s%s %.3f", i ? ", " : "", v->name, rho[i]);
		CHECK_FOR_INTERRUPTS();
	}

	/*
	 * Without validation devices there is nothing to select on, so the latest
	 * weights are kept; otherwise the first validation always counts, and
	 * later ones must improve the mean strictly.
	 */
	better = run->n_valid == 0 || run->validations == 0 || mean > run->best_mean;
	if (better)
	{
		memcpy(run->best_theta, theta, sizeof(float) * L->n_params);
		memcpy(run->best_alpha, alpha, sizeof(float) * L->n_params);
		memcpy(run->best_infer, infer, sizeof(float) * L->n_infer);
		memcpy(run->best_rho, rho, sizeof(double) * run->n_valid);
		run->best_mean = mean;
		run->best_episode = episode;
	}
	if (run->validations == 0)
		run->memory_first = memory;
	run->memory_last = memory;
	run->validations++;
	if (run->n_valid == 0)
		appendStringInfoString(&msg, "none (no validation devices)");
	run->validation_us += GetCurrentTimestamp() - began;
	ereport(NOTICE,
			(errmsg("help_meta_train: episode %d, meta-loss %.5f, valid Spearman %s (mean %.3f)%s, %.1f s",
					episode, meta_loss, msg.data, mean,
					better && run->n_valid ? ", best so far" : "",
					(double) (GetCurrentTimestamp() - run->start) / USECS_PER_SEC)));

	/*
	 * Everything validation allocated lives in the scratch context, emptied
	 * here, so memory stays flat over a long run (the NOTICE at the end
	 * reports it).
	 */
	MemoryContextSwitchTo(old);
	MemoryContextReset(run->scratch);
	return 0;
}

/*
 * The provenance of a meta-trained predictor: options, devices, best
 * episode and its validation figures, and the OpenBLAS kernel and threads
 * (whose float rounding the weights carry; nothing that varies between
 * runs on one machine, so the same rows and seed give the same value).
 */
static char *
TrainProvenance(const TrainState *st, const DeviceRows *devices, int n_devices,
				const TrainRun *run, int episodes_done)
{
	StringInfoData s;
	HelpJsonWriter w;

	initStringInfo(&s);
	help_jw_init(&w, &s);
	help_jw_begin_object(&w);
	help_jw_key(&w, "source");
	help_jw_string(&w, "help_meta_train");
	help_jw_key(&w, "options");
	help_jw_json(&w, st->options_canonical);
	help_jw_key(&w, "train_devices");
	help_jw_begin_array(&w);
	for (int d = 0; d < n_devices; d++)
		if (!devices[d].valid)
			help_jw_string(&w, devices[d].name);
	help_jw_end_array(&w);
	help_jw_key(&w, "episodes_done");
	help_jw_int(&w, episodes_done);
	help_jw_key(&w, "best_episode");
	help_jw_int(&w, run->best_episode);
	help_jw_key(&w, "valid_spearman");
	help_jw_begin_object(&w);
	for (int i = 0; i < run->n_valid; i++)
	{
		help_jw_key(&w, run->valid[i].name);
		help_jw_number(&w, "%.4f", run->best_rho[i]);
	}
	help_jw_end_object(&w);
	help_jw_key(&w, "valid_spearman_mean");
	help_jw_number(&w, "%.4f", run->n_valid ? run->best_mean : 0.0);
	help_jw_key(&w, "blas");
	help_jw_begin_object(&w);
	help_jw_key(&w, "kernel");
	help_jw_string(&w, help_blas_kernel());
	help_jw_key(&w, "threads");
	help_jw_int(&w, atoi(GetConfigOption("help.blas_threads", false, false)));
	help_jw_end_object(&w);
	help_jw_end_object(&w);
	return help_json_canonical(s.data, HELP_PROVENANCE_MAX_DEPTH,
							   "provenance of the meta-trained predictor");
}

/* help_meta_train final: prepare the devices, train, return the best predictor. */
Datum
help_meta_train_finalfn(PG_FUNCTION_ARGS)
{
	TrainState *st;
	const HelpMetaTrainOptions *opts;
	HelpLayout	L;
	const char **names;
	int		   *order;
	DeviceRows *devices;
	HelpTrainDevice *train;
	int			n_train = 0;
	TrainRun	run;
	HelpMetaTrainHooks hooks;
	HelpMetaTrainSpec spec;
	float	   *theta,
			   *alpha,
			   *infer;
	int			episodes_done;
	HelpError	err;
	HelpPredictor *p;
	HelpPredictorView view;
	char	   *meta;
	HASH_SEQ_STATUS seq;
	DeviceEntry *de;
	RowOrder	row_order;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "help_meta_train_finalfn called in non-aggregate context");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (TrainState *) PG_GETARG_POINTER(0);
	opts = &st->opts;
	help_layout_init(&L, (HelpSpace) opts->space, 100);

	/* devices by name, rows by device then arch_idx */
	/*
	 * Sorting makes the result independent of row order: the core draws tasks
	 * from devices in the order given, so the same rows in any order must
	 * reach it in one order.
	 */
	names = palloc(sizeof(char *) * st->n_devices);
	hash_seq_init(&seq, st->devices);
	while ((de = hash_seq_search(&seq)) != NULL)
		names[de->id] = de->name;
	order = palloc(sizeof(int) * st->n_rows);
	for (int r = 0; r < st->n_rows; r++)
		order[r] = r;
	row_order.st = st;
	row_order.names = names;
	qsort_arg(order, st->n_rows, sizeof(int), CompareRows, &row_order);

	devices = palloc0(sizeof(DeviceRows) * st->n_devices);
	for (int r = 0, d = -1; r < st->n_rows; r++)
	{
		const char *name = names[st->row_device[order[r]]];

		if (d < 0 || strcmp(devices[d].name, name) != 0)
		{
			d++;
			devices[d].name = name;
			devices[d].first = r;
		}
		else if (st->row_arch[order[r]] == st->row_arch[order[r - 1]])
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("device \"%s\" has two measurements of arch_idx %d", name,
							st->row_arch[order[r]])));
		devices[d].n++;
	}
	for (int i = 0; i < opts->n_valid; i++)
	{
		bool		found = false;

		for (int d = 0; d < st->n_devices; d++)
			if (strcmp(devices[d].name, opts->valid_devices[i]) == 0)
				devices[d].valid = found = true;
		if (!found)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("validation device \"%s\" has no rows", opts->valid_devices[i])));
	}

	/* sections 1 and 7: embeddings, pools, validation sets */
	train = palloc0(sizeof(HelpTrainDevice) * st->n_devices);
	memset(&run, 0, sizeof(run));
	run.layout = &L;
	run.opts = opts;
	run.valid = palloc0(sizeof(ValidDevice) * Max(opts->n_valid, 1));
	for (int d = 0; d < st->n_devices; d++)
	{
		DeviceEmbedding(st, order, &devices[d]);
		if (devices[d].valid)
		{
			PrepareValidDevice(st, order, &devices[d], run.n_valid, &run.valid[run.n_valid]);
			run.n_valid++;
		}
		else
			PrepareTrainDevice(st, order, &devices[d], &train[n_train++]);
		CHECK_FOR_INTERRUPTS();
	}

	/*
	 * Section 6 draws 8 devices per episode; with fewer meta-train devices
	 * (NASFLAT's device splits have 4-5) every episode takes them all.
	 */
	spec = opts->spec;
	if (spec.tasks_per_episode == 0)
		spec.tasks_per_episode = Max(1, Min(HELP_DEFAULT_TASKS_PER_EPISODE, n_train));

	/* section 6 */
	theta = palloc(sizeof(float) * L.n_params);
	alpha = palloc(sizeof(float) * L.n_params);
	infer = palloc(sizeof(float) * L.n_infer);
	help_meta_init(&L, opts->spec.seed, opts->inner_lr_init, theta, alpha, infer);

	/*
	 * The best weights live in the final function's context (run.keep), the
	 * validation temporaries in a child context reset after each validation.
	 */
	run.keep = CurrentMemoryContext;
	run.scratch = AllocSetContextCreate(CurrentMemoryContext, "help_meta_train validation",
										ALLOCSET_DEFAULT_SIZES);
	run.best_theta = palloc(sizeof(float) * L.n_params);
	run.best_alpha = palloc(sizeof(float) * L.n_params);
	run.best_infer = palloc(sizeof(float) * L.n_infer);
	run.best_rho = palloc0(sizeof(double) * Max(run.n_valid, 1));
	memcpy(run.best_theta, theta, sizeof(float) * L.n_params);
	memcpy(run.best_alpha, alpha, sizeof(float) * L.n_params);
	memcpy(run.best_infer, infer, sizeof(float) * L.n_infer);
	run.start = GetCurrentTimestamp();
	hooks.validate = TrainValidate;
	hooks.interrupted = TrainInterrupted;
	hooks.arg = &run;
	if (help_meta_train_run(&L, &spec, train, n_train, theta, alpha, infer, &hooks,
							&episodes_done, &err) != HELP_OK)
		help_report(&err);

	ereport(NOTICE,
			(errmsg("help_meta_train: %d episodes in %.1f s (validations %.1f s); best episode %d (mean valid Spearman %.3f); memory in use at the first and last validation: %zu and %zu bytes",
					episodes_done, (double) (GetCurrentTimestamp() - run.start) / USECS_PER_SEC,
					(double) run.validation_us / USECS_PER_SEC, run.best_episode, run.best_mean,
					run.memory_first, run.memory_last)));
	meta = TrainProvenance(st, devices, st->n_devices, &run, episodes_done);
	p = help_predictor_alloc((HelpSpace) opts->space, L.width, false, 0, strlen(meta) + 1);
	p->z_scale = (float) opts->spec.meta.z_scale;
	help_predictor_view(p, &view);
	memcpy(view.theta, run.best_theta, sizeof(float) * L.n_params);
	memcpy(view.alpha, run.best_alpha, sizeof(float) * L.n_params);
	memcpy(view.infer, run.best_infer, sizeof(float) * L.n_infer);
	memcpy(view.meta, meta, strlen(meta) + 1);
	help_predictor_finish(p);
	PG_RETURN_HELP_PREDICTOR_P(p);
}

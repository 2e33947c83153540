/*
 * adapt_aggregate.c
 *	  The help_adapt aggregate: collect one device's support measurements
 *	  and return the predictor adapted to that device.
 *
 * The adapted predictor stores what adaptation needs (hardware embedding,
 * support set, steps, draws, seed), not the adapted weights: those are a
 * deterministic function of it, recomputed once per query by
 * help_predict_latency, which keeps an adapted value near the size of the
 * base predictor.  Support rows are sorted before use, so the result does
 * not depend on row order.
 */
#include "predictor.h"
#include "adapted_cache.h"
#include "aggregate_options.h"
#include "arrays.h"
#include "json_write.h"
#include "options.h"

#include <math.h>

#include "adapt.h"
#include "encode.h"
#include "lib/stringinfo.h"

PG_FUNCTION_INFO_V1(help_adapt_transfn);
PG_FUNCTION_INFO_V1(help_adapt_finalfn);

typedef struct AdaptState
{
	HelpPredictor *base;		/* detoasted copy of the first row's predictor */
	float		hw[HELP_HW_DIM];
	char	   *options;		/* options as JSON text, or NULL */
	int			enc_dim;
	int			n;
	int			capacity;
	float	   *x;				/* n x enc_dim */
	double	   *ms;
} AdaptState;

/* Check and copy a hardware embedding argument. */
static void
ReadHwEmbedding(ArrayType *arr, float *hw)
{
	int			n;
	float	   *v = help_float4_array(arr, &n, "hardware embedding");

	if (n != HELP_HW_DIM)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("hardware embedding has %d values, expected %d (use help_embed_device)",
						n, HELP_HW_DIM)));
	for (int i = 0; i < HELP_HW_DIM; i++)
		if (v[i] < 0.0f || v[i] > 1.0f)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("hardware embedding value %d is %g, outside [0, 1]", i + 1, (double) v[i])));
	memcpy(hw, v, sizeof(float) * HELP_HW_DIM);
}

/* First row: copy the predictor and options into the aggregate context. */
static AdaptState *
AdaptStateNew(FunctionCallInfo fcinfo, MemoryContext aggcxt)
{
	MemoryContext old = MemoryContextSwitchTo(aggcxt);
	AdaptState *st = palloc0(sizeof(AdaptState));
	HelpPredictor *p = (HelpPredictor *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(1));

	st->base = p;
	st->enc_dim = help_space_encoding_dim((HelpSpace) p->space);
	st->options = help_agg_options(fcinfo);
	st->capacity = 16;
	st->x = palloc(sizeof(float) * st->enc_dim * st->capacity);
	st->ms = palloc(sizeof(double) * st->capacity);
	ReadHwEmbedding(PG_GETARG_ARRAYTYPE_P(2), st->hw);
	MemoryContextSwitchTo(old);
	return st;
}

/* Later rows must name the same predictor, embedding and options. */
static void
CheckSameGroup(FunctionCallInfo fcinfo, AdaptState *st)
{
	HelpPredictor *hdr = (HelpPredictor *)
		PG_DETOAST_DATUM_SLICE(PG_GETARG_DATUM(1), 0, HELP_PREDICTOR_HDRSZ);
	float		hw[HELP_HW_DIM];

	if (hdr->fingerprint != st->base->fingerprint)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("help_adapt got different predictors within one group"),
				 errhint("Adapt one predictor per device: GROUP BY the device.")));
	ReadHwEmbedding(PG_GETARG_ARRAYTYPE_P(2), hw);
	if (memcmp(hw, st->hw, sizeof(hw)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("help_adapt got different hardware embeddings within one group"),
				 errhint("Adapt to one device at a time: GROUP BY the device.")));
	help_agg_check_same_options(fcinfo, st->options, "help_adapt");
}

/* help_adapt(predictor, hw_embedding, arch, latency_ms [, options]) transition. */
Datum
help_adapt_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	AdaptState *st;
	float	   *x;
	int			n;
	double		ms;
	HelpError	err;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "help_adapt_transfn called in non-aggregate context");
	for (int i = 1; i <= 3; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("help_adapt %s must not be NULL",
							i == 1 ? "predictor" : i == 2 ? "hardware embedding" : "architecture")));
	if (PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("help_adapt latency must not be NULL")));

	/*
	 * The first row fixes the group's predictor, hardware embedding and
	 * options; later rows are compared with them (by the predictor's
	 * fingerprint, read from the header slice only, so a large predictor is
	 * not detoasted on every row).
	 */
	if (PG_ARGISNULL(0))
		st = AdaptStateNew(fcinfo, aggcxt);
	else
	{
		st = (AdaptState *) PG_GETARG_POINTER(0);
		CheckSameGroup(fcinfo, st);
	}

	x = help_float4_array(PG_GETARG_ARRAYTYPE_P(3), &n, "architecture encoding");
	if (help_check_encoding((HelpSpace) st->base->space, x, n, &err) != HELP_OK)
		help_report(&err);
	ms = PG_GETARG_FLOAT8(4);
	help_check_latency(ms, "latency");
	if (st->n == HELP_MAX_SUPPORT)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("help_adapt takes at most %d support rows", HELP_MAX_SUPPORT)));

	/*
	 * Grown by doubling in the aggregate context, so the support set costs
	 * amortized constant time per row.
	 */
	if (st->n == st->capacity)
	{
		st->capacity *= 2;
		st->x = repalloc(st->x, sizeof(float) * st->enc_dim * st->capacity);
		st->ms = repalloc(st->ms, sizeof(double) * st->capacity);
	}
	memcpy(st->x + (Size) st->n * st->enc_dim, x, sizeof(float) * st->enc_dim);
	st->ms[st->n] = ms;
	st->n++;
	PG_RETURN_POINTER(st);
}

/*
 * Order of support rows (indices into the state passed as arg): by latency,
 * then by encoding.  Only identical rows compare equal, so the order is the
 * same whatever the sort algorithm.
 */
static int
CompareSupport(const void *a, const void *b, void *arg)
{
	int			i = *(const int *) a,
				j = *(const int *) b;
	const AdaptState *st = arg;

	if (st->ms[i] != st->ms[j])
		return st->ms[i] < st->ms[j] ? -1 : 1;
	return memcmp(st->x + (Size) i * st->enc_dim, st->x + (Size) j * st->enc_dim,
				  sizeof(float) * st->enc_dim);
}

/* Provenance of an adapted predictor: its settings, and the base's provenance. */
static char *
AdaptedProvenance(HelpPredictor *base, const HelpAdaptSpec *spec, int n)
{
	HelpPredictorView v;
	StringInfoData s;
	HelpJsonWriter w;

	help_predictor_view(base, &v);
	initStringInfo(&s);
	help_jw_init(&w, &s);
	help_jw_begin_object(&w);
	help_jw_key(&w, "source");
	help_jw_string(&w, "help_adapt");
	help_jw_key(&w, "method");
	help_jw_string(&w, help_adapt_method_name(spec->method));
	help_jw_key(&w, "support_rows");
	help_jw_int(&w, n);
	help_jw_key(&w, "steps");
	help_jw_int(&w, spec->steps);
	help_jw_key(&w, "mc_samples");
	help_jw_int(&w, spec->mc_samples);
	help_jw_key(&w, "seed");
	help_jw_int(&w, (int64) spec->seed);
	if (spec->range_hi > spec->range_lo)
	{
		help_jw_key(&w, "latency_range");
		help_jw_begin_array(&w);
		help_jw_number(&w, "%.17g", spec->range_lo);
		help_jw_number(&w, "%.17g", spec->range_hi);
		help_jw_end_array(&w);
	}
	help_jw_key(&w, "base");
	help_jw_json(&w, v.meta);
	help_jw_end_object(&w);

	/*
	 * Checked once more as a whole: the base's provenance sits one level
	 * deeper here, and a chain of adaptations must stay within the limit.
	 */
	return help_json_canonical(s.data, HELP_PROVENANCE_MAX_DEPTH,
							   "provenance of the adapted predictor");
}

/* help_adapt final: sort the support set, adapt once to check it, store it. */
Datum
help_adapt_finalfn(PG_FUNCTION_ARGS)
{
	AdaptState *st;
	HelpAdaptSpec spec;
	HelpPredictor *p;
	HelpPredictorView v;
	HelpAdapted *ad;
	HelpError	err;
	int		   *order;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "help_adapt_finalfn called in non-aggregate context");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (AdaptState *) PG_GETARG_POINTER(0);
	if (st->n < 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("help_adapt needs at least 2 support measurements, got %d", st->n)));
	help_parse_adapt_options(st->options, &spec);
	spec.z_scale = st->base->z_scale;

	p = help_predictor_copy_with(st->base, true, st->n,
								 AdaptedProvenance(st->base, &spec, st->n));
	help_predictor_view(p, &v);
	p->steps = (uint16) spec.steps;
	p->mc_samples = (uint16) spec.mc_samples;
	p->seed = spec.seed;
	p->range_lo = spec.range_lo;
	p->range_hi = spec.range_hi;
	if (spec.method == HELP_METHOD_TRANSFER)
		p->flags |= HELP_FLAG_TRANSFER;
	memcpy(v.hw, st->hw, sizeof(float) * HELP_HW_DIM);

	/*
	 * The support set is stored sorted, so the adapted predictor, its
	 * fingerprint and its predictions do not depend on the order the rows
	 * arrived in.
	 */
	order = palloc(sizeof(int) * st->n);
	for (int i = 0; i < st->n; i++)
		order[i] = i;
	qsort_arg(order, st->n, sizeof(int), CompareSupport, st);
	for (int i = 0; i < st->n; i++)
	{
		memcpy(v.support_x + (Size) i * st->enc_dim, st->x + (Size) order[i] * st->enc_dim,
			   sizeof(float) * st->enc_dim);
		help_predictor_set_support_ms(&v, i, st->ms[order[i]]);
	}
	help_predictor_finish(p);

	/* adapt once now so that an unusable support set fails here, not later */
	ad = help_adapted_state_for(&v, p, 0, &err);
	if (ad == NULL)
		help_report(&err);
	help_adapted_destroy(ad);
	PG_RETURN_HELP_PREDICTOR_P(p);
}

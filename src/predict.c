/*
 * predict.c
 *	  help_predict_latency and help_predict_latency_stddev.
 *
 * The adapted state of a predictor (10 adapted parameter vectors) costs
 * about as much as scoring a few hundred architectures, so it is built
 * once per query and kept in fn_extra, keyed by the predictor's
 * fingerprint (and, for values stored out of line, by their TOAST pointer,
 * so a cache hit costs no detoasting at all).
 */
#include "help.h"

#include "access/detoast.h"
#include "adapt.h"
#include "encode.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(help_predict_latency);
PG_FUNCTION_INFO_V1(help_predict_latency_stddev);
PG_FUNCTION_INFO_V1(help_predict_latency_text);
PG_FUNCTION_INFO_V1(help_predict_latency_stddev_text);

/* Does the cache hold the predictor in datum? */
static bool
cache_matches(HelpPredictCache *c, Datum datum)
{
	struct varlena *raw = (struct varlena *) DatumGetPointer(datum);
	HelpPredictor *hdr;

	if (!c->valid)
		return false;
	if (VARATT_IS_EXTERNAL_ONDISK(raw) && c->has_toast_pointer &&
		memcmp(raw, c->toast_pointer, TOAST_POINTER_SIZE) == 0)
		return true;
	hdr = (HelpPredictor *) PG_DETOAST_DATUM_SLICE(datum, 0, HELP_PREDICTOR_HDRSZ);
	return hdr->fingerprint == c->fingerprint;
}

/*
 * The adapted state of a predictor datum, kept in flinfo->fn_extra and
 * built at most once per distinct value.
 */
HelpPredictCache *
help_predict_cache(FmgrInfo *flinfo, Datum datum, int max_batch)
{
	HelpPredictCache *c = (HelpPredictCache *) flinfo->fn_extra;
	struct varlena *raw = (struct varlena *) DatumGetPointer(datum);
	MemoryContext old;
	HelpError	err;

	if (c == NULL)
	{
		c = MemoryContextAllocZero(flinfo->fn_mcxt, sizeof(HelpPredictCache));
		c->cxt = AllocSetContextCreate(flinfo->fn_mcxt, "help predictor cache",
									   ALLOCSET_DEFAULT_SIZES);
		flinfo->fn_extra = c;
	}
	if (cache_matches(c, datum))
	{
		if (VARATT_IS_EXTERNAL_ONDISK(raw) && !c->has_toast_pointer)
		{
			memcpy(c->toast_pointer, raw, TOAST_POINTER_SIZE);
			c->has_toast_pointer = true;
		}
		return c;
	}

	c->valid = false;
	MemoryContextReset(c->cxt);
	old = MemoryContextSwitchTo(c->cxt);
	c->predictor = (HelpPredictor *) PG_DETOAST_DATUM_COPY(datum);
	if (!(c->predictor->flags & HELP_FLAG_ADAPTED))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("help_predictor is not adapted to a device"),
				 errhint("Adapt it first: SELECT help_adapt(predictor, hw_embedding, arch, latency_ms) over the device's measurements.")));
	help_predictor_view(c->predictor, &c->view);
	c->adapted = help_adapt_view(&c->view, c->predictor, max_batch, &err);
	if (c->adapted == NULL)
		help_report(&err);
	c->draws = palloc(sizeof(float) * c->adapted->n_draws);
	c->fingerprint = c->predictor->fingerprint;
	c->has_toast_pointer = VARATT_IS_EXTERNAL_ONDISK(raw);
	if (c->has_toast_pointer)
		memcpy(c->toast_pointer, raw, TOAST_POINTER_SIZE);
	c->valid = true;
	MemoryContextSwitchTo(old);
	return c;
}

/* Predict one architecture; returns mean or standard deviation in ms. */
static double
predict_one(HelpPredictCache *c, const float *x, int n, bool want_stddev)
{
	HelpError	err;
	double		mean,
				sd;

	if (help_check_encoding(c->view.layout.space, x, n, &err) != HELP_OK)
		help_report(&err);
	help_adapted_predict_ms(c->adapted, x, 1, c->draws, &mean, &sd);
	return want_stddev ? sd : mean;
}

/* Shared body of the four SQL functions. */
static Datum
predict_common(FunctionCallInfo fcinfo, bool from_text, bool want_stddev)
{
	HelpPredictCache *c = help_predict_cache(fcinfo->flinfo, PG_GETARG_DATUM(0), 1);
	float	   *x;
	int			n;

	if (from_text)
		x = help_encode_text(c->view.layout.space, text_to_cstring(PG_GETARG_TEXT_PP(1)), &n);
	else
		x = help_float4_array(PG_GETARG_ARRAYTYPE_P(1), &n, "architecture encoding");
	PG_RETURN_FLOAT8(predict_one(c, x, n, want_stddev));
}

/* help_predict_latency(predictor, arch real[]) RETURNS float8 */
Datum
help_predict_latency(PG_FUNCTION_ARGS)
{
	return predict_common(fcinfo, false, false);
}

/* help_predict_latency_stddev(predictor, arch real[]) RETURNS float8 */
Datum
help_predict_latency_stddev(PG_FUNCTION_ARGS)
{
	return predict_common(fcinfo, false, true);
}

/* help_predict_latency(predictor, arch text) RETURNS float8 */
Datum
help_predict_latency_text(PG_FUNCTION_ARGS)
{
	return predict_common(fcinfo, true, false);
}

/* help_predict_latency_stddev(predictor, arch text) RETURNS float8 */
Datum
help_predict_latency_stddev_text(PG_FUNCTION_ARGS)
{
	return predict_common(fcinfo, true, true);
}

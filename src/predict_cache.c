/*
 * predict_cache.c
 *	  The adapted state of the predictor a prediction function is called
 *	  with, kept in fn_extra.
 *
 * The adapted state of a predictor (10 adapted parameter vectors) costs
 * about as much as scoring a few hundred architectures, so it is built
 * once per query and kept in fn_extra, keyed by the predictor's
 * fingerprint (and, for values stored out of line, by their TOAST pointer,
 * so a cache hit costs no detoasting at all).
 */
#include "predict_cache.h"

#include "adapted_cache.h"
#include "utils/memutils.h"

/* Does the cache hold the predictor in datum? */
static bool
CacheMatches(HelpPredictCache *c, Datum datum)
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
	if (CacheMatches(c, datum))
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
	c->adapted = help_adapted_state_for(&c->view, c->predictor, max_batch, &err);
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

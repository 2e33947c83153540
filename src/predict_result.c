/*
 * predict_result.c
 *	  Intervals and probabilities from a prediction's distribution, and the
 *	  checks of their level and budget arguments, shared by the per-row
 *	  functions (predict_row.c) and the window functions (predict_window.c).
 */
#include "predict_result.h"

#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include <math.h>

/* See predict_result.h. */
double
help_level_argument(bool isnull, Datum value)
{
	double		level;

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the interval's level must not be NULL"),
				 errhint("Pass a probability such as 0.9 for a 90%% interval.")));
	level = DatumGetFloat8(value);
	if (!(level > 0.0 && level < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the interval's level must be between 0 and 1 (exclusive), not %g", level),
				 errhint("0.9 asks for the interval that holds the measured latency for about 90%% of architectures.")));
	return level;
}

/* See predict_result.h. */
double
help_budget_argument(bool isnull, Datum value)
{
	double		budget;

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the latency budget must not be NULL")));
	budget = DatumGetFloat8(value);
	if (isnan(budget))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the latency budget must be a number of milliseconds, not NaN")));
	return budget;
}

/* See predict_result.h. */
Datum
help_interval_datum(FunctionCallInfo fcinfo, const HelpTransfer *transfer,
					const HelpRowPrediction *r, double level)
{
	HelpPredictCache *c = HELP_PREDICT_CACHE_OF(fcinfo);
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};

	/*
	 * The result type and the standard quantiles are the same from row to
	 * row (a t quantile costs a root search), so they are computed once per
	 * query and level, in the function's own memory.
	 */
	if (c->result_desc == NULL)
	{
		TupleDesc	desc;
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "a help interval function must return a composite type");
		c->result_desc = BlessTupleDesc(CreateTupleDescCopy(desc));
		MemoryContextSwitchTo(old);
	}
	if (c->quantile_dof != transfer->model.dof || c->quantile_level != level)
	{
		/* the central interval: equal tail probabilities on both sides */
		c->quantile_lo = help_transfer_standard_quantile(transfer, (1.0 - level) / 2.0);
		c->quantile_hi = help_transfer_standard_quantile(transfer, (1.0 + level) / 2.0);
		c->quantile_dof = transfer->model.dof;
		c->quantile_level = level;
	}
	values[0] = Float8GetDatum(r->mean_ms);
	values[1] = Float8GetDatum(help_transfer_quantile_at(transfer, r->mean_ms, r->scale_ms,
														 c->quantile_lo));
	values[2] = Float8GetDatum(help_transfer_quantile_at(transfer, r->mean_ms, r->scale_ms,
														 c->quantile_hi));
	values[3] = Float8GetDatum(r->spread_ms);
	return HeapTupleGetDatum(heap_form_tuple(c->result_desc, values, nulls));
}

/* See predict_result.h. */
double
help_probability_within(const HelpTransfer *transfer, const HelpRowPrediction *r,
						double max_ms)
{
	return help_transfer_probability_within(transfer, r->mean_ms, r->scale_ms, max_ms);
}

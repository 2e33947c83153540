/*
 * predict_result.c
 *	  Intervals and probabilities from a prediction's distribution, and the
 *	  checks of their level and budget arguments, shared by the per-row
 *	  functions (predict_row.c) and the window functions (predict_window.c).
 */
#include "predict_result.h"

#include "funcapi.h"
#include "utils/builtins.h"

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
	TupleDesc	desc;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "a help interval function must return a composite type");
	desc = BlessTupleDesc(desc);

	/* the central interval: equal tail probabilities on both sides */
	values[0] = Float8GetDatum(r->mean_ms);
	values[1] = Float8GetDatum(help_transfer_quantile(transfer, r->mean_ms, r->scale_ms,
													  (1.0 - level) / 2.0));
	values[2] = Float8GetDatum(help_transfer_quantile(transfer, r->mean_ms, r->scale_ms,
													  (1.0 + level) / 2.0));
	values[3] = Float8GetDatum(r->spread_ms);
	return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
}

/* See predict_result.h. */
double
help_probability_within(const HelpTransfer *transfer, const HelpRowPrediction *r,
						double max_ms)
{
	return help_transfer_probability_within(transfer, r->mean_ms, r->scale_ms, max_ms);
}

/*
 * predict_row.c
 *	  The per-row prediction functions: one row, one architecture, one
 *	  prediction (the window functions of predict_window.c score many rows at
 *	  a time).
 *
 *	  help_predict_latency(predictor, arch)             point prediction (ms)
 *	  help_predict_latency_stddev(predictor, arch)      spread of HELP's draws
 *	  help_predict_interval(predictor, arch, level)     (latency, lower, upper, stddev)
 *	  help_predict_probability(predictor, arch, max_ms) P(latency <= max_ms)
 *
 * arch is an encoding (real[]) or the native notation (text).  The adapted
 * state comes from predict_cache.c, built once per query.
 */
#include "predict_result.h"
#include "arrays.h"
#include "encode_sql.h"

#include "catalog/pg_type.h"
#include "encode.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(help_predict_latency);
PG_FUNCTION_INFO_V1(help_predict_latency_stddev);
PG_FUNCTION_INFO_V1(help_predict_latency_text);
PG_FUNCTION_INFO_V1(help_predict_latency_stddev_text);
PG_FUNCTION_INFO_V1(help_predict_interval);
PG_FUNCTION_INFO_V1(help_predict_probability);

/*
 * Predict the architecture in argument 1 (an encoding, or native notation
 * when from_text) with the predictor in argument 0.
 */
static HelpPredictCache *
PredictRow(FunctionCallInfo fcinfo, bool from_text, HelpRowPrediction *r)
{
	HelpPredictCache *c = help_predict_cache(fcinfo->flinfo, PG_GETARG_DATUM(0), 1);
	HelpError	err;
	float	   *x;
	int			n;

	if (from_text)
		x = help_encode_text(c->view.layout.space, text_to_cstring(PG_GETARG_TEXT_PP(1)), &n);
	else
	{
		x = help_float4_array(PG_GETARG_ARRAYTYPE_P(1), &n, "architecture encoding");
		if (help_check_encoding(c->view.layout.space, x, n, &err) != HELP_OK)
			help_report(&err);
	}
	help_adapted_predict(c->adapted, x, 1, c->draws, &r->mean_ms, &r->spread_ms, &r->scale_ms);
	return c;
}

/*
 * The functions declared for both an encoding and native notation share
 * one C function each: argument 1's declared type says which it got.
 */
static bool
ArchIsText(FunctionCallInfo fcinfo)
{
	return get_fn_expr_argtype(fcinfo->flinfo, 1) == TEXTOID;
}

/* help_predict_latency(predictor, arch real[]) RETURNS float8 */
Datum
help_predict_latency(PG_FUNCTION_ARGS)
{
	HelpRowPrediction r;

	PredictRow(fcinfo, false, &r);
	PG_RETURN_FLOAT8(r.mean_ms);
}

/* help_predict_latency_stddev(predictor, arch real[]) RETURNS float8 */
Datum
help_predict_latency_stddev(PG_FUNCTION_ARGS)
{
	HelpRowPrediction r;

	PredictRow(fcinfo, false, &r);
	PG_RETURN_FLOAT8(r.spread_ms);
}

/* help_predict_latency(predictor, arch text) RETURNS float8 */
Datum
help_predict_latency_text(PG_FUNCTION_ARGS)
{
	HelpRowPrediction r;

	PredictRow(fcinfo, true, &r);
	PG_RETURN_FLOAT8(r.mean_ms);
}

/* help_predict_latency_stddev(predictor, arch text) RETURNS float8 */
Datum
help_predict_latency_stddev_text(PG_FUNCTION_ARGS)
{
	HelpRowPrediction r;

	PredictRow(fcinfo, true, &r);
	PG_RETURN_FLOAT8(r.spread_ms);
}

/*
 * help_predict_interval(predictor, arch real[] | text, level float8)
 * RETURNS help_interval.  Not strict, so that a NULL level is an error
 * rather than a NULL; a NULL predictor or architecture gives NULL.
 */
Datum
help_predict_interval(PG_FUNCTION_ARGS)
{
	HelpRowPrediction r;
	HelpPredictCache *c;
	double		level = help_level_argument(PG_ARGISNULL(2), PG_GETARG_DATUM(2));

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	c = PredictRow(fcinfo, ArchIsText(fcinfo), &r);
	PG_RETURN_DATUM(help_interval_datum(fcinfo, &c->adapted->transfer, &r, level));
}

/*
 * help_predict_probability(predictor, arch real[] | text, max_latency_ms
 * float8) RETURNS float8: the probability that the architecture's latency
 * on the device is at most max_latency_ms.  Not strict, as above.
 */
Datum
help_predict_probability(PG_FUNCTION_ARGS)
{
	HelpRowPrediction r;
	HelpPredictCache *c;
	double		budget = help_budget_argument(PG_ARGISNULL(2), PG_GETARG_DATUM(2));

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	c = PredictRow(fcinfo, ArchIsText(fcinfo), &r);
	PG_RETURN_FLOAT8(help_probability_within(&c->adapted->transfer, &r, budget));
}

/*
 * predict_row.c
 *	  help_predict_latency and help_predict_latency_stddev: one row, one
 *	  architecture, one prediction (the window functions of predict_window.c
 *	  score many rows at a time).
 *
 * The adapted state comes from predict_cache.c, built once per query.
 */
#include "predict_cache.h"
#include "arrays.h"
#include "encode_sql.h"

#include "encode.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(help_predict_latency);
PG_FUNCTION_INFO_V1(help_predict_latency_stddev);
PG_FUNCTION_INFO_V1(help_predict_latency_text);
PG_FUNCTION_INFO_V1(help_predict_latency_stddev_text);

/* Predict one architecture; returns mean or standard deviation in ms. */
static double
PredictOne(HelpPredictCache *c, const float *x, int n, bool want_stddev)
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
PredictCommon(FunctionCallInfo fcinfo, bool from_text, bool want_stddev)
{
	HelpPredictCache *c = help_predict_cache(fcinfo->flinfo, PG_GETARG_DATUM(0), 1);
	float	   *x;
	int			n;

	if (from_text)
		x = help_encode_text(c->view.layout.space, text_to_cstring(PG_GETARG_TEXT_PP(1)), &n);
	else
		x = help_float4_array(PG_GETARG_ARRAYTYPE_P(1), &n, "architecture encoding");
	PG_RETURN_FLOAT8(PredictOne(c, x, n, want_stddev));
}

/* help_predict_latency(predictor, arch real[]) RETURNS float8 */
Datum
help_predict_latency(PG_FUNCTION_ARGS)
{
	return PredictCommon(fcinfo, false, false);
}

/* help_predict_latency_stddev(predictor, arch real[]) RETURNS float8 */
Datum
help_predict_latency_stddev(PG_FUNCTION_ARGS)
{
	return PredictCommon(fcinfo, false, true);
}

/* help_predict_latency(predictor, arch text) RETURNS float8 */
Datum
help_predict_latency_text(PG_FUNCTION_ARGS)
{
	return PredictCommon(fcinfo, true, false);
}

/* help_predict_latency_stddev(predictor, arch text) RETURNS float8 */
Datum
help_predict_latency_stddev_text(PG_FUNCTION_ARGS)
{
	return PredictCommon(fcinfo, true, true);
}

/*
 * predict_result.h
 *	  What the prediction functions return besides a latency: the checked
 *	  level of an interval or budget of a probability, and the help_interval
 *	  composite (predict_result.c).
 */
#ifndef HELP_PREDICT_RESULT_H
#define HELP_PREDICT_RESULT_H

#include "predict_cache.h"

/* One architecture's prediction: point, draws' spread, predictive scale. */
typedef struct HelpRowPrediction
{
	double		mean_ms;
	double		spread_ms;
	double		scale_ms;
} HelpRowPrediction;

/*
 * A level argument of an interval function, checked: 0 < level < 1 (NULL
 * and NaN are errors).
 */
extern double help_level_argument(bool isnull, Datum value);

/* A latency budget argument (ms), checked: not NULL, not NaN. */
extern double help_budget_argument(bool isnull, Datum value);

/*
 * The help_interval composite (latency_ms, lower_ms, upper_ms, stddev_ms)
 * of a prediction at a level, under transfer's predictive distribution.
 */
extern Datum help_interval_datum(FunctionCallInfo fcinfo, const HelpTransfer *transfer,
								 const HelpRowPrediction *r, double level);

/*
 * The function's predict cache (help_predict_cache), which must exist: the
 * place help_interval_datum keeps what it reuses from row to row.
 */
#define HELP_PREDICT_CACHE_OF(fcinfo) ((HelpPredictCache *) (fcinfo)->flinfo->fn_extra)

/* The probability that a prediction's latency is at most max_ms. */
extern double help_probability_within(const HelpTransfer *transfer,
									  const HelpRowPrediction *r, double max_ms);

#endif							/* HELP_PREDICT_RESULT_H */

/*
 * options.c
 *	  The options jsonb of help_adapt:
 *	  {"steps": 2, "mc_samples": 10, "seed": 0, "latency_range": [lo, hi]}.
 */
#include "help.h"
#include "help_json.h"

#include "adapt.h"

#include <math.h>

/* An integer option within [lo, hi]. */
static int64
int_option(json_object *root, const char *key, int64 lo, int64 hi, int64 dflt)
{
	json_object *v;
	int64		x;

	if (!json_object_object_get_ex(root, key, &v))
		return dflt;
	if (!json_object_is_type(v, json_type_int))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("option \"%s\" must be an integer", key)));
	x = json_object_get_int64(v);
	if (x < lo || x > hi)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("option \"%s\" is %lld, outside %lld..%lld", key,
						(long long) x, (long long) lo, (long long) hi)));
	return x;
}

/* The optional "latency_range": [lo, hi] in ms, 0 < lo < hi. */
static void
range_option(json_object *root, double *lo, double *hi)
{
	json_object *v;
	double		r[2];

	*lo = *hi = 0.0;
	if (!json_object_object_get_ex(root, "latency_range", &v) ||
		json_object_is_type(v, json_type_null))
		return;
	help_json_numbers(v, 2, NULL, r, "option \"latency_range\" ([min, max] in ms)");
	*lo = r[0];
	*hi = r[1];
	if (!(isfinite(*lo) && isfinite(*hi) && *lo > 0.0 && *hi > *lo))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("option \"latency_range\" is [%g, %g]: it needs 0 < min < max, finite", *lo, *hi)));
}

/* Fill spec from options JSON text (NULL: all defaults). */
void
help_parse_adapt_options(const char *text, HelpAdaptSpec *spec)
{
	static const char *const keys[] = {"steps", "mc_samples", "seed", "latency_range", NULL};
	json_object *volatile root = NULL;

	spec->steps = 2;
	spec->mc_samples = 10;
	spec->seed = 0;
	spec->range_lo = spec->range_hi = 0.0;
	if (text == NULL)
		return;
	PG_TRY();
	{
		root = help_json_parse(text, "help_adapt options");
		help_json_only_keys(root, keys, "help_adapt options");
		spec->steps = (int) int_option(root, "steps", 0, HELP_MAX_STEPS, 2);
		spec->mc_samples = (int) int_option(root, "mc_samples", 1, HELP_MAX_MC_SAMPLES, 10);
		spec->seed = (uint64) int_option(root, "seed", 0, PG_INT64_MAX, 0);
		range_option(root, &spec->range_lo, &spec->range_hi);
	}
	PG_FINALLY();
	{
		if (root)
			json_object_put(root);
	}
	PG_END_TRY();
}

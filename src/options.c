/*
 * options.c
 *	  The options jsonb of help_adapt:
 *	  {"steps": 2, "mc_samples": 10, "seed": 0, "latency_range": [lo, hi],
 *	   "method": "transfer" | "help"},
 *	  and of help_meta_train (see help_parse_meta_train_options).
 */
#include "options.h"
#include "predictor.h"
#include "encode_sql.h"
#include "json_util.h"

#include "adapt.h"

#include <math.h>

/* An integer option within [lo, hi]. */
static int64
IntOption(json_object *root, const char *key, int64 lo, int64 hi, int64 dflt)
{
	json_object *v;
	int64		x;

	/*
	 * Absent keys take the default; present ones must have the right JSON type
	 * and range, never coerced, so a typo like "steps": "2" is an error rather
	 * than a silent default.
	 */
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
RangeOption(json_object *root, double *lo, double *hi)
{
	json_object *v;
	double		r[2];

	/*
	 * 0, 0 means no range: help_adapt then calibrates the targets against the
	 * meta-trained predictor (help_support_targets). JSON null asks for that
	 * explicitly.
	 */
	*lo = *hi = 0.0;
	if (!json_object_object_get_ex(root, "latency_range", &v) ||
		json_object_is_type(v, json_type_null))
		return;
	help_json_numbers(v, 2, NULL, r, "option \"latency_range\" ([min, max] in ms)");
	*lo = r[0];
	*hi = r[1];
	if (!help_latency_range_valid(*lo, *hi))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("option \"latency_range\" is [%g, %g]: it needs 0 < min < max, finite", *lo, *hi)));
}

/* Read help_adapt's parsed options into *(HelpAdaptSpec *) arg. */
static void
ReadAdaptOptions(json_object *root, void *arg)
{
	static const char *const keys[] = {"steps", "mc_samples", "seed", "latency_range", "method", NULL};
	HelpAdaptSpec *spec = arg;
	json_object *method;

	help_json_only_keys(root, keys, "help_adapt options");
	spec->steps = (int) IntOption(root, "steps", 0, HELP_MAX_STEPS, 2);
	spec->mc_samples = (int) IntOption(root, "mc_samples", 1, HELP_MAX_MC_SAMPLES, 10);
	spec->seed = (uint64) IntOption(root, "seed", 0, PG_INT64_MAX, 0);
	RangeOption(root, &spec->range_lo, &spec->range_hi);
	if (json_object_object_get_ex(root, "method", &method))
	{
		int			m = json_object_is_type(method, json_type_string) ?
			help_adapt_method_from_name(json_object_get_string(method)) : -1;

		if (m < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"method\" must be \"transfer\" or \"help\"")));
		spec->method = (HelpAdaptMethod) m;
	}
}

/* Fill spec from options JSON text (NULL: all defaults). */
void
help_parse_adapt_options(const char *text, HelpAdaptSpec *spec)
{
	memset(spec, 0, sizeof(*spec));
	spec->steps = 2;
	spec->mc_samples = 10;
	spec->seed = 0;
	spec->range_lo = spec->range_hi = 0.0;
	spec->method = HELP_METHOD_TRANSFER;
	if (text == NULL)
		return;
	help_json_run_parsed(text, "help_adapt options", ReadAdaptOptions, spec);
}

/* A number option within [lo, hi] (ints are numbers too). */
static double
NumberOption(json_object *root, const char *key, double lo, double hi, double dflt)
{
	json_object *v;
	double		x;

	if (!json_object_object_get_ex(root, key, &v))
		return dflt;
	if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("option \"%s\" must be a number", key)));
	x = json_object_get_double(v);
	if (!(x >= lo && x <= hi))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("option \"%s\" is %g, outside %g..%g", key, x, lo, hi)));
	return x;
}

/* A boolean option. */
static bool
BoolOption(json_object *root, const char *key, bool dflt)
{
	json_object *v;

	if (!json_object_object_get_ex(root, key, &v))
		return dflt;
	if (!json_object_is_type(v, json_type_boolean))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("option \"%s\" must be true or false", key)));
	return json_object_get_boolean(v);
}

#define META_TRAIN_WHAT "help_meta_train options"

/* Read help_meta_train's parsed options into *(HelpMetaTrainOptions *) arg. */
static void
ReadMetaTrainOptions(json_object *root, void *arg)
{
	static const char *const keys[] = {
		"space", "reference_archs", "train_pool", "query_pool", "valid_devices",
		"episodes", "tasks_per_episode", "support", "query", "inner_steps", "meta_lr",
		"inner_lr_init", "kl_weight", "z_scale", "mc_samples", "validate_every", "seed",
		"second_order", "threads", "valid_supports", NULL
	};
	const char *what = META_TRAIN_WHAT;
	HelpMetaTrainOptions *opts = arg;
	json_object *v;
	const char *space_name;
	bool		big;

	help_json_only_keys(root, keys, what);

	space_name = json_object_get_string(help_json_member(root, "space", json_type_string, what));
	opts->space = help_lookup_space(space_name, what);
	big = opts->space != HELP_SPACE_NASBENCH201;

	/*
	 * The reference architectures define every device's hardware embedding, in
	 * this order: exactly 10, distinct, as arch_idx values.
	 */
	v = help_json_member(root, "reference_archs", json_type_array, what);
	if (json_object_array_length(v) != HELP_HW_DIM)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("option \"reference_archs\" has %zu values, expected %d",
						json_object_array_length(v), HELP_HW_DIM)));
	for (int i = 0; i < HELP_HW_DIM; i++)
	{
		json_object *e = json_object_array_get_idx(v, i);

		if (!json_object_is_type(e, json_type_int) || json_object_get_int64(e) < 0 ||
			json_object_get_int64(e) > PG_INT32_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"reference_archs\" must hold 10 architecture indices (non-negative integers)")));
		opts->reference_archs[i] = (int) json_object_get_int64(e);
		for (int j = 0; j < i; j++)
			if (opts->reference_archs[j] == opts->reference_archs[i])
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("option \"reference_archs\" lists arch_idx %d twice",
								opts->reference_archs[i])));
	}

	if (json_object_object_get_ex(root, "valid_devices", &v))
	{
		if (!json_object_is_type(v, json_type_array))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"valid_devices\" must be an array of device names")));
		opts->n_valid = (int) json_object_array_length(v);
		opts->valid_devices = palloc0(sizeof(char *) * Max(opts->n_valid, 1));
		for (int i = 0; i < opts->n_valid; i++)
		{
			json_object *e = json_object_array_get_idx(v, i);

			if (!json_object_is_type(e, json_type_string))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("option \"valid_devices\" must be an array of device names")));
			opts->valid_devices[i] = pstrdup(json_object_get_string(e));
		}
	}

	/*
	 * The paper's defaults, per space where they differ (docs/method.md
	 * section 6): the meta-train pool is the architectures with arch_idx below
	 * 900 on NAS-Bench-201, below 4,000 on FBNet and OFA.
	 */
	opts->train_pool = (int) IntOption(root, "train_pool", 1, PG_INT32_MAX, big ? 4000 : 900);
	opts->query_pool = (int) IntOption(root, "query_pool", 1, PG_INT32_MAX, 1000);
	opts->spec.episodes = (int) IntOption(root, "episodes", 0, 10000000, big ? 4000 : 2000);
	/* 0: min(8, the number of meta-train devices), set once they are known */
	opts->spec.tasks_per_episode = (int) IntOption(root, "tasks_per_episode", 1, 1000, 0);
	opts->spec.support = (int) IntOption(root, "support", 2, 100000, 10);
	opts->spec.query = (int) IntOption(root, "query", 1, 100000, 200);
	opts->spec.meta.inner_steps = (int) IntOption(root, "inner_steps", 0, HELP_MAX_STEPS, 2);
	opts->spec.meta_lr = NumberOption(root, "meta_lr", 1e-12, 1.0, 1e-4);
	opts->inner_lr_init = NumberOption(root, "inner_lr_init", 0.0, 1.0, 1e-3);
	opts->spec.meta.kl_weight = NumberOption(root, "kl_weight", 0.0, 1e6, 0.1);
	opts->spec.meta.z_scale = NumberOption(root, "z_scale", 0.0, 1e3, 0.01);
	opts->mc_samples = (int) IntOption(root, "mc_samples", 1, HELP_MAX_MC_SAMPLES, 10);
	opts->valid_supports = (int) IntOption(root, "valid_supports", 1, 100, 1);
	opts->spec.validate_every = (int) IntOption(root, "validate_every", 1, 10000000, 50);
	opts->spec.seed = (uint64) IntOption(root, "seed", 0, PG_INT64_MAX, 0);
	opts->spec.meta.second_order = BoolOption(root, "second_order", true) ? 1 : 0;
	opts->spec.threads = (int) IntOption(root, "threads", 1, 64, 1);
}

/*
 * Fill opts from help_meta_train's options JSON text (see options.h for the
 * keys and the paper's defaults).  space and reference_archs are required.
 */
void
help_parse_meta_train_options(const char *text, HelpMetaTrainOptions *opts)
{
	memset(opts, 0, sizeof(*opts));
	if (text == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("help_meta_train options must not be NULL"),
				 errhint("Give at least {\"space\": ..., \"reference_archs\": [10 arch_idx]}.")));
	help_json_run_parsed(text, META_TRAIN_WHAT, ReadMetaTrainOptions, opts);
}

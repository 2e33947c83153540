/*
 * predictor_text.c
 *	  Text (JSON) input and output of help_predictor.
 *
 * The text form is the checkpoint's tensor layout plus the predictor's own
 * fields, so a predictor printed with ::text can be read by anything that
 * reads the published checkpoints.  Floats are printed with the fewest
 * digits that read back to the same bits.
 */
#include "predictor.h"

#include "adapt.h"
#include "encode_sql.h"
#include "json_util.h"
#include "tensor_json.h"

PG_FUNCTION_INFO_V1(help_predictor_in);
PG_FUNCTION_INFO_V1(help_predictor_out);

#define TEXT_FORMAT_NAME "help_predictor"

/* Read the "adapted" object of the text form into an allocated predictor. */
static void
ReadAdapted(json_object *ad, HelpPredictor *p, HelpPredictorView *v)
{
	static const char *const keys[] = {
		"hw_embedding", "steps", "mc_samples", "seed", "latency_range", "method",
		"support_arch", "support_latency_ms", NULL
	};
	const char *what = "\"adapted\" of help_predictor";
	json_object *range,
			   *method;
	json_object *archs = help_json_member(ad, "support_arch", json_type_array, what);
	int64		steps = json_object_get_int64(help_json_member(ad, "steps", json_type_int, what));
	int64		mc = json_object_get_int64(help_json_member(ad, "mc_samples", json_type_int, what));
	int64		seed = json_object_get_int64(help_json_member(ad, "seed", json_type_int, what));
	double	   *ms = palloc(sizeof(double) * p->n_support);

	/*
	 * Bound every field before storing it: the header keeps steps and
	 * mc_samples in 16 bits, and a negative seed would wrap to another draw
	 * sequence.
	 */
	help_json_only_keys(ad, keys, what);
	if (steps < 0 || steps > HELP_MAX_STEPS)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("steps %lld in %s is outside 0..%d", (long long) steps, what, HELP_MAX_STEPS)));
	if (mc < 1 || mc > HELP_MAX_MC_SAMPLES)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("mc_samples %lld in %s is outside 1..%d", (long long) mc, what,
						HELP_MAX_MC_SAMPLES)));
	if (seed < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("seed in %s must not be negative", what)));
	p->steps = (uint16) steps;
	p->mc_samples = (uint16) mc;
	p->seed = (uint64) seed;

	/*
	 * latency_range is optional: a predictor adapted with calibrated targets
	 * has none, and the zeroed header's range 0, 0 records that (see
	 * help_support_targets).
	 */
	if (json_object_object_get_ex(ad, "latency_range", &range))
	{
		double		r[2];

		help_json_numbers(range, 2, NULL, r, "\"latency_range\" of help_predictor");
		if (!help_latency_range_valid(r[0], r[1]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("\"latency_range\" of help_predictor is [%g, %g]: it needs 0 < min < max",
							r[0], r[1])));
		p->range_lo = r[0];
		p->range_hi = r[1];
	}

	/*
	 * "method" is optional: predictors written before the transfer method
	 * existed have none and were adapted with HELP's own prediction.
	 */
	if (json_object_object_get_ex(ad, "method", &method))
	{
		int			m;

		if (!json_object_is_type(method, json_type_string) ||
			(m = help_adapt_method_from_name(json_object_get_string(method))) < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("\"method\" of help_predictor must be \"help\" or \"transfer\"")));
		if (m == HELP_METHOD_TRANSFER)
			p->flags |= HELP_FLAG_TRANSFER;
	}

	/*
	 * The sections are already allocated at the sizes the header gives
	 * (hw_dim, enc_dim, n_support), so each array must have exactly that many
	 * finite values; help_json_numbers refuses any other.
	 */
	help_json_numbers(help_json_member(ad, "hw_embedding", json_type_array, what),
					  p->hw_dim, v->hw, NULL, "\"hw_embedding\" of help_predictor");
	for (uint32 i = 0; i < p->n_support; i++)
		help_json_numbers(json_object_array_get_idx(archs, i), v->enc_dim,
						  v->support_x + (Size) i * v->enc_dim, NULL,
						  "an element of \"support_arch\" of help_predictor");
	help_json_numbers(help_json_member(ad, "support_latency_ms", json_type_array, what),
					  p->n_support, NULL, ms, "\"support_latency_ms\" of help_predictor");

	/*
	 * The latencies sit unaligned after the float4 sections: they go in
	 * through the setter, which copies bytes.
	 */
	for (uint32 i = 0; i < p->n_support; i++)
		help_predictor_set_support_ms(v, i, ms[i]);
}

/* Build a predictor from a parsed text form into *(HelpPredictor **) result. */
static void
PredictorFromJson(json_object *root, void *result)
{
	static const char *const keys[] = {
		"format", "version", "space", "kind", "width", "z_scale", "provenance",
		"adapted", "model", "task_lr", "inference_network", NULL
	};
	const char *what = "help_predictor";
	const char *space_name;
	const char *kind_name;
	int			space;
	int64		width;
	json_object *adapted_obj = NULL;
	int			n_support = 0;
	const char *meta;
	HelpPredictor *p;
	HelpPredictorView v;

	/*
	 * Unknown keys are refused rather than ignored: a misspelt key would be
	 * dropped silently and the value would not round-trip.
	 */
	help_json_only_keys(root, keys, what);

	/*
	 * Format and version first, so that another format or a future version
	 * fails with that message, not with one about a missing tensor.
	 */
	if (strcmp(json_object_get_string(help_json_member(root, "format", json_type_string, what)),
			   TEXT_FORMAT_NAME) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("\"format\" of help_predictor must be \"%s\"", TEXT_FORMAT_NAME)));
	if (json_object_get_int64(help_json_member(root, "version", json_type_int, what)) !=
		HELP_PREDICTOR_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("help_predictor format version %s is not supported (expected %d)",
						json_object_get_string(help_json_member(root, "version", json_type_int, what)),
						HELP_PREDICTOR_VERSION)));
	space_name = json_object_get_string(help_json_member(root, "space", json_type_string, what));
	space = help_lookup_space(space_name, NULL);

	/*
	 * kind follows from space (GCN for NAS-Bench-201, MLP otherwise); it is
	 * written for readers of the JSON and checked so that an edited value
	 * cannot contradict the space.
	 */
	kind_name = json_object_get_string(help_json_member(root, "kind", json_type_string, what));
	if (strcmp(kind_name, help_net_kind_name(help_space_net_kind(space))) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("network kind \"%s\" does not match search space %s (expected \"%s\")",
						kind_name, space_name, help_net_kind_name(help_space_net_kind(space)))));
	width = json_object_get_int64(help_json_member(root, "width", json_type_int, what));
	if (width < 1 || width > HELP_MAX_WIDTH)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("width %lld is outside 1..%d", (long long) width, HELP_MAX_WIDTH)));

	/*
	 * Provenance is kept as json-c's plain text of the object, the bytes
	 * help_predictor_out prints, so a value survives a text round trip byte
	 * for byte.
	 */
	meta = help_json_text(help_json_member(root, "provenance", json_type_object, what));

	/*
	 * The support set is stored inline, so its size is needed before
	 * allocating; the rest of "adapted" is read into the allocated value
	 * (ReadAdapted).
	 */
	if (json_object_object_get_ex(root, "adapted", &adapted_obj) && adapted_obj != NULL)
	{
		json_object *archs;

		if (!json_object_is_type(adapted_obj, json_type_object))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("\"adapted\" of help_predictor must be null or an object")));
		archs = help_json_member(adapted_obj, "support_arch", json_type_array, what);
		n_support = (int) json_object_array_length(archs);
		if (n_support < 2 || n_support > HELP_MAX_SUPPORT)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("\"support_arch\" of help_predictor has %d rows, expected 2..%d",
							n_support, HELP_MAX_SUPPORT)));
	}

	/*
	 * Allocate at the final size, write the sections through the view, seal
	 * the fingerprint, then validate as binary input and checkpoint import do:
	 * every way in accepts the same values.
	 */
	p = help_predictor_alloc(space, (int) width, adapted_obj != NULL, n_support, strlen(meta) + 1);
	help_predictor_view(p, &v);
	p->z_scale = (float) help_json_number(help_json_member(root, "z_scale", json_type_double, what),
										  "\"z_scale\"", 0);
	memcpy(v.meta, meta, strlen(meta) + 1);
	help_read_tensor_groups(root, &v.layout, &v, what);
	if (adapted_obj != NULL)
		ReadAdapted(adapted_obj, p, &v);
	help_predictor_finish(p);
	help_predictor_validate(p, VARSIZE(p));
	*(HelpPredictor **) result = p;
}

/* Text input: the JSON form printed by help_predictor_out. */
Datum
help_predictor_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);
	HelpPredictor *p = NULL;

	help_json_run_parsed(text, "help_predictor", PredictorFromJson, &p);
	PG_RETURN_HELP_PREDICTOR_P(p);
}

/* The "adapted" object of the text form. */
static json_object *
WriteAdapted(HelpPredictor *p, HelpPredictorView *v)
{
	json_object *ad = json_object_new_object();
	json_object *archs = json_object_new_array_ext((int) p->n_support);
	json_object *ms = json_object_new_array_ext((int) p->n_support);

	json_object_object_add(ad, "hw_embedding", help_json_float_array(v->hw, p->hw_dim));
	json_object_object_add(ad, "steps", json_object_new_int(p->steps));
	json_object_object_add(ad, "mc_samples", json_object_new_int(p->mc_samples));
	json_object_object_add(ad, "seed", json_object_new_int64((int64) p->seed));
	json_object_object_add(ad, "method",
						   json_object_new_string(help_adapt_method_name(help_predictor_method(p))));

	/*
	 * Only a set range is written, so a calibrated predictor's text has no
	 * latency_range and reads back to range 0, 0.
	 */
	if (p->range_hi > p->range_lo)
	{
		json_object *range = json_object_new_array_ext(2);

		json_object_array_add(range, help_json_double(p->range_lo));
		json_object_array_add(range, help_json_double(p->range_hi));
		json_object_object_add(ad, "latency_range", range);
	}

	/*
	 * help_json_float and help_json_double print the fewest digits that read
	 * back to the same bits, so weights and latencies round-trip exactly.
	 */
	for (uint32 i = 0; i < p->n_support; i++)
	{
		json_object_array_add(archs, help_json_float_array(v->support_x + (Size) i * v->enc_dim,
														   v->enc_dim));
		json_object_array_add(ms, help_json_double(help_predictor_support_ms(v, i)));
	}
	json_object_object_add(ad, "support_arch", archs);
	json_object_object_add(ad, "support_latency_ms", ms);
	return ad;
}

/* What WriteText needs and makes. */
typedef struct TextOutput
{
	HelpPredictor *p;
	HelpPredictorView v;
	char	   *result;
} TextOutput;

/* Fill root with the text form of out->p and print it into out->result. */
static void
WriteText(json_object *root, void *arg)
{
	TextOutput *out = arg;
	HelpPredictor *p = out->p;
	json_object *meta;

	json_object_object_add(root, "format", json_object_new_string(TEXT_FORMAT_NAME));
	json_object_object_add(root, "version", json_object_new_int(p->version));
	json_object_object_add(root, "space",
						   json_object_new_string(help_space_name((HelpSpace) p->space)));
	json_object_object_add(root, "kind",
						   json_object_new_string(help_net_kind_name((HelpNetKind) p->kind)));
	json_object_object_add(root, "width", json_object_new_int(p->width));
	json_object_object_add(root, "z_scale", help_json_float(p->z_scale));
	/* provenance was validated as a JSON object on the way in */
	meta = json_tokener_parse(out->v.meta);
	json_object_object_add(root, "provenance", meta ? meta : json_object_new_object());
	json_object_object_add(root, "adapted",
						   (p->flags & HELP_FLAG_ADAPTED) ? WriteAdapted(p, &out->v) : NULL);
	help_write_tensor_groups(root, &out->v);
	out->result = help_json_text(root);
}

/* Text output: one JSON object. */
Datum
help_predictor_out(PG_FUNCTION_ARGS)
{
	TextOutput	out;

	out.p = PG_GETARG_HELP_PREDICTOR_P(0);
	out.result = NULL;
	help_predictor_view(out.p, &out.v);
	help_json_run_owned(json_object_new_object(), WriteText, &out);
	PG_RETURN_CSTRING(out.result);
}

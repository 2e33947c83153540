/*
 * predictor_text.c
 *	  Text (JSON) input and output of help_predictor.
 *
 * The text form is the checkpoint's tensor layout plus the predictor's own
 * fields, so a predictor printed with ::text can be read by anything that
 * reads the published checkpoints.  Floats are printed with the fewest
 * digits that read back to the same bits (json_write.c), and the input is
 * strict JSON (json_check.h): one text, one value.
 */
#include "predictor.h"

#include "adapt.h"
#include "encode_sql.h"
#include "json_util.h"
#include "json_write.h"
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

/* What PredictorFromJson reads and makes. */
typedef struct TextInput
{
	const char *text;			/* the whole text form, checked */
	HelpPredictor *result;
} TextInput;

/*
 * How many JSON values the text form of a valid predictor can hold: the
 * tensors at the largest width, the largest support set, and as much
 * provenance as any JSON text may carry.  json-c's tree of a text costs
 * about 75 bytes per value, so this bounds what it can take.
 */
static const HelpJsonLimits *
TextLimits(void)
{
	static HelpJsonLimits limits;

	if (limits.max_values == 0)
	{
		Size		support = 0;

		for (int space = 0; space < HELP_N_SPACES; space++)
			support = Max(support, (Size) HELP_MAX_SUPPORT *
						  (help_space_encoding_dim((HelpSpace) space) + 2));
		limits.max_depth = HELP_JSON_MAX_DEPTH;
		limits.max_values = help_tensor_groups_max_values() + support + HELP_HW_DIM +
			help_json_default_limits.max_values;
	}
	return &limits;
}

/* Build a predictor from a parsed text form into ((TextInput *) arg)->result. */
static void
PredictorFromJson(json_object *root, void *arg)
{
	TextInput  *in = arg;
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
	size_t		start,
				end;
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
	 * Provenance is kept in canonical form, taken from the text as written
	 * (not as json-c reads it), the bytes help_predictor_out prints: a value
	 * survives a text round trip byte for byte.
	 */
	(void) help_json_member(root, "provenance", json_type_object, what);
	if (!help_json_member_span(in->text, strlen(in->text), "provenance", &start, &end))
		elog(ERROR, "provenance of help_predictor not found in its text");
	meta = help_json_canonical(pnstrdup(in->text + start, end - start),
							   HELP_PROVENANCE_MAX_DEPTH, "\"provenance\" of help_predictor");

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
	in->result = p;
}

/* Text input: the JSON form printed by help_predictor_out. */
Datum
help_predictor_in(PG_FUNCTION_ARGS)
{
	TextInput	in;

	in.text = PG_GETARG_CSTRING(0);
	in.result = NULL;
	help_json_run_parsed_limited(in.text, "help_predictor", TextLimits(), PredictorFromJson, &in);
	PG_RETURN_HELP_PREDICTOR_P(in.result);
}

/* The "adapted" object of the text form. */
static void
WriteAdapted(HelpJsonWriter *w, HelpPredictor *p, HelpPredictorView *v)
{
	help_jw_begin_object(w);
	help_jw_key(w, "hw_embedding");
	help_jw_float4_array(w, v->hw, p->hw_dim);
	help_jw_key(w, "steps");
	help_jw_int(w, p->steps);
	help_jw_key(w, "mc_samples");
	help_jw_int(w, p->mc_samples);
	help_jw_key(w, "seed");
	help_jw_int(w, (int64) p->seed);	/* at most PG_INT64_MAX: validated */
	help_jw_key(w, "method");
	help_jw_string(w, help_adapt_method_name(help_predictor_method(p)));

	/*
	 * Only a set range is written, so a calibrated predictor's text has no
	 * latency_range and reads back to range 0, 0.
	 */
	if (p->range_hi > p->range_lo)
	{
		help_jw_key(w, "latency_range");
		help_jw_begin_array(w);
		help_jw_float8(w, p->range_lo);
		help_jw_float8(w, p->range_hi);
		help_jw_end_array(w);
	}

	/*
	 * help_jw_float4 and help_jw_float8 print the fewest digits that read
	 * back to the same bits, so weights and latencies round-trip exactly.
	 */
	help_jw_key(w, "support_arch");
	help_jw_begin_array(w);
	for (uint32 i = 0; i < p->n_support; i++)
		help_jw_float4_array(w, v->support_x + (Size) i * v->enc_dim, v->enc_dim);
	help_jw_end_array(w);
	help_jw_key(w, "support_latency_ms");
	help_jw_begin_array(w);
	for (uint32 i = 0; i < p->n_support; i++)
		help_jw_float8(w, help_predictor_support_ms(v, i));
	help_jw_end_array(w);
	help_jw_end_object(w);
}

/* Text output: one JSON object, in the order of the published checkpoints' keys. */
Datum
help_predictor_out(PG_FUNCTION_ARGS)
{
	HelpPredictor *p = PG_GETARG_HELP_PREDICTOR_P(0);
	HelpPredictorView v;
	StringInfoData buf;
	HelpJsonWriter w;

	help_predictor_view(p, &v);
	initStringInfo(&buf);
	help_jw_init(&w, &buf);
	help_jw_begin_object(&w);
	help_jw_key(&w, "format");
	help_jw_string(&w, TEXT_FORMAT_NAME);
	help_jw_key(&w, "version");
	help_jw_int(&w, p->version);
	help_jw_key(&w, "space");
	help_jw_string(&w, help_space_name((HelpSpace) p->space));
	help_jw_key(&w, "kind");
	help_jw_string(&w, help_net_kind_name((HelpNetKind) p->kind));
	help_jw_key(&w, "width");
	help_jw_int(&w, p->width);
	help_jw_key(&w, "z_scale");
	help_jw_float4(&w, p->z_scale);
	/* provenance is stored in canonical form (validated on the way in) */
	help_jw_key(&w, "provenance");
	help_jw_json(&w, v.meta);
	help_jw_key(&w, "adapted");
	if (p->flags & HELP_FLAG_ADAPTED)
		WriteAdapted(&w, p, &v);
	else
		help_jw_null(&w);
	help_write_tensor_groups(&w, &v);
	help_jw_end_object(&w);
	PG_RETURN_CSTRING(buf.data);
}

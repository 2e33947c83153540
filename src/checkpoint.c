/*
 * checkpoint.c
 *	  Import of the HELP authors' published checkpoints.
 */
#include "predictor.h"
#include "encode_sql.h"
#include "json_util.h"
#include "json_write.h"
#include "tensor_json.h"

#include "utils/jsonb.h"

PG_FUNCTION_INFO_V1(help_predictor_from_checkpoint);

/* What PredictorFromCheckpoint reads and makes. */
typedef struct CheckpointInput
{
	const char *text;			/* the checkpoint, checked */
	HelpPredictor *result;
} CheckpointInput;

/* Write member key of the checkpoint's text, as written there, unless absent (or null, if skip_null). */
static void
CopyMember(HelpJsonWriter *w, const char *text, const char *key, bool skip_null)
{
	size_t		start,
				end;

	if (!help_json_member_span(text, strlen(text), key, &start, &end) ||
		(skip_null && end - start == 4 && strncmp(text + start, "null", 4) == 0))
		return;
	help_jw_key(w, key);
	help_jw_json(w, help_json_canonical_value(text + start, end - start,
											  HELP_PROVENANCE_MAX_DEPTH - 1,
											  "the checkpoint's provenance"));
}

/* Provenance of an imported checkpoint, as canonical JSON text. */
static char *
CheckpointProvenance(const char *text)
{
	StringInfoData buf;
	HelpJsonWriter w;

	/*
	 * The provenance records where the weights came from; the checkpoint's own
	 * "format" (unless null) and "episode" are kept as they were; the rest of
	 * it is the search space and the weights.
	 */
	initStringInfo(&buf);
	help_jw_init(&w, &buf);
	help_jw_begin_object(&w);
	help_jw_key(&w, "source");
	help_jw_string(&w, "checkpoint");
	CopyMember(&w, text, "format", true);
	CopyMember(&w, text, "episode", false);
	help_jw_end_object(&w);
	return help_json_canonical(buf.data, HELP_PROVENANCE_MAX_DEPTH, "the checkpoint's provenance");
}

/*
 * Build a predictor from a parsed checkpoint, checking every tensor, into
 * ((CheckpointInput *) arg)->result.
 */
static void
PredictorFromCheckpoint(json_object *root, void *arg)
{
	CheckpointInput *in = arg;
	static const char *const keys[] = {
		"format", "search_space", "episode", "model", "inference_network", "task_lr", NULL
	};
	const char *what = "checkpoint";
	const char *space_name;
	int			space;
	int			width;
	char	   *meta;
	HelpPredictor *p;
	HelpPredictorView v;

	help_json_only_keys(root, keys, what);
	space_name = json_object_get_string(help_json_member(root, "search_space",
														 json_type_string, what));
	space = help_lookup_space(space_name, what);

	/*
	 * Checkpoints do not state their layer size: it is read from a bias's
	 * shape, and then every tensor is checked against the layout of that
	 * width.
	 */
	width = help_infer_width(root, what);
	meta = CheckpointProvenance(in->text);
	p = help_predictor_alloc(space, width, false, 0, strlen(meta) + 1);
	help_predictor_view(p, &v);
	memcpy(v.meta, meta, strlen(meta) + 1);
	help_read_tensor_groups(root, &v.layout, &v, what);
	help_predictor_finish(p);
	help_predictor_validate(p, VARSIZE(p));
	in->result = p;
}

/* help_predictor_from_checkpoint(jsonb): import a help_checkpoint.json. */
Datum
help_predictor_from_checkpoint(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);
	CheckpointInput in;
	HelpJsonLimits limits = {
		.max_depth = HELP_JSON_MAX_DEPTH,
		.max_values = help_tensor_groups_max_values() + help_json_default_limits.max_values
	};

	in.text = JsonbToCString(NULL, &jb->root, VARSIZE(jb));
	in.result = NULL;
	help_json_run_parsed_limited(in.text, "checkpoint", &limits, PredictorFromCheckpoint, &in);
	PG_RETURN_HELP_PREDICTOR_P(in.result);
}

/*
 * checkpoint.c
 *	  Import of the HELP authors' published checkpoints.
 */
#include "predictor.h"
#include "encode_sql.h"
#include "json_util.h"
#include "tensor_json.h"

#include "utils/jsonb.h"

PG_FUNCTION_INFO_V1(help_predictor_from_checkpoint);

/* Provenance of an imported checkpoint, as JSON text. */
static char *
CheckpointProvenance(json_object *root)
{
	json_object *meta = json_object_new_object();
	json_object *val;
	char	   *text;

	/*
	 * The provenance records where the weights came from; the checkpoint's own
	 * "format" and "episode" are kept as they were; the rest of it is the
	 * search space and the weights.
	 */
	json_object_object_add(meta, "source", json_object_new_string("checkpoint"));
	if (json_object_object_get_ex(root, "format", &val) && val != NULL)
		json_object_object_add(meta, "format", json_object_get(val));
	if (json_object_object_get_ex(root, "episode", &val))
		json_object_object_add(meta, "episode", val ? json_object_get(val) : NULL);
	text = help_json_text(meta);
	json_object_put(meta);
	return text;
}

/*
 * Build a predictor from a parsed checkpoint, checking every tensor, into
 * *(HelpPredictor **) result.
 */
static void
PredictorFromCheckpoint(json_object *root, void *result)
{
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
	meta = CheckpointProvenance(root);
	p = help_predictor_alloc(space, width, false, 0, strlen(meta) + 1);
	help_predictor_view(p, &v);
	memcpy(v.meta, meta, strlen(meta) + 1);
	help_read_tensor_groups(root, &v.layout, &v, what);
	help_predictor_finish(p);
	help_predictor_validate(p, VARSIZE(p));
	*(HelpPredictor **) result = p;
}

/* help_predictor_from_checkpoint(jsonb): import a help_checkpoint.json. */
Datum
help_predictor_from_checkpoint(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);
	char	   *text = JsonbToCString(NULL, &jb->root, VARSIZE(jb));
	HelpPredictor *p = NULL;

	help_json_run_parsed(text, "checkpoint", PredictorFromCheckpoint, &p);
	PG_RETURN_HELP_PREDICTOR_P(p);
}

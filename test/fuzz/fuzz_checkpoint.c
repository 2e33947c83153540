/*
 * fuzz_checkpoint.c
 *	  libFuzzer target: import of a published checkpoint's JSON
 *	  (help_predictor_from_checkpoint without its jsonb argument: the text
 *	  it turns that into).  Any input gives a value or an ERROR; an imported
 *	  value round-trips through its text and binary forms.
 */
#include "fuzz_common.h"

/* the file's static PredictorFromCheckpoint and its input struct */
#include "../../src/checkpoint.c"

static void
Import(void *arg)
{
	CheckpointInput *in = arg;
	HelpJsonLimits limits = {
		.max_depth = HELP_JSON_MAX_DEPTH,
		.max_values = help_tensor_groups_max_values() + help_json_default_limits.max_values
	};

	help_json_run_parsed_limited(in->text, "checkpoint", &limits, PredictorFromCheckpoint, in);
}

static void
RoundTrips(void *arg)
{
	FuzzRequireRoundTrips(((CheckpointInput *) arg)->result);
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	CheckpointInput in = {pnstrdup((const char *) data, size), NULL};

	if (help_shim_guarded(Import, &in) == 0)
		FUZZ_REQUIRE(help_shim_guarded(RoundTrips, &in) == 0);
	help_shim_reset();
	return 0;
}

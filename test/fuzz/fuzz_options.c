/*
 * fuzz_options.c
 *	  libFuzzer target: the options (jsonb text) of help_adapt and of
 *	  help_meta_train.  Any input gives settings or an ERROR, and accepted
 *	  settings are within the documented ranges.
 */
#include "help.h"

#include "options.h"
#include "predictor.h"

#include "pg_shim.h"

static void
AdaptOptions(void *arg)
{
	HelpAdaptSpec spec;

	help_parse_adapt_options((const char *) arg, &spec);
	FUZZ_REQUIRE(spec.steps >= 0 && spec.steps <= HELP_MAX_STEPS);
	FUZZ_REQUIRE(spec.mc_samples >= 1 && spec.mc_samples <= HELP_MAX_MC_SAMPLES);
	FUZZ_REQUIRE(spec.seed <= (uint64) PG_INT64_MAX);
	FUZZ_REQUIRE((spec.range_lo == 0.0 && spec.range_hi == 0.0) ||
				 help_latency_range_valid(spec.range_lo, spec.range_hi));
}

static void
MetaTrainOptions(void *arg)
{
	HelpMetaTrainOptions opts;

	help_parse_meta_train_options((const char *) arg, &opts);
	FUZZ_REQUIRE(opts.space >= 0 && opts.space < HELP_N_SPACES);
	FUZZ_REQUIRE(opts.spec.meta.inner_steps >= 0 && opts.spec.meta.inner_steps <= HELP_MAX_STEPS);
	FUZZ_REQUIRE(opts.mc_samples >= 1 && opts.mc_samples <= HELP_MAX_MC_SAMPLES);
	FUZZ_REQUIRE(opts.n_valid >= 0 && opts.spec.seed <= (uint64) PG_INT64_MAX);
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *text = pnstrdup((const char *) data, size);

	(void) help_shim_guarded(AdaptOptions, text);
	(void) help_shim_guarded(MetaTrainOptions, text);
	help_shim_reset();
	return 0;
}

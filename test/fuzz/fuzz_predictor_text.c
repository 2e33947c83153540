/*
 * fuzz_predictor_text.c
 *	  libFuzzer target: help_predictor's text input.  Any input gives a
 *	  value or an ERROR, never a crash; an accepted value round-trips
 *	  through its text and binary forms byte for byte.
 */
#include "fuzz_common.h"

typedef struct Input
{
	char	   *text;
	HelpPredictor *p;
} Input;

static void
Parse(void *arg)
{
	Input	   *in = arg;

	in->p = (HelpPredictor *) DatumGetPointer(FuzzCall1(help_predictor_in, CStringGetDatum(in->text)));
}

static void
RoundTrips(void *arg)
{
	FuzzRequireRoundTrips(((Input *) arg)->p);
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Input		in = {pnstrdup((const char *) data, size), NULL};

	if (help_shim_guarded(Parse, &in) == 0)
		FUZZ_REQUIRE(help_shim_guarded(RoundTrips, &in) == 0);
	help_shim_reset();
	return 0;
}

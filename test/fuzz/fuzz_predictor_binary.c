/*
 * fuzz_predictor_binary.c
 *	  libFuzzer target: help_predictor's binary input (COPY BINARY,
 *	  drivers).  Any input gives a value or an ERROR, never a crash or an
 *	  allocation larger than the input warrants; an accepted value is sent
 *	  back as exactly the bytes received, and round-trips through its text
 *	  form byte for byte (so a text dump of it restores).
 */
#include "fuzz_common.h"

typedef struct Input
{
	const uint8_t *data;
	size_t		size;
	HelpPredictor *p;
} Input;

static void
Receive(void *arg)
{
	Input	   *in = arg;

	in->p = FuzzRecv((const char *) in->data, (int) in->size);
}

static void
Check(void *arg)
{
	Input	   *in = arg;
	bytea	   *sent = FuzzSend(in->p);

	FUZZ_REQUIRE(VARSIZE(sent) - VARHDRSZ == in->size &&
				 memcmp(VARDATA(sent), in->data, in->size) == 0);
	FuzzRequireRoundTrips(in->p);
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Input		in = {data, size, NULL};

	if (help_shim_guarded(Receive, &in) == 0)
		FUZZ_REQUIRE(help_shim_guarded(Check, &in) == 0);
	help_shim_reset();
	return 0;
}

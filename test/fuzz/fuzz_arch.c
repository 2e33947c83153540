/*
 * fuzz_arch.c
 *	  libFuzzer target: the three encoders through help_encode's text
 *	  (NAS-Bench-201 cell strings, FBNet arrays, OFA JSON), the first byte
 *	  choosing the space.  Any input gives an encoding or an ERROR, and an
 *	  encoding given is one help_check_encoding accepts.
 */
#include "help.h"

#include "encode.h"
#include "encode_sql.h"

#include "pg_shim.h"

typedef struct Input
{
	int			space;
	char	   *arch;
} Input;

static void
Encode(void *arg)
{
	Input	   *in = arg;
	HelpError	err;
	int			len;
	float	   *enc = help_encode_text(in->space, in->arch, &len);

	FUZZ_REQUIRE(help_check_encoding((HelpSpace) in->space, enc, len, &err) == HELP_OK);
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Input		in;

	if (size < 1)
		return 0;
	in.space = data[0] % HELP_N_SPACES;
	in.arch = pnstrdup((const char *) data + 1, size - 1);
	(void) help_shim_guarded(Encode, &in);
	help_shim_reset();
	return 0;
}

/*
 * encode_sql.c
 *	  help_encode(space, arch): native notation to the encoding the
 *	  predictor reads.
 */
#include "encode_sql.h"
#include "arrays.h"
#include "encode.h"

#include "utils/array.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(help_encode);

/*
 * See encode_sql.h.  Every way a space name comes in (help_encode, the
 * predictor's text form, checkpoints, help_meta_train's options) goes
 * through here, so the message and its hint are the same everywhere.
 */
HelpSpace
help_lookup_space(const char *name, const char *what)
{
	int			space = help_space_from_name(name);

	if (space < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 what ? errmsg("unknown search space \"%s\" in %s", name, what)
				 : errmsg("unknown search space \"%s\"", name),
				 errhint("Search spaces are nasbench201, fbnet and ofa.")));
	return (HelpSpace) space;
}

/* Encode arch (native notation) for space into a palloc'd vector. */
float *
help_encode_text(int space, const char *arch, int *len)
{
	float	   *out = palloc(sizeof(float) * help_space_encoding_dim(space));
	HelpError	err;
	int			ops[HELP_FBNET_LAYERS];

	switch (space)
	{
		case HELP_SPACE_NASBENCH201:
			if (help_encode_nb201(arch, out, &err) != HELP_OK)
				help_report(&err);
			break;
		case HELP_SPACE_FBNET:
			if (help_parse_fbnet(arch, ops, &err) != HELP_OK ||
				help_encode_fbnet(ops, out, &err) != HELP_OK)
				help_report(&err);
			break;
		case HELP_SPACE_OFA:
			help_encode_ofa_json(arch, out);
			break;
	}
	*len = help_space_encoding_dim(space);
	return out;
}

/* help_encode(space text, arch text) RETURNS real[] */
Datum
help_encode(PG_FUNCTION_ARGS)
{
	char	   *space_name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char	   *arch = text_to_cstring(PG_GETARG_TEXT_PP(1));
	int			len;
	float	   *enc = help_encode_text(help_lookup_space(space_name, NULL), arch, &len);

	PG_RETURN_ARRAYTYPE_P(help_make_float4_array(enc, len));
}

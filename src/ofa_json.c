/*
 * ofa_json.c
 *	  Reading an OFA sub-network given as JSON, as in the HELP authors'
 *	  architecture configs: {"ks": [20], "e": [20], "d": [5], "r": n}.
 *	  Other keys (such as "wid": null) are ignored.
 */
#include "help.h"
#include "help_json.h"
#include "encode.h"

/* Read a JSON array of exactly n ints from obj[key]. */
static void
json_int_list(json_object *obj, const char *key, int *out, int n)
{
	json_object *arr = help_json_member(obj, key, json_type_array, "OFA architecture");
	size_t		len = json_object_array_length(arr);

	if (len != (size_t) n)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("\"%s\" of OFA architecture has %zu values, expected %d", key, len, n)));
	for (int i = 0; i < n; i++)
	{
		json_object *v = json_object_array_get_idx(arr, i);

		if (!json_object_is_type(v, json_type_int))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("element %d of \"%s\" of OFA architecture is not an integer", i + 1, key)));
		out[i] = (int) Max(Min(json_object_get_int64(v), 100000), -100000);
	}
}

/* Encode an OFA JSON config {"ks": [...], "e": [...], "d": [...], "r": n}. */
void
help_encode_ofa_json(const char *arch, float *out)
{
	json_object *volatile root = NULL;
	int			ks[HELP_OFA_BLOCKS],
				e[HELP_OFA_BLOCKS],
				d[HELP_OFA_STAGES];
	int			r;
	HelpError	err;

	PG_TRY();
	{
		json_object *rv;

		root = help_json_parse(arch, "OFA architecture");
		json_int_list(root, "ks", ks, HELP_OFA_BLOCKS);
		json_int_list(root, "e", e, HELP_OFA_BLOCKS);
		json_int_list(root, "d", d, HELP_OFA_STAGES);
		rv = help_json_member(root, "r", json_type_int, "OFA architecture");
		r = (int) Max(Min(json_object_get_int64(rv), 100000), -100000);
	}
	PG_FINALLY();
	{
		if (root)
			json_object_put(root);
	}
	PG_END_TRY();
	if (help_encode_ofa(ks, e, d, r, out, &err) != HELP_OK)
		help_report(&err);
}


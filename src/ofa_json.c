/*
 * ofa_json.c
 *	  Reading an OFA sub-network given as JSON, as in the HELP authors'
 *	  architecture configs: {"ks": [20], "e": [20], "d": [5], "r": n}.
 *	  Other keys (such as "wid": null) are ignored.
 */
#include "encode_sql.h"
#include "json_util.h"
#include "encode.h"

/* Read a JSON array of exactly n ints from obj[key]. */
static void
JsonIntList(json_object *obj, const char *key, int *out, int n)
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

/* An OFA sub-network's choices as the JSON config gives them. */
typedef struct OfaConfig
{
	int			ks[HELP_OFA_BLOCKS];
	int			e[HELP_OFA_BLOCKS];
	int			d[HELP_OFA_STAGES];
	int			r;
} OfaConfig;

/* Read the config's four keys into *(OfaConfig *) arg. */
static void
ReadOfaConfig(json_object *root, void *arg)
{
	OfaConfig  *c = arg;
	json_object *rv;

	JsonIntList(root, "ks", c->ks, HELP_OFA_BLOCKS);
	JsonIntList(root, "e", c->e, HELP_OFA_BLOCKS);
	JsonIntList(root, "d", c->d, HELP_OFA_STAGES);
	rv = help_json_member(root, "r", json_type_int, "OFA architecture");
	/* clamped, so that any int64 reaches the encoder's range check as an int */
	c->r = (int) Max(Min(json_object_get_int64(rv), 100000), -100000);
}

/*
 * Encode an OFA JSON config {"ks": [...], "e": [...], "d": [...], "r": n}.
 * A config holds about 50 values, so json-c is given at most 1,000 (a
 * 10-million-element array took 785 MB of json-c's memory before).
 */
void
help_encode_ofa_json(const char *arch, float *out)
{
	static const HelpJsonLimits limits = {.max_depth = 8, .max_values = 1000};
	OfaConfig	c;
	HelpError	err;

	help_json_run_parsed_limited(arch, "OFA architecture", &limits, ReadOfaConfig, &c);
	if (help_encode_ofa(c.ks, c.e, c.d, c.r, out, &err) != HELP_OK)
		help_report(&err);
}

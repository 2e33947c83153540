/*
 * fuzz_json.c
 *	  libFuzzer target of the core alone: the strict JSON checker that
 *	  every JSON text goes through first.  Any input is accepted or refused
 *	  without a crash; an accepted text's canonical form is accepted with
 *	  the same counts and is its own canonical form; and json-c, which then
 *	  reads it, parses it to a tree of the same values and nulls (what
 *	  help_json_parse counts on to tell json-c running out of memory from
 *	  a syntax error).  The extension gives json-c objects only; arrays are
 *	  compared too, bare scalars not (json-c waits for more after a number
 *	  that ends the text).
 */
#include <json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_require.h"
#include "json_check.h"


/* Values and nulls of a json-c tree (a JSON null is NULL there). */
static void
CountTree(json_object *obj, size_t *values, size_t *nulls)
{
	(*values)++;
	if (obj == NULL)
		(*nulls)++;
	else if (json_object_is_type(obj, json_type_object))
	{
		json_object_object_foreach(obj, key, val)
		{
			(void) key;
			CountTree(val, values, nulls);
		}
	}
	else if (json_object_is_type(obj, json_type_array))
		for (size_t i = 0; i < json_object_array_length(obj); i++)
			CountTree(json_object_array_get_idx(obj, i), values, nulls);
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	HelpJsonLimits limits = {.max_depth = 16, .max_values = 10000};
	HelpJsonBuf canonical = {0},
				again = {0};
	HelpJsonStats st,
				st2;
	HelpError	err;

	if (help_json_check((const char *) data, size, &limits, &st, &canonical, &err) == HELP_OK)
	{
		json_tokener *tok = json_tokener_new_ex(HELP_JSON_MAX_DEPTH + 1);
		json_object *root;
		size_t		values = 0,
					nulls = 0;

		FUZZ_REQUIRE(help_json_check(canonical.data, canonical.len, &limits, &st2, &again, &err) == HELP_OK);
		FUZZ_REQUIRE(st2.values == st.values && st2.nulls == st.nulls && st2.depth == st.depth);
		FUZZ_REQUIRE(again.len == canonical.len && memcmp(again.data, canonical.data, again.len) == 0);
		if (st.top != '{' && st.top != '[')
		{
			json_tokener_free(tok);
			goto done;
		}
		root = json_tokener_parse_ex(tok, canonical.data, (int) canonical.len);
		FUZZ_REQUIRE(json_tokener_get_error(tok) == json_tokener_success &&
					 json_tokener_get_parse_end(tok) == canonical.len);
		CountTree(root, &values, &nulls);
		FUZZ_REQUIRE(values == st.values && nulls == st.nulls);
		json_object_put(root);
		json_tokener_free(tok);
	}
done:
	help_json_buf_free(&canonical);
	help_json_buf_free(&again);
	return 0;
}

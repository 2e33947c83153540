/*
 * json_util.c
 *	  json-c helpers of the PostgreSQL layer: strict parsing, typed members,
 *	  numbers checked on the way in, floats printed so that they read back
 *	  bit-exactly, and the clean-up of json-c's memory around an ERROR.
 *
 * json-c allocates with malloc, which no memory context frees: every tree
 * is owned by help_json_run_owned (or help_json_run_parsed), which frees it
 * however the work on it ends, by return or by an ERROR.
 */
#include "json_util.h"
#include "predictor.h"		/* help_json_canonical */

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* The text of a JSON value as help_predictor's text form writes it (palloc'd). */
char *
help_json_text(json_object *obj)
{
	return pstrdup(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
												  JSON_C_TO_STRING_NOSLASHESCAPE));
}

/*
 * See json_util.h.  The one PG_TRY of the layer around json-c: an ERROR
 * raised while the tree is read or built longjmps past the caller, and
 * json-c's malloc'd tree would leak without this.
 */
void
help_json_run_owned(json_object *root, HelpJsonFn fn, void *arg)
{
	PG_TRY();
	{
		fn(root, arg);
	}
	PG_FINALLY();
	{
		if (root)
			json_object_put(root);
	}
	PG_END_TRY();
}

/* See json_util.h.  help_json_parse frees what it parsed when it raises. */
void
help_json_run_parsed(const char *text, const char *what, HelpJsonFn fn, void *arg)
{
	help_json_run_owned(help_json_parse(text, what), fn, arg);
}

/* help_json_canonical's work: the text of the parsed tree, into *(char **) arg. */
static void
CanonicalText(json_object *root, void *arg)
{
	*(char **) arg = help_json_text(root);
}

/*
 * A JSON object text in the form the text I/O writes it (json-c, plain),
 * so that provenance survives a text round-trip byte for byte.
 */
char *
help_json_canonical(const char *text)
{
	char	   *result = NULL;

	help_json_run_parsed(text, "provenance", CanonicalText, &result);
	return result;
}

/* Parse text as one JSON value with nothing but whitespace after it. */
json_object *
help_json_parse(const char *text, const char *what)
{
	json_tokener *tok = json_tokener_new();
	size_t		len = strlen(text);
	json_object *root;
	enum json_tokener_error jerr;
	size_t		end;

	if (tok == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));

	/*
	 * A tokener rather than json_tokener_parse, to know where parsing stopped:
	 * trailing text after the value is an error, as in PostgreSQL's own json
	 * input.
	 */
	root = json_tokener_parse_ex(tok, text, (int) len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (root == NULL || jerr != json_tokener_success)
	{
		if (root)
			json_object_put(root);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid JSON in %s: %s at offset %zu", what,
						jerr == json_tokener_continue ? "unexpected end of input"
						: json_tokener_error_desc(jerr), end)));
	}
	while (end < len && isspace((unsigned char) text[end]))
		end++;
	if (end < len)
	{
		json_object_put(root);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid JSON in %s: unexpected text at offset %zu", what, end)));
	}
	if (!json_object_is_type(root, json_type_object))
	{
		json_object_put(root);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("%s must be a JSON object", what)));
	}
	return root;
}

/* A required member of an object, of the given type. */
json_object *
help_json_member(json_object *obj, const char *key, json_type type, const char *what)
{
	json_object *val;

	if (!json_object_object_get_ex(obj, key, &val) || val == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s has no \"%s\"", what, key)));
	if (type == json_type_double
		? !(json_object_is_type(val, json_type_double) || json_object_is_type(val, json_type_int))
		: !json_object_is_type(val, type))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("\"%s\" in %s must be a JSON %s", key, what, json_type_to_name(type))));
	return val;
}

/* Reject members of obj that are not in allowed (a NULL-terminated list). */
void
help_json_only_keys(json_object *obj, const char *const *allowed, const char *what)
{
	json_object_object_foreach(obj, key, val)
	{
		bool		known = false;

		(void) val;
		for (int i = 0; allowed[i] != NULL; i++)
			if (strcmp(key, allowed[i]) == 0)
				known = true;
		if (!known)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unexpected key \"%s\" in %s", key, what)));
	}
}

/* A finite number from a JSON value. */
double
help_json_number(json_object *val, const char *what, size_t index)
{
	double		d;

	if (!(json_object_is_type(val, json_type_double) || json_object_is_type(val, json_type_int)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("element %zu of %s is not a number", index, what)));
	/* json-c saturates integers that overflow int64; treat those as out of range */
	if (json_object_is_type(val, json_type_int) &&
		(json_object_get_int64(val) == PG_INT64_MAX || json_object_get_int64(val) == PG_INT64_MIN))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("element %zu of %s is out of range", index, what)));
	d = json_object_get_double(val);
	if (!isfinite(d))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("element %zu of %s is not finite", index, what)));
	return d;
}

/* Read a JSON array of exactly n finite numbers into float4 (or float8) storage. */
void
help_json_numbers(json_object *arr, size_t n, float *f4, double *f8, const char *what)
{
	size_t		len;

	if (!json_object_is_type(arr, json_type_array))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a JSON array", what)));
	len = json_object_array_length(arr);
	if (len != n)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s has %zu values, expected %zu", what, len, n)));
	for (size_t i = 0; i < n; i++)
	{
		double		d = help_json_number(json_object_array_get_idx(arr, i), what, i);

		if (f4)
		{
			if (fabs(d) > FLT_MAX)
				ereport(ERROR,
						(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("element %zu of %s is out of range for real", i, what)));
			f4[i] = (float) d;
		}
		else
			f8[i] = d;
	}
}

/* Shortest "%.*g" text of f that reads back as the same float. */
static void
FormatFloat(float f, char *buf, size_t size)
{
	for (int prec = 6; prec <= 9; prec++)
	{
		snprintf(buf, size, "%.*g", prec, (double) f);
		if (strtof(buf, NULL) == f)
			return;
	}
}

/* A JSON number for a float4 that round-trips exactly. */
json_object *
help_json_float(float f)
{
	char		buf[32];

	FormatFloat(f, buf, sizeof(buf));
	return json_object_new_double_s((double) f, buf);
}

/* A JSON number for a float8 that round-trips exactly. */
json_object *
help_json_double(double d)
{
	char		buf[40];

	for (int prec = 15; prec <= 17; prec++)
	{
		snprintf(buf, sizeof(buf), "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	return json_object_new_double_s(d, buf);
}

/* A JSON array of n floats. */
json_object *
help_json_float_array(const float *v, size_t n)
{
	json_object *arr = json_object_new_array_ext((int) n);

	for (size_t i = 0; i < n; i++)
		json_object_array_add(arr, help_json_float(v[i]));
	return arr;
}

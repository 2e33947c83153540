/*
 * json_util.c
 *	  json-c helpers of the PostgreSQL layer: parsing behind the strict
 *	  checker, typed members, numbers checked on the way in, canonical JSON,
 *	  and the clean-up of json-c's memory around an ERROR.
 *
 * Every text is checked by help_json_check (json_check.h) before json-c
 * sees it, so json-c only ever reads strict JSON, and a failure of json-c
 * on a checked text can only be an allocation failure.  json-c allocates
 * with malloc, which no memory context frees: every tree is owned by
 * help_json_run_owned (or help_json_run_parsed), which frees it however
 * the work on it ends, by return or by an ERROR.  Nothing is written
 * through json-c: JSON goes out through json_write.c.
 */
#include "json_util.h"
#include "predictor.h"		/* help_json_canonical */

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* What any JSON text the extension reads may hold, unless the caller says. */
const HelpJsonLimits help_json_default_limits = {
	.max_depth = HELP_JSON_MAX_DEPTH,
	.max_values = 1000000
};

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
	help_json_run_owned(help_json_parse(text, what, &help_json_default_limits), fn, arg);
}

/* See json_util.h. */
void
help_json_run_parsed_limited(const char *text, const char *what,
							 const HelpJsonLimits *limits, HelpJsonFn fn, void *arg)
{
	help_json_run_owned(help_json_parse(text, what, limits), fn, arg);
}

/* Raise a strict-check error of JSON text in what. */
static void
ReportCheckError(const HelpError *err, const char *what)
{
	ereport(ERROR,
			(errcode(help_sqlstate(err->status)),
			 errmsg("invalid JSON in %s: %s", what, err->msg)));
}

/* The canonical form of text[0..len), checked within max_depth; its top in *top. */
static char *
Canonical(const char *text, size_t len, int max_depth, const char *what, char *top)
{
	HelpJsonLimits limits = {
		.max_depth = max_depth,
		.max_values = help_json_default_limits.max_values
	};
	HelpJsonBuf buf = {0};
	HelpJsonStats st;
	HelpError	err;

	if (help_json_check(text, len, &limits, &st, &buf, &err) != HELP_OK)
		ReportCheckError(&err, what);
	*top = st.top;
	return buf.data;			/* help_alloc: palloc'd in the current context */
}

/* See predictor.h. */
char *
help_json_canonical(const char *text, int max_depth, const char *what)
{
	char		top;
	char	   *canonical = Canonical(text, strlen(text), max_depth, what, &top);

	if (top != '{')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a JSON object", what)));
	return canonical;
}

/* See predictor.h. */
char *
help_json_canonical_value(const char *text, size_t len, int max_depth, const char *what)
{
	char		top;

	return Canonical(text, len, max_depth, what, &top);
}

/* Values and nulls of a json-c tree (json-c keeps a JSON null as NULL). */
static void
CountTree(json_object *obj, size_t *values, size_t *nulls)
{
	(*values)++;
	if (obj == NULL)
	{
		(*nulls)++;
		return;
	}
	if (json_object_is_type(obj, json_type_object))
	{
		json_object_object_foreach(obj, key, val)
		{
			(void) key;
			CountTree(val, values, nulls);
		}
	}
	else if (json_object_is_type(obj, json_type_array))
	{
		size_t		n = json_object_array_length(obj);

		for (size_t i = 0; i < n; i++)
			CountTree(json_object_array_get_idx(obj, i), values, nulls);
	}
}

/*
 * Parse text as one JSON object: the strict check within limits first, then
 * json-c.  The text being strict JSON, json-c can fail only for want of
 * memory, which it may report as success with part of the tree (0.16), or
 * by keeping NULL (a JSON null) for a value it could not allocate: the
 * tree's values and nulls are counted against the check's.
 */
json_object *
help_json_parse(const char *text, const char *what, const HelpJsonLimits *limits)
{
	size_t		len = strlen(text);
	HelpJsonStats st;
	HelpError	err;
	json_tokener *tok;
	json_object *root = NULL;
	enum json_tokener_error jerr = json_tokener_error_depth;
	size_t		end = 0,
				values = 0,
				nulls = 0;

	if (help_json_check(text, len, limits, &st, NULL, &err) != HELP_OK)
		ReportCheckError(&err, what);
	if (st.top != '{')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("%s must be a JSON object", what)));
	tok = json_tokener_new_ex(HELP_JSON_MAX_DEPTH + 1);
	if (tok != NULL)
	{
		root = json_tokener_parse_ex(tok, text, (int) len);
		jerr = json_tokener_get_error(tok);
		end = json_tokener_get_parse_end(tok);
		json_tokener_free(tok);
	}
	while (end < len && isspace((unsigned char) text[end]))
		end++;
	if (root != NULL && jerr == json_tokener_success && end == len)
		CountTree(root, &values, &nulls);
	if (values != st.values || nulls != st.nulls)
	{
		if (root)
			json_object_put(root);
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory"),
				 errdetail("Failed to build the JSON tree of %s (%zu values).", what, st.values)));
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

		/*
		 * A number is out of range for real only if it rounds to infinity:
		 * from 2^128 - 2^103 up (the midpoint between FLT_MAX and 2^128).  The
		 * text of FLT_MAX itself, "3.4028235e+38", lies above FLT_MAX as a
		 * double and must read back, or a predictor holding it could not be
		 * restored from its text form.
		 */
		if (f4)
		{
			if (fabs(d) >= (double) FLT_MAX + ldexp(1.0, 103))
				ereport(ERROR,
						(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("element %zu of %s is out of range for real", i, what)));
			f4[i] = (float) d;
		}
		else
			f8[i] = d;
	}
}

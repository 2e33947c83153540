/*
 * predictor_json.c
 *	  JSON (json-c) helpers shared by the text I/O of help_predictor and the
 *	  checkpoint import: strict parsing, tensor groups in the checkpoint's
 *	  {"name": {"shape": [...], "data": [...]}} layout, and float printing
 *	  that round-trips bit-exactly.
 *
 * json-c allocates with malloc: callers hold the parsed root in a
 * PG_TRY/PG_FINALLY so it is freed when an ERROR jumps out.
 */
#include "help.h"
#include "help_json.h"

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
 * A JSON object text in the form the text I/O writes it (json-c, plain),
 * so that provenance survives a text round-trip byte for byte.
 */
char *
help_json_canonical(const char *text)
{
	json_object *volatile root = NULL;
	char	   *result = NULL;

	PG_TRY();
	{
		root = help_json_parse(text, "provenance");
		result = help_json_text(root);
	}
	PG_FINALLY();
	{
		if (root)
			json_object_put(root);
	}
	PG_END_TRY();
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

/* Read one {"name": {"shape": [...], "data": [...]}} group into dst. */
static void
read_group(json_object *root, const char *group, const HelpTensor *specs, int n,
		   float *dst, const char *what)
{
	static const char *const tensor_keys[] = {"shape", "data", NULL};
	char		where[256];
	json_object *g;
	int			count = 0;

	snprintf(where, sizeof(where), "\"%s\" of %s", group, what);
	g = help_json_member(root, group, json_type_object, what);
	{
		json_object_object_foreach(g, key, val)
		{
			bool		known = false;

			(void) val;
			for (int t = 0; t < n; t++)
				if (strcmp(key, specs[t].name) == 0)
					known = true;
			if (!known)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("unexpected tensor \"%s\" in %s", key, where)));
			count++;
		}
	}
	for (int t = 0; t < n; t++)
	{
		const HelpTensor *spec = &specs[t];
		json_object *tensor;
		json_object *shape;
		char		tname[300];
		size_t		ndim;
		bool		ok;

		if (!json_object_object_get_ex(g, spec->name, &tensor))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("tensor \"%s\" is missing from %s", spec->name, where)));
		snprintf(tname, sizeof(tname), "tensor \"%s\" of %s", spec->name, where);
		if (!json_object_is_type(tensor, json_type_object))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must be an object with \"shape\" and \"data\"", tname)));
		help_json_only_keys(tensor, tensor_keys, tname);
		shape = help_json_member(tensor, "shape", json_type_array, tname);
		ndim = json_object_array_length(shape);
		ok = ndim == (size_t) spec->ndim;
		for (size_t d = 0; ok && d < ndim; d++)
		{
			json_object *dim = json_object_array_get_idx(shape, d);

			ok = json_object_is_type(dim, json_type_int) &&
				json_object_get_int64(dim) == spec->shape[d];
		}
		if (!ok)
		{
			if (spec->ndim == 2)
				ereport(ERROR,
						(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
						 errmsg("%s has shape %s, expected [%d, %d]", tname,
								json_object_to_json_string_ext(shape, JSON_C_TO_STRING_PLAIN),
								spec->shape[0], spec->shape[1])));
			else
				ereport(ERROR,
						(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
						 errmsg("%s has shape %s, expected [%d]", tname,
								json_object_to_json_string_ext(shape, JSON_C_TO_STRING_PLAIN),
								spec->shape[0])));
		}
		help_json_numbers(help_json_member(tensor, "data", json_type_array, tname),
						  spec->size, dst + spec->offset, NULL, tname);
	}
	Assert(count == n);
}

/* See help.h: read "model", "task_lr" and "inference_network" into view. */
void
help_read_tensor_groups(void *rootp, const HelpLayout *L, HelpPredictorView *v,
						const char *what)
{
	json_object *root = rootp;

	read_group(root, "model", L->tensors, L->n_tensors, v->theta, what);
	read_group(root, "task_lr", L->tensors, L->n_tensors, v->alpha, what);
	read_group(root, "inference_network", L->infer, HELP_INFER_TENSORS, v->infer, what);
}

/* Layer size from the shape of model/meta_learner.fc_hw2.bias. */
int
help_infer_width(void *rootp, const char *what)
{
	json_object *root = rootp;
	json_object *model = help_json_member(root, "model", json_type_object, what);
	json_object *t,
			   *shape,
			   *dim;
	int64		width;

	if (!json_object_object_get_ex(model, "meta_learner.fc_hw2.bias", &t) ||
		!json_object_is_type(t, json_type_object) ||
		!json_object_object_get_ex(t, "shape", &shape) ||
		!json_object_is_type(shape, json_type_array) ||
		json_object_array_length(shape) != 1 ||
		!json_object_is_type(dim = json_object_array_get_idx(shape, 0), json_type_int))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("tensor \"meta_learner.fc_hw2.bias\" with a one-dimensional shape is missing from \"model\" of %s",
						what)));
	width = json_object_get_int64(dim);
	if (width < 1 || width > HELP_MAX_WIDTH)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("layer size %lld in %s is outside 1..%d",
						(long long) width, what, HELP_MAX_WIDTH)));
	return (int) width;
}

/* Shortest "%.*g" text of f that reads back as the same float. */
static void
format_float(float f, char *buf, size_t size)
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

	format_float(f, buf, sizeof(buf));
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

/* {"name": {"shape": [...], "data": [...]}, ...} for a group of tensors. */
static json_object *
write_group(const HelpTensor *specs, int n, const float *src)
{
	json_object *g = json_object_new_object();

	for (int t = 0; t < n; t++)
	{
		json_object *tensor = json_object_new_object();
		json_object *shape = json_object_new_array();

		for (int d = 0; d < specs[t].ndim; d++)
			json_object_array_add(shape, json_object_new_int(specs[t].shape[d]));
		json_object_object_add(tensor, "shape", shape);
		json_object_object_add(tensor, "data",
							   help_json_float_array(src + specs[t].offset, specs[t].size));
		json_object_object_add(g, specs[t].name, tensor);
	}
	return g;
}

/* Add "model", "task_lr" and "inference_network" groups to root. */
void
help_write_tensor_groups(json_object *root, const HelpPredictorView *v)
{
	const HelpLayout *L = &v->layout;

	json_object_object_add(root, "model", write_group(L->tensors, L->n_tensors, v->theta));
	json_object_object_add(root, "task_lr", write_group(L->tensors, L->n_tensors, v->alpha));
	json_object_object_add(root, "inference_network",
						   write_group(L->infer, HELP_INFER_TENSORS, v->infer));
}

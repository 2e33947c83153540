/*
 * tensor_json.c
 *	  A predictor's weights in the published checkpoints' JSON layout:
 *	  groups of {"name": {"shape": [...], "data": [...]}} tensors, read with
 *	  every name and shape checked, and written back the same way.  Shared by
 *	  the text form of help_predictor and the checkpoint import.
 */
#include "tensor_json.h"

#include <stdio.h>

/* Read one {"name": {"shape": [...], "data": [...]}} group into dst. */
static void
ReadGroup(json_object *root, const char *group, const HelpTensor *specs, int n,
		  float *dst, const char *what)
{
	static const char *const tensor_keys[] = {"shape", "data", NULL};
	char		where[256];
	json_object *g;
	int			count = 0;

	snprintf(where, sizeof(where), "\"%s\" of %s", group, what);
	g = help_json_member(root, group, json_type_object, what);
	{
		/*
		 * Unknown tensor names are refused first: a checkpoint of another
		 * architecture would otherwise be read partly and fail later with a
		 * less helpful message.
		 */
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

		/*
		 * The shape must match the layout exactly, dimension by dimension: a
		 * transposed weight has the right number of values and would be read
		 * without complaint otherwise.
		 */
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

	/*
	 * Every name was known and every spec found, so the group holds exactly
	 * the layout's tensors.
	 */
	Assert(count == n);
}

/* See tensor_json.h: read "model", "task_lr" and "inference_network" into view. */
void
help_read_tensor_groups(json_object *root, const HelpLayout *L, HelpPredictorView *v,
						const char *what)
{
	ReadGroup(root, "model", L->tensors, L->n_tensors, v->theta, what);
	ReadGroup(root, "task_lr", L->tensors, L->n_tensors, v->alpha, what);
	ReadGroup(root, "inference_network", L->infer, HELP_INFER_TENSORS, v->infer, what);
}

/* Layer size from the shape of model/meta_learner.fc_hw2.bias. */
int
help_infer_width(json_object *root, const char *what)
{
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

/* {"name": {"shape": [...], "data": [...]}, ...} for a group of tensors. */
static void
WriteGroup(HelpJsonWriter *w, const HelpTensor *specs, int n, const float *src)
{
	help_jw_begin_object(w);
	for (int t = 0; t < n; t++)
	{
		help_jw_key(w, specs[t].name);
		help_jw_begin_object(w);
		help_jw_key(w, "shape");
		help_jw_begin_array(w);
		for (int d = 0; d < specs[t].ndim; d++)
			help_jw_int(w, specs[t].shape[d]);
		help_jw_end_array(w);
		help_jw_key(w, "data");
		help_jw_float4_array(w, src + specs[t].offset, specs[t].size);
		help_jw_end_object(w);
	}
	help_jw_end_object(w);
}

/* Write the "model", "task_lr" and "inference_network" members. */
void
help_write_tensor_groups(HelpJsonWriter *w, const HelpPredictorView *v)
{
	const HelpLayout *L = &v->layout;

	help_jw_key(w, "model");
	WriteGroup(w, L->tensors, L->n_tensors, v->theta);
	help_jw_key(w, "task_lr");
	WriteGroup(w, L->tensors, L->n_tensors, v->alpha);
	help_jw_key(w, "inference_network");
	WriteGroup(w, L->infer, HELP_INFER_TENSORS, v->infer);
}

/*
 * See tensor_json.h: the values of the three groups at the largest width,
 * in the largest space, counting each tensor's object, shape array and its
 * dimensions, and data array.
 */
Size
help_tensor_groups_max_values(void)
{
	Size		most = 0;

	for (int space = 0; space < HELP_N_SPACES; space++)
	{
		HelpLayout	L;
		Size		tensors;

		help_layout_init(&L, (HelpSpace) space, HELP_MAX_WIDTH);
		tensors = 2 * (Size) L.n_tensors + HELP_INFER_TENSORS;
		most = Max(most, 2 * L.n_params + L.n_infer + 3 + tensors * 6);
	}
	return most;
}

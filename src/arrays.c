/*
 * arrays.c
 *	  Conversions between SQL arrays and C vectors, with the checks every
 *	  caller needs (one dimension, no NULLs, finite values).
 */
#include "arrays.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/lsyscache.h"

/* Elements of a one-dimensional array without NULLs; 0 for an empty array. */
static int
CheckedLength(ArrayType *arr, Oid elemtype, const char *what)
{
	if (ARR_ELEMTYPE(arr) != elemtype)
		elog(ERROR, "%s: unexpected array element type %u", what, ARR_ELEMTYPE(arr));

	/*
	 * An empty array has no dimensions at all in PostgreSQL; callers check the
	 * length they need.
	 */
	if (ARR_NDIM(arr) == 0)
		return 0;
	if (ARR_NDIM(arr) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must be a one-dimensional array, not %d-dimensional",
						what, ARR_NDIM(arr))));
	if (ARR_HASNULL(arr) && array_contains_nulls(arr))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not contain NULLs", what)));
	return ARR_DIMS(arr)[0];
}

/* A palloc'd copy of a real[] with finite values; *n receives its length. */
float *
help_float4_array(ArrayType *arr, int *n, const char *what)
{
	int			len = CheckedLength(arr, FLOAT4OID, what);
	float	   *out = palloc(sizeof(float) * (len > 0 ? len : 1));

	/*
	 * Without NULLs the elements are contiguous, so one copy suffices; NaN and
	 * infinity are refused because no encoding or latency can hold them.
	 */
	memcpy(out, ARR_DATA_PTR(arr), sizeof(float) * len);
	for (int i = 0; i < len; i++)
		if (!isfinite(out[i]))
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("%s must contain only finite values, element %d is %g",
							what, i + 1, (double) out[i])));
	*n = len;
	return out;
}

/* A palloc'd copy of a float8[] with finite values; *n receives its length. */
double *
help_float8_array(ArrayType *arr, int *n, const char *what)
{
	int			len = CheckedLength(arr, FLOAT8OID, what);
	double	   *out = palloc(sizeof(double) * (len > 0 ? len : 1));

	/* As help_float4_array: contiguous elements, finite values only. */
	memcpy(out, ARR_DATA_PTR(arr), sizeof(double) * len);
	for (int i = 0; i < len; i++)
		if (!isfinite(out[i]))
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("%s must contain only finite values, element %d is %g",
							what, i + 1, out[i])));
	*n = len;
	return out;
}

/* A real[] built from a C vector. */
ArrayType *
help_make_float4_array(const float *v, int n)
{
	Datum	   *elems = palloc(sizeof(Datum) * (n > 0 ? n : 1));

	for (int i = 0; i < n; i++)
		elems[i] = Float4GetDatum(v[i]);
	return construct_array(elems, n, FLOAT4OID, sizeof(float4), true, TYPALIGN_INT);
}

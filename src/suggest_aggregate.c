/*
 * suggest_aggregate.c
 *	  The help_suggest aggregate: over the architectures of a space, each
 *	  marked measured or not, the arch_idx of the n a user should measure
 *	  next on the device (core/suggest.h says how they are chosen).
 *
 *	  help_suggest(predictor help_predictor, arch_idx int, arch real[],
 *	               measured boolean, n int) RETURNS int[]
 *
 * predictor is an adapted predictor of the device (its transfer model
 * decides), or NULL for the default prior; it and n must be the same on
 * every row.  The result is deterministic: rows are sorted by arch_idx
 * before the choice, and ties go to the smaller arch_idx.
 */
#include "predictor.h"
#include "adapted_cache.h"
#include "arrays.h"

#include "encode.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "suggest.h"
#include "utils/array.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(help_suggest_transfn);
PG_FUNCTION_INFO_V1(help_suggest_finalfn);

/* The most suggestions one call returns. */
#define MAX_SUGGESTIONS 10000

typedef struct SuggestState
{
	HelpPredictor *predictor;	/* detoasted copy, or NULL: default prior */
	int			space;			/* from the first encoding's width */
	int			enc_dim;
	int			n;				/* suggestions wanted */
	int			count;
	int			capacity;
	int		   *arch_idx;
	float	   *x;				/* count x enc_dim */
	bool	   *measured;
} SuggestState;

/* The search space whose encodings are width floats wide, or -1. */
static int
SpaceOfWidth(int width)
{
	for (int s = 0; s < HELP_N_SPACES; s++)
		if (help_space_encoding_dim((HelpSpace) s) == width)
			return s;
	return -1;
}

/* First row: fix the predictor, n and the space. */
static SuggestState *
SuggestStateNew(FunctionCallInfo fcinfo, MemoryContext aggcxt, int width)
{
	MemoryContext old = MemoryContextSwitchTo(aggcxt);
	SuggestState *st = palloc0(sizeof(SuggestState));

	if (PG_ARGISNULL(5))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("help_suggest's number of suggestions must not be NULL")));
	st->n = PG_GETARG_INT32(5);
	if (st->n < 0 || st->n > MAX_SUGGESTIONS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("help_suggest's number of suggestions must be between 0 and %d, not %d",
						MAX_SUGGESTIONS, st->n)));
	st->space = SpaceOfWidth(width);
	if (st->space < 0)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("architecture encoding has %d values, which is no search space's width", width)));
	st->enc_dim = width;
	if (!PG_ARGISNULL(1))
	{
		st->predictor = (HelpPredictor *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(1));
		if (!(st->predictor->flags & HELP_FLAG_ADAPTED))
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("help_suggest needs a predictor adapted to the device, or NULL"),
					 errhint("Adapt it on the device's reference measurements first.")));
		if (st->predictor->space != st->space)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("help_suggest got %s architectures for a %s predictor",
							help_space_name((HelpSpace) st->space),
							help_space_name((HelpSpace) st->predictor->space))));
	}
	st->capacity = 1024;
	st->arch_idx = palloc(sizeof(int) * st->capacity);
	st->x = palloc(sizeof(float) * st->enc_dim * st->capacity);
	st->measured = palloc(sizeof(bool) * st->capacity);
	MemoryContextSwitchTo(old);
	return st;
}

/* Later rows must carry the first row's predictor and n. */
static void
CheckSameGroup(FunctionCallInfo fcinfo, SuggestState *st)
{
	bool		same;

	if (PG_ARGISNULL(1))
		same = st->predictor == NULL;
	else
	{
		HelpPredictor *hdr = (HelpPredictor *)
			PG_DETOAST_DATUM_SLICE(PG_GETARG_DATUM(1), 0, HELP_PREDICTOR_HDRSZ);

		same = st->predictor != NULL && hdr->fingerprint == st->predictor->fingerprint;
	}
	if (!same || PG_ARGISNULL(5) || PG_GETARG_INT32(5) != st->n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("help_suggest got different predictors or numbers of suggestions within one group")));
}

/* help_suggest(predictor, arch_idx, arch, measured, n) transition. */
Datum
help_suggest_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	SuggestState *st;
	float	   *x;
	int			width;
	HelpError	err;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "help_suggest_transfn called in non-aggregate context");
	if (PG_ARGISNULL(2) || PG_ARGISNULL(3) || PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("help_suggest's arch_idx, architecture and measured flag must not be NULL")));
	x = help_float4_array(PG_GETARG_ARRAYTYPE_P(3), &width, "architecture encoding");
	if (PG_ARGISNULL(0))
		st = SuggestStateNew(fcinfo, aggcxt, width);
	else
	{
		st = (SuggestState *) PG_GETARG_POINTER(0);
		CheckSameGroup(fcinfo, st);
	}
	if (help_check_encoding((HelpSpace) st->space, x, width, &err) != HELP_OK)
		help_report(&err);
	if (st->count == st->capacity)
	{
		if (st->capacity >= MaxAllocSize / (sizeof(float) * st->enc_dim * 2))
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("help_suggest got too many architectures")));
		st->capacity *= 2;
		st->arch_idx = repalloc(st->arch_idx, sizeof(int) * st->capacity);
		st->x = repalloc(st->x, sizeof(float) * st->enc_dim * st->capacity);
		st->measured = repalloc(st->measured, sizeof(bool) * st->capacity);
	}
	st->arch_idx[st->count] = PG_GETARG_INT32(2);
	memcpy(st->x + (Size) st->count * st->enc_dim, x, sizeof(float) * st->enc_dim);
	st->measured[st->count] = PG_GETARG_BOOL(4);
	st->count++;
	PG_RETURN_POINTER(st);
}

/* Order of rows (indices into the state passed as arg): by arch_idx. */
static int
CompareArchIdx(const void *a, const void *b, void *arg)
{
	const SuggestState *st = arg;
	int			x = st->arch_idx[*(const int *) a],
				y = st->arch_idx[*(const int *) b];

	return x < y ? -1 : x > y ? 1 : 0;
}

/* help_suggest final: sort by arch_idx, choose, return the chosen arch_idx. */
Datum
help_suggest_finalfn(PG_FUNCTION_ARGS)
{
	SuggestState *st;
	int		   *order,
			   *chosen;
	float	   *X;
	bool	   *measured;
	double	   *help_ms = NULL;
	HelpAdapted *ad = NULL;
	Datum	   *out;
	int			n_chosen;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "help_suggest_finalfn called in non-aggregate context");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (SuggestState *) PG_GETARG_POINTER(0);

	/* a canonical row order, so that the choice does not depend on the scan */
	order = palloc(sizeof(int) * st->count);
	for (int i = 0; i < st->count; i++)
		order[i] = i;
	qsort_arg(order, st->count, sizeof(int), CompareArchIdx, st);
	X = palloc(sizeof(float) * st->enc_dim * (Size) Max(st->count, 1));
	measured = palloc(sizeof(bool) * Max(st->count, 1));
	for (int i = 0; i < st->count; i++)
	{
		if (i > 0 && st->arch_idx[order[i]] == st->arch_idx[order[i - 1]])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("help_suggest got arch_idx %d twice", st->arch_idx[order[i]])));
		memcpy(X + (Size) i * st->enc_dim, st->x + (Size) order[i] * st->enc_dim,
			   sizeof(float) * st->enc_dim);
		measured[i] = st->measured[order[i]];
	}

	if (st->predictor)
	{
		HelpPredictorView v;
		HelpError	err;

		help_predictor_view(st->predictor, &v);
		ad = help_adapted_state_for(&v, st->predictor, st->count, &err);
		if (ad == NULL)
			help_report(&err);
		help_ms = palloc(sizeof(double) * Max(st->count, 1));
		help_adapted_help_ms(ad, X, st->count, NULL, help_ms);
	}
	chosen = palloc(sizeof(int) * Max(st->n, 1));
	n_chosen = help_suggest((HelpSpace) st->space, ad ? &ad->transfer : NULL, X, help_ms,
							measured, st->count, st->n, chosen);
	out = palloc(sizeof(Datum) * Max(n_chosen, 1));
	for (int i = 0; i < n_chosen; i++)
		out[i] = Int32GetDatum(st->arch_idx[order[chosen[i]]]);
	PG_RETURN_ARRAYTYPE_P(construct_array(out, n_chosen, INT4OID, sizeof(int32), true, TYPALIGN_INT));
}

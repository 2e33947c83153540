/*
 * rank_aggregate.c
 *	  help_spearman and help_kendall aggregates over (x, y) pairs, with
 *	  combine, serialize and deserialize functions for parallel plans.
 *	  Rows with a NULL in x or y are skipped, as corr() does.
 */
#include "help.h"

#include <math.h>

#include "libpq/pqformat.h"
#include "rank.h"

PG_FUNCTION_INFO_V1(help_rank_transfn);
PG_FUNCTION_INFO_V1(help_rank_combinefn);
PG_FUNCTION_INFO_V1(help_rank_serialfn);
PG_FUNCTION_INFO_V1(help_rank_deserialfn);
PG_FUNCTION_INFO_V1(help_spearman_finalfn);
PG_FUNCTION_INFO_V1(help_kendall_finalfn);

/* Collected pairs, in the aggregate context. */
typedef struct RankState
{
	int64		n;
	int64		capacity;
	HelpPair   *pairs;
} RankState;

static RankState *
RankStateNew(MemoryContext cxt, int64 capacity)
{
	RankState  *st = MemoryContextAllocZero(cxt, sizeof(RankState));

	st->capacity = Max(capacity, 64);
	st->pairs = MemoryContextAllocHuge(cxt, sizeof(HelpPair) * st->capacity);
	return st;
}

/* Make room for extra more pairs. */
static void
RankStateReserve(RankState *st, int64 extra)
{
	if (st->n + extra <= st->capacity)
		return;
	while (st->n + extra > st->capacity)
		st->capacity *= 2;
	st->pairs = repalloc_huge(st->pairs, sizeof(HelpPair) * st->capacity);
}

/* Transition: append (x, y). */
Datum
help_rank_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	RankState  *st;
	double		x,
				y;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "help_rank_transfn called in non-aggregate context");
	st = PG_ARGISNULL(0) ? RankStateNew(aggcxt, 64) : (RankState *) PG_GETARG_POINTER(0);

	/*
	 * A pair with a NULL says nothing about the ranking: skip it, as corr()
	 * and the other two-argument statistics do.
	 */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);
	x = PG_GETARG_FLOAT8(1);
	y = PG_GETARG_FLOAT8(2);

	/*
	 * NaN has no place in an order (it compares unequal to everything), so
	 * ranks would be arbitrary: refuse it instead of returning a number.
	 */
	if (isnan(x) || isnan(y))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("rank correlation of NaN is undefined")));
	RankStateReserve(st, 1);
	st->pairs[st->n].x = x;
	st->pairs[st->n].y = y;
	st->n++;
	PG_RETURN_POINTER(st);
}

/* Combine two partial states into a new one in the aggregate context. */
Datum
help_rank_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	RankState  *a = PG_ARGISNULL(0) ? NULL : (RankState *) PG_GETARG_POINTER(0);
	RankState  *b = PG_ARGISNULL(1) ? NULL : (RankState *) PG_GETARG_POINTER(1);
	RankState  *st;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "help_rank_combinefn called in non-aggregate context");
	if (a == NULL && b == NULL)
		PG_RETURN_NULL();

	/*
	 * A new state in the aggregate context, not a reuse of a or b: the inputs
	 * of a combine function may live in memory the executor frees. Ranks need
	 * all pairs, so partial states are concatenated, not summarized.
	 */
	st = RankStateNew(aggcxt, (a ? a->n : 0) + (b ? b->n : 0));
	if (a)
	{
		memcpy(st->pairs, a->pairs, sizeof(HelpPair) * a->n);
		st->n = a->n;
	}
	if (b)
	{
		memcpy(st->pairs + st->n, b->pairs, sizeof(HelpPair) * b->n);
		st->n += b->n;
	}
	PG_RETURN_POINTER(st);
}

/* Serialize: count, then the pairs. */
Datum
help_rank_serialfn(PG_FUNCTION_ARGS)
{
	RankState  *st = (RankState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "help_rank_serialfn called in non-aggregate context");
	pq_begintypsend(&buf);
	pq_sendint64(&buf, st->n);
	for (int64 i = 0; i < st->n; i++)
	{
		pq_sendfloat8(&buf, st->pairs[i].x);
		pq_sendfloat8(&buf, st->pairs[i].y);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Deserialize what help_rank_serialfn wrote. */
Datum
help_rank_deserialfn(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcxt;
	StringInfoData buf;
	RankState  *st;
	int64		n;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "help_rank_deserialfn called in non-aggregate context");
	buf.data = VARDATA_ANY(data);
	buf.len = VARSIZE_ANY_EXHDR(data);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	n = pq_getmsgint64(&buf);

	/*
	 * The count sizes an allocation: bound it by the bytes actually present
	 * before trusting it.
	 */
	if (n < 0 || n > (int64) ((buf.len - buf.cursor) / (2 * sizeof(double))))
		elog(ERROR, "corrupt help rank state");
	st = RankStateNew(aggcxt, n);
	for (int64 i = 0; i < n; i++)
	{
		st->pairs[i].x = pq_getmsgfloat8(&buf);
		st->pairs[i].y = pq_getmsgfloat8(&buf);
	}
	st->n = n;
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(st);
}

/* Shared final step: NULL when the coefficient is undefined. */
static Datum
RankFinal(FunctionCallInfo fcinfo, double (*coefficient) (HelpPair *, long))
{
	RankState  *st;
	double		r;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "rank correlation final function called in non-aggregate context");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (RankState *) PG_GETARG_POINTER(0);
	/* the coefficient sorts pairs in place; the state is ours to reorder */
	r = coefficient(st->pairs, (long) st->n);
	if (isnan(r))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(r);
}

Datum
help_spearman_finalfn(PG_FUNCTION_ARGS)
{
	return RankFinal(fcinfo, help_spearman);
}

Datum
help_kendall_finalfn(PG_FUNCTION_ARGS)
{
	return RankFinal(fcinfo, help_kendall_tau_b);
}

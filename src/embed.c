/*
 * embed.c
 *	  help_embed_device: the hardware embedding of a device from its measured
 *	  latencies on the 10 reference architectures (docs/method.md section 1),
 *	  as a function of an array and as an aggregate over (position, latency)
 *	  rows in any order.
 */
#include "help.h"
#include "arrays.h"

#include <math.h>

#include "utils/array.h"

PG_FUNCTION_INFO_V1(help_embed_device_array);
PG_FUNCTION_INFO_V1(help_embed_device_transfn);
PG_FUNCTION_INFO_V1(help_embed_device_finalfn);

/* Check one reference latency. */
static void
CheckLatency(double ms, int position)
{
	char		what[64];

	snprintf(what, sizeof(what), "reference latency at position %d", position);
	help_check_latency(ms, what);
}

/* Min-max scale the 10 reference latencies to [0, 1] as a real[]. */
static ArrayType *
EmbeddingArray(const double *ms)
{
	float		emb[HELP_HW_DIM];
	double		lo = ms[0],
				hi = ms[0];

	/*
	 * The embedding is the reference latencies min-max scaled, docs/method.md
	 * section 1: only their relative order and spacing describe the device,
	 * not its absolute speed.
	 */
	for (int i = 0; i < HELP_HW_DIM; i++)
	{
		CheckLatency(ms[i], i + 1);
		lo = Min(lo, ms[i]);
		hi = Max(hi, ms[i]);
	}
	if (!(hi > lo))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("all %d reference latencies are equal (%g ms), so they do not describe the device",
						HELP_HW_DIM, lo)));
	for (int i = 0; i < HELP_HW_DIM; i++)
		emb[i] = (float) ((ms[i] - lo) / (hi - lo));
	return help_make_float4_array(emb, HELP_HW_DIM);
}

/* help_embed_device(latencies_ms float8[]) RETURNS real[] */
Datum
help_embed_device_array(PG_FUNCTION_ARGS)
{
	int			n;
	double	   *ms = help_float8_array(PG_GETARG_ARRAYTYPE_P(0), &n, "reference latencies");

	if (n != HELP_HW_DIM)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("expected %d reference latencies, got %d", HELP_HW_DIM, n)));
	PG_RETURN_ARRAYTYPE_P(EmbeddingArray(ms));
}

/* Aggregate state: latency by position, and which positions were seen. */
typedef struct EmbedState
{
	double		ms[HELP_HW_DIM];
	bool		seen[HELP_HW_DIM];
} EmbedState;

/* help_embed_device(position int, latency_ms float8) transition. */
Datum
help_embed_device_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	EmbedState *st;
	int32		pos;
	double		ms;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "help_embed_device_transfn called in non-aggregate context");
	st = PG_ARGISNULL(0) ? (EmbedState *) MemoryContextAllocZero(aggcxt, sizeof(EmbedState))
		: (EmbedState *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("help_embed_device position and latency must not be NULL")));
	pos = PG_GETARG_INT32(1);
	ms = PG_GETARG_FLOAT8(2);

	/*
	 * Rows may come in any order, so each names its position; a repeated or
	 * missing position would silently give another device's embedding, so both
	 * are errors.
	 */
	if (pos < 1 || pos > HELP_HW_DIM)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("reference position %d is out of range 1..%d", pos, HELP_HW_DIM)));
	if (st->seen[pos - 1])
		ereport(ERROR,
				(errcode(ERRCODE_CARDINALITY_VIOLATION),
				 errmsg("reference position %d appears more than once", pos)));
	CheckLatency(ms, pos);
	st->ms[pos - 1] = ms;
	st->seen[pos - 1] = true;
	PG_RETURN_POINTER(st);
}

/* help_embed_device(position, latency_ms) final: all 10 positions needed. */
Datum
help_embed_device_finalfn(PG_FUNCTION_ARGS)
{
	EmbedState *st;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "help_embed_device_finalfn called in non-aggregate context");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();		/* no rows: like other aggregates, NULL */
	st = (EmbedState *) PG_GETARG_POINTER(0);
	for (int i = 0; i < HELP_HW_DIM; i++)
		if (!st->seen[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("reference position %d is missing: the embedding needs all %d reference latencies",
							i + 1, HELP_HW_DIM)));
	PG_RETURN_ARRAYTYPE_P(EmbeddingArray(st->ms));
}

/*
 * predict_window.c
 *	  The window functions that score a whole partition in batches:
 *
 *	  help_predict_batch(predictor, arch)                   point prediction (ms)
 *	  help_predict_batch_stddev(predictor, arch)            spread of HELP's draws
 *	  help_predict_batch_with_stddev(predictor, arch)       both, help_prediction
 *	  help_predict_batch_interval(predictor, arch, level)   help_interval
 *	  help_predict_batch_probability(predictor, arch, max)  P(latency <= max)
 *
 * help_predict_latency runs once per row, so every row costs a batch-of-one
 * pass per modulator draw.  As a window function the same prediction can
 * look ahead in its partition: at a row not yet scored it scores that row
 * and the next ones, BATCH_ROWS at a time (matrix-matrix products instead
 * of matrix-vector ones), hands out one result per row, and lets the window
 * buffer drop the rows before the batch, so a partition of any size streams
 * through in bounded memory.  Each row's value depends only on its own
 * arguments; the frame is ignored.
 */
#include "predict_result.h"
#include "arrays.h"
#include "encode_sql.h"

#include "adapt.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "encode.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "windowapi.h"

PG_FUNCTION_INFO_V1(help_predict_batch);
PG_FUNCTION_INFO_V1(help_predict_batch_stddev);
PG_FUNCTION_INFO_V1(help_predict_batch_with_stddev);
PG_FUNCTION_INFO_V1(help_predict_batch_interval);
PG_FUNCTION_INFO_V1(help_predict_batch_probability);

#define BATCH_ROWS HELP_PREDICT_BATCH

/* The batch being handed out, in partition-local memory. */
typedef struct BatchResults
{
	bool		have_predictor;
	uint64		fingerprint;	/* the partition's predictor */
	int64		start;			/* the batch's first row */
	int			len;			/* its rows (0: none scored yet) */
	HelpTransfer transfer;		/* the predictor's predictive distribution */
	HelpRowPrediction rows[BATCH_ROWS];
	bool		isnull[BATCH_ROWS];
} BatchResults;

/* One row's architecture argument as an encoding (palloc'd). */
static float *
RowEncoding(WindowObject winobj, FmgrInfo *flinfo, HelpPredictCache *c, int64 row,
			bool *isnull)
{
	bool		isout;
	Datum		arch = WinGetFuncArgInPartition(winobj, 1, row, WINDOW_SEEK_HEAD, false,
											   isnull, &isout);
	Oid			type = get_fn_expr_argtype(flinfo, 1);
	float	   *x;
	int			n;
	HelpError	err;

	if (*isnull)
		return NULL;
	if (type == TEXTOID)
		return help_encode_text(c->view.layout.space, TextDatumGetCString(arch), &n);
	x = help_float4_array(DatumGetArrayTypeP(arch), &n, "architecture encoding");
	if (help_check_encoding(c->view.layout.space, x, n, &err) != HELP_OK)
		help_report(&err);
	return x;
}

/*
 * Score the rows from start on, up to BATCH_ROWS of them or the end of the
 * partition, into r.  Every row must carry the same predictor (one adapted
 * state per partition).
 */
static void
ScoreRows(WindowObject winobj, FmgrInfo *flinfo, int64 start, BatchResults *r)
{
	HelpPredictCache *c = NULL;
	float	   *X = NULL;
	int		   *slots = palloc(sizeof(int) * BATCH_ROWS);
	double	   *mean = palloc(sizeof(double) * BATCH_ROWS);
	double	   *spread = palloc(sizeof(double) * BATCH_ROWS);
	double	   *scale = palloc(sizeof(double) * BATCH_ROWS);
	float	   *draws = NULL;
	int			enc_dim = 0,
				m = 0,
				len = 0;

	for (; len < BATCH_ROWS; len++)
	{
		int64		row = start + len;
		bool		isnull,
					isout;
		Datum		p = WinGetFuncArgInPartition(winobj, 0, row, WINDOW_SEEK_HEAD, false,
												 &isnull, &isout);
		float	   *x;

		if (isout)
			break;
		r->isnull[len] = true;
		if (isnull)
			continue;
		c = help_predict_cache(flinfo, p, BATCH_ROWS);
		if (!r->have_predictor)
		{
			r->fingerprint = c->fingerprint;
			r->transfer = c->adapted->transfer;
			r->have_predictor = true;
		}
		else if (c->fingerprint != r->fingerprint)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("help_predict_batch got different predictors within one window partition"),
					 errhint("Score one predictor per partition: OVER (PARTITION BY the column that selects the predictor).")));
		if (X == NULL)
		{
			enc_dim = help_space_encoding_dim(c->view.layout.space);
			X = palloc(sizeof(float) * enc_dim * BATCH_ROWS);
			draws = palloc(sizeof(float) * BATCH_ROWS * c->adapted->n_draws);
		}
		x = RowEncoding(winobj, flinfo, c, row, &isnull);
		if (isnull)
			continue;
		memcpy(X + (Size) m * enc_dim, x, sizeof(float) * enc_dim);
		slots[m++] = len;
	}
	if (m > 0)
		help_adapted_predict(c->adapted, X, m, draws, mean, spread, scale);
	for (int i = 0; i < m; i++)
	{
		r->rows[slots[i]].mean_ms = mean[i];
		r->rows[slots[i]].spread_ms = spread[i];
		r->rows[slots[i]].scale_ms = scale[i];
		r->isnull[slots[i]] = false;
	}
	r->start = start;
	r->len = len;
}

/*
 * The batch holding this row (*row): at a row past the scored batch, score
 * the next one from there, and let the window buffer forget the rows
 * before it.
 */
static BatchResults *
PartitionResults(FunctionCallInfo fcinfo, int64 *row)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	BatchResults *r = WinGetPartitionLocalMemory(winobj, sizeof(BatchResults));

	*row = WinGetCurrentPosition(winobj);
	if (r->len == 0 || *row >= r->start + r->len)
	{
		MemoryContext scratch = AllocSetContextCreate(CurrentMemoryContext,
													  "help_predict_batch rows",
													  ALLOCSET_DEFAULT_SIZES);
		MemoryContext old = MemoryContextSwitchTo(scratch);

		WinSetMarkPosition(winobj, *row);
		ScoreRows(winobj, fcinfo->flinfo, *row, r);
		MemoryContextSwitchTo(old);
		MemoryContextDelete(scratch);
	}
	*row -= r->start;
	return r;
}

/* Shared body: this row's mean or standard deviation. */
static Datum
PredictBatchCommon(FunctionCallInfo fcinfo, bool want_stddev)
{
	int64		row;
	BatchResults *r = PartitionResults(fcinfo, &row);

	if (r->isnull[row])
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(want_stddev ? r->rows[row].spread_ms : r->rows[row].mean_ms);
}

/* help_predict_batch(predictor, arch real[] | text) OVER (...) RETURNS float8 */
Datum
help_predict_batch(PG_FUNCTION_ARGS)
{
	return PredictBatchCommon(fcinfo, false);
}

/* help_predict_batch_stddev(predictor, arch real[] | text) OVER (...) RETURNS float8 */
Datum
help_predict_batch_stddev(PG_FUNCTION_ARGS)
{
	return PredictBatchCommon(fcinfo, true);
}

/*
 * help_predict_batch_with_stddev(predictor, arch real[] | text) OVER (...)
 * RETURNS help_prediction: both values from one scoring of the partition.
 */
Datum
help_predict_batch_with_stddev(PG_FUNCTION_ARGS)
{
	int64		row;
	BatchResults *r = PartitionResults(fcinfo, &row);
	TupleDesc	desc;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	if (r->isnull[row])
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "help_predict_batch_with_stddev must return a composite type");
	desc = BlessTupleDesc(desc);
	values[0] = Float8GetDatum(r->rows[row].mean_ms);
	values[1] = Float8GetDatum(r->rows[row].spread_ms);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

/*
 * help_predict_batch_interval(predictor, arch real[] | text, level float8)
 * OVER (...) RETURNS help_interval.  The level is read per row (it may
 * differ between rows); NULL or outside (0, 1) is an error.
 */
Datum
help_predict_batch_interval(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	bool		isnull;
	Datum		level_arg = WinGetFuncArgCurrent(winobj, 2, &isnull);
	double		level = help_level_argument(isnull, level_arg);
	int64		row;
	BatchResults *r = PartitionResults(fcinfo, &row);

	if (r->isnull[row])
		PG_RETURN_NULL();
	PG_RETURN_DATUM(help_interval_datum(fcinfo, &r->transfer, &r->rows[row], level));
}

/*
 * help_predict_batch_probability(predictor, arch real[] | text,
 * max_latency_ms float8) OVER (...) RETURNS float8: the probability that
 * the row's latency is at most max_latency_ms (read per row).
 */
Datum
help_predict_batch_probability(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	bool		isnull;
	Datum		budget_arg = WinGetFuncArgCurrent(winobj, 2, &isnull);
	double		budget = help_budget_argument(isnull, budget_arg);
	int64		row;
	BatchResults *r = PartitionResults(fcinfo, &row);

	if (r->isnull[row])
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(help_probability_within(&r->transfer, &r->rows[row], budget));
}

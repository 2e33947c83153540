/*
 * fuzz_common.h
 *	  What the fuzz targets of the PostgreSQL layer share: calling a V1
 *	  function outside the server, and the properties every accepted
 *	  help_predictor must have.
 */
#ifndef HELP_FUZZ_COMMON_H
#define HELP_FUZZ_COMMON_H

#include "predictor.h"

#include <stdio.h>

#include "lib/stringinfo.h"
#include "pg_shim.h"

extern Datum help_predictor_in(PG_FUNCTION_ARGS);
extern Datum help_predictor_out(PG_FUNCTION_ARGS);
extern Datum help_predictor_recv(PG_FUNCTION_ARGS);
extern Datum help_predictor_send(PG_FUNCTION_ARGS);

/* fn(a), as DirectFunctionCall1 calls it. */
static inline Datum
FuzzCall1(PGFunction fn, Datum a)
{
	LOCAL_FCINFO(fcinfo, 1);

	InitFunctionCallInfoData(*fcinfo, NULL, 1, InvalidOid, NULL, NULL);
	fcinfo->args[0].value = a;
	fcinfo->args[0].isnull = false;
	return fn(fcinfo);
}

/* The binary form of p, as help_predictor_send gives it (varlena). */
static inline bytea *
FuzzSend(HelpPredictor *p)
{
	return DatumGetByteaPP(FuzzCall1(help_predictor_send, PointerGetDatum(p)));
}

/* help_predictor_recv of len bytes. */
static inline HelpPredictor *
FuzzRecv(const char *data, int len)
{
	StringInfoData buf;

	buf.data = (char *) data;
	buf.len = len;
	buf.maxlen = len;
	buf.cursor = 0;
	return (HelpPredictor *) DatumGetPointer(FuzzCall1(help_predictor_recv, PointerGetDatum(&buf)));
}

/*
 * What every accepted predictor must satisfy: its text form reads back to
 * the very same value and prints the same text again; its binary form
 * reads back to the same value (so pg_dump, in either format, and drivers
 * keep it exactly).
 */
static inline void
FuzzRequireRoundTrips(HelpPredictor *p)
{
	char	   *text = DatumGetCString(FuzzCall1(help_predictor_out, PointerGetDatum(p)));
	HelpPredictor *again = (HelpPredictor *) DatumGetPointer(FuzzCall1(help_predictor_in,
																	  CStringGetDatum(text)));
	bytea	   *bin = FuzzSend(p);
	HelpPredictor *from_bin = FuzzRecv(VARDATA(bin), VARSIZE(bin) - VARHDRSZ);

	FUZZ_REQUIRE(VARSIZE(again) == VARSIZE(p) && memcmp(again, p, VARSIZE(p)) == 0);
	FUZZ_REQUIRE(strcmp(DatumGetCString(FuzzCall1(help_predictor_out, PointerGetDatum(again))),
						text) == 0);
	FUZZ_REQUIRE(VARSIZE(from_bin) == VARSIZE(p) && memcmp(from_bin, p, VARSIZE(p)) == 0);
}

#endif							/* HELP_FUZZ_COMMON_H */

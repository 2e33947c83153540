/*
 * aggregate_options.c
 *	  The options argument (jsonb) of the help_adapt and help_meta_train
 *	  aggregates: read as text once, and the same on every row.
 */
#include "aggregate_options.h"

#include "utils/jsonb.h"

/* The options argument (transition argument 5) as JSON text, or NULL. */
char *
help_agg_options(FunctionCallInfo fcinfo)
{
	Jsonb	   *jb;

	if (PG_NARGS() < 6 || PG_ARGISNULL(5))
		return NULL;
	jb = PG_GETARG_JSONB_P(5);
	return JsonbToCString(NULL, &jb->root, VARSIZE(jb));
}

/* Error unless this row's options equal the first row's (first may be NULL). */
void
help_agg_check_same_options(FunctionCallInfo fcinfo, const char *first, const char *aggname)
{
	char	   *options = help_agg_options(fcinfo);

	if ((options == NULL) != (first == NULL) || (options && strcmp(options, first) != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s options must be the same on every row", aggname)));
	if (options)
		pfree(options);
}

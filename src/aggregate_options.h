/*
 * aggregate_options.h
 *	  The options argument (jsonb) of the help_adapt and help_meta_train
 *	  aggregates.
 */
#ifndef HELP_AGGREGATE_OPTIONS_H
#define HELP_AGGREGATE_OPTIONS_H

#include "help.h"

extern char *help_agg_options(FunctionCallInfo fcinfo);
extern void help_agg_check_same_options(FunctionCallInfo fcinfo, const char *first,
										const char *aggname);

#endif							/* HELP_AGGREGATE_OPTIONS_H */

/*
 * help.h
 *	  What every file of the PostgreSQL layer includes first: the server's
 *	  basics, the core's shared definitions, and the one place that turns a
 *	  core error into an ereport with its SQLSTATE (errors.c).
 *
 * Each concern of the layer has its own header: predictor.h (the on-disk
 * type), predict_cache.h and adapted_cache.h (adapted state per query and
 * per backend), options.h, json_util.h, tensor_json.h, encode_sql.h,
 * arrays.h and aggregate_options.h.
 */
#ifndef HELP_H
#define HELP_H

#include "postgres.h"

#include "fmgr.h"

#include "help_core.h"

/* errors.c */
extern void help_report(const HelpError *err);
extern void help_check_latency(double ms, const char *what);
extern int	help_sqlstate(HelpStatus status);
extern void help_install_allocator(void);
extern void help_install_interrupt_hook(void);

#endif							/* HELP_H */

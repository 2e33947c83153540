/*
 * json_util.h
 *	  json-c helpers of the PostgreSQL layer (json_util.c).
 */
#ifndef HELP_JSON_UTIL_H
#define HELP_JSON_UTIL_H

#include "help.h"

#include <json.h>

#include "json_check.h"

/* Limits of a JSON text read by help_json_run_parsed */
extern const HelpJsonLimits help_json_default_limits;

/*
 * Work on a json-c tree that must be freed whatever happens: fn(root, arg)
 * runs, then root is freed, also when fn raises an ERROR.  The _parsed
 * form parses text first (help_json_parse).
 */
typedef void (*HelpJsonFn) (json_object *root, void *arg);
extern void help_json_run_owned(json_object *root, HelpJsonFn fn, void *arg);
extern void help_json_run_parsed(const char *text, const char *what, HelpJsonFn fn,
								 void *arg);
extern void help_json_run_parsed_limited(const char *text, const char *what,
										 const HelpJsonLimits *limits, HelpJsonFn fn,
										 void *arg);

extern json_object *help_json_parse(const char *text, const char *what,
									const HelpJsonLimits *limits);
extern json_object *help_json_member(json_object *obj, const char *key,
									 json_type type, const char *what);
extern void help_json_only_keys(json_object *obj, const char *const *allowed,
								const char *what);
extern double help_json_number(json_object *val, const char *what, size_t index);
extern void help_json_numbers(json_object *arr, size_t n, float *f4, double *f8,
							  const char *what);

#endif							/* HELP_JSON_UTIL_H */

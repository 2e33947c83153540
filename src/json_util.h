/*
 * json_util.h
 *	  json-c helpers of the PostgreSQL layer (json_util.c).
 */
#ifndef HELP_JSON_UTIL_H
#define HELP_JSON_UTIL_H

#include "help.h"

#include <json.h>

/*
 * Work on a json-c tree that must be freed whatever happens: fn(root, arg)
 * runs, then root is freed, also when fn raises an ERROR.  The _parsed
 * form parses text first (help_json_parse).
 */
typedef void (*HelpJsonFn) (json_object *root, void *arg);
extern void help_json_run_owned(json_object *root, HelpJsonFn fn, void *arg);
extern void help_json_run_parsed(const char *text, const char *what, HelpJsonFn fn,
								 void *arg);

extern json_object *help_json_parse(const char *text, const char *what);
extern json_object *help_json_member(json_object *obj, const char *key,
									 json_type type, const char *what);
extern void help_json_only_keys(json_object *obj, const char *const *allowed,
								const char *what);
extern double help_json_number(json_object *val, const char *what, size_t index);
extern void help_json_numbers(json_object *arr, size_t n, float *f4, double *f8,
							  const char *what);
extern json_object *help_json_float(float f);
extern json_object *help_json_double(double d);
extern json_object *help_json_float_array(const float *v, size_t n);
extern char *help_json_text(json_object *obj);

#endif							/* HELP_JSON_UTIL_H */

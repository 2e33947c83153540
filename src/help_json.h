/*
 * help_json.h
 *	  json-c helpers shared by predictor text I/O and checkpoint import.
 */
#ifndef HELP_JSON_H
#define HELP_JSON_H

#include <json.h>

#include "help.h"

extern json_object *help_json_parse(const char *text, const char *what);
extern json_object *help_json_member(json_object *obj, const char *key,
									 json_type type, const char *what);
extern void help_json_only_keys(json_object *obj, const char *const *allowed,
								const char *what);
extern double help_json_number(json_object *val, const char *what, size_t index);
extern void help_json_numbers(json_object *arr, size_t n, float *f4, double *f8,
							  const char *what);
extern void help_read_tensor_groups(void *root, const HelpLayout *layout,
									HelpPredictorView *view, const char *what);
extern int	help_infer_width(void *root, const char *what);
extern void help_write_tensor_groups(json_object *root, const HelpPredictorView *view);
extern json_object *help_json_float(float f);
extern json_object *help_json_double(double d);
extern json_object *help_json_float_array(const float *v, size_t n);
extern char *help_json_text(json_object *obj);

#endif							/* HELP_JSON_H */

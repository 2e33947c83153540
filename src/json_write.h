/*
 * json_write.h
 *	  The one JSON writer of the extension (json_write.c): every JSON text it
 *	  emits (the predictor's text form, provenance, help_predictor_info) is
 *	  written through it, so strings are always escaped and floats always
 *	  read back to the same bits.
 */
#ifndef HELP_JSON_WRITE_H
#define HELP_JSON_WRITE_H

#include "help.h"

#include "json_check.h"
#include "lib/stringinfo.h"

/* Writes compact JSON (no whitespace) into buf; commas come by themselves. */
typedef struct HelpJsonWriter
{
	StringInfo	buf;
	int			depth;
	bool		after_key;		/* a key was written: its value comes next */
	bool		need_comma[HELP_JSON_MAX_DEPTH + 1];
} HelpJsonWriter;

extern void help_jw_init(HelpJsonWriter *w, StringInfo buf);
extern void help_jw_begin_object(HelpJsonWriter *w);
extern void help_jw_end_object(HelpJsonWriter *w);
extern void help_jw_begin_array(HelpJsonWriter *w);
extern void help_jw_end_array(HelpJsonWriter *w);
extern void help_jw_key(HelpJsonWriter *w, const char *key);
extern void help_jw_string(HelpJsonWriter *w, const char *s);
extern void help_jw_int(HelpJsonWriter *w, int64 v);
extern void help_jw_bool(HelpJsonWriter *w, bool v);
extern void help_jw_null(HelpJsonWriter *w);
/* the fewest digits that read back to the same float4 / float8 */
extern void help_jw_float4(HelpJsonWriter *w, float f);
extern void help_jw_float8(HelpJsonWriter *w, double d);
extern void help_jw_float4_array(HelpJsonWriter *w, const float *v, size_t n);
/* a number printed with printf's fmt (e.g. "%.4f"), which must be finite */
extern void help_jw_number(HelpJsonWriter *w, const char *fmt, double d);
/* a JSON value already in canonical form (help_json_canonical), as it is */
extern void help_jw_json(HelpJsonWriter *w, const char *canonical_json);

#endif							/* HELP_JSON_WRITE_H */

/*
 * json_write.c
 *	  The extension's one JSON writer (see json_write.h).
 *
 * Compact output, as json-c's "plain" printer writes it, and strings escaped
 * the way json_check.c's canonical form escapes them, so that provenance
 * written here is canonical and text written by earlier versions (through
 * json-c) reads back to the same bytes.  Memory comes from the StringInfo
 * (palloc): running out is an ERROR, never a silently missing value.
 */
#include "json_write.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

void
help_jw_init(HelpJsonWriter *w, StringInfo buf)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
}

/* Before a value or a key: the comma that separates it from the previous one. */
static void
Separate(HelpJsonWriter *w)
{
	if (w->after_key)
	{
		w->after_key = false;
		return;
	}
	if (w->need_comma[w->depth])
		appendStringInfoChar(w->buf, ',');
	w->need_comma[w->depth] = true;
}

static void
Open(HelpJsonWriter *w, char c)
{
	Separate(w);
	if (w->depth >= HELP_JSON_MAX_DEPTH)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("JSON nested deeper than %d levels", HELP_JSON_MAX_DEPTH)));
	appendStringInfoChar(w->buf, c);
	w->depth++;
	w->need_comma[w->depth] = false;
}

static void
Close(HelpJsonWriter *w, char c)
{
	Assert(w->depth > 0 && !w->after_key);
	appendStringInfoChar(w->buf, c);
	w->depth--;
}

void
help_jw_begin_object(HelpJsonWriter *w)
{
	Open(w, '{');
}

void
help_jw_end_object(HelpJsonWriter *w)
{
	Close(w, '}');
}

void
help_jw_begin_array(HelpJsonWriter *w)
{
	Open(w, '[');
}

void
help_jw_end_array(HelpJsonWriter *w)
{
	Close(w, ']');
}

/* A string token: \" \\ \b \f \n \r \t, \u00xx for other controls, the rest as is. */
static void
AppendString(StringInfo buf, const char *s)
{
	appendStringInfoChar(buf, '"');
	for (; *s; s++)
	{
		unsigned char c = (unsigned char) *s;

		switch (c)
		{
			case '"':
				appendStringInfoString(buf, "\\\"");
				break;
			case '\\':
				appendStringInfoString(buf, "\\\\");
				break;
			case '\b':
				appendStringInfoString(buf, "\\b");
				break;
			case '\f':
				appendStringInfoString(buf, "\\f");
				break;
			case '\n':
				appendStringInfoString(buf, "\\n");
				break;
			case '\r':
				appendStringInfoString(buf, "\\r");
				break;
			case '\t':
				appendStringInfoString(buf, "\\t");
				break;
			default:
				if (c < 0x20)
					appendStringInfo(buf, "\\u%04x", c);
				else
					appendStringInfoChar(buf, (char) c);
		}
	}
	appendStringInfoChar(buf, '"');
}

void
help_jw_key(HelpJsonWriter *w, const char *key)
{
	Assert(!w->after_key);
	Separate(w);
	AppendString(w->buf, key);
	appendStringInfoChar(w->buf, ':');
	w->after_key = true;
}

void
help_jw_string(HelpJsonWriter *w, const char *s)
{
	Separate(w);
	AppendString(w->buf, s);
}

void
help_jw_int(HelpJsonWriter *w, int64 v)
{
	Separate(w);
	appendStringInfo(w->buf, INT64_FORMAT, v);
}

void
help_jw_bool(HelpJsonWriter *w, bool v)
{
	Separate(w);
	appendStringInfoString(w->buf, v ? "true" : "false");
}

void
help_jw_null(HelpJsonWriter *w)
{
	Separate(w);
	appendStringInfoString(w->buf, "null");
}

/*
 * JSON has no NaN or infinity, and the integer -0 reads back as +0: a
 * negative zero is written "-0.0", which readers keep as a double.
 */
static void
CheckFinite(double d)
{
	if (!isfinite(d))
		elog(ERROR, "non-finite number %g cannot be written as JSON", d);
}

/* See json_write.h: the shortest "%.*g" text that reads back as f. */
void
help_jw_float4(HelpJsonWriter *w, float f)
{
	char		buf[32];

	CheckFinite(f);
	Separate(w);
	if (f == 0.0f && signbit(f))
	{
		appendStringInfoString(w->buf, "-0.0");
		return;
	}
	for (int prec = 6; prec <= 9; prec++)
	{
		snprintf(buf, sizeof(buf), "%.*g", prec, (double) f);
		if (strtof(buf, NULL) == f)
			break;
	}
	appendStringInfoString(w->buf, buf);
}

/* See json_write.h: the shortest of %.15g..%.17g that reads back as d. */
void
help_jw_float8(HelpJsonWriter *w, double d)
{
	char		buf[40];

	CheckFinite(d);
	Separate(w);
	if (d == 0.0 && signbit(d))
	{
		appendStringInfoString(w->buf, "-0.0");
		return;
	}
	for (int prec = 15; prec <= 17; prec++)
	{
		snprintf(buf, sizeof(buf), "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	appendStringInfoString(w->buf, buf);
}

void
help_jw_float4_array(HelpJsonWriter *w, const float *v, size_t n)
{
	help_jw_begin_array(w);
	for (size_t i = 0; i < n; i++)
		help_jw_float4(w, v[i]);
	help_jw_end_array(w);
}

void
help_jw_number(HelpJsonWriter *w, const char *fmt, double d)
{
	CheckFinite(d);
	Separate(w);
	appendStringInfo(w->buf, fmt, d);
}

void
help_jw_json(HelpJsonWriter *w, const char *canonical_json)
{
	Separate(w);
	appendStringInfoString(w->buf, canonical_json);
}

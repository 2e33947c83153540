/*
 * json_check.h
 *	  The strict JSON checker every JSON text the extension reads goes
 *	  through first, and the canonical form the extension stores and prints.
 *
 * JSON as RFC 8259 defines it and nothing more: no comments, single quotes,
 * trailing commas, NaN or Infinity, leading zeros or '+'; valid UTF-8, no
 * "\u0000", no unpaired surrogate; no key twice in one object; integers
 * (numbers without fraction or exponent) within int64; nesting and the
 * number of values within the caller's limits.  A text that passes means
 * one thing to every reader, so json-c's laxness (it keeps the last of two
 * equal keys, reads 'single quotes' and comments, cuts strings at \u0000)
 * is never reached, and any failure of json-c on a checked text can only
 * be an allocation failure.
 *
 * The canonical form is the text without insignificant whitespace, every
 * token as written except the integer -0 (written 0) and strings, which are
 * written with the escapes json-c's printer uses (\" \\ \b \f \n \r \t,
 * \u00xx for other control characters, everything else as UTF-8): the form
 * json-c gave stored provenance until now, so those values stay canonical.
 */
#ifndef HELP_JSON_CHECK_H
#define HELP_JSON_CHECK_H

#include "help_core.h"

#include <stdbool.h>

/* Nesting of any JSON document the extension reads. */
#define HELP_JSON_MAX_DEPTH 64

typedef struct HelpJsonLimits
{
	int			max_depth;		/* arrays and objects inside each other */
	size_t		max_values;		/* values of every kind, containers included */
} HelpJsonLimits;

/* What a checked text holds. */
typedef struct HelpJsonStats
{
	size_t		values;			/* every value, containers included */
	size_t		nulls;			/* of them, null */
	int			depth;			/* deepest nesting (a scalar alone: 0) */
	char		top;			/* first character of the top value: '{', '[', ... */
} HelpJsonStats;

/* A growing text buffer (help_alloc'd, NUL-terminated). */
typedef struct HelpJsonBuf
{
	char	   *data;
	size_t		len;
	size_t		cap;
} HelpJsonBuf;

/*
 * Check text[0..len) as one JSON value with only whitespace around it.
 * stats may be NULL; with canonical non-NULL (an empty, zeroed buffer, or
 * one to append to) the canonical form is appended to it.  Errors:
 * HELP_ERR_SYNTAX for anything RFC 8259 or uniqueness of keys forbids,
 * HELP_ERR_RANGE for an integer beyond int64, HELP_ERR_LIMIT beyond the
 * limits; the message gives the byte offset.
 */
extern HelpStatus help_json_check(const char *text, size_t len,
								  const HelpJsonLimits *limits, HelpJsonStats *stats,
								  HelpJsonBuf *canonical, HelpError *err);

/*
 * In a checked text whose top value is an object, the span [*start, *end)
 * of the value of member key; false when there is no such member.
 */
extern bool help_json_member_span(const char *text, size_t len, const char *key,
								  size_t *start, size_t *end);

extern void help_json_buf_free(HelpJsonBuf *buf);

#endif							/* HELP_JSON_CHECK_H */

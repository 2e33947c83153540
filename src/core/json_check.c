/*
 * json_check.c
 *	  The strict JSON checker and canonical printer (see json_check.h).
 *
 * One pass over the text with an explicit stack of open containers (no
 * recursion, so nesting costs no C stack), the keys of the open objects on
 * a second stack for the uniqueness check, and the canonical form appended
 * as the tokens go by.  Memory: the key stacks and the canonical buffer,
 * from help_alloc (palloc inside the server).
 */
#include "json_check.h"

#include "alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An open array or object. */
typedef struct Frame
{
	char		type;			/* '[' or '{' */
	size_t		first_key;		/* its keys start here on the key stack */
} Frame;

/* A key of an open object: bytes [off, off + len) of key_bytes, decoded. */
typedef struct KeySpan
{
	size_t		off;
	size_t		len;
} KeySpan;

/* A key for sorting: the bytes themselves (the key stack no longer moves). */
typedef struct KeyRef
{
	const char *p;
	size_t		len;
} KeyRef;

typedef struct Checker
{
	const char *s;
	size_t		len;
	size_t		pos;
	const HelpJsonLimits *lim;
	HelpJsonStats st;
	HelpJsonBuf *out;			/* canonical form, or NULL */
	HelpError  *err;
	Frame		frames[HELP_JSON_MAX_DEPTH + 1];
	int			depth;
	KeySpan    *keys;			/* keys of the open objects */
	size_t		n_keys,
				cap_keys;
	HelpJsonBuf key_bytes;		/* their decoded bytes */
	bool		in_key;			/* the string being read is a key */
} Checker;

/* Grow a help_alloc'd array of elem-byte items to hold at least need. */
static void *
Grow(void *old, size_t elem, size_t used, size_t *cap, size_t need)
{
	size_t		n = *cap ? *cap : 16;
	void	   *p;

	if (need <= *cap)
		return old;
	while (n < need)
		n *= 2;
	p = help_alloc(n * elem);
	if (used > 0)
		memcpy(p, old, used * elem);
	help_free(old);
	*cap = n;
	return p;
}

/* Append n bytes to a buffer, keeping it NUL-terminated. */
static void
BufAppend(HelpJsonBuf *b, const char *data, size_t n)
{
	b->data = Grow(b->data, 1, b->len, &b->cap, b->len + n + 1);
	memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* See json_check.h. */
void
help_json_buf_free(HelpJsonBuf *b)
{
	help_free(b->data);
	memset(b, 0, sizeof(*b));
}

static void
Out(Checker *c, const char *data, size_t n)
{
	if (c->out)
		BufAppend(c->out, data, n);
}

static HelpStatus Fail(Checker *c, HelpStatus status, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));

/* Record an error at the current offset; returns the status. */
static HelpStatus
Fail(Checker *c, HelpStatus status, const char *fmt,...)
{
	char		what[200];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return help_set_error(c->err, status, "%s at offset %zu", what, c->pos);
}

static void
SkipWs(Checker *c)
{
	while (c->pos < c->len &&
		   (c->s[c->pos] == ' ' || c->s[c->pos] == '\t' ||
			c->s[c->pos] == '\n' || c->s[c->pos] == '\r'))
		c->pos++;
}

/* Value of a hex digit, or -1. */
static int
HexValue(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Four hex digits at s[pos..pos+4), or -1. */
static long
Hex4(const Checker *c, size_t pos)
{
	long		v = 0;

	if (pos + 4 > c->len)
		return -1;
	for (int i = 0; i < 4; i++)
	{
		int			h = HexValue(c->s[pos + i]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* UTF-8 bytes of code point cp into buf; returns their count. */
static int
Utf8Encode(unsigned long cp, char *buf)
{
	if (cp < 0x80)
	{
		buf[0] = (char) cp;
		return 1;
	}
	if (cp < 0x800)
	{
		buf[0] = (char) (0xC0 | (cp >> 6));
		buf[1] = (char) (0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000)
	{
		buf[0] = (char) (0xE0 | (cp >> 12));
		buf[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
		buf[2] = (char) (0x80 | (cp & 0x3F));
		return 3;
	}
	buf[0] = (char) (0xF0 | (cp >> 18));
	buf[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
	buf[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
	buf[3] = (char) (0x80 | (cp & 0x3F));
	return 4;
}

/*
 * Length of the valid UTF-8 sequence at s[pos], or 0: no overlong forms, no
 * surrogates, nothing above U+10FFFF (RFC 3629).
 */
static int
Utf8Length(const Checker *c, size_t pos)
{
	const unsigned char *p = (const unsigned char *) c->s + pos;
	size_t		avail = c->len - pos;
	int			n;
	unsigned char lo = 0x80,
				hi = 0xBF;

	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		n = 2;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
	{
		n = 3;
		if (p[0] == 0xE0)
			lo = 0xA0;			/* overlong below U+0800 */
		if (p[0] == 0xED)
			hi = 0x9F;			/* surrogates U+D800..DFFF */
	}
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
	{
		n = 4;
		if (p[0] == 0xF0)
			lo = 0x90;			/* overlong below U+10000 */
		if (p[0] == 0xF4)
			hi = 0x8F;			/* above U+10FFFF */
	}
	else
		return 0;
	if (avail < (size_t) n || p[1] < lo || p[1] > hi)
		return 0;
	for (int i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	return n;
}

/* Emit one decoded character of a string: canonical escape and key bytes. */
static void
EmitChar(Checker *c, unsigned long cp)
{
	char		buf[8];
	int			n;

	if (c->in_key)
	{
		n = Utf8Encode(cp, buf);
		BufAppend(&c->key_bytes, buf, n);
	}
	if (c->out == NULL)
		return;
	switch (cp)
	{
		case '"':
			Out(c, "\\\"", 2);
			return;
		case '\\':
			Out(c, "\\\\", 2);
			return;
		case '\b':
			Out(c, "\\b", 2);
			return;
		case '\f':
			Out(c, "\\f", 2);
			return;
		case '\n':
			Out(c, "\\n", 2);
			return;
		case '\r':
			Out(c, "\\r", 2);
			return;
		case '\t':
			Out(c, "\\t", 2);
			return;
	}
	if (cp < 0x20)
	{
		snprintf(buf, sizeof(buf), "\\u%04lx", cp);
		Out(c, buf, 6);
		return;
	}
	n = Utf8Encode(cp, buf);
	Out(c, buf, n);
}

/* A string at c->pos (the opening quote), decoded and checked. */
static HelpStatus
String(Checker *c)
{
	size_t		run;			/* start of plain bytes not yet emitted */

	c->pos++;
	Out(c, "\"", 1);
	run = c->pos;
	for (;;)
	{
		unsigned char ch;

		if (c->pos >= c->len)
			return Fail(c, HELP_ERR_SYNTAX, "unterminated string");
		ch = (unsigned char) c->s[c->pos];
		if (ch == '"' || ch == '\\' || ch < 0x20 || ch >= 0x80)
		{
			/* plain ASCII since run goes out as it is */
			Out(c, c->s + run, c->pos - run);
			if (c->in_key)
				BufAppend(&c->key_bytes, c->s + run, c->pos - run);
		}
		if (ch == '"')
			break;
		if (ch < 0x20)
			return Fail(c, HELP_ERR_SYNTAX, "control character 0x%02x in a string", ch);
		if (ch >= 0x80)
		{
			int			n = Utf8Length(c, c->pos);

			if (n == 0)
				return Fail(c, HELP_ERR_SYNTAX, "invalid UTF-8 in a string");
			Out(c, c->s + c->pos, n);
			if (c->in_key)
				BufAppend(&c->key_bytes, c->s + c->pos, n);
			c->pos += n;
			run = c->pos;
			continue;
		}
		if (ch == '\\')
		{
			char		e = c->pos + 1 < c->len ? c->s[c->pos + 1] : '\0';
			unsigned long cp;

			switch (e)
			{
				case '"':
				case '\\':
				case '/':
					cp = (unsigned char) e;
					break;
				case 'b':
					cp = '\b';
					break;
				case 'f':
					cp = '\f';
					break;
				case 'n':
					cp = '\n';
					break;
				case 'r':
					cp = '\r';
					break;
				case 't':
					cp = '\t';
					break;
				case 'u':
					{
						long		u = Hex4(c, c->pos + 2);

						if (u < 0)
							return Fail(c, HELP_ERR_SYNTAX, "invalid \\u escape");
						if (u == 0)
							return Fail(c, HELP_ERR_SYNTAX,
										"\\u0000 in a string (strings cannot hold NUL)");
						if (u >= 0xDC00 && u <= 0xDFFF)
							return Fail(c, HELP_ERR_SYNTAX, "unpaired low surrogate \\u%04lx", u);
						if (u >= 0xD800 && u <= 0xDBFF)
						{
							long		lo = -1;

							if (c->pos + 7 < c->len && c->s[c->pos + 6] == '\\' &&
								c->s[c->pos + 7] == 'u')
								lo = Hex4(c, c->pos + 8);
							if (lo < 0xDC00 || lo > 0xDFFF)
								return Fail(c, HELP_ERR_SYNTAX,
											"unpaired high surrogate \\u%04lx", u);
							cp = 0x10000 + (((unsigned long) u - 0xD800) << 10) +
								((unsigned long) lo - 0xDC00);
							c->pos += 6;
						}
						else
							cp = (unsigned long) u;
						c->pos += 4;
						break;
					}
				default:
					return Fail(c, HELP_ERR_SYNTAX, "invalid escape in a string");
			}
			EmitChar(c, cp);
			c->pos += 2;
			run = c->pos;
			continue;
		}
		c->pos++;
		/* a long string still lets an interrupt through now and then */
		if ((c->pos & 0x3FFFFF) == 0)
			HELP_CHECK_INTERRUPTS();
	}
	c->pos++;
	Out(c, "\"", 1);
	return HELP_OK;
}

/* A number at c->pos, in RFC 8259's grammar; integers must fit int64. */
static HelpStatus
Number(Checker *c)
{
	static const char int64_max[] = "9223372036854775807";
	static const char int64_min[] = "9223372036854775808";	/* without '-' */
	size_t		start = c->pos,
				digits;
	bool		negative = false,
				integer = true;

	if (c->s[c->pos] == '-')
	{
		negative = true;
		c->pos++;
	}
	digits = c->pos;
	if (c->pos < c->len && c->s[c->pos] == '0')
		c->pos++;
	else if (c->pos < c->len && c->s[c->pos] >= '1' && c->s[c->pos] <= '9')
		while (c->pos < c->len && c->s[c->pos] >= '0' && c->s[c->pos] <= '9')
			c->pos++;
	else
		return Fail(c, HELP_ERR_SYNTAX, "invalid number");
	digits = c->pos - digits;
	if (c->pos < c->len && c->s[c->pos] >= '0' && c->s[c->pos] <= '9')
		return Fail(c, HELP_ERR_SYNTAX, "number with a leading zero");
	if (c->pos < c->len && c->s[c->pos] == '.')
	{
		integer = false;
		c->pos++;
		if (!(c->pos < c->len && c->s[c->pos] >= '0' && c->s[c->pos] <= '9'))
			return Fail(c, HELP_ERR_SYNTAX, "number without digits after its decimal point");
		while (c->pos < c->len && c->s[c->pos] >= '0' && c->s[c->pos] <= '9')
			c->pos++;
	}
	if (c->pos < c->len && (c->s[c->pos] == 'e' || c->s[c->pos] == 'E'))
	{
		integer = false;
		c->pos++;
		if (c->pos < c->len && (c->s[c->pos] == '+' || c->s[c->pos] == '-'))
			c->pos++;
		if (!(c->pos < c->len && c->s[c->pos] >= '0' && c->s[c->pos] <= '9'))
			return Fail(c, HELP_ERR_SYNTAX, "number without digits in its exponent");
		while (c->pos < c->len && c->s[c->pos] >= '0' && c->s[c->pos] <= '9')
			c->pos++;
	}

	/*
	 * An integer beyond int64 would be saturated by json-c: two texts would
	 * read as one value.  Without leading zeros, comparing digit strings of
	 * equal length compares the numbers.
	 */
	if (integer)
	{
		const char *lim = negative ? int64_min : int64_max;
		const char *d = c->s + c->pos - digits;

		if (digits > 19 || (digits == 19 && memcmp(d, lim, 19) > 0))
		{
			size_t		end = c->pos;

			c->pos = start;
			help_set_error(c->err, HELP_ERR_RANGE, "integer %.*s is out of range for int64 at offset %zu",
						   (int) (end - start > 40 ? 40 : end - start), c->s + start, start);
			return HELP_ERR_RANGE;
		}
		if (negative && digits == 1 && c->s[start + 1] == '0')
		{
			Out(c, "0", 1);		/* json-c's printer has no integer -0 */
			return HELP_OK;
		}
	}
	Out(c, c->s + start, c->pos - start);
	return HELP_OK;
}

/* true, false or null at c->pos. */
static HelpStatus
Literal(Checker *c)
{
	static const char *const words[] = {"true", "false", "null"};

	for (int i = 0; i < 3; i++)
	{
		size_t		n = strlen(words[i]);

		if (c->len - c->pos >= n && memcmp(c->s + c->pos, words[i], n) == 0)
		{
			Out(c, words[i], n);
			c->pos += n;
			if (i == 2)
				c->st.nulls++;
			return HELP_OK;
		}
	}
	return Fail(c, HELP_ERR_SYNTAX, "invalid token");
}

/* A key (a string) of the innermost object, pushed on the key stack. */
static HelpStatus
Key(Checker *c)
{
	HelpStatus	status;

	if (c->pos >= c->len || c->s[c->pos] != '"')
		return Fail(c, HELP_ERR_SYNTAX, "expected a string as object key");
	c->keys = Grow(c->keys, sizeof(KeySpan), c->n_keys, &c->cap_keys, c->n_keys + 1);
	c->keys[c->n_keys].off = c->key_bytes.len;
	c->in_key = true;
	status = String(c);
	c->in_key = false;
	if (status != HELP_OK)
		return status;
	c->keys[c->n_keys].len = c->key_bytes.len - c->keys[c->n_keys].off;
	c->n_keys++;
	SkipWs(c);
	if (c->pos >= c->len || c->s[c->pos] != ':')
		return Fail(c, HELP_ERR_SYNTAX, "expected \":\" after an object key");
	Out(c, ":", 1);
	c->pos++;
	SkipWs(c);
	return HELP_OK;
}

static int
CompareKeyRefs(const void *a, const void *b)
{
	const KeyRef *x = a,
			   *y = b;
	int			cmp = memcmp(x->p, y->p, x->len < y->len ? x->len : y->len);

	if (cmp != 0)
		return cmp;
	return (x->len > y->len) - (x->len < y->len);
}

/*
 * Close the innermost object: no key twice (small objects pairwise, large
 * ones sorted), then pop its keys.
 */
static HelpStatus
CloseObject(Checker *c)
{
	size_t		first = c->frames[c->depth].first_key;
	size_t		n = c->n_keys - first;
	const KeyRef *dup = NULL;
	KeyRef	   *refs = NULL;
	HelpStatus	status = HELP_OK;

	if (n > 1)
	{
		refs = help_alloc(sizeof(KeyRef) * n);
		for (size_t i = 0; i < n; i++)
		{
			refs[i].p = c->key_bytes.data + c->keys[first + i].off;
			refs[i].len = c->keys[first + i].len;
		}
		if (n <= 8)
		{
			for (size_t i = 0; i < n && !dup; i++)
				for (size_t j = i + 1; j < n && !dup; j++)
					if (CompareKeyRefs(&refs[i], &refs[j]) == 0)
						dup = &refs[i];
		}
		else
		{
			qsort(refs, n, sizeof(KeyRef), CompareKeyRefs);
			for (size_t i = 1; i < n && !dup; i++)
				if (CompareKeyRefs(&refs[i - 1], &refs[i]) == 0)
					dup = &refs[i];
		}
		if (dup)
			status = Fail(c, HELP_ERR_SYNTAX, "duplicate key \"%.*s\" in the object ending",
						  (int) (dup->len > 60 ? 60 : dup->len), dup->p);
		help_free(refs);
	}
	if (n > 0)
		c->key_bytes.len = c->keys[first].off;
	c->n_keys = first;
	return status;
}

/* Count a value against the limit. */
static HelpStatus
CountValue(Checker *c)
{
	if (++c->st.values > c->lim->max_values)
		return Fail(c, HELP_ERR_LIMIT, "more than %zu values", c->lim->max_values);
	if ((c->st.values & 0xFFFF) == 0)
		HELP_CHECK_INTERRUPTS();
	return HELP_OK;
}

/* Open an array or object at c->pos. */
static HelpStatus
Open(Checker *c, char type)
{
	int			max_depth = c->lim->max_depth < HELP_JSON_MAX_DEPTH ?
		c->lim->max_depth : HELP_JSON_MAX_DEPTH;

	if (c->depth + 1 > max_depth)
		return Fail(c, HELP_ERR_LIMIT, "nesting deeper than %d levels", max_depth);
	c->depth++;
	if (c->depth > c->st.depth)
		c->st.depth = c->depth;
	c->frames[c->depth].type = type;
	c->frames[c->depth].first_key = c->n_keys;
	Out(c, &type, 1);
	c->pos++;
	SkipWs(c);
	return HELP_OK;
}

/* The whole check; c is set up, the key stacks empty. */
static HelpStatus
Check(Checker *c)
{
	HelpStatus	status;

	SkipWs(c);
	if (c->pos < c->len)
		c->st.top = c->s[c->pos];
	for (;;)
	{
		char		ch;

		/* a value starts at c->pos */
		if (c->pos >= c->len)
			return Fail(c, HELP_ERR_SYNTAX, "unexpected end of input");
		if ((status = CountValue(c)) != HELP_OK)
			return status;
		ch = c->s[c->pos];
		if (ch == '{' || ch == '[')
		{
			if ((status = Open(c, ch)) != HELP_OK)
				return status;
			if (c->pos < c->len && c->s[c->pos] == (ch == '{' ? '}' : ']'))
			{
				/* empty: closed below, as after any value */
			}
			else
			{
				if (ch == '{' && (status = Key(c)) != HELP_OK)
					return status;
				continue;
			}
		}
		else if (ch == '"')
		{
			if ((status = String(c)) != HELP_OK)
				return status;
		}
		else if (ch == '-' || (ch >= '0' && ch <= '9'))
		{
			if ((status = Number(c)) != HELP_OK)
				return status;
		}
		else if ((status = Literal(c)) != HELP_OK)
			return status;

		/* after a value: close containers, or go on to the next member */
		for (;;)
		{
			char		type;

			SkipWs(c);
			if (c->depth == 0)
			{
				if (c->pos < c->len)
					return Fail(c, HELP_ERR_SYNTAX, "unexpected text after the value");
				return HELP_OK;
			}
			type = c->frames[c->depth].type;
			if (c->pos < c->len && c->s[c->pos] == (type == '{' ? '}' : ']'))
			{
				if (type == '{' && (status = CloseObject(c)) != HELP_OK)
					return status;
				Out(c, type == '{' ? "}" : "]", 1);
				c->pos++;
				c->depth--;
				continue;
			}
			if (c->pos < c->len && c->s[c->pos] == ',')
			{
				Out(c, ",", 1);
				c->pos++;
				SkipWs(c);
				if (type == '{' && (status = Key(c)) != HELP_OK)
					return status;
				break;
			}
			return Fail(c, HELP_ERR_SYNTAX, type == '{' ? "expected \",\" or \"}\""
						: "expected \",\" or \"]\"");
		}
	}
}

/* See json_check.h. */
HelpStatus
help_json_check(const char *text, size_t len, const HelpJsonLimits *limits,
				HelpJsonStats *stats, HelpJsonBuf *canonical, HelpError *err)
{
	Checker    *c = help_alloc(sizeof(Checker));
	HelpStatus	status;

	c->s = text;
	c->len = len;
	c->lim = limits;
	c->out = canonical;
	c->err = err;
	status = Check(c);
	if (stats)
		*stats = c->st;
	help_free(c->keys);
	help_json_buf_free(&c->key_bytes);
	help_free(c);
	return status;
}

/* End of the string starting at text[pos] (its opening quote): past the closing one. */
static size_t
SkipString(const char *text, size_t len, size_t pos)
{
	for (pos++; pos < len && text[pos] != '"'; pos++)
		if (text[pos] == '\\')
			pos++;
	return pos + 1;
}

/* End of the (checked) value starting at text[pos]. */
static size_t
SkipValue(const char *text, size_t len, size_t pos)
{
	int			depth = 0;

	if (text[pos] == '"')
		return SkipString(text, len, pos);
	if (text[pos] != '{' && text[pos] != '[')
	{
		while (pos < len && !strchr(",]} \t\n\r", text[pos]))
			pos++;
		return pos;
	}
	for (; pos < len; pos++)
	{
		if (text[pos] == '"')
			pos = SkipString(text, len, pos) - 1;
		else if (text[pos] == '{' || text[pos] == '[')
			depth++;
		else if ((text[pos] == '}' || text[pos] == ']') && --depth == 0)
			return pos + 1;
	}
	return pos;
}

/* The four hex digits at p, which a checked text guarantees. */
static unsigned long
CheckedHex4(const char *p)
{
	unsigned long v = 0;

	for (int i = 0; i < 4; i++)
		v = v * 16 + (unsigned long) HexValue(p[i]);
	return v;
}

/*
 * Whether the (checked) string token text[kstart - 1 .. kend] decodes to
 * key: escapes are decoded as json-c decodes them, so a member json-c finds
 * under key is found here too.
 */
static bool
KeyEquals(const char *text, size_t kstart, size_t kend, const char *key)
{
	size_t		k = 0,
				klen = strlen(key);

	for (size_t p = kstart; p < kend;)
	{
		char		buf[8];
		int			n = 1;

		buf[0] = text[p];
		if (text[p] == '\\')
		{
			char		e = text[p + 1];
			static const char from[] = "bfnrt",
						to[] = "\b\f\n\r\t";

			if (e == 'u')
			{
				unsigned long cp = CheckedHex4(text + p + 2);

				if (cp >= 0xD800 && cp <= 0xDBFF)
				{
					cp = 0x10000 + ((cp - 0xD800) << 10) + (CheckedHex4(text + p + 8) - 0xDC00);
					p += 6;
				}
				n = Utf8Encode(cp, buf);
				p += 6;
			}
			else
			{
				buf[0] = strchr(from, e) ? to[strchr(from, e) - from] : e;
				p += 2;
			}
		}
		else
			p++;
		if (k + n > klen || memcmp(key + k, buf, n) != 0)
			return false;
		k += n;
	}
	return k == klen;
}

/* See json_check.h. */
bool
help_json_member_span(const char *text, size_t len, const char *key,
					  size_t *start, size_t *end)
{
	size_t		pos = 0;

#define WS(p) while ((p) < len && strchr(" \t\n\r", text[p]) && text[p]) (p)++
	WS(pos);
	if (pos >= len || text[pos] != '{')
		return false;
	pos++;
	for (;;)
	{
		size_t		kstart,
					kend;

		WS(pos);
		if (pos >= len || text[pos] != '"')
			return false;
		kstart = pos + 1;
		kend = SkipString(text, len, pos) - 1;
		pos = kend + 1;
		WS(pos);
		pos++;					/* ':' */
		WS(pos);
		*start = pos;
		pos = SkipValue(text, len, pos);
		if (KeyEquals(text, kstart, kend, key))
		{
			*end = pos;
			return true;
		}
		WS(pos);
		if (pos >= len || text[pos] != ',')
			return false;
		pos++;
	}
#undef WS
}

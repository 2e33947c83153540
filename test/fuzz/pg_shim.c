/*
 * pg_shim.c
 *	  Just enough of the server for the fuzz targets to run the extension's
 *	  PostgreSQL-layer parsers as they are (text and binary input of
 *	  help_predictor, checkpoint import, options, architecture texts)
 *	  outside a backend.
 *
 * palloc is malloc with every chunk on one list, freed at once by
 * help_shim_reset() after each input, so the fuzzer's leak detector sees
 * only real leaks (json-c's, which the layer must free itself).  ereport
 * and elog jump, as in the server, to the innermost PG_TRY or to
 * help_shim_guarded(), and record the SQLSTATE.  StringInfo and the
 * pq_getmsg and pq_send functions behave as the server's.
 */
#include "postgres.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#include "pg_shim.h"

#include "arrays.h"

/*
 * port.h sends snprintf and its kin to PostgreSQL's own implementation;
 * here they are the C library's.
 */
#undef vsnprintf
#undef snprintf
#undef fprintf
#undef vfprintf

int
pg_vsnprintf(char *str, size_t count, const char *fmt, va_list args)
{
	return vsnprintf(str, count, fmt, args);
}

int
pg_fprintf(FILE *stream, const char *fmt,...)
{
	va_list		ap;
	int			n;

	va_start(ap, fmt);
	n = vfprintf(stream, fmt, ap);
	va_end(ap);
	return n;
}

/* Every fuzz target of the layer: the core allocates through palloc, as in a backend. */
int			LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	help_install_allocator();
	return 0;
}

/* The server's globals that the layer's code and macros refer to. */
sigjmp_buf *PG_exception_stack = NULL;
ErrorContextCallback *error_context_stack = NULL;
volatile sig_atomic_t InterruptPending = false;
MemoryContext CurrentMemoryContext = NULL;

/* Every palloc'd chunk, so that help_shim_reset frees them all. */
typedef struct Chunk
{
	struct Chunk *prev,
			   *next;
	size_t		size;
	max_align_t pad[];			/* the caller's memory starts here, aligned */
} Chunk;

static Chunk chunks = {&chunks, &chunks, 0};

static int	error_level;
static int	error_sqlstate;
static char error_text[1024];	/* the last ERROR's message and detail */

/* See pg_shim.h. */
const char *
help_shim_last_error(void)
{
	return error_text;
}

/* Append a message part to error_text. */
static void
ErrorText(const char *fmt, va_list ap)
{
	size_t		len = strlen(error_text);

	if (len > 0 && len + 2 < sizeof(error_text))
	{
		strcat(error_text, ": ");
		len += 2;
	}
	vsnprintf(error_text + len, sizeof(error_text) - len, fmt, ap);
}

void
help_shim_reset(void)
{
	while (chunks.next != &chunks)
	{
		Chunk	   *c = chunks.next;

		chunks.next = c->next;
		free(c);
	}
	chunks.prev = &chunks;
	PG_exception_stack = NULL;
	error_context_stack = NULL;
}

/* See pg_shim.h: fn(arg) with ERRORs caught; the SQLSTATE, or 0. */
int
help_shim_guarded(void (*fn) (void *), void *arg)
{
	sigjmp_buf	buf;

	error_sqlstate = 0;
	if (sigsetjmp(buf, 0) == 0)
	{
		PG_exception_stack = &buf;
		fn(arg);
		PG_exception_stack = NULL;
		return 0;
	}
	PG_exception_stack = NULL;
	error_context_stack = NULL;
	return error_sqlstate ? error_sqlstate : -1;
}

void *
palloc_extended(Size size, int flags)
{
	Chunk	   *c;

	if (!(flags & MCXT_ALLOC_HUGE) && !AllocSizeIsValid(size))
		elog(ERROR, "invalid memory alloc request size %zu", size);
	c = malloc(sizeof(Chunk) + (size ? size : 1));
	if (c == NULL)
	{
		if (flags & MCXT_ALLOC_NO_OOM)
			return NULL;
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	}
	c->size = size;
	c->next = chunks.next;
	c->prev = &chunks;
	chunks.next->prev = c;
	chunks.next = c;
	if (flags & MCXT_ALLOC_ZERO)
		memset(c->pad, 0, size);
	return c->pad;
}

void *
palloc(Size size)
{
	return palloc_extended(size, 0);
}

void *
palloc0(Size size)
{
	return palloc_extended(size, MCXT_ALLOC_ZERO);
}

void *
MemoryContextAllocZero(MemoryContext context, Size size)
{
	return palloc0(size);
}

void *
MemoryContextAlloc(MemoryContext context, Size size)
{
	return palloc(size);
}

void
pfree(void *p)
{
	Chunk	   *c = (Chunk *) ((char *) p - offsetof(Chunk, pad));

	c->prev->next = c->next;
	c->next->prev = c->prev;
	free(c);
}

void *
repalloc(void *p, Size size)
{
	Chunk	   *c = (Chunk *) ((char *) p - offsetof(Chunk, pad));
	void	   *q = palloc_extended(size, MCXT_ALLOC_HUGE);

	memcpy(q, p, Min(size, c->size));
	pfree(p);
	return q;
}

void *
repalloc_huge(void *p, Size size)
{
	return repalloc(p, size);
}

char *
pstrdup(const char *s)
{
	size_t		n = strlen(s);
	char	   *d = palloc(n + 1);

	memcpy(d, s, n + 1);
	return d;
}

char *
pnstrdup(const char *s, Size len)
{
	char	   *d = palloc(len + 1);

	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

char *
psprintf(const char *fmt,...)
{
	va_list		ap;
	int			n;
	char	   *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = palloc(n + 1);
	va_start(ap, fmt);
	vsnprintf(s, n + 1, fmt, ap);
	va_end(ap);
	return s;
}

int
pg_snprintf(char *str, size_t count, const char *fmt,...)
{
	va_list		ap;
	int			n;

	va_start(ap, fmt);
	n = vsnprintf(str, count, fmt, ap);
	va_end(ap);
	return n;
}

Size
add_size(Size s1, Size s2)
{
	Size		result = s1 + s2;

	if (result < s1 || result < s2)
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED), errmsg("requested shared memory size overflows size_t")));
	return result;
}

Size
mul_size(Size s1, Size s2)
{
	Size		result;

	if (s1 == 0 || s2 == 0)
		return 0;
	result = s1 * s2;
	if (result / s2 != s1)
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED), errmsg("requested shared memory size overflows size_t")));
	return result;
}

/* Errors: only ERROR and above are raised; the rest are dropped. */
bool
errstart(int elevel, const char *domain)
{
	error_level = elevel;
	error_sqlstate = ERRCODE_INTERNAL_ERROR;
	error_text[0] = '\0';
	return elevel >= ERROR;
}

bool
errstart_cold(int elevel, const char *domain)
{
	return errstart(elevel, domain);
}

void
errfinish(const char *filename, int lineno, const char *funcname)
{
	if (error_level >= ERROR)
		pg_re_throw();
}

void
pg_re_throw(void)
{
	if (PG_exception_stack == NULL)
		abort();				/* an ERROR outside help_shim_guarded */
	siglongjmp(*PG_exception_stack, 1);
}

int
errcode(int sqlerrcode)
{
	error_sqlstate = sqlerrcode;
	return 0;
}

/* errmsg, errmsg_internal and errdetail: their text goes to error_text. */
#define ERROR_TEXT_FUNCTION(name) \
int \
name(const char *fmt,...) \
{ \
	va_list		ap; \
\
	va_start(ap, fmt); \
	ErrorText(fmt, ap); \
	va_end(ap); \
	return 0; \
}

ERROR_TEXT_FUNCTION(errmsg)
ERROR_TEXT_FUNCTION(errmsg_internal)
ERROR_TEXT_FUNCTION(errdetail)

int
errhint(const char *fmt,...)
{
	return 0;
}

void
ProcessInterrupts(void)
{
}

/* StringInfo, as lib/stringinfo.c. */
void
initStringInfo(StringInfo str)
{
	str->maxlen = 1024;
	str->data = palloc(str->maxlen);
	resetStringInfo(str);
}

void
resetStringInfo(StringInfo str)
{
	str->data[0] = '\0';
	str->len = 0;
	str->cursor = 0;
}

void
enlargeStringInfo(StringInfo str, int needed)
{
	int			newlen;

	if (needed < 0 || ((Size) needed) >= (MaxAllocSize - (Size) str->len))
		elog(ERROR, "out of memory: cannot enlarge string buffer");
	needed += str->len + 1;
	if (needed <= str->maxlen)
		return;
	newlen = 2 * str->maxlen;
	while (needed > newlen)
		newlen = 2 * newlen;
	if (newlen > (int) MaxAllocSize)
		newlen = (int) MaxAllocSize;
	str->data = repalloc(str->data, newlen);
	str->maxlen = newlen;
}

void
appendBinaryStringInfo(StringInfo str, const char *data, int datalen)
{
	enlargeStringInfo(str, datalen);
	memcpy(str->data + str->len, data, datalen);
	str->len += datalen;
	str->data[str->len] = '\0';
}

void
appendStringInfoString(StringInfo str, const char *s)
{
	appendBinaryStringInfo(str, s, strlen(s));
}

void
appendStringInfoChar(StringInfo str, char ch)
{
	appendBinaryStringInfo(str, &ch, 1);
}

void
appendStringInfo(StringInfo str, const char *fmt,...)
{
	va_list		ap;
	int			n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	enlargeStringInfo(str, n);
	va_start(ap, fmt);
	vsnprintf(str->data + str->len, n + 1, fmt, ap);
	va_end(ap);
	str->len += n;
}

/* Binary messages, as libpq/pqformat.c. */
void
pq_begintypsend(StringInfo buf)
{
	initStringInfo(buf);
	appendBinaryStringInfo(buf, "\0\0\0\0", 4);
}

bytea *
pq_endtypsend(StringInfo buf)
{
	bytea	   *result = (bytea *) buf->data;

	SET_VARSIZE(result, buf->len);
	return result;
}

void
pq_sendbytes(StringInfo buf, const char *data, int datalen)
{
	appendBinaryStringInfo(buf, data, datalen);
}

void
pq_sendfloat4(StringInfo msg, float4 f)
{
	union
	{
		float4		f;
		uint32		i;
	}			swap;

	swap.f = f;
	pq_sendint32(msg, swap.i);
}

void
pq_sendfloat8(StringInfo msg, float8 f)
{
	union
	{
		float8		f;
		int64		i;
	}			swap;

	swap.f = f;
	pq_sendint64(msg, swap.i);
}

/* The next n bytes of msg, or an ERROR as the server gives it. */
static const char *
Take(StringInfo msg, int n)
{
	const char *p;

	if (n < 0 || msg->cursor + n > msg->len)
		ereport(ERROR, (errcode(ERRCODE_PROTOCOL_VIOLATION), errmsg("insufficient data left in message")));
	p = msg->data + msg->cursor;
	msg->cursor += n;
	return p;
}

unsigned int
pq_getmsgint(StringInfo msg, int b)
{
	const unsigned char *p = (const unsigned char *) Take(msg, b);
	unsigned int v = 0;

	for (int i = 0; i < b; i++)
		v = (v << 8) | p[i];
	return v;
}

int64
pq_getmsgint64(StringInfo msg)
{
	const unsigned char *p = (const unsigned char *) Take(msg, 8);
	uint64		v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return (int64) v;
}

int
pq_getmsgbyte(StringInfo msg)
{
	return (unsigned char) *Take(msg, 1);
}

float4
pq_getmsgfloat4(StringInfo msg)
{
	union
	{
		float4		f;
		uint32		i;
	}			swap;

	swap.i = pq_getmsgint(msg, 4);
	return swap.f;
}

float8
pq_getmsgfloat8(StringInfo msg)
{
	union
	{
		float8		f;
		int64		i;
	}			swap;

	swap.i = pq_getmsgint64(msg);
	return swap.f;
}

void
pq_copymsgbytes(StringInfo msg, char *buf, int datalen)
{
	memcpy(buf, Take(msg, datalen), datalen);
}

void
pq_getmsgend(StringInfo msg)
{
	if (msg->cursor != msg->len)
		ereport(ERROR, (errcode(ERRCODE_PROTOCOL_VIOLATION), errmsg("invalid message format")));
}

/* The fuzz targets pass plain, untoasted values only. */
struct varlena *
pg_detoast_datum(struct varlena *datum)
{
	if (VARATT_IS_EXTENDED(datum))
		abort();
	return datum;
}

struct varlena *
pg_detoast_datum_packed(struct varlena *datum)
{
	return pg_detoast_datum(datum);
}

/* Referenced by SQL-callable wrappers the targets never call. */
char *
JsonbToCString(StringInfo out, JsonbContainer *in, int estimated_len)
{
	abort();
}

char *
text_to_cstring(const text *t)
{
	abort();
}

ArrayType *
help_make_float4_array(const float *v, int n)
{
	abort();
}

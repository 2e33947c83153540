/*
 * predictor_binary.c
 *	  Binary input and output of help_predictor (COPY BINARY, drivers).
 *
 * The binary form is the header's fields in network byte order, then the
 * floats, the support latencies and the provenance text.  Input trusts
 * nothing: every field that sizes an allocation is bounded before the
 * allocation, and the assembled value goes through the same validation as
 * the text form and the checkpoint import.
 */
#include "predictor.h"

#include "libpq/pqformat.h"

PG_FUNCTION_INFO_V1(help_predictor_send);
PG_FUNCTION_INFO_V1(help_predictor_recv);

/* Binary output: header fields, then floats, latencies and provenance. */
Datum
help_predictor_send(PG_FUNCTION_ARGS)
{
	HelpPredictor *p = PG_GETARG_HELP_PREDICTOR_P(0);
	HelpPredictorView v;
	StringInfoData buf;
	Size		nfloats = help_predictor_float_count(p);

	help_predictor_view(p, &v);

	/*
	 * Every field and float goes out through pq_send* in network byte order,
	 * never as a memory image, so the value reads back on a server of the
	 * other byte order; the order of fields is what help_predictor_recv reads.
	 */
	pq_begintypsend(&buf);
	pq_sendint16(&buf, p->version);
	pq_sendint16(&buf, p->flags);
	pq_sendbyte(&buf, p->space);
	pq_sendbyte(&buf, p->kind);
	pq_sendint16(&buf, p->width);
	pq_sendint16(&buf, p->in_dim);
	pq_sendint16(&buf, p->hw_dim);
	pq_sendint32(&buf, p->n_params);
	pq_sendint32(&buf, p->n_infer);
	pq_sendint16(&buf, p->steps);
	pq_sendint16(&buf, p->mc_samples);
	pq_sendint32(&buf, p->n_support);
	pq_sendint64(&buf, p->seed);
	pq_sendfloat4(&buf, p->z_scale);
	pq_sendint32(&buf, p->meta_len);
	pq_sendint64(&buf, p->fingerprint);
	pq_sendfloat8(&buf, p->range_lo);
	pq_sendfloat8(&buf, p->range_hi);
	for (Size i = 0; i < nfloats; i++)
		pq_sendfloat4(&buf, p->data[i]);

	/*
	 * The support latencies are unaligned in the value; the getter copies each
	 * one out.
	 */
	if (p->flags & HELP_FLAG_ADAPTED)
		for (uint32 i = 0; i < p->n_support; i++)
			pq_sendfloat8(&buf, help_predictor_support_ms(&v, i));
	pq_sendbytes(&buf, v.meta, p->meta_len);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

#define RECV_CORRUPT(...) \
	ereport(ERROR, \
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION), \
			 errmsg("invalid binary help_predictor"), \
			 errdetail(__VA_ARGS__)))

/* Binary input: read what help_predictor_send wrote and validate it all. */
Datum
help_predictor_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	uint16		version = (uint16) pq_getmsgint(buf, 2);
	uint16		flags = (uint16) pq_getmsgint(buf, 2);
	uint8		space = (uint8) pq_getmsgbyte(buf);
	uint8		kind = (uint8) pq_getmsgbyte(buf);
	uint16		width = (uint16) pq_getmsgint(buf, 2);
	uint16		in_dim = (uint16) pq_getmsgint(buf, 2);
	uint16		hw_dim = (uint16) pq_getmsgint(buf, 2);
	uint32		n_params = (uint32) pq_getmsgint(buf, 4);
	uint32		n_infer = (uint32) pq_getmsgint(buf, 4);
	uint16		steps = (uint16) pq_getmsgint(buf, 2);
	uint16		mc_samples = (uint16) pq_getmsgint(buf, 2);
	uint32		n_support = (uint32) pq_getmsgint(buf, 4);
	uint64		seed = (uint64) pq_getmsgint64(buf);
	float4		z_scale = pq_getmsgfloat4(buf);
	uint32		meta_len = (uint32) pq_getmsgint(buf, 4);
	uint64		fingerprint = (uint64) pq_getmsgint64(buf);
	float8		range_lo = pq_getmsgfloat8(buf);
	float8		range_hi = pq_getmsgfloat8(buf);
	bool		adapted = (flags & HELP_FLAG_ADAPTED) != 0;
	HelpPredictor *p;
	HelpPredictorView v;
	Size		nfloats;

	/* bound everything that sizes an allocation before allocating */
	if (version != HELP_PREDICTOR_VERSION)
		RECV_CORRUPT("format version %u is not supported (expected %d)", version,
					 HELP_PREDICTOR_VERSION);
	if (space >= HELP_N_SPACES)
		RECV_CORRUPT("unknown search space code %u", space);
	if (width < 1 || width > HELP_MAX_WIDTH)
		RECV_CORRUPT("layer size %u is outside 1..%d", width, HELP_MAX_WIDTH);
	if (n_support > HELP_MAX_SUPPORT || (adapted && n_support < 2))
		RECV_CORRUPT("support size %u is invalid", n_support);
	if (meta_len < 1 || meta_len > (uint32) (buf->len - buf->cursor))
		RECV_CORRUPT("provenance length %u exceeds the data sent", meta_len);

	/*
	 * The header sizes the value; the bytes after it must be exactly that
	 * many, checked before allocating: a short message declaring a large
	 * predictor must not make the server allocate (and zero) it first.
	 */
	if (help_predictor_size((HelpSpace) space, width, adapted, adapted ? (int) n_support : 0,
							meta_len) - HELP_PREDICTOR_HDRSZ != (Size) (buf->len - buf->cursor))
		RECV_CORRUPT("header declares %zu bytes of weights, support set and provenance, but %d were sent",
					 help_predictor_size((HelpSpace) space, width, adapted,
										 adapted ? (int) n_support : 0, meta_len) - HELP_PREDICTOR_HDRSZ,
					 buf->len - buf->cursor);

	/*
	 * Fields that size nothing are copied as sent: help_predictor_validate
	 * below checks every one of them and recomputes the fingerprint, so a
	 * corrupt value is refused, not trusted.
	 */
	p = help_predictor_alloc((HelpSpace) space, width, adapted, adapted ? (int) n_support : 0,
							 meta_len);
	p->flags = flags;
	p->kind = kind;
	p->in_dim = in_dim;
	p->hw_dim = hw_dim;
	p->n_params = n_params;
	p->n_infer = n_infer;
	p->steps = steps;
	p->mc_samples = mc_samples;
	p->n_support = n_support;
	p->seed = seed;
	p->z_scale = z_scale;
	p->fingerprint = fingerprint;
	p->range_lo = range_lo;
	p->range_hi = range_hi;
	help_predictor_view(p, &v);

	/*
	 * The sizes sent must agree with the layout recomputed from space and
	 * width, which is what sized the allocation; a value that disagrees is
	 * corrupt.
	 */
	if (n_params != v.layout.n_params || n_infer != v.layout.n_infer || hw_dim != v.layout.hw_dim)
		RECV_CORRUPT("layer sizes do not match a %s predictor of width %u",
					 help_space_name((HelpSpace) space), width);
	nfloats = help_predictor_float_count(p);

	/*
	 * pq_getmsg* raise an ERROR when the message is too short, and
	 * pq_getmsgend when anything is left over.
	 */
	for (Size i = 0; i < nfloats; i++)
		p->data[i] = pq_getmsgfloat4(buf);
	if (adapted)
		for (uint32 i = 0; i < n_support; i++)
			help_predictor_set_support_ms(&v, i, pq_getmsgfloat8(buf));
	pq_copymsgbytes(buf, v.meta, meta_len);
	pq_getmsgend(buf);
	help_predictor_validate(p, VARSIZE(p));
	PG_RETURN_HELP_PREDICTOR_P(p);
}

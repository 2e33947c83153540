/*
 * predictor_type.c
 *	  The help_predictor varlena: allocation, section pointers, fingerprint
 *	  and the validation that every way in (text, binary, import) goes through.
 */
#include "predictor.h"

#include "adapt.h"

#include <math.h>

#include "encode.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"

/* Float4 count of the sections after the header, excluding latencies. */
static Size
FloatCount(const HelpLayout *L, bool adapted, int n_support)
{
	/*
	 * add_size and mul_size raise an ERROR on overflow, so a header with
	 * absurd sizes cannot wrap the total around to a small allocation.
	 */
	Size		n = add_size(mul_size(L->n_params, 2), L->n_infer);

	if (adapted)
	{
		n = add_size(n, L->hw_dim);
		n = add_size(n, mul_size(n_support, help_space_encoding_dim(L->space)));
	}
	return n;
}

/* Number of float4 values stored in p (weights and adapted section). */
Size
help_predictor_float_count(HelpPredictor *p)
{
	HelpLayout	L;

	help_layout_init(&L, (HelpSpace) p->space, p->width);
	return FloatCount(&L, (p->flags & HELP_FLAG_ADAPTED) != 0, p->n_support);
}

/* Total size of a predictor with these dimensions (layout L). */
static Size
PredictorSize(const HelpLayout *L, bool adapted, int n_support, Size meta_len)
{
	Size		size = HELP_PREDICTOR_HDRSZ;

	size = add_size(size, mul_size(FloatCount(L, adapted, n_support), sizeof(float4)));
	if (adapted)
		size = add_size(size, mul_size(n_support, sizeof(float8)));
	return add_size(size, meta_len);
}

/*
 * Total size of a predictor with these dimensions, computed without
 * allocating anything (add_size and mul_size raise on overflow).
 */
Size
help_predictor_size(HelpSpace space, int width, bool adapted, int n_support, Size meta_len)
{
	HelpLayout	L;

	help_layout_init(&L, space, width);
	return PredictorSize(&L, adapted, n_support, meta_len);
}

/*
 * A zeroed predictor with its header filled in; the caller writes weights
 * through help_predictor_view and calls help_predictor_finish.
 */
HelpPredictor *
help_predictor_alloc(HelpSpace space, int width, bool adapted, int n_support,
					 Size meta_len)
{
	HelpLayout	L;
	Size		size;
	HelpPredictor *p;

	help_layout_init(&L, space, width);
	size = PredictorSize(&L, adapted, n_support, meta_len);
	if (size > MaxAllocHugeSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("help_predictor of %zu bytes exceeds the maximum of %zu",
						size, (Size) MaxAllocHugeSize)));
	p = palloc_extended(size, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	SET_VARSIZE(p, size);
	p->version = HELP_PREDICTOR_VERSION;
	p->flags = adapted ? HELP_FLAG_ADAPTED : 0;
	p->space = (uint8) space;
	p->kind = (uint8) L.kind;
	p->width = (uint16) width;
	p->in_dim = (uint16) L.in_dim;
	p->hw_dim = (uint16) L.hw_dim;
	p->n_params = (uint32) L.n_params;
	p->n_infer = (uint32) L.n_infer;
	p->n_support = (uint32) n_support;
	p->z_scale = 0.01f;
	p->meta_len = (uint32) meta_len;
	return p;
}

/* Fill view with pointers into p's sections. */
void
help_predictor_view(HelpPredictor *p, HelpPredictorView *v)
{
	float	   *f = p->data;
	bool		adapted = (p->flags & HELP_FLAG_ADAPTED) != 0;

	help_layout_init(&v->layout, (HelpSpace) p->space, p->width);
	v->enc_dim = help_space_encoding_dim((HelpSpace) p->space);
	v->theta = f;
	f += p->n_params;
	v->alpha = f;
	f += p->n_params;
	v->infer = f;
	f += p->n_infer;
	v->hw = NULL;
	v->support_x = NULL;
	v->support_ms = NULL;
	if (adapted)
	{
		v->hw = f;
		f += p->hw_dim;
		v->support_x = f;
		f += (Size) p->n_support * v->enc_dim;
		v->support_ms = (char *) f;
		v->meta = v->support_ms + sizeof(float8) * p->n_support;
	}
	else
		v->meta = (char *) f;
}

/* The i-th support latency of an adapted predictor. */
double
help_predictor_support_ms(const HelpPredictorView *v, int i)
{
	double		ms;

	memcpy(&ms, v->support_ms + sizeof(double) * i, sizeof(double));
	return ms;
}

void
help_predictor_set_support_ms(HelpPredictorView *v, int i, double ms)
{
	memcpy(v->support_ms + sizeof(double) * i, &ms, sizeof(double));
}

/* 64-bit FNV-1a over the body, so caches can key on a value cheaply. */
static uint64
BodyFingerprint(HelpPredictor *p)
{
	const unsigned char *b = (const unsigned char *) p + offsetof(HelpPredictor, version);
	const unsigned char *end = (const unsigned char *) p + VARSIZE(p);
	uint64		h = UINT64CONST(0xcbf29ce484222325);

	/*
	 * Byte-wise FNV-1a: not cryptographic, only a cheap key for caches and a
	 * check that the stored value is the one that was sealed.
	 */
	for (; b < end; b++)
	{
		/* the fingerprint field itself is not hashed */
		if (b == (const unsigned char *) &p->fingerprint)
		{
			b += sizeof(p->fingerprint) - 1;
			continue;
		}
		h = (h ^ *b) * UINT64CONST(0x100000001b3);
	}
	return h;
}

/* Seal a predictor once its contents are written. */
void
help_predictor_finish(HelpPredictor *p)
{
	p->fingerprint = BodyFingerprint(p);
}

/* Raise a corrupt-value error. */
#define CORRUPT(...) \
	ereport(ERROR, \
			(errcode(ERRCODE_DATA_CORRUPTED), \
			 errmsg("invalid help_predictor value"), \
			 errdetail(__VA_ARGS__)))

/*
 * Check everything about a predictor: header fields, size, finite weights,
 * the adapted section, and provenance.  actual_size is the number of bytes
 * really present (for binary input); the fingerprint is recomputed.
 */
void
help_predictor_validate(HelpPredictor *p, Size actual_size)
{
	HelpLayout	L;
	HelpPredictorView v;
	bool		adapted;
	Size		floats;
	HelpError	err;

	/*
	 * Header first, each check guarding the ones after it: the layout computed
	 * from a valid space and width sizes everything else, so nothing is read
	 * past the value before its size has been checked.
	 */
	if (actual_size < HELP_PREDICTOR_HDRSZ)
		CORRUPT("value of %zu bytes is shorter than the %zu-byte header",
				actual_size, (Size) HELP_PREDICTOR_HDRSZ);
	if (p->version != HELP_PREDICTOR_VERSION)
		CORRUPT("format version %u is not supported (expected %d)",
				p->version, HELP_PREDICTOR_VERSION);
	if ((p->flags & ~(HELP_FLAG_ADAPTED | HELP_FLAG_TRANSFER)) != 0)
		CORRUPT("unknown flags 0x%04x", p->flags);
	if ((p->flags & HELP_FLAG_TRANSFER) && !(p->flags & HELP_FLAG_ADAPTED))
		CORRUPT("an adaptation method is set on a predictor that is not adapted");
	if (p->space >= HELP_N_SPACES)
		CORRUPT("unknown search space code %u", p->space);
	if (p->width < 1 || p->width > HELP_MAX_WIDTH)
		CORRUPT("layer size %u is outside 1..%d", p->width, HELP_MAX_WIDTH);
	adapted = (p->flags & HELP_FLAG_ADAPTED) != 0;
	help_layout_init(&L, (HelpSpace) p->space, p->width);
	if (p->kind != L.kind || p->in_dim != L.in_dim || p->hw_dim != L.hw_dim ||
		p->n_params != L.n_params || p->n_infer != L.n_infer)
		CORRUPT("layer sizes do not match a %s predictor of width %u",
				help_space_name((HelpSpace) p->space), p->width);
	if (adapted)
	{
		if (p->n_support < 2 || p->n_support > HELP_MAX_SUPPORT)
			CORRUPT("support size %u is outside 2..%d", p->n_support, HELP_MAX_SUPPORT);
		if (p->mc_samples < 1 || p->mc_samples > HELP_MAX_MC_SAMPLES)
			CORRUPT("mc_samples %u is outside 1..%d", p->mc_samples, HELP_MAX_MC_SAMPLES);
		if (p->steps > HELP_MAX_STEPS)
			CORRUPT("steps %u exceeds %d", p->steps, HELP_MAX_STEPS);

		/*
		 * The text form writes the seed as a JSON integer, which must fit
		 * int64: a larger seed would print negative and be refused by the
		 * text input, and pg_restore would drop the whole table.
		 */
		if (p->seed > (uint64) PG_INT64_MAX)
			CORRUPT("seed " UINT64_FORMAT " exceeds " INT64_FORMAT, p->seed, PG_INT64_MAX);
		if (!(p->range_lo == 0.0 && p->range_hi == 0.0) &&
			!help_latency_range_valid(p->range_lo, p->range_hi))
			CORRUPT("latency range [%g, %g] is invalid", p->range_lo, p->range_hi);
	}
	else if (p->n_support != 0 || p->steps != 0 || p->mc_samples != 0 || p->seed != 0 ||
			 p->range_lo != 0.0 || p->range_hi != 0.0)
		CORRUPT("adaptation fields are set on a predictor that is not adapted");
	if (!isfinite(p->z_scale) || p->z_scale < 0.0f)
		CORRUPT("modulation scale %g is not a finite non-negative number", (double) p->z_scale);
	if (p->meta_len < 1)
		CORRUPT("provenance is missing");
	if (PredictorSize(&L, adapted, p->n_support, p->meta_len) != actual_size ||
		VARSIZE(p) != actual_size)
		CORRUPT("size %zu bytes does not match its header (expected %zu)",
				actual_size, PredictorSize(&L, adapted, p->n_support, p->meta_len));

	/*
	 * Weights must be finite: a NaN would propagate to every prediction
	 * without an error.
	 */
	floats = FloatCount(&L, adapted, p->n_support);
	for (Size i = 0; i < floats; i++)
		if (!isfinite(p->data[i]))
			CORRUPT("weight %zu is %g", i, (double) p->data[i]);

	help_predictor_view(p, &v);
	if (adapted)
	{
		for (int i = 0; i < p->hw_dim; i++)
			if (v.hw[i] < 0.0f || v.hw[i] > 1.0f)
				CORRUPT("hardware embedding value %d is %g, outside [0, 1]", i + 1, (double) v.hw[i]);
		for (uint32 i = 0; i < p->n_support; i++)
		{
			double		ms = help_predictor_support_ms(&v, i);

			if (help_check_encoding(L.space, v.support_x + (Size) i * v.enc_dim,
									v.enc_dim, &err) != HELP_OK)
				CORRUPT("support architecture %u: %s", i + 1, err.msg);
			if (!isfinite(ms) || ms <= 0.0)
				CORRUPT("support latency %u is %g ms", i + 1, ms);
		}
	}
	if (v.meta[p->meta_len - 1] != '\0' || strlen(v.meta) != p->meta_len - 1)
		CORRUPT("provenance is not a NUL-terminated string of %u bytes", p->meta_len);

	/*
	 * Provenance must be a strict JSON object (valid UTF-8 included) within
	 * the depth limit, and in the canonical form the text output prints: then
	 * the text form reads back to this very value, and pg_dump's text copy
	 * restores it byte for byte.
	 */
	if (strcmp(help_json_canonical(v.meta, HELP_PROVENANCE_MAX_DEPTH,
								   "provenance of help_predictor"), v.meta) != 0)
		CORRUPT("provenance is not in canonical JSON form (compact, escapes as help_predictor_out writes them)");

	/*
	 * The fingerprint is checked last, after the contents: a value that fails
	 * an earlier check reports what is wrong with it rather than just a
	 * mismatch.
	 */
	if (p->fingerprint != BodyFingerprint(p))
		CORRUPT("fingerprint does not match the contents");
}

/*
 * A copy of base's weights with a new adapted section of n_support rows and
 * new provenance; the caller fills the adapted section and finishes it.
 */
HelpPredictor *
help_predictor_copy_with(HelpPredictor *base, bool adapted, int n_support,
						 const char *meta)
{
	HelpPredictor *p = help_predictor_alloc((HelpSpace) base->space, base->width,
											adapted, n_support, strlen(meta) + 1);
	HelpPredictorView src,
				dst;

	help_predictor_view(base, &src);
	help_predictor_view(p, &dst);
	memcpy(dst.theta, src.theta, sizeof(float) * base->n_params);
	memcpy(dst.alpha, src.alpha, sizeof(float) * base->n_params);
	memcpy(dst.infer, src.infer, sizeof(float) * base->n_infer);
	p->z_scale = base->z_scale;
	memcpy(dst.meta, meta, strlen(meta) + 1);
	return p;
}

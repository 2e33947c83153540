/*
 * predictor.h
 *	  The help_predictor type: its on-disk layout, the view of its sections,
 *	  and the functions of predictor_type.c that build and validate it.
 */
#ifndef HELP_PREDICTOR_H
#define HELP_PREDICTOR_H

#include "help.h"

#include "access/detoast.h"

#include "layout.h"
#include "transfer.h"

#define HELP_PREDICTOR_VERSION 1
#define HELP_FLAG_ADAPTED 0x0001
/* adapted with method transfer (transfer.h); without it, method help */
#define HELP_FLAG_TRANSFER 0x0002

#define HELP_MAX_WIDTH 1024
#define HELP_MAX_STEPS 100
#define HELP_MAX_MC_SAMPLES 1000
#define HELP_MAX_SUPPORT 100000

/*
 * On-disk predictor.  After the header come, as float4: the predictor
 * weights (n_params), the Meta-SGD inner learning rates (n_params), the
 * inference network (n_infer); when adapted, the hardware embedding (hw_dim)
 * and the support encodings (n_support x encoding width); then, when
 * adapted, the support latencies as float8 (n_support, unaligned: read with
 * memcpy); then provenance, a NUL-terminated JSON object of meta_len bytes.
 */
typedef struct HelpPredictor
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint16		version;		/* HELP_PREDICTOR_VERSION */
	uint16		flags;			/* HELP_FLAG_ADAPTED, HELP_FLAG_TRANSFER */
	uint8		space;			/* HelpSpace */
	uint8		kind;			/* HelpNetKind */
	uint16		width;			/* layer size (100 in the paper) */
	uint16		in_dim;			/* first-layer input width */
	uint16		hw_dim;			/* hardware embedding length */
	uint32		n_params;
	uint32		n_infer;
	uint16		steps;			/* adaptation: Meta-SGD steps */
	uint16		mc_samples;		/* adaptation: z draws */
	uint32		n_support;		/* adaptation: support rows */
	uint64		seed;			/* adaptation: draw seed */
	float4		z_scale;		/* modulation scale c */
	uint32		meta_len;		/* provenance bytes, NUL included */
	uint64		fingerprint;	/* hash of everything else */
	float8		range_lo;		/* adaptation: latency normalization range in */
	float8		range_hi;		/* ms; both 0: calibrated (help_support_targets) */
	float4		data[FLEXIBLE_ARRAY_MEMBER];
} HelpPredictor;

#define HELP_PREDICTOR_HDRSZ offsetof(HelpPredictor, data)

#define DatumGetHelpPredictorP(x)	((HelpPredictor *) PG_DETOAST_DATUM(x))
#define PG_GETARG_HELP_PREDICTOR_P(x)	DatumGetHelpPredictorP(PG_GETARG_DATUM(x))
#define PG_RETURN_HELP_PREDICTOR_P(x)	PG_RETURN_POINTER(x)

/* Pointers into a predictor's sections (no copies). */
typedef struct HelpPredictorView
{
	HelpLayout	layout;
	int			enc_dim;
	float	   *theta;
	float	   *alpha;
	float	   *infer;
	float	   *hw;				/* NULL unless adapted */
	float	   *support_x;		/* NULL unless adapted */
	char	   *support_ms;		/* float8 x n_support, unaligned */
	char	   *meta;			/* provenance JSON text */
} HelpPredictorView;

/* How an adapted predictor was adapted (method help for one that is not). */
static inline HelpAdaptMethod
help_predictor_method(const HelpPredictor *p)
{
	return (p->flags & HELP_FLAG_TRANSFER) ? HELP_METHOD_TRANSFER : HELP_METHOD_HELP;
}

/* predictor_type.c */
extern HelpPredictor *help_predictor_alloc(HelpSpace space, int width, bool adapted,
										   int n_support, Size meta_len);
extern Size help_predictor_size(HelpSpace space, int width, bool adapted, int n_support,
								Size meta_len);
extern void help_predictor_view(HelpPredictor *p, HelpPredictorView *view);
extern void help_predictor_finish(HelpPredictor *p);
extern Size help_predictor_float_count(HelpPredictor *p);
extern void help_predictor_validate(HelpPredictor *p, Size actual_size);
extern double help_predictor_support_ms(const HelpPredictorView *view, int i);
extern void help_predictor_set_support_ms(HelpPredictorView *view, int i, double ms);
extern HelpPredictor *help_predictor_copy_with(HelpPredictor *base, bool adapted,
											   int n_support, const char *meta);

/*
 * Provenance is a JSON object nested at most this deep, so that the text
 * form, which holds it one level down, and provenance that holds an
 * earlier one (an adapted predictor's "base") stay within every reader's
 * limits.
 */
#define HELP_PROVENANCE_MAX_DEPTH 32

/*
 * JSON text in canonical form (json_check.h), palloc'd: how provenance is
 * stored and printed, so that it survives a round trip byte for byte.
 * help_json_canonical takes a JSON object nested at most max_depth deep,
 * help_json_canonical_value any JSON value; what names the text in errors.
 * (json_util.c; declared here because its callers include PostgreSQL
 * headers that clash with json-c's.)
 */
extern char *help_json_canonical(const char *text, int max_depth, const char *what);
extern char *help_json_canonical_value(const char *text, size_t len, int max_depth,
									   const char *what);

#endif							/* HELP_PREDICTOR_H */

/*
 * help.h
 *	  The help_predictor varlena and what the PostgreSQL layer shares.
 */
#ifndef HELP_H
#define HELP_H

#include "postgres.h"

#include "access/detoast.h"
#include "fmgr.h"
#include "utils/array.h"

#include "help_core.h"
#include "meta_train.h"
#include "model.h"

#define HELP_PREDICTOR_VERSION 1
#define HELP_FLAG_ADAPTED 0x0001

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
	uint16		flags;			/* HELP_FLAG_ADAPTED */
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

/* predictor.c */
extern HelpPredictor *help_predictor_alloc(HelpSpace space, int width, bool adapted,
										   int n_support, Size meta_len);
extern void help_predictor_view(HelpPredictor *p, HelpPredictorView *view);
extern void help_predictor_finish(HelpPredictor *p);
extern Size help_predictor_float_count(HelpPredictor *p);
extern void help_predictor_validate(HelpPredictor *p, Size actual_size);
extern double help_predictor_support_ms(const HelpPredictorView *view, int i);
extern void help_predictor_set_support_ms(HelpPredictorView *view, int i, double ms);
extern HelpPredictor *help_predictor_copy_with(HelpPredictor *base, bool adapted,
											   int n_support, const char *meta);

/* agg_options.c */
extern char *help_agg_options(FunctionCallInfo fcinfo);
extern void help_agg_check_same_options(FunctionCallInfo fcinfo, const char *first,
										const char *aggname);

/* predictor_json.c */
extern char *help_json_canonical(const char *json_object_text);

/* errors.c */
extern void help_report(const HelpError *err);
extern int	help_sqlstate(HelpStatus status);
extern void help_install_allocator(void);

/* adapted.c */
struct HelpAdapted;
extern struct HelpAdapted *help_adapt_view(HelpPredictorView *view, HelpPredictor *p,
										   int max_batch, HelpError *err);

/* predict.c: a predictor's adapted state, cached in fn_extra */
typedef struct HelpPredictCache
{
	MemoryContext cxt;			/* owns everything below; reset on a new predictor */
	bool		valid;
	uint64		fingerprint;
	bool		has_toast_pointer;
	char		toast_pointer[TOAST_POINTER_SIZE];
	HelpPredictor *predictor;
	HelpPredictorView view;
	struct HelpAdapted *adapted;
	float	   *draws;			/* one row's predictions, one per draw */
} HelpPredictCache;

extern HelpPredictCache *help_predict_cache(FmgrInfo *flinfo, Datum predictor,
											int max_batch);

/* options.c */
struct HelpAdaptSpec;
extern void help_parse_adapt_options(const char *text, struct HelpAdaptSpec *spec);

/* help_meta_train's options (the paper's defaults in HELP-METHOD.md section 6) */
typedef struct HelpMetaTrainOptions
{
	int			space;			/* HelpSpace (required) */
	int			reference_archs[HELP_HW_DIM];	/* required, in order */
	int			train_pool;		/* 900 (nasbench201) or 4000 */
	int			query_pool;		/* 1000 */
	char	  **valid_devices;	/* model selection only */
	int			n_valid;
	double		inner_lr_init;	/* 1e-3 */
	int			mc_samples;		/* 10, for validation */
	int			valid_supports; /* 1: support sets per validation device */
	HelpMetaTrainSpec spec;		/* episodes, tasks, support/query, lr, ... */
} HelpMetaTrainOptions;

extern void help_parse_meta_train_options(const char *text, HelpMetaTrainOptions *opts);

/* encode_sql.c */
extern int	help_lookup_space(const char *name);
extern float *help_encode_text(int space, const char *arch, int *len);

/* ofa_json.c */
extern void help_encode_ofa_json(const char *arch, float *out);

/* arrays.c */
extern float *help_float4_array(ArrayType *arr, int *n, const char *what);
extern double *help_float8_array(ArrayType *arr, int *n, const char *what);
extern ArrayType *help_make_float4_array(const float *v, int n);

#endif							/* HELP_H */

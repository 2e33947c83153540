/*
 * predict_cache.h
 *	  The adapted state of the predictor a prediction function is called
 *	  with, kept in fn_extra for the rest of the query.
 */
#ifndef HELP_PREDICT_CACHE_H
#define HELP_PREDICT_CACHE_H

#include "predictor.h"

#include "access/tupdesc.h"
#include "adapt.h"

/* A predictor's adapted state, cached in fn_extra (predict_cache.c). */
typedef struct HelpPredictCache
{
	MemoryContext cxt;			/* owns everything below; reset on a new predictor */
	bool		valid;
	uint64		fingerprint;
	bool		has_toast_pointer;
	char		toast_pointer[TOAST_POINTER_SIZE];
	HelpPredictor *predictor;
	HelpPredictorView view;
	HelpAdapted *adapted;
	float	   *draws;			/* one row's predictions, one per draw */
	TupleDesc	result_desc;	/* composite result type, blessed (fn_mcxt) */
	int			quantile_dof;	/* standard quantiles of the last interval */
	double		quantile_level; /* level (quantile_dof 0: none yet) */
	double		quantile_lo,
				quantile_hi;
} HelpPredictCache;

extern HelpPredictCache *help_predict_cache(FmgrInfo *flinfo, Datum predictor,
											int max_batch);

#endif							/* HELP_PREDICT_CACHE_H */

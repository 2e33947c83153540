/*
 * adapted_cache.h
 *	  The adapted state of an adapted help_predictor, rebuilt from its
 *	  support set or copied from this backend's cache (adapted_cache.c).
 */
#ifndef HELP_ADAPTED_CACHE_H
#define HELP_ADAPTED_CACHE_H

#include "predictor.h"

#include "adapt.h"

/* help.adapted_cache_size in kB: adapted states kept between queries */
extern int	help_adapted_cache_kb;

extern HelpAdapted *help_adapted_state_for(HelpPredictorView *view, HelpPredictor *p,
										   int max_batch, HelpError *err);

#endif							/* HELP_ADAPTED_CACHE_H */

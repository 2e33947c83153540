/*
 * options.h
 *	  The options (jsonb) of help_adapt and of help_meta_train, parsed into
 *	  the core's settings (options.c).
 */
#ifndef HELP_OPTIONS_H
#define HELP_OPTIONS_H

#include "help.h"

#include "adapt.h"
#include "meta_train.h"

extern void help_parse_adapt_options(const char *text, HelpAdaptSpec *spec);

/* help_meta_train's options (the paper's defaults in docs/method.md section 6) */
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

/* help_meta_train's tasks per episode unless told (section 6), at most */
#define HELP_DEFAULT_TASKS_PER_EPISODE 8

#endif							/* HELP_OPTIONS_H */

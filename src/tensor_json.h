/*
 * tensor_json.h
 *	  A predictor's tensor groups ("model", "task_lr", "inference_network")
 *	  in the published checkpoints' JSON layout (tensor_json.c).
 */
#ifndef HELP_TENSOR_JSON_H
#define HELP_TENSOR_JSON_H

#include "json_util.h"
#include "json_write.h"
#include "predictor.h"

/* Read the three groups of root into view's sections, checking each tensor. */
extern void help_read_tensor_groups(json_object *root, const HelpLayout *layout,
									HelpPredictorView *view, const char *what);
/* The layer size, from the shape of model/meta_learner.fc_hw2.bias. */
extern int	help_infer_width(json_object *root, const char *what);
/* Write the three groups of view as members of the object being written. */
extern void help_write_tensor_groups(HelpJsonWriter *w, const HelpPredictorView *view);
/* The most JSON values the three groups of any valid predictor hold. */
extern Size help_tensor_groups_max_values(void);

#endif							/* HELP_TENSOR_JSON_H */

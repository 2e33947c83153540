/*
 * gcn_classes.h
 *	  Prediction-only forward pass of the NAS-Bench-201 graph convolutions
 *	  that computes each distinct node state once.
 *
 * A node's state after k layers depends only on its k-hop neighbourhood,
 * and in a batch of cells most neighbourhoods repeat: the input node is the
 * same in every cell, node 1 after one layer depends on one operation, and
 * so on.  A plan names each node state by a class: at layer 0 by its
 * feature row, at layer l + 1 by the sorted list of (coefficient, class)
 * pairs it aggregates (sorted, so that the global node of cells with the
 * same operations in other places is one class).  Classes depend on the
 * cells only, not on the weights, so one plan serves every modulator draw;
 * per draw, the matrix products run over classes instead of nodes and each
 * class is aggregated once.  The arithmetic per class is the plain forward
 * pass's but for the order of the terms of a sum (by class number, which
 * depends on the batch), so results agree with it, and across batch
 * sizes, to float rounding.
 */
#ifndef HELP_GCN_CLASSES_H
#define HELP_GCN_CLASSES_H

#include "alloc.h"
#include "layout.h"

typedef struct HelpGcnPlan HelpGcnPlan;

/* A plan for up to max_batch cells of a GCN predictor of layout's width. */
extern HelpGcnPlan *help_gcn_plan_create(const HelpLayout *layout, int max_batch);
extern void help_gcn_plan_destroy(HelpGcnPlan *plan);

/* Classify the node states of the batch cells of X (kept by reference). */
extern void help_gcn_plan_build(HelpGcnPlan *plan, const float *X, int batch);

/*
 * Under weights theta, the global node's aggregate A[8,:] H3 of each cell of
 * the plan, into readout (batch x width): what the fourth layer multiplies
 * by W4.
 */
extern void help_gcn_plan_readout(const HelpLayout *layout, const float *theta,
								  HelpGcnPlan *plan, float *readout);

#endif							/* HELP_GCN_CLASSES_H */

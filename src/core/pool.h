/*
 * pool.h
 *	  A device's architecture pools as docs/method.md section 1 prepares
 *	  them for meta-training: outlier trimming and the hardware embedding.
 */
#ifndef HELP_POOL_H
#define HELP_POOL_H

#include "help_core.h"

/*
 * Outlier trimming of one pool: of n measurements (architecture indices
 * arch_idx, latencies ms) keep the middle 80 % by latency, sorted positions
 * floor(0.1 n) up to but excluding floor(0.9 n), ties broken by index.
 * Writes the kept positions (into arch_idx/ms) to keep, in increasing
 * architecture index, and returns their count.  Input order is irrelevant.
 */
extern int	help_trim_pool(const int *arch_idx, const double *ms, int n, int *keep);

/*
 * Hardware embedding: the latencies on the 10 reference architectures, in
 * their order, min-max scaled to [0, 1].  Fails when they are all equal or
 * one is not a positive finite number.
 */
extern HelpStatus help_hw_embedding(const double *ref_ms, float *hw, HelpError *err);

#endif							/* HELP_POOL_H */

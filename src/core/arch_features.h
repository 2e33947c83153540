/*
 * arch_features.h
 *	  Analytic features of an architecture, computed from its encoding:
 *	  what a network costs to run, whatever the device.
 *
 * Latency is, to a first approximation, a sum over the layers of a network
 * of what each layer costs on the device, and what a layer costs depends on
 * how much arithmetic it does (FLOPs), how much data it moves (activation
 * memory), how many weights it reads (parameters) and how many kernels it
 * launches.  Each feature is that quantity summed over the architecture's
 * layers, from the search space's fixed macro-architecture (channels,
 * strides, resolutions) and the operations the encoding names.  A device's
 * latency is then close to a weighted sum of these four features, with
 * weights that differ from device to device: GPUs at batch 1 are bound by
 * kernel launches, CPUs and phones by FLOPs and parameters.  That is what
 * lets adaptation rank a device unlike the meta-training devices from a few
 * measurements (see transfer.h).
 *
 * Features come in groups that share one prior scale in the regression of
 * transfer.h: the four analytic features form one group, and for
 * NAS-Bench-201, whose six edges all have the same shape in every cell, the
 * five operation counts form another (they are the complete additive
 * description of a cell's cost there).
 */
#ifndef HELP_ARCH_FEATURES_H
#define HELP_ARCH_FEATURES_H

#include "help_core.h"

/* The most features any space has. */
#define HELP_MAX_ARCH_FEATURES 9

/* Features of an architecture of the space; their groups. */
extern int	help_arch_feature_count(HelpSpace space);

/*
 * The group of each feature, 0-based and contiguous (group[k] for feature
 * k); returns the number of groups.
 */
extern int	help_arch_feature_groups(HelpSpace space, int *group);

/* Index of the FLOPs feature of the space. */
extern int	help_arch_flops_feature(HelpSpace space);

/* Name of feature k of the space (for provenance and tests). */
extern const char *help_arch_feature_name(HelpSpace space, int k);

/*
 * The features of one encoded architecture (help_encode's layout) into out
 * (help_arch_feature_count values).  The encoding must have passed
 * help_check_encoding: anything else is read as best it can be.
 */
extern void help_arch_features(HelpSpace space, const float *encoding, double *out);

#endif							/* HELP_ARCH_FEATURES_H */

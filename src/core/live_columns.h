/*
 * live_columns.h
 *	  Matrix products that leave out the all-zero columns of their input.
 *
 * After a ReLU, many units are zero for every row of a batch: with the
 * published NAS-Bench-201 predictor about 40% of the head's units are
 * inactive over any 1,024 cells.  Their columns add nothing to the next
 * product, so fc3 and fc4 are computed over the live columns only (and the
 * matching weights): a third fewer multiply-adds.
 *
 * Leaving out exact zeros changes a product by float rounding at most, and
 * not at all where the BLAS kernel sums over k in order, since adding 0 * w
 * leaves a sum as it is.  OpenBLAS's AVX-512 kernel (SkylakeX) does so for
 * these products from 13 rows on: there the products are bitwise the full
 * ones, and a row's result does not depend on the other rows of its batch.
 * Its AVX2 kernel (Haswell) does not; there results agree to float rounding.
 */
#ifndef HELP_LIVE_COLUMNS_H
#define HELP_LIVE_COLUMNS_H

#include "alloc.h"

/* The largest input width (k) whose columns are packed. */
#define HELP_LIVE_MAX_K 512

/* Products of fewer rows are taken whole: little to gain. */
#define HELP_LIVE_MIN_ROWS 16

/*
 * Scratch for help_sgemm_live_columns: room for m x k and n x k floats, and
 * 16 floats more past each (the packing stores whole 16-float blocks).
 */
typedef struct HelpLiveScratch
{
	HelpArena	arena;			/* owns the scratch and both buffers */
	float	   *x;				/* the live columns of X, packed */
	float	   *w;				/* the matching columns of W */
	int			x_capacity;		/* floats */
	int			w_capacity;
} HelpLiveScratch;

extern HelpLiveScratch *help_live_scratch_create(int x_floats, int w_floats);
extern void help_live_scratch_destroy(HelpLiveScratch *scratch);

/*
 * C (m x n, row-major, ldc) = X (m x k, ldx) W^T, with W n x k (ldw) as a
 * layer stores its weights, over the columns of X that are nonzero in some
 * row.  C is overwritten.  Products of fewer than HELP_LIVE_MIN_ROWS rows,
 * wider than HELP_LIVE_MAX_K or too big for the scratch are taken whole.
 */
extern void help_sgemm_live_columns(int m, int n, int k, const float *X, int ldx,
									const float *W, int ldw, float *C, int ldc,
									HelpLiveScratch *scratch);

#endif							/* HELP_LIVE_COLUMNS_H */

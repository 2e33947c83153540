/*
 * vec.h
 *	  Sums of scaled rows with the partial sums in vector registers: the
 *	  inner loop of the graph propagation and of the per-class sums.  For
 *	  functions built with HELP_VECTOR_CLONES (below), which give the
 *	  vector types AVX-512, AVX2 or SSE registers.
 */
#ifndef HELP_VEC_H
#define HELP_VEC_H

#include <stdint.h>
#include <string.h>

/*
 * Elementwise loops of the network are built for AVX-512, AVX2 and baseline
 * x86-64 and picked at load time: the package must run on any x86-64, and
 * these loops, not the matrix products, bound the GCN's speed.
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define HELP_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define HELP_VECTOR_CLONES
#endif

/* Columns of one block: one AVX-512 register. */
#define HELP_BLOCK 16

typedef float HelpBlock __attribute__((vector_size(HELP_BLOCK * sizeof(float))));
typedef float HelpQuad __attribute__((vector_size(4 * sizeof(float))));

/*
 * out[0..n) = sum over t of coef[t] * rows[t][0..n), the terms added in t
 * order (no terms: zeros).  Each block of columns is summed in a register
 * and stored once, instead of once per term; columns past the last whole
 * block go by fours, then one by one.
 */
static inline __attribute__((always_inline)) void
help_combine_rows(float *out, const float *const *rows, const float *coef, int n_terms,
				  int n)
{
	int			k = 0;

	for (; k + HELP_BLOCK <= n; k += HELP_BLOCK)
	{
		HelpBlock	acc = {0},
					x;

		for (int t = 0; t < n_terms; t++)
		{
			memcpy(&x, rows[t] + k, sizeof(x));
			acc += coef[t] * x;
		}
		memcpy(out + k, &acc, sizeof(acc));
	}
	for (; k + 4 <= n; k += 4)
	{
		HelpQuad	acc = {0},
					x;

		for (int t = 0; t < n_terms; t++)
		{
			memcpy(&x, rows[t] + k, sizeof(x));
			acc += coef[t] * x;
		}
		memcpy(out + k, &acc, sizeof(acc));
	}
	for (; k < n; k++)
	{
		float		acc = 0.0f;

		for (int t = 0; t < n_terms; t++)
			acc += coef[t] * rows[t][k];
		out[k] = acc;
	}
}

#endif							/* HELP_VEC_H */

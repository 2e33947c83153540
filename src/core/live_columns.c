/*
 * live_columns.c
 *	  Matrix products over the live (not all-zero) columns of their input.
 */
#include "live_columns.h"

#include <stdint.h>
#include <string.h>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "blas.h"
#include "vec.h"

/* See live_columns.h. */
HelpLiveScratch *
help_live_scratch_create(int x_floats, int w_floats)
{
	HelpLiveScratch *s = HELP_ARENA_NEW(HelpLiveScratch);

	/* 16 floats of room past the end for GatherColumnsAvx512's stores */
	s->x = help_arena_alloc(&s->arena, sizeof(float) * ((size_t) x_floats + 16));
	s->w = help_arena_alloc(&s->arena, sizeof(float) * ((size_t) w_floats + 16));
	s->x_capacity = x_floats;
	s->w_capacity = w_floats;
	return s;
}

/* See live_columns.h. */
void
help_live_scratch_destroy(HelpLiveScratch *s)
{
	if (s != NULL)
		help_arena_release(&s->arena);
}

/* Columns of X as 16-column blocks: bit j of mask[b] is column 16 b + j. */
#define LIVE_BLOCKS ((HELP_LIVE_MAX_K + 15) / 16)

/* Which columns of a product's input are live: indices and block masks. */
typedef struct LiveSet
{
	int			n;				/* live columns */
	int			idx[HELP_LIVE_MAX_K];	/* their indices, in order */
	uint16_t	mask[LIVE_BLOCKS];
	int			n_blocks;
} LiveSet;

/*
 * The columns of X (m x k, ldx) that hold a value other than 0 (-0 counts
 * as 0, NaN as live), into *set.
 */
HELP_VECTOR_CLONES
static void
LiveColumns(const float *X, int m, int k, int ldx, LiveSet *set)
{
	int32_t		any[HELP_LIVE_MAX_K] = {0};

	for (int r = 0; r < m; r++)
	{
		const float *row = X + (size_t) r * ldx;

		for (int c = 0; c < k; c++)
			any[c] |= row[c] != 0.0f;
	}
	set->n = 0;
	set->n_blocks = (k + 15) / 16;
	memset(set->mask, 0, sizeof(set->mask));
	for (int c = 0; c < k; c++)
		if (any[c] != 0)
		{
			set->idx[set->n++] = c;
			set->mask[c / 16] |= (uint16_t) (1u << (c % 16));
		}
}

#if defined(__x86_64__) && defined(__GNUC__)
/*
 * GatherColumns with AVX-512: per 16-column block, a masked load and a
 * compress of the live lanes.  Each store writes 16 floats, so out needs 15
 * floats of room past its end (the scratch has them).
 */
__attribute__((target("avx512f")))
static void
GatherColumnsAvx512(const float *X, int m, int ldx, const LiveSet *set, float *out)
{
	for (int r = 0; r < m; r++)
	{
		const float *row = X + (size_t) r * ldx;
		float	   *dst = out + (size_t) r * set->n;

		for (int b = 0; b < set->n_blocks; b++)
		{
			__mmask16	mk = set->mask[b];
			__m512		v = _mm512_maskz_loadu_ps(mk, row + 16 * b);

			_mm512_storeu_ps(dst, _mm512_maskz_compress_ps(mk, v));
			dst += __builtin_popcount(mk);
		}
	}
}
#endif

/* out (m x set->n, packed) = the live columns of X (ldx). */
static void
GatherColumns(const float *X, int m, int ldx, const LiveSet *set, float *out)
{
#if defined(__x86_64__) && defined(__GNUC__)
	if (__builtin_cpu_supports("avx512f"))
	{
		GatherColumnsAvx512(X, m, ldx, set, out);
		return;
	}
#endif
	for (int r = 0; r < m; r++)
	{
		const float *row = X + (size_t) r * ldx;
		float	   *dst = out + (size_t) r * set->n;

		for (int j = 0; j < set->n; j++)
			dst[j] = row[set->idx[j]];
	}
}

/* See live_columns.h. */
void
help_sgemm_live_columns(int m, int n, int k, const float *X, int ldx,
						const float *W, int ldw, float *C, int ldc,
						HelpLiveScratch *s)
{
	LiveSet		set;

	if (m >= HELP_LIVE_MIN_ROWS && k <= HELP_LIVE_MAX_K &&
		(size_t) m * k <= (size_t) s->x_capacity && (size_t) n * k <= (size_t) s->w_capacity)
	{
		LiveColumns(X, m, k, ldx, &set);
		if (set.n == 0)
		{
			for (int r = 0; r < m; r++)
				memset(C + (size_t) r * ldc, 0, sizeof(float) * n);
			return;
		}
		if (set.n < k)
		{
			GatherColumns(X, m, ldx, &set, s->x);
			GatherColumns(W, n, ldw, &set, s->w);
			help_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, set.n,
					   1.0f, s->x, set.n, s->w, set.n, 0.0f, C, ldc);
			return;
		}
	}
	help_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k,
			   1.0f, X, ldx, W, ldw, 0.0f, C, ldc);
}

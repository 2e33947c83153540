/*
 * rng.c
 *	  xoshiro256** seeded through splitmix64, with Box-Muller normals.
 *
 * Everything random in help (modulator draws, episode sampling, weight
 * initialization) comes from here so a seed repeats a run exactly.
 */
#include "rng.h"

#include <math.h>

/* splitmix64 step, used only to spread a seed over the state. */
static uint64_t
SplitMix64(uint64_t *x)
{
	uint64_t	z = (*x += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static inline uint64_t
Rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* Start the generator from a 64-bit seed. */
void
help_rng_seed(HelpRng *rng, uint64_t seed)
{
	uint64_t	x = seed;

	/*
	 * xoshiro256** must not start from an all-zero state; splitmix64 turns any
	 * seed, 0 included, into four well-mixed words.
	 */
	for (int i = 0; i < 4; i++)
		rng->s[i] = SplitMix64(&x);
	rng->has_spare = 0;
	rng->spare = 0.0;
}

/* Next 64 random bits. */
uint64_t
help_rng_next(HelpRng *rng)
{
	uint64_t   *s = rng->s;
	uint64_t	result = Rotl(s[1] * 5, 7) * 9;
	uint64_t	t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = Rotl(s[3], 45);
	return result;
}

/* Uniform double in [0, 1) from the top 53 bits. */
double
help_rng_uniform(HelpRng *rng)
{
	return (double) (help_rng_next(rng) >> 11) * (1.0 / 9007199254740992.0);
}

/* Standard normal by the Box-Muller transform. */
double
help_rng_normal(HelpRng *rng)
{
	double		u1,
				u2,
				radius;

	if (rng->has_spare)
	{
		rng->has_spare = 0;
		return rng->spare;
	}
	/*
	 * log(0) is -infinity: a zero u1 is drawn again.  Each pair of uniforms
	 * gives two normals; the second is kept for the next call, so a run's
	 * sequence depends only on the seed and the number of draws.
	 */
	do
		u1 = help_rng_uniform(rng);
	while (u1 <= 0.0);
	u2 = help_rng_uniform(rng);
	radius = sqrt(-2.0 * log(u1));
	rng->spare = radius * sin(2.0 * M_PI * u2);
	rng->has_spare = 1;
	return radius * cos(2.0 * M_PI * u2);
}

/* Uniform integer in 0..n-1 without modulo bias (Lemire's method). */
uint32_t
help_rng_below(HelpRng *rng, uint32_t n)
{
	uint64_t	m = (help_rng_next(rng) >> 32) * (uint64_t) n;
	uint32_t	low = (uint32_t) m;

	/*
	 * Rejection only in the rare low slice that would make some values more
	 * likely than others; the threshold 2^32 mod n is computed only then,
	 * because it costs a division.
	 */
	if (low < n)
	{
		uint32_t	threshold = (uint32_t) (-n) % n;

		while (low < threshold)
		{
			m = (help_rng_next(rng) >> 32) * (uint64_t) n;
			low = (uint32_t) m;
		}
	}
	return (uint32_t) (m >> 32);
}

/* Fisher-Yates shuffle. */
void
help_rng_shuffle(HelpRng *rng, int *items, int n)
{
	for (int i = n - 1; i > 0; i--)
	{
		int			j = (int) help_rng_below(rng, (uint32_t) i + 1);
		int			t = items[i];

		items[i] = items[j];
		items[j] = t;
	}
}

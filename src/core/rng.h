/*
 * rng.h
 *	  The one seedable random generator of help (xoshiro256**).
 */
#ifndef HELP_RNG_H
#define HELP_RNG_H

#include <stdint.h>

typedef struct HelpRng
{
	uint64_t	s[4];
	int			has_spare;		/* Box-Muller gives normals in pairs */
	double		spare;
} HelpRng;

extern void help_rng_seed(HelpRng *rng, uint64_t seed);
extern uint64_t help_rng_next(HelpRng *rng);
extern double help_rng_uniform(HelpRng *rng);	/* in [0, 1) */
extern double help_rng_normal(HelpRng *rng);	/* standard normal */
extern uint32_t help_rng_below(HelpRng *rng, uint32_t n); /* uniform in 0..n-1 */
extern void help_rng_shuffle(HelpRng *rng, int *items, int n);

#endif							/* HELP_RNG_H */

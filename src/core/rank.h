/*
 * rank.h
 *	  Rank correlations: Spearman's rho (average ranks for ties) and
 *	  Kendall's tau-b.
 */
#ifndef HELP_RANK_H
#define HELP_RANK_H

/* A paired observation. */
typedef struct HelpPair
{
	double		x;
	double		y;
} HelpPair;

/*
 * Both functions sort pairs in place (by x, then y) so the result does not
 * depend on input order, and return NaN when undefined (n < 2, or one
 * variable constant).
 */
extern double help_spearman(HelpPair *pairs, long n);
extern double help_kendall_tau_b(HelpPair *pairs, long n);

#endif							/* HELP_RANK_H */

/*
 * student_t.h
 *	  Student's t distribution: the predictive distribution of a latency
 *	  whose error scale was estimated from a few measurements.
 */
#ifndef HELP_STUDENT_T_H
#define HELP_STUDENT_T_H

/* P(T <= t) for T ~ Student's t with dof > 0 degrees of freedom. */
extern double help_student_t_cdf(double t, double dof);

/* The q-quantile (0 < q < 1) of Student's t with dof degrees of freedom. */
extern double help_student_t_quantile(double q, double dof);

#endif							/* HELP_STUDENT_T_H */

/*
 * student_t.c
 *	  Student's t CDF through the regularized incomplete beta function, and
 *	  its quantile by bisection on the CDF.
 */
#include "student_t.h"

#include <math.h>

/*
 * Continued fraction of the regularized incomplete beta function I_x(a, b)
 * (modified Lentz); converges quickly for x < (a + 1) / (a + b + 2).
 */
static double
BetaContinuedFraction(double a, double b, double x)
{
	const double tiny = 1e-300;
	double		c = 1.0,
				d = 1.0 - (a + b) * x / (a + 1.0),
				f;

	d = fabs(d) < tiny ? tiny : d;
	d = 1.0 / d;
	f = d;
	for (int m = 1; m <= 300; m++)
	{
		int			m2 = 2 * m;
		double		num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
		double		delta;

		/* even step */
		d = 1.0 + num * d;
		d = fabs(d) < tiny ? tiny : d;
		c = 1.0 + num / c;
		c = fabs(c) < tiny ? tiny : c;
		d = 1.0 / d;
		f *= d * c;
		/* odd step */
		num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
		d = 1.0 + num * d;
		d = fabs(d) < tiny ? tiny : d;
		c = 1.0 + num / c;
		c = fabs(c) < tiny ? tiny : c;
		d = 1.0 / d;
		delta = d * c;
		f *= delta;
		if (fabs(delta - 1.0) < 1e-15)
			break;
	}
	return f;
}

/* The regularized incomplete beta function I_x(a, b), 0 <= x <= 1. */
static double
IncompleteBeta(double a, double b, double x)
{
	double		front;

	if (x <= 0.0)
		return 0.0;
	if (x >= 1.0)
		return 1.0;
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));

	/* the fraction converges on one side of the mean; use symmetry on the other */
	if (x < (a + 1.0) / (a + b + 2.0))
		return front * BetaContinuedFraction(a, b, x) / a;
	return 1.0 - front * BetaContinuedFraction(b, a, 1.0 - x) / b;
}

/* See student_t.h. */
double
help_student_t_cdf(double t, double dof)
{
	double		tail;

	if (isnan(t))
		return t;
	if (isinf(t))
		return t > 0 ? 1.0 : 0.0;
	/* P(|T| > |t|) = I_{dof / (dof + t^2)}(dof / 2, 1 / 2) */
	tail = 0.5 * IncompleteBeta(0.5 * dof, 0.5, dof / (dof + t * t));
	return t > 0 ? 1.0 - tail : tail;
}

/* See student_t.h. */
double
help_student_t_quantile(double q, double dof)
{
	double		lo = -1.0,
				hi = 1.0;

	if (!(q > 0.0 && q < 1.0))
		return q == 0.0 ? -INFINITY : q == 1.0 ? INFINITY : NAN;

	/*
	 * Bracket the quantile by doubling, then bisect: the CDF is monotone, so
	 * this cannot fail, and 200 halvings reach double precision.
	 */
	while (help_student_t_cdf(lo, dof) > q)
		lo *= 2.0;
	while (help_student_t_cdf(hi, dof) < q)
		hi *= 2.0;
	for (int i = 0; i < 200 && hi - lo > 1e-14 * (1.0 + fabs(lo)); i++)
	{
		double		mid = 0.5 * (lo + hi);

		if (help_student_t_cdf(mid, dof) < q)
			lo = mid;
		else
			hi = mid;
	}
	return 0.5 * (lo + hi);
}

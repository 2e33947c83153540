/*
 * bayes_linear.c
 *	  Evidence-maximizing Bayesian linear regression over feature groups,
 *	  and its cross-validated calibration (see bayes_linear.h).
 */
#include "bayes_linear.h"
#include "alloc.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#define MAX_P (HELP_BAYES_MAX_FEATURES + 1)

/* Bounds on the precisions: a group switched off, a noiseless fit. */
#define ALPHA_MIN 1e-6
#define ALPHA_MAX 1e8
/* a group whose precision passes this has no weight left: it is pruned */
#define ALPHA_PRUNED 1e6
#define BETA_MAX 1e8
/* The intercept's prior precision: as good as flat on standardized targets. */
#define ALPHA_INTERCEPT 1e-6
#define MAX_ITERATIONS 500
#define CONVERGED 1e-6

/*
 * Cholesky factor of the p x p symmetric matrix a (row-major) into l, lower
 * triangle; false if a is not positive definite.
 */
static bool
Cholesky(const double *a, int p, double *l)
{
	memset(l, 0, sizeof(double) * p * p);
	for (int i = 0; i < p; i++)
		for (int j = 0; j <= i; j++)
		{
			double		s = a[i * p + j];

			for (int k = 0; k < j; k++)
				s -= l[i * p + k] * l[j * p + k];
			if (i == j)
			{
				if (!(s > 0.0))
					return false;
				l[i * p + i] = sqrt(s);
			}
			else
				l[i * p + j] = s / l[j * p + j];
		}
	return true;
}

/* inv = a^-1 from a's Cholesky factor l (p x p). */
static void
CholeskyInverse(const double *l, int p, double *inv)
{
	for (int c = 0; c < p; c++)
	{
		double		col[MAX_P];

		/* solve L u = e_c, then L^T v = u: column c of the inverse */
		for (int i = 0; i < p; i++)
		{
			double		s = i == c ? 1.0 : 0.0;

			for (int k = 0; k < i; k++)
				s -= l[i * p + k] * col[k];
			col[i] = s / l[i * p + i];
		}
		for (int i = p - 1; i >= 0; i--)
		{
			double		s = col[i];

			for (int k = i + 1; k < p; k++)
				s -= l[k * p + i] * col[k];
			col[i] = s / l[i * p + i];
		}
		for (int i = 0; i < p; i++)
			inv[i * p + c] = col[i];
	}
}

/* See bayes_linear.h. */
void
help_bayes_phi(const HelpBayesLinear *model, const double *x, double *phi)
{
	phi[0] = 1.0;
	for (int k = 0; k < model->d; k++)
		phi[k + 1] = (x[k] - model->x_mean[k]) / model->x_scale[k];
}

/*
 * Posterior (m, S) for the current alpha and beta from the Gram matrix
 * G = Phi^T Phi and b = Phi^T t; false when the precision matrix is not
 * positive definite (cannot happen with positive precisions, barring
 * overflow).
 */
static bool
Posterior(HelpBayesLinear *model, const double *G, const double *b)
{
	int			p = model->d + 1;
	double		A[MAX_P * MAX_P],
				L[MAX_P * MAX_P];

	for (int i = 0; i < p * p; i++)
		A[i] = model->beta * G[i];
	A[0] += ALPHA_INTERCEPT;
	for (int k = 0; k < model->d; k++)
		A[(k + 1) * p + k + 1] += model->alpha[model->group[k]];
	if (!Cholesky(A, p, L))
		return false;
	CholeskyInverse(L, p, model->S);
	for (int i = 0; i < p; i++)
	{
		double		s = 0.0;

		for (int j = 0; j < p; j++)
			s += model->S[i * p + j] * b[j];
		model->m[i] = model->beta * s;
	}
	return true;
}

/*
 * Fit on the rows i with fold[i] != skip (all rows when fold is NULL):
 * standardize, then alternate the posterior and MacKay's updates of the
 * group precisions and the noise precision until they settle.
 */
static HelpStatus
FitRows(HelpBayesLinear *model, const double *X, const double *y, int n, int d,
		const int *group, int n_groups, const int *fold, int skip, HelpError *err)
{
	int			p = d + 1;
	int			used = 0;
	int			group_size[HELP_BAYES_MAX_GROUPS] = {0};
	double		G[MAX_P * MAX_P] = {0},
				b[MAX_P] = {0},
				tt = 0.0;

	if (d > HELP_BAYES_MAX_FEATURES || n_groups > HELP_BAYES_MAX_GROUPS)
		return help_set_error(err, HELP_ERR_SIZE, "too many features for the regression (%d)", d);
	memset(model, 0, sizeof(*model));
	model->d = d;
	model->n_groups = n_groups;
	memcpy(model->group, group, sizeof(int) * d);
	model->kappa = 1.0;

	/* means, then scales, over the rows in use */
	for (int i = 0; i < n; i++)
	{
		if (fold && fold[i] == skip)
			continue;
		used++;
		model->y_mean += y[i];
		for (int k = 0; k < d; k++)
			model->x_mean[k] += X[(size_t) i * d + k];
	}
	if (used < 2)
		return help_set_error(err, HELP_ERR_DATA, "the regression needs at least 2 rows, got %d", used);
	model->n = used;
	model->y_mean /= used;
	for (int k = 0; k < d; k++)
		model->x_mean[k] /= used;
	for (int i = 0; i < n; i++)
	{
		double		dy = y[i] - model->y_mean;

		if (fold && fold[i] == skip)
			continue;
		model->y_scale += dy * dy;
		for (int k = 0; k < d; k++)
		{
			double		dx = X[(size_t) i * d + k] - model->x_mean[k];

			model->x_scale[k] += dx * dx;
		}
	}
	model->y_scale = sqrt(model->y_scale / used);
	if (!(model->y_scale > 1e-12 * (fabs(model->y_mean) + 1e-300)))
		return help_set_error(err, HELP_ERR_DATA,
							  "all %d latencies are equal (%g ms): a regression cannot be fitted to them",
							  used, model->y_mean);

	/*
	 * Each feature to unit variance, then each group's features divided by
	 * the square root of the group's size, so that one prior precision per
	 * group means the same total prior variance for a group of one feature
	 * as for a group of five.  A feature that does not vary over these rows
	 * keeps scale 1: it centres to zero and carries no weight.
	 */
	for (int k = 0; k < d; k++)
		group_size[group[k]]++;
	for (int k = 0; k < d; k++)
	{
		double		sd = sqrt(model->x_scale[k] / used);

		if (!(sd > 1e-12 * (fabs(model->x_mean[k]) + 1e-300)))
			sd = 1.0;
		model->x_scale[k] = sd * sqrt((double) group_size[group[k]]);
	}

	for (int i = 0; i < n; i++)
	{
		double		phi[MAX_P],
					t;

		if (fold && fold[i] == skip)
			continue;
		help_bayes_phi(model, X + (size_t) i * d, phi);
		t = (y[i] - model->y_mean) / model->y_scale;
		for (int r = 0; r < p; r++)
		{
			b[r] += phi[r] * t;
			for (int c = 0; c < p; c++)
				G[r * p + c] += phi[r] * phi[c];
		}
		tt += t * t;
	}

	for (int g = 0; g < n_groups; g++)
		model->alpha[g] = 1.0;
	model->beta = 10.0;
	for (int it = 0; it < MAX_ITERATIONS; it++)
	{
		double		gamma_sum = 0.0,
					rss,
					change = 0.0,
					new_beta;
		double		gamma_group[HELP_BAYES_MAX_GROUPS] = {0},
					m2_group[HELP_BAYES_MAX_GROUPS] = {0};

		if (!Posterior(model, G, b))
			return help_set_error(err, HELP_ERR_DATA, "the regression's precision matrix is singular");

		/*
		 * gamma_k = 1 - alpha S_kk is how well feature k is determined by the
		 * data; MacKay's updates set each group's precision to its number of
		 * well-determined weights over their squared size, and the noise
		 * precision to the rows left over per unit of residual.
		 */
		gamma_sum = 1.0 - ALPHA_INTERCEPT * model->S[0];
		for (int k = 0; k < d; k++)
		{
			int			g = group[k];
			double		gk = 1.0 - model->alpha[g] * model->S[(k + 1) * p + k + 1];

			gamma_group[g] += gk;
			m2_group[g] += model->m[k + 1] * model->m[k + 1];
			gamma_sum += gk;
		}
		rss = tt;
		for (int r = 0; r < p; r++)
		{
			double		gm = 0.0;

			for (int c = 0; c < p; c++)
				gm += G[r * p + c] * model->m[c];
			rss += model->m[r] * gm - 2.0 * model->m[r] * b[r];
		}
		rss = rss > 1e-12 ? rss : 1e-12;
		for (int g = 0; g < n_groups; g++)
		{
			double		a = gamma_group[g] / (m2_group[g] > 1e-12 ? m2_group[g] : 1e-12);

			/*
			 * A group on its way out creeps towards infinite precision ever
			 * more slowly; past ALPHA_PRUNED its weights are negligible, so it
			 * is switched off at once and no longer holds up convergence.
			 */
			if (model->alpha[g] >= ALPHA_PRUNED)
				continue;
			a = a < ALPHA_MIN ? ALPHA_MIN : a;
			if (a >= ALPHA_PRUNED)
				a = ALPHA_MAX;
			else
				change = fmax(change, fabs(log(a / model->alpha[g])));
			model->alpha[g] = a;
		}
		new_beta = fmax(used - gamma_sum, 1e-3) / rss;
		new_beta = new_beta > BETA_MAX ? BETA_MAX : new_beta;
		change = fmax(change, fabs(log(new_beta / model->beta)));
		model->beta = new_beta;
		if (change < CONVERGED)
			break;
	}
	if (!Posterior(model, G, b))
		return help_set_error(err, HELP_ERR_DATA, "the regression's precision matrix is singular");
	return HELP_OK;
}

/* See bayes_linear.h. */
HelpStatus
help_bayes_fit(HelpBayesLinear *model, const double *X, const double *y, int n, int d,
			   const int *group, int n_groups, HelpError *err)
{
	return FitRows(model, X, y, n, d, group, n_groups, NULL, -1, err);
}

/* See bayes_linear.h. */
void
help_bayes_predict(const HelpBayesLinear *model, const double *x, double *mean, double *sd)
{
	int			p = model->d + 1;
	double		phi[MAX_P],
				mu = 0.0,
				quad = 0.0;

	help_bayes_phi(model, x, phi);
	for (int r = 0; r < p; r++)
	{
		double		s = 0.0;

		mu += phi[r] * model->m[r];
		for (int c = 0; c < p; c++)
			s += model->S[r * p + c] * phi[c];
		quad += phi[r] * s;
	}
	*mean = model->y_mean + model->y_scale * mu;
	*sd = model->y_scale * sqrt(1.0 / model->beta + (quad > 0.0 ? quad : 0.0));
}

/*
 * The maximum-likelihood squared scale of a Student's t with dof degrees
 * of freedom (location 0) for the n values z, by its EM iteration: each
 * value weighted by (dof + 1) / (dof + z^2 / s^2).  0 if all z are 0.
 */
static double
StudentTScale(const double *z, int n, double dof)
{
	double		s2 = 0.0;

	for (int i = 0; i < n; i++)
		s2 += z[i] * z[i] / n;
	for (int it = 0; it < 500 && s2 > 0.0; it++)
	{
		double		next = 0.0;

		for (int i = 0; i < n; i++)
			next += (dof + 1.0) / (dof + z[i] * z[i] / s2) * z[i] * z[i] / n;
		if (fabs(next - s2) <= 1e-12 * s2)
		{
			s2 = next;
			break;
		}
		s2 = next;
	}
	return s2;
}

/* See bayes_linear.h. */
void
help_bayes_calibrate(HelpBayesLinear *model, const double *X, const double *y)
{
	int			n = model->n,
				d = model->d;
	int			folds = n < HELP_BAYES_MAX_FOLDS ? n : HELP_BAYES_MAX_FOLDS;
	int		   *fold;
	double	   *z;
	int			count = 0;

	model->kappa = 1.0;
	model->dof = 1;
	if (n < 3)
		return;
	fold = help_alloc(sizeof(int) * n);
	z = help_alloc(sizeof(double) * n);
	for (int i = 0; i < n; i++)
		fold[i] = i % folds;
	for (int f = 0; f < folds; f++)
	{
		HelpBayesLinear held;
		HelpError	err;

		HELP_CHECK_INTERRUPTS();
		/* a fold whose other rows cannot be fitted says nothing: skip it */
		if (FitRows(&held, X, y, n, d, model->group, model->n_groups, fold, f, &err) != HELP_OK)
			continue;
		for (int i = f; i < n; i += folds)
		{
			double		mean,
						sd;

			help_bayes_predict(&held, X + (size_t) i * d, &mean, &sd);
			z[count++] = (y[i] - mean) / sd;
		}
	}
	if (count >= 2)
	{
		double		s2 = StudentTScale(z, count, HELP_BAYES_DOF);

		if (s2 > 0.0)
		{
			model->kappa = sqrt(s2);
			model->dof = HELP_BAYES_DOF;
		}
	}
	help_free(fold);
	help_free(z);
}

/* See bayes_linear.h. */
void
help_bayes_init_prior(HelpBayesLinear *model, const double *X, int n, int d,
					  const int *group, int n_groups)
{
	int			p = d + 1;
	int			group_size[HELP_BAYES_MAX_GROUPS] = {0};

	memset(model, 0, sizeof(*model));
	model->d = d;
	model->n_groups = n_groups;
	memcpy(model->group, group, sizeof(int) * d);
	model->y_scale = 1.0;
	model->beta = 10.0;
	model->kappa = 1.0;
	model->dof = 1;
	for (int k = 0; k < d; k++)
	{
		double		sum = 0.0,
					ss = 0.0,
					sd;

		for (int i = 0; i < n; i++)
			sum += X[(size_t) i * d + k];
		model->x_mean[k] = n > 0 ? sum / n : 0.0;
		for (int i = 0; i < n; i++)
		{
			double		dx = X[(size_t) i * d + k] - model->x_mean[k];

			ss += dx * dx;
		}
		sd = n > 0 ? sqrt(ss / n) : 0.0;
		model->x_scale[k] = sd > 1e-12 * (fabs(model->x_mean[k]) + 1e-300) ? sd : 1.0;
		group_size[group[k]]++;
	}
	for (int k = 0; k < d; k++)
		model->x_scale[k] *= sqrt((double) group_size[group[k]]);
	for (int g = 0; g < n_groups; g++)
		model->alpha[g] = 1.0;
	model->S[0] = 1.0 / ALPHA_INTERCEPT;
	for (int k = 0; k < d; k++)
		model->S[(k + 1) * p + k + 1] = 1.0 / model->alpha[group[k]];
}

/* See bayes_linear.h. */
double
help_bayes_mean_variance(const HelpBayesLinear *model, const double *phi)
{
	int			p = model->d + 1;
	double		quad = 0.0;

	for (int r = 0; r < p; r++)
	{
		double		s = 0.0;

		for (int c = 0; c < p; c++)
			s += model->S[r * p + c] * phi[c];
		quad += phi[r] * s;
	}
	return quad;
}

/* See bayes_linear.h. */
void
help_bayes_observe(HelpBayesLinear *model, const double *phi)
{
	int			p = model->d + 1;
	double		sphi[MAX_P],
				denom;

	/* Sherman-Morrison: S - beta S phi phi^T S / (1 + beta phi^T S phi) */
	for (int r = 0; r < p; r++)
	{
		sphi[r] = 0.0;
		for (int c = 0; c < p; c++)
			sphi[r] += model->S[r * p + c] * phi[c];
	}
	denom = 1.0 + model->beta * help_bayes_mean_variance(model, phi);
	for (int r = 0; r < p; r++)
		for (int c = 0; c < p; c++)
			model->S[r * p + c] -= model->beta * sphi[r] * sphi[c] / denom;
}

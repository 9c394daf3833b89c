/*
 * stats.c: interval estimates (stats.h). Wilson's score interval:
 *   (2x + z^2 +- z sqrt(z^2 + 4x(1 - x/n))) / (2(n + z^2));
 * the t interval mean +- t(0.975, n-1) s / sqrt(n); Newcombe's method 10
 * combines the two Wilson intervals (l1, u1), (l2, u2) of p1 and p2:
 *   d - sqrt((p1 - l1)^2 + (u2 - p2)^2), d + sqrt((u1 - p1)^2 + (p2 - l2)^2).
 */
#include <math.h>

#include <gsl/gsl_cdf.h>

#include "release/stats.h"

double
stats_z95(void)
{
	return gsl_cdf_ugaussian_Pinv(0.975);
}

void
stats_wilson(int64_t x, int64_t n, double *lo, double *hi)
{
	double z = stats_z95(), z2 = z * z, fx = (double)x, fn = (double)n;
	double root, den;

	if (n <= 0) {
		*lo = 0;
		*hi = 1;
		return;
	}
	root = z * sqrt(z2 + 4 * fx * (1 - fx / fn));
	den = 2 * (fn + z2);
	*lo = x == 0 ? 0 : (2 * fx + z2 - root) / den;
	*hi = x == n ? 1 : (2 * fx + z2 + root) / den;
}

int
stats_mean_ci(double n, double sum, double sumsq, double *mean, double *lo,
    double *hi)
{
	double var, half;

	*mean = n > 0 ? sum / n : 0;
	*lo = *hi = *mean;
	if (n < 2)
		return -1;
	var = (sumsq - sum * sum / n) / (n - 1);
	if (var < 0)
		var = 0;	/* rounding, when every value is the same */
	half = gsl_cdf_tdist_Pinv(0.975, n - 1) * sqrt(var / n);
	*lo = *mean - half;
	*hi = *mean + half;
	return 0;
}

void
stats_diff(int64_t x1, int64_t n1, int64_t x2, int64_t n2, double *d,
    double *lo, double *hi, int *is_significant)
{
	double p1 = (double)x1 / (double)n1, p2 = (double)x2 / (double)n2;
	double l1, u1, l2, u2;

	stats_wilson(x1, n1, &l1, &u1);
	stats_wilson(x2, n2, &l2, &u2);
	*d = p1 - p2;
	*lo = *d - sqrt((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2));
	*hi = *d + sqrt((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2));
	*is_significant = *lo > 0 || *hi < 0;
}

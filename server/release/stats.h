/*
 * stats.h: the interval estimates of a release: Wilson score intervals
 * for proportions, t intervals for means, and Newcombe's hybrid score
 * interval for a difference of two independent proportions (Newcombe
 * 1998, method 10). All at 95%, with quantiles from GSL.
 */
#ifndef GH_STATS_H
#define GH_STATS_H

#include <stdint.h>

/* The two-sided 95% normal quantile, 1.959964... */
double stats_z95(void);

/* Wilson 95% interval of x successes out of n > 0, as proportions. */
void stats_wilson(int64_t x, int64_t n, double *lo, double *hi);

/*
 * Mean and 95% t interval (n - 1 degrees of freedom) from n values with
 * sum and sum of squares. Returns 0, or -1 if n < 2 (mean only then).
 */
int stats_mean_ci(double n, double sum, double sumsq, double *mean,
    double *lo, double *hi);

/*
 * Difference p1 - p2 of x1/n1 and x2/n2 with Newcombe's hybrid score
 * 95% interval; *is_significant is 1 if it excludes 0.
 */
void stats_diff(int64_t x1, int64_t n1, int64_t x2, int64_t n2, double *d,
    double *lo, double *hi, int *is_significant);

#endif

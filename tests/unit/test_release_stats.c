/*
 * test_release_stats.c: the release's intervals against published and
 * independently computed values, to 4 decimals: Wilson intervals from
 * Newcombe (1998), "Two-sided confidence intervals for the single
 * proportion", Table I; the hybrid score interval of a difference from
 * Newcombe (1998), "Interval estimation for the difference between
 * independent proportions" (56/70 - 48/80); a t interval against
 * scipy.stats.t.ppf.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "release/stats.h"

#define EPS 0.00005	/* 4 decimals */

static void
wilson(int64_t x, int64_t n, double lo, double hi)
{
	double l, h;

	stats_wilson(x, n, &l, &h);
	assert_float_equal(l, lo, EPS);
	assert_float_equal(h, hi, EPS);
}

static void
test_release_stats_wilson_newcombe_table(void **state)
{
	(void)state;
	wilson(81, 263, 0.2553, 0.3662);
	wilson(15, 148, 0.0624, 0.1605);
	wilson(0, 20, 0.0, 0.1611);
	wilson(1, 29, 0.0061, 0.1718);
}

static void
test_release_stats_wilson_all(void **state)
{
	double l, h;

	(void)state;
	stats_wilson(20, 20, &l, &h);
	assert_float_equal(l, 1 - 0.1611, EPS);
	assert_float_equal(h, 1.0, 1e-12);
}

static void
test_release_stats_diff_newcombe(void **state)
{
	double d, lo, hi;
	int sig;

	(void)state;
	stats_diff(56, 70, 48, 80, &d, &lo, &hi, &sig);
	assert_float_equal(d, 0.2, 1e-12);
	assert_float_equal(lo, 0.0524, EPS);
	assert_float_equal(hi, 0.3339, EPS);
	assert_int_equal(sig, 1);
	stats_diff(10, 20, 9, 20, &d, &lo, &hi, &sig);
	assert_int_equal(sig, 0);
	assert_true(lo < 0 && hi > 0);
}

static void
test_release_stats_t_interval(void **state)
{
	/* 1 2 3 4 5 5 4 3 2 2; scipy: m -+ t.ppf(0.975, 9) * s / sqrt(10) */
	static const double v[] = { 1, 2, 3, 4, 5, 5, 4, 3, 2, 2 };
	double sum = 0, sq = 0, m, lo, hi;
	size_t i;

	(void)state;
	for (i = 0; i < 10; i++) {
		sum += v[i];
		sq += v[i] * v[i];
	}
	assert_int_equal(stats_mean_ci(10, sum, sq, &m, &lo, &hi), 0);
	assert_float_equal(m, 3.1, 1e-12);
	assert_float_equal(lo, 2.1197318961, 1e-8);
	assert_float_equal(hi, 4.0802681039, 1e-8);
	assert_int_equal(stats_mean_ci(1, 4, 16, &m, &lo, &hi), -1);
	assert_float_equal(m, 4, 1e-12);
}

static void
test_release_stats_z(void **state)
{
	(void)state;
	assert_float_equal(stats_z95(), 1.959963984540054, 1e-12);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_release_stats_wilson_newcombe_table),
		cmocka_unit_test(test_release_stats_wilson_all),
		cmocka_unit_test(test_release_stats_diff_newcombe),
		cmocka_unit_test(test_release_stats_t_interval),
		cmocka_unit_test(test_release_stats_z),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

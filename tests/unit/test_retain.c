/*
 * test_retain.c: the retention day arithmetic (server/report/retain.h):
 * a closed report is kept its category's months after its last step
 * (closing, aftercare, second opinion), across month ends and leap
 * years; an open or withdrawn one never expires; the longest period of
 * its forms counts; an extension runs 12 months from the later of today
 * and the current last day; reasons come from a fixed list.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "report/deadline.h"
#include "report/retain.h"

#define D(y, m, d) deadline_from_civil((y), (m), (d))

static struct retain_in
closed_on(int64_t day, int months)
{
	struct retain_in in = { 1, day, -1, -1, -1, -1, months };

	return in;
}

static void
test_retain_months_of_forms(void **state)
{
	const char *none[] = { "pesten" };
	const char *mixed[] = { "pesten", "agressie_geweld" };
	const char *sexual[] = { "seksuele_intimidatie" };

	(void)state;
	assert_int_equal(retain_months_of_form(NULL), RETAIN_DEFAULT_MONTHS);
	assert_int_equal(retain_months_of_form("bogus"), RETAIN_DEFAULT_MONTHS);
	assert_int_equal(retain_months_of_forms(NULL, 0), 12);
	assert_int_equal(retain_months_of_forms(none, 1), 12);
	assert_int_equal(retain_months_of_forms(mixed, 2), 24);
	assert_int_equal(retain_months_of_forms(sexual, 1), 24);
}

static void
test_retain_closed_is_kept_a_year(void **state)
{
	struct retain_in in = closed_on(D(2025, 3, 10), 12);

	(void)state;
	assert_int_equal(retain_last_day(&in), D(2026, 3, 10));
	assert_false(retain_is_expired(&in, D(2026, 3, 10)));
	assert_true(retain_is_expired(&in, D(2026, 3, 11)));
	/* Leap day: 29 Feb 2024 + 12 months is 28 Feb 2025. */
	in = closed_on(D(2024, 2, 29), 12);
	assert_int_equal(retain_last_day(&in), D(2025, 2, 28));
	/* A month end: 31 Aug 2025 + 24 months is 31 Aug 2027. */
	in = closed_on(D(2025, 8, 31), 24);
	assert_int_equal(retain_last_day(&in), D(2027, 8, 31));
	/* No period given: the default. */
	in = closed_on(D(2025, 1, 31), 0);
	assert_int_equal(retain_last_day(&in), D(2026, 1, 31));
}

static void
test_retain_runs_from_the_last_step(void **state)
{
	struct retain_in in = closed_on(D(2025, 1, 15), 12);

	(void)state;
	in.aftercare1 = D(2025, 2, 14);
	assert_int_equal(retain_last_day(&in), D(2026, 2, 14));
	in.aftercare3 = D(2025, 4, 20);
	assert_int_equal(retain_last_day(&in), D(2026, 4, 20));
	in.second_opinion = D(2025, 6, 1);
	assert_int_equal(retain_last_day(&in), D(2026, 6, 1));
}

static void
test_retain_open_never_expires(void **state)
{
	struct retain_in in = closed_on(D(2000, 1, 1), 12);

	(void)state;
	in.is_closed = 0;	/* reopened: under a second opinion */
	assert_int_equal(retain_last_day(&in), RETAIN_NEVER);
	assert_false(retain_is_expired(&in, D(2030, 1, 1)));
	in = closed_on(-1, 12);	/* closed without a closing day */
	assert_int_equal(retain_last_day(&in), RETAIN_NEVER);
	assert_false(retain_is_expired(&in, D(2030, 1, 1)));
}

static void
test_retain_extension_keeps_longer(void **state)
{
	struct retain_in in = closed_on(D(2025, 1, 10), 12);
	int64_t until;

	(void)state;
	/* Before the last day: 12 months after it. */
	until = retain_extend(&in, D(2025, 12, 1));
	assert_int_equal(until, D(2027, 1, 10));
	in.keep_until = until;
	assert_int_equal(retain_last_day(&in), D(2027, 1, 10));
	assert_false(retain_is_expired(&in, D(2026, 6, 1)));
	assert_true(retain_is_expired(&in, D(2027, 1, 11)));
	/* After it (not yet destroyed): 12 months after today. */
	in.keep_until = -1;
	assert_int_equal(retain_extend(&in, D(2026, 2, 1)), D(2027, 2, 1));
	/* An earlier keep_until never shortens the period. */
	in.keep_until = D(2025, 2, 1);
	assert_int_equal(retain_last_day(&in), D(2026, 1, 10));
	/* An open report: 12 months from today, counted once it closes. */
	in.is_closed = 0;
	assert_int_equal(retain_extend(&in, D(2025, 5, 31)), D(2026, 5, 31));
}

static void
test_retain_reasons_are_a_fixed_list(void **state)
{
	const char *const *ids = retain_reason_ids();
	size_t n = 0;

	(void)state;
	for (; ids[n] != NULL; n++)
		assert_true(retain_reason_is_valid(ids[n]));
	assert_true(n >= 3);
	assert_false(retain_reason_is_valid(NULL));
	assert_false(retain_reason_is_valid(""));
	assert_false(retain_reason_is_valid("legal_proceedings "));
	assert_false(retain_reason_is_valid("because I say so"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_retain_months_of_forms),
		cmocka_unit_test(test_retain_closed_is_kept_a_year),
		cmocka_unit_test(test_retain_runs_from_the_last_step),
		cmocka_unit_test(test_retain_open_never_expires),
		cmocka_unit_test(test_retain_extension_keeps_longer),
		cmocka_unit_test(test_retain_reasons_are_a_fixed_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_deadline.c: the desk's clock (server/report/deadline.h): 7 days,
 * 3 months, aftercare 1 and 3 months after closing, across month ends
 * and leap years; an acknowledgement leaves the feedback running, and an
 * aftercare contact's due day is what an early recording is checked
 * against.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "report/deadline.h"

#define D(y, m, d) deadline_from_civil((y), (m), (d))

static void
assert_civil(int64_t day, int y, int m, int d)
{
	int yy, mm, dd;

	deadline_civil(day, &yy, &mm, &dd);
	assert_int_equal(yy, y);
	assert_int_equal(mm, m);
	assert_int_equal(dd, d);
}

static void
test_deadline_epoch_and_known_days(void **state)
{
	(void)state;
	assert_int_equal(D(1970, 1, 1), 0);
	assert_int_equal(D(2000, 3, 1), 11017);
	assert_int_equal(D(2024, 2, 29), 19782);
	assert_civil(19782, 2024, 2, 29);
	assert_civil(-1, 1969, 12, 31);
	assert_civil(D(2100, 2, 28) + 1, 2100, 3, 1);	/* 2100: no leap */
	assert_civil(D(2000, 2, 28) + 1, 2000, 2, 29);	/* 2000: leap */
}

static void
test_deadline_round_trip_every_day(void **state)
{
	int64_t day;
	int y, m, d;

	(void)state;
	for (day = D(1999, 1, 1); day < D(2031, 1, 1); day++) {
		deadline_civil(day, &y, &m, &d);
		assert_int_equal(D(y, m, d), day);
	}
}

static void
test_deadline_ack_is_seven_days(void **state)
{
	struct deadline_in in = { D(2024, 2, 26), -1, -1, -1, -1, -1, 0 };
	struct deadline_step s[DEADLINE_STEPS];

	(void)state;
	(void)deadline_clock(&in, in.received, s);
	assert_int_equal(s[DEADLINE_ACK].due, D(2024, 3, 4));
	in.received = D(2025, 2, 26);
	(void)deadline_clock(&in, in.received, s);
	assert_int_equal(s[DEADLINE_ACK].due, D(2025, 3, 5));
	in.received = D(2024, 12, 28);
	(void)deadline_clock(&in, in.received, s);
	assert_int_equal(s[DEADLINE_ACK].due, D(2025, 1, 4));
}

static void
test_deadline_months_clamp_to_month_end(void **state)
{
	(void)state;
	assert_int_equal(deadline_add_months(D(2023, 11, 30), 3),
	    D(2024, 2, 29));
	assert_int_equal(deadline_add_months(D(2025, 11, 30), 3),
	    D(2026, 2, 28));
	assert_int_equal(deadline_add_months(D(2024, 12, 31), 1),
	    D(2025, 1, 31));
	assert_int_equal(deadline_add_months(D(2024, 12, 31), 3),
	    D(2025, 3, 31));
	assert_int_equal(deadline_add_months(D(2025, 1, 31), 1),
	    D(2025, 2, 28));
	assert_int_equal(deadline_add_months(D(2024, 1, 31), 1),
	    D(2024, 2, 29));
	assert_int_equal(deadline_add_months(D(2024, 2, 29), 3),
	    D(2024, 5, 29));
	assert_int_equal(deadline_add_months(D(2024, 2, 29), 12),
	    D(2025, 2, 28));
	assert_int_equal(deadline_add_months(D(2024, 11, 30), 3),
	    D(2025, 2, 28));
	assert_int_equal(deadline_add_months(D(2024, 10, 31), 1),
	    D(2024, 11, 30));
	assert_int_equal(deadline_add_months(D(2024, 3, 31), -1),
	    D(2024, 2, 29));
	assert_int_equal(deadline_add_months(D(2025, 3, 15), -12),
	    D(2024, 3, 15));
}

static void
test_deadline_feedback_three_months(void **state)
{
	struct deadline_in in = { D(2023, 11, 30), -1, -1, -1, -1, -1, 0 };
	struct deadline_step s[DEADLINE_STEPS];

	(void)state;
	(void)deadline_clock(&in, in.received, s);
	assert_int_equal(s[DEADLINE_FEEDBACK].due, D(2024, 2, 29));
	assert_int_equal(s[DEADLINE_FEEDBACK].state, DEADLINE_DUE);
	(void)deadline_clock(&in, D(2024, 2, 29), s);
	assert_int_equal(s[DEADLINE_FEEDBACK].state, DEADLINE_DUE);
	(void)deadline_clock(&in, D(2024, 3, 1), s);
	assert_int_equal(s[DEADLINE_FEEDBACK].state, DEADLINE_OVERDUE);
	in.feedback = D(2024, 3, 1);
	(void)deadline_clock(&in, D(2024, 3, 2), s);
	assert_int_equal(s[DEADLINE_FEEDBACK].state, DEADLINE_DONE);
}

static void
test_deadline_states_and_urgency(void **state)
{
	struct deadline_in in = { D(2025, 1, 1), -1, -1, -1, -1, -1, 0 };
	struct deadline_step s[DEADLINE_STEPS];
	int64_t u;

	(void)state;
	u = deadline_clock(&in, D(2025, 1, 8), s);
	assert_int_equal(s[DEADLINE_ACK].state, DEADLINE_DUE);
	assert_int_equal(u, 0);
	u = deadline_clock(&in, D(2025, 1, 9), s);
	assert_int_equal(s[DEADLINE_ACK].state, DEADLINE_OVERDUE);
	assert_int_equal(u, -1);
	assert_int_equal(s[DEADLINE_AFTERCARE1].state, DEADLINE_NOT_YET);
	assert_int_equal(s[DEADLINE_AFTERCARE1].due, -1);
	in.ack = D(2025, 1, 3);
	u = deadline_clock(&in, D(2025, 1, 9), s);
	assert_int_equal(s[DEADLINE_ACK].state, DEADLINE_DONE);
	assert_int_equal(u, D(2025, 4, 1) - D(2025, 1, 9));
}

static void
test_deadline_aftercare_after_closing(void **state)
{
	struct deadline_in in = { D(2024, 9, 1), D(2024, 9, 2), -1,
	    D(2024, 12, 31), -1, -1, 0 };
	struct deadline_step s[DEADLINE_STEPS];
	int64_t u;

	(void)state;
	/* Closing is no feedback by itself: only the recorded day (the
	 * closing message sets it) marks the step done. */
	u = deadline_clock(&in, D(2025, 1, 10), s);
	assert_int_equal(s[DEADLINE_FEEDBACK].state, DEADLINE_OVERDUE);
	assert_int_equal(u, D(2024, 12, 1) - D(2025, 1, 10));
	in.feedback = D(2024, 12, 31);
	u = deadline_clock(&in, D(2025, 1, 10), s);
	assert_int_equal(s[DEADLINE_FEEDBACK].state, DEADLINE_DONE);
	assert_int_equal(s[DEADLINE_AFTERCARE1].due, D(2025, 1, 31));
	assert_int_equal(s[DEADLINE_AFTERCARE3].due, D(2025, 3, 31));
	assert_int_equal(s[DEADLINE_AFTERCARE1].state, DEADLINE_DUE);
	assert_int_equal(u, 21);
	(void)deadline_clock(&in, D(2025, 2, 1), s);
	assert_int_equal(s[DEADLINE_AFTERCARE1].state, DEADLINE_OVERDUE);
	in.aftercare1 = D(2025, 2, 1);
	u = deadline_clock(&in, D(2025, 2, 1), s);
	assert_int_equal(s[DEADLINE_AFTERCARE1].state, DEADLINE_DONE);
	assert_int_equal(u, D(2025, 3, 31) - D(2025, 2, 1));
	in.closed = D(2023, 11, 30);
	(void)deadline_clock(&in, D(2023, 12, 1), s);
	assert_int_equal(s[DEADLINE_AFTERCARE3].due, D(2024, 2, 29));
}

static void
test_deadline_ack_leaves_feedback_running(void **state)
{
	/* Acknowledged on day 2; no feedback yet; not closed. */
	struct deadline_in in = { D(2026, 9, 1), D(2026, 9, 2), -1, -1, -1,
	    -1, 0 };
	struct deadline_step s[DEADLINE_STEPS];
	int64_t u;

	(void)state;
	u = deadline_clock(&in, D(2026, 11, 20), s);
	assert_int_equal(s[DEADLINE_ACK].state, DEADLINE_DONE);
	assert_int_equal(s[DEADLINE_FEEDBACK].state, DEADLINE_DUE);
	assert_int_equal(s[DEADLINE_FEEDBACK].due, D(2026, 12, 1));
	assert_int_equal(u, 11);
	(void)deadline_clock(&in, D(2026, 12, 2), s);
	assert_int_equal(s[DEADLINE_FEEDBACK].state, DEADLINE_OVERDUE);
	assert_int_equal(s[DEADLINE_AFTERCARE1].state, DEADLINE_NOT_YET);
	in.feedback = D(2026, 12, 2);
	assert_true(deadline_clock(&in, D(2026, 12, 2), s) == INT64_MAX);
	assert_int_equal(s[DEADLINE_FEEDBACK].state, DEADLINE_DONE);
}

static void
test_deadline_aftercare_due_days(void **state)
{
	(void)state;
	assert_int_equal(deadline_aftercare_due(-1, 1), DEADLINE_NONE_DAY);
	assert_int_equal(deadline_aftercare_due(D(2024, 12, 31), 1),
	    D(2025, 1, 31));
	assert_int_equal(deadline_aftercare_due(D(2025, 1, 31), 1),
	    D(2025, 2, 28));
	assert_int_equal(deadline_aftercare_due(D(2023, 11, 30), 3),
	    D(2024, 2, 29));
}

static void
test_deadline_withdrawn_runs_nothing(void **state)
{
	struct deadline_in in = { D(2025, 1, 1), -1, -1, -1, -1, -1, 1 };
	struct deadline_step s[DEADLINE_STEPS];
	int i;

	(void)state;
	assert_true(deadline_clock(&in, D(2025, 6, 1), s) == INT64_MAX);
	for (i = 0; i < DEADLINE_STEPS; i++)
		assert_int_equal(s[i].state, DEADLINE_NOT_YET);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deadline_epoch_and_known_days),
		cmocka_unit_test(test_deadline_round_trip_every_day),
		cmocka_unit_test(test_deadline_ack_is_seven_days),
		cmocka_unit_test(test_deadline_months_clamp_to_month_end),
		cmocka_unit_test(test_deadline_feedback_three_months),
		cmocka_unit_test(test_deadline_states_and_urgency),
		cmocka_unit_test(test_deadline_aftercare_after_closing),
		cmocka_unit_test(test_deadline_ack_leaves_feedback_running),
		cmocka_unit_test(test_deadline_aftercare_due_days),
		cmocka_unit_test(test_deadline_withdrawn_runs_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

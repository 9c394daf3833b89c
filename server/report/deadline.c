/*
 * deadline.c: day arithmetic for the desk's clock (see deadline.h).
 *
 * Entry points: deadline_civil and deadline_from_civil convert between day
 * numbers and the proleptic Gregorian calendar (Howard Hinnant's
 * days_from_civil / civil_from_days, exact for every int64 day the store
 * can hold); deadline_add_months moves by calendar months with month-end
 * clamping; deadline_aftercare_due dates an aftercare contact;
 * deadline_clock turns a report's days into its four steps.
 */
#include <stdint.h>

#include "report/deadline.h"

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

void
deadline_civil(int64_t day, int *y, int *m, int *d)
{
	int64_t z = day + 719468, era, doe, yoe, doy, mp;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int64_t
deadline_from_civil(int y, int m, int d)
{
	int64_t yy = y - (m <= 2), era, yoe, doy, doe;

	era = (yy >= 0 ? yy : yy - 399) / 400;
	yoe = yy - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t
deadline_add_months(int64_t day, int months)
{
	int y, m, d, total, last;

	deadline_civil(day, &y, &m, &d);
	total = y * 12 + (m - 1) + months;
	y = total >= 0 ? total / 12 : -((-total + 11) / 12);
	m = total - y * 12 + 1;
	last = month_days(y, m);
	return deadline_from_civil(y, m, d > last ? last : d);
}

int64_t
deadline_aftercare_due(int64_t closed, int months)
{
	return closed < 0 ? DEADLINE_NONE_DAY :
	    deadline_add_months(closed, months);
}

enum deadline_state
deadline_state_of(int64_t due, int64_t done, int64_t today)
{
	if (done >= 0)
		return DEADLINE_DONE;
	if (due < 0)
		return DEADLINE_NOT_YET;
	return today > due ? DEADLINE_OVERDUE : DEADLINE_DUE;
}

static void
step(struct deadline_step *s, int64_t due, int64_t done, int64_t today)
{
	s->due = due;
	s->state = deadline_state_of(due, done, today);
}

int64_t
deadline_clock(const struct deadline_in *in, int64_t today,
    struct deadline_step steps[DEADLINE_STEPS])
{
	int64_t urgency = INT64_MAX;
	int i;

	/* Each step is done only by its own recorded day: closing is not an
	 * acknowledgement or feedback by itself (the closing message
	 * records both, report_conv_desk_post). */
	step(&steps[DEADLINE_ACK], in->received + DEADLINE_ACK_DAYS,
	    in->ack, today);
	step(&steps[DEADLINE_FEEDBACK], deadline_add_months(in->received,
	    DEADLINE_FEEDBACK_MONTHS), in->feedback, today);
	step(&steps[DEADLINE_AFTERCARE1], deadline_aftercare_due(in->closed,
	    1), in->aftercare1, today);
	step(&steps[DEADLINE_AFTERCARE3], deadline_aftercare_due(in->closed,
	    3), in->aftercare3, today);
	for (i = 0; i < DEADLINE_STEPS; i++) {
		if (in->is_withdrawn && steps[i].state != DEADLINE_DONE)
			steps[i].state = DEADLINE_NOT_YET;
		if ((steps[i].state == DEADLINE_DUE ||
		    steps[i].state == DEADLINE_OVERDUE) &&
		    steps[i].due - today < urgency)
			urgency = steps[i].due - today;
	}
	return urgency;
}

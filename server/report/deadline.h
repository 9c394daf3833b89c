/*
 * deadline.h: the desk's clock, as pure arithmetic on day numbers (days
 * since 1970-01-01, UTC, as store_today returns them). Implemented in
 * deadline.c; no I/O, no time of day, no time zone.
 *
 * EU Directive 2019/1937 (art. 9) and the Dutch Whistleblowers Protection
 * Act: acknowledge a report within 7 days of receipt, give feedback within
 * 3 months of the acknowledgement's deadline at the latest; gehoord counts
 * the 3 months from receipt, which is stricter. Aftercare (DOMAIN.md):
 * contact 1 month and 3 months after a report is closed.
 *
 * Months are calendar months, clamped to the end of the target month:
 * 30 Nov 2023 + 3 months is 29 Feb 2024 (leap year), 30 Nov 2025 + 3
 * months is 28 Feb 2026, 31 Dec 2024 + 1 month is 31 Jan 2025, and 31 Jan
 * + 1 month is the last day of February. A deadline is the last day on
 * which the step is still in time.
 */
#ifndef GH_DEADLINE_H
#define GH_DEADLINE_H

#include <stdint.h>

#define DEADLINE_ACK_DAYS	7
#define DEADLINE_FEEDBACK_MONTHS 3
#define DEADLINE_NONE_DAY	(-1)	/* "no such day" in every field */

enum deadline_state {
	DEADLINE_NOT_YET,	/* not running (e.g. aftercare before closing) */
	DEADLINE_DUE,		/* running, today <= due */
	DEADLINE_OVERDUE,	/* running, today > due */
	DEADLINE_DONE,		/* the step was taken */
};

/* Splits a day number into year, month (1-12) and day (1-31). */
void deadline_civil(int64_t day, int *y, int *m, int *d);

/* Returns the day number of y-m-d (m 1-12, d 1-31; not checked). */
int64_t deadline_from_civil(int y, int m, int d);

/* Returns day plus months calendar months, clamped to the month's end. */
int64_t deadline_add_months(int64_t day, int months);

/*
 * Returns the due day of the aftercare contact months (1 or 3) after a
 * report closed on closed, or DEADLINE_NONE_DAY when it is not closed.
 */
int64_t deadline_aftercare_due(int64_t closed, int months);

/* Returns the state of a step due on due, done on done (or -1), today. */
enum deadline_state deadline_state_of(int64_t due, int64_t done,
    int64_t today);

/* A report's days as the clock needs them (-1 where absent). */
struct deadline_in {
	int64_t	received, ack, feedback, closed, aftercare1, aftercare3;
	int	is_withdrawn;
};

/* One step of the clock: its due day (-1 if not running) and state. */
struct deadline_step {
	int64_t			due;
	enum deadline_state	state;
};

enum deadline_which {
	DEADLINE_ACK, DEADLINE_FEEDBACK, DEADLINE_AFTERCARE1,
	DEADLINE_AFTERCARE3, DEADLINE_STEPS
};

/*
 * Fills the report's four steps as of today. The acknowledgement is done
 * by the desk's first message or the status "acknowledged", the feedback
 * only by a message the desk marks as the feedback (closing sends the
 * reporter such a message with the outcome, which records both);
 * closing alone marks neither done; aftercare is done only when
 * recorded and runs from the closing day; a
 * withdrawn report has no running step. Returns the urgency: the smallest
 * (due - today) over running steps (negative when overdue), or INT64_MAX
 * when nothing runs.
 */
int64_t deadline_clock(const struct deadline_in *in, int64_t today,
    struct deadline_step steps[DEADLINE_STEPS]);

#endif

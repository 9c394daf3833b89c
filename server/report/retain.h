/*
 * retain.h: how long the desk keeps a report, as pure arithmetic on day
 * numbers (days since 1970-01-01, UTC). Implemented in retain.c; no I/O.
 *
 * A report is kept while it is open. Once closed, it is kept for its
 * category's period after its last step: the latest of the closing day,
 * the aftercare contacts and a second opinion. The period is the longest
 * of its forms of behaviour (retain_months_of_form): 24 months for
 * sexual harassment and aggression or violence (where a complaint to
 * the police or a court case may follow), 12 months for every other
 * form and for a report without one. The desk may extend it
 * (RETAIN_EXTEND_MONTHS from the later of today and the date it would
 * have expired), for a reason from a fixed list (retain_reason_ids).
 * The date is the last day the report is kept; the day after it the
 * daily run destroys it.
 */
#ifndef GH_RETAIN_H
#define GH_RETAIN_H

#include <stddef.h>
#include <stdint.h>

#define RETAIN_DEFAULT_MONTHS	12
#define RETAIN_LONG_MONTHS	24
#define RETAIN_EXTEND_MONTHS	12
#define RETAIN_SOON_DAYS	30	/* the desk's list looks this far ahead */
#define RETAIN_NEVER		(-1)	/* "not expiring" */

/* A report's days as retention needs them (-1 where absent). */
struct retain_in {
	int	 is_closed;	/* status is closed (not open, withdrawn,
				   or under a second opinion) */
	int64_t	 closed, aftercare1, aftercare3, second_opinion;
	int64_t	 keep_until;	/* the desk's extension, or -1 */
	int	 months;	/* the category's period (retain_months_of_forms) */
};

/* Returns the retention period in months of one form of behaviour id
 * (NULL or unknown: RETAIN_DEFAULT_MONTHS). */
int retain_months_of_form(const char *form);

/* Returns the longest period over n forms (none: the default). */
int retain_months_of_forms(const char *const *forms, size_t n);

/* Returns the last day report in is kept, or RETAIN_NEVER while it is
 * open (or not closed). */
int64_t retain_last_day(const struct retain_in *in);

/* Returns 1 when the report of in is past its last day on today. */
int retain_is_expired(const struct retain_in *in, int64_t today);

/* Returns the keep_until an extension on today sets: RETAIN_EXTEND_MONTHS
 * after the later of today and the current last day. */
int64_t retain_extend(const struct retain_in *in, int64_t today);

/* Returns the NULL-terminated ids of the reasons for an extension. */
const char *const *retain_reason_ids(void);

/* Returns 1 if id (NULL allowed) is a reason id, else 0. */
int retain_reason_is_valid(const char *id);

#endif

/*
 * report_expire.h: retention of reports as the desk and the daily run
 * use it: which reports are past their retention, destroying them
 * (store_report_expire, then a truncating checkpoint), the desk's
 * extension and its list of reports expiring soon. Implemented in
 * report_expire.c; the rules are retain.h's.
 *
 * gehoord serve runs report_expire_run at start-up and every 24 hours
 * (http/retain_job.c); gehoord report-expire runs it once.
 */
#ifndef GH_REPORT_EXPIRE_H
#define GH_REPORT_EXPIRE_H

#include <stddef.h>
#include <stdint.h>

#include "report/retain.h"
#include "store/store_retain.h"

/* What a run found and did. */
struct report_expire_stats {
	size_t	checked;	/* live reports looked at */
	size_t	expired;	/* past their last day (destroyed unless dry) */
	size_t	failed;		/* could not be destroyed (logged) */
};

/* Fills *in with the retention input of row r (its forms' period). */
void report_retain_in(const struct store_retain_row *r, struct retain_in *in);

/*
 * Destroys every report past its last day on today (with is_dry_run,
 * only counts them), calling progress (if not NULL) for each with the
 * row and its last day before it is destroyed, then truncates the WAL.
 * Returns GH_OK when every expired report was destroyed (stats filled),
 * else the first error.
 */
int report_expire_run(struct store *s, int64_t today, int is_dry_run,
    void (*progress)(void *arg, const struct store_retain_row *r,
    int64_t last_day), void *arg, struct report_expire_stats *stats) GH_WUR;

/*
 * The desk extends report id's retention on today for reason (an id of
 * retain_reason_ids); *until gets the new last day. GH_ERR_INVALID (an
 * unknown reason), GH_ERR_NOT_FOUND, GH_ERR_CLOSED (withdrawn or expired).
 */
int report_retain_extend(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const char *reason, int64_t today, int64_t *until) GH_WUR;

/* Calls fn for every closed report whose last day falls within
 * RETAIN_SOON_DAYS of today (or is past it), soonest first. */
int report_retain_soon(struct store *s, int64_t today,
    int (*fn)(void *arg, const struct store_retain_row *r, int64_t last_day),
    void *arg) GH_WUR;

/* Reads the last day report id is kept into *last (RETAIN_NEVER while
 * open). GH_ERR_NOT_FOUND, GH_ERR_CLOSED (withdrawn or expired). */
int report_retain_last_day(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t *last, struct store_retain_row *row) GH_WUR;

#endif

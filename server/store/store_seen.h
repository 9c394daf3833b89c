/*
 * store_seen.h: what a reporter has seen of their conversation: the
 * highest message number (seq) shown to them at their last visit
 * (reports.reporter_seen, 0 before the first). The follow-up page marks
 * the desk's messages after it "new". Only a number is kept: no time of
 * the visit.
 */
#ifndef GH_STORE_SEEN_H
#define GH_STORE_SEEN_H

#include <stdint.h>

#include "store/store.h"
#include "store/store_report.h"

/*
 * Sets *seen to the highest seq report id's reporter has seen. Returns
 * GH_OK, GH_ERR_NOT_FOUND (no such report) or GH_ERR_DB.
 */
int store_seen_get(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t *seen) GH_WUR;

/*
 * Records that report id's reporter has seen the messages up to seq; a
 * lower seq than the one recorded changes nothing (two tabs, a late
 * request). Returns GH_OK or GH_ERR_DB.
 */
int store_seen_set(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t seq) GH_WUR;

#endif

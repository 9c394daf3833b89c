/*
 * store_seen.c: the highest message a reporter has seen
 * (store_seen.h), in reports.reporter_seen; statements in the slots
 * STORE_EXT_SEEN onwards.
 *
 * Entry points: store_seen_get, store_seen_set. The follow-up page reads
 * it before showing the conversation and raises it after; raising only
 * (never lowering) keeps two views in a race from marking old messages
 * new again.
 */
#include <stdint.h>

#include "store/store_int.h"
#include "store/store_report_int.h"
#include "store/store_seen.h"

#define P(st, name) store_param((st), (name))

enum seen_slot {
	ST_SEEN_GET = STORE_EXT_SEEN,
	ST_SEEN_SET,
};

int
store_seen_get(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t *seen)
{
	sqlite3_stmt *st = store_ext_stmt(s, ST_SEEN_GET,
	    "SELECT reporter_seen FROM reports WHERE id = :id");
	int rc, r = GH_OK;

	*seen = 0;
	if (st == NULL)
		return GH_ERR_DB;
	report_bind_id(st, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*seen = sqlite3_column_int64(st, 0);
	else if (rc == SQLITE_DONE)
		r = GH_ERR_NOT_FOUND;
	else
		r = store_fail(s, "reading what a reporter has seen");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_seen_set(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t seq)
{
	sqlite3_stmt *st = store_ext_stmt(s, ST_SEEN_SET,
	    "UPDATE reports SET reporter_seen = :seq"
	    " WHERE id = :id AND reporter_seen < :seq");

	if (st == NULL)
		return GH_ERR_DB;
	report_bind_id(st, id);
	sqlite3_bind_int64(st, P(st, ":seq"), seq);
	if (store_step_once(st) != SQLITE_DONE)
		return store_fail(s, "recording what a reporter has seen");
	return GH_OK;
}

/*
 * store_stats.c: a report's tags for counting (store_stats.h).
 *
 * Entry points: store_stats_tags, store_stats_outcome. Their statements
 * are prepared at first use in the second half of the reviewers' slots
 * (STORE_EXT_REVIEW + 8..); a value longer than REPORT_MAX_CATEGORY is
 * refused before use.
 */
#include <string.h>

#include "store/store_int.h"
#include "store/store_stats.h"

#define P(st, name) store_param((st), (name))

enum {
	ST_STATS_TAGS = STORE_EXT_REVIEW + 8,
	ST_STATS_OUTCOME = STORE_EXT_REVIEW + 9,
};

int
store_stats_tags(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int (*fn)(void *arg, const char *kind, const char *value), void *arg)
{
	const char *kind, *value;
	sqlite3_stmt *st;
	int rc, r = GH_OK;

	if ((st = store_ext_stmt(s, ST_STATS_TAGS,
	    "SELECT kind, value FROM report_tags WHERE report_id = :id "
	    "ORDER BY kind, value")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_blob(st, P(st, ":id"), id, REPORT_ID_BYTES, SQLITE_STATIC);
	while (r == GH_OK && (rc = sqlite3_step(st)) != SQLITE_DONE) {
		if (rc != SQLITE_ROW) {
			r = store_fail(s, "reading a report's tags");
			break;
		}
		kind = (const char *)sqlite3_column_text(st, 0);
		value = (const char *)sqlite3_column_text(st, 1);
		if (kind == NULL || value == NULL ||
		    strlen(value) > REPORT_MAX_CATEGORY) {
			r = GH_ERR_INVALID;
			break;
		}
		r = fn(arg, kind, value);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_stats_outcome(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    char out[REPORT_MAX_CATEGORY + 1])
{
	const char *value;
	sqlite3_stmt *st;
	int rc, r = GH_OK;

	out[0] = '\0';
	if ((st = store_ext_stmt(s, ST_STATS_OUTCOME,
	    "SELECT outcome FROM reports WHERE id = :id")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_blob(st, P(st, ":id"), id, REPORT_ID_BYTES, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_DONE)
		r = GH_ERR_NOT_FOUND;
	else if (rc != SQLITE_ROW)
		r = store_fail(s, "reading a report's outcome");
	else if ((value = (const char *)sqlite3_column_text(st, 0)) != NULL) {
		if (strlen(value) > REPORT_MAX_CATEGORY)
			r = GH_ERR_INVALID;
		else
			memcpy(out, value, strlen(value) + 1);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

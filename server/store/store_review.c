/*
 * store_review.c: the reports sent to reviewers (store_review.h).
 *
 * Entry points: store_review_add, store_review_get,
 * store_review_foreach_user, store_review_foreach_report. Statements are
 * prepared at first use in this file's slots (STORE_EXT_REVIEW..); a
 * sealed key read back is checked for its exact size before use.
 */
#include <string.h>

#include "store/store_int.h"
#include "store/store_review.h"

#define P(st, name) store_param((st), (name))

enum {
	ST_REVIEW_ADD = STORE_EXT_REVIEW,
	ST_REVIEW_GET,
	ST_REVIEW_BY_USER,
	ST_REVIEW_BY_REPORT,
};

int
store_review_add(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t user_id, int64_t day, const uint8_t *sealed, size_t len)
{
	sqlite3_stmt *st;
	int rc, r;

	if (len != REVIEW_SEALED_KEY_BYTES)
		return GH_ERR_INVALID;
	if ((st = store_ext_stmt(s, ST_REVIEW_ADD,
	    "INSERT INTO report_reviews (report_id, user_id, day, sealed_key) "
	    "VALUES (:id, :user, :day, :sealed) "
	    "ON CONFLICT (report_id, user_id) DO NOTHING")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_blob(st, P(st, ":id"), id, REPORT_ID_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, P(st, ":user"), user_id);
	sqlite3_bind_int64(st, P(st, ":day"), day);
	sqlite3_bind_blob(st, P(st, ":sealed"), sealed, (int)len,
	    SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		r = store_fail(s, "sending a report to a reviewer");
	else
		r = sqlite3_changes(s->db) == 0 ? GH_ERR_EXISTS : GH_OK;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_review_get(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t user_id, uint8_t sealed[REVIEW_SEALED_KEY_BYTES], int64_t *day)
{
	sqlite3_stmt *st;
	int rc, r;

	if ((st = store_ext_stmt(s, ST_REVIEW_GET,
	    "SELECT day, sealed_key FROM report_reviews "
	    "WHERE report_id = :id AND user_id = :user")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_blob(st, P(st, ":id"), id, REPORT_ID_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, P(st, ":user"), user_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 1) ==
	    REVIEW_SEALED_KEY_BYTES) {
		*day = sqlite3_column_int64(st, 0);
		memcpy(sealed, sqlite3_column_blob(st, 1),
		    REVIEW_SEALED_KEY_BYTES);
		r = GH_OK;
	} else if (rc == SQLITE_ROW)
		r = GH_ERR_INVALID;
	else if (rc == SQLITE_DONE)
		r = GH_ERR_NOT_FOUND;
	else
		r = store_fail(s, "reading a reviewer's key");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_review_foreach_user(struct store *s, int64_t user_id,
    int (*fn)(void *arg, const uint8_t id[REPORT_ID_BYTES], int64_t day),
    void *arg)
{
	sqlite3_stmt *st;
	int rc, r = GH_OK;

	if ((st = store_ext_stmt(s, ST_REVIEW_BY_USER,
	    "SELECT report_id, day FROM report_reviews WHERE user_id = :user "
	    "ORDER BY day DESC, report_id")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(st, P(st, ":user"), user_id);
	while (r == GH_OK && (rc = sqlite3_step(st)) != SQLITE_DONE) {
		if (rc != SQLITE_ROW) {
			r = store_fail(s, "listing a reviewer's reports");
			break;
		}
		if (sqlite3_column_bytes(st, 0) != REPORT_ID_BYTES) {
			r = GH_ERR_INVALID;
			break;
		}
		r = fn(arg, sqlite3_column_blob(st, 0),
		    sqlite3_column_int64(st, 1));
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_review_foreach_report(struct store *s,
    const uint8_t id[REPORT_ID_BYTES],
    int (*fn)(void *arg, int64_t user_id, int64_t day), void *arg)
{
	sqlite3_stmt *st;
	int rc, r = GH_OK;

	if ((st = store_ext_stmt(s, ST_REVIEW_BY_REPORT,
	    "SELECT user_id, day FROM report_reviews WHERE report_id = :id "
	    "ORDER BY user_id")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_blob(st, P(st, ":id"), id, REPORT_ID_BYTES, SQLITE_STATIC);
	while (r == GH_OK && (rc = sqlite3_step(st)) != SQLITE_DONE) {
		if (rc != SQLITE_ROW) {
			r = store_fail(s, "listing a report's reviewers");
			break;
		}
		r = fn(arg, sqlite3_column_int64(st, 0),
		    sqlite3_column_int64(st, 1));
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

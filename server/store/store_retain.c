/*
 * store_retain.c: retention of reports and deleting a wave's answers
 * (store_retain.h). Statement slots STORE_EXT_RETAIN..+15 (store_int.h).
 *
 * Entry points: store_retain_foreach, store_retain_get,
 * store_retain_extend, store_report_expire, store_report_is_expired,
 * store_wave_delete.
 *
 * Data path: the daily run (report/report_expire.c) reads the live
 * reports' days and forms here, decides, and calls store_report_expire,
 * which hands its tombstone statement to report_destroy, the code
 * withdrawal runs too. Deletions run under secure_delete (store_open);
 * the callers truncate the WAL afterwards.
 */
#include <string.h>

#include "store/store_report_int.h"
#include "store/store_retain.h"
#include "util/log.h"

#define P(st, name) store_param((st), (name))

enum retain_slot {
	ST_RETAIN_ALL,
	ST_RETAIN_GET,
	ST_RETAIN_EXTEND,
	ST_RETAIN_TOMB,
	ST_RETAIN_IS_EXPIRED,
	ST_RETAIN_WAVE_STATE,
	ST_RETAIN_DEL_ANSWERS,
	ST_RETAIN_DEL_TOKENS,
	ST_RETAIN_DEL_RESUMES,
	ST_RETAIN_DEL_TEST_LINKS,
	ST_RETAIN_DEL_INVITES,
	ST_RETAIN_DEL_INVITE_BATCHES,
	ST_RETAIN_WAVE_CLOSE,
	ST_RETAIN_FORMS,
	ST_RETAIN_COUNT	/* at most 16 */
};

#define RETAIN_COLS \
	"SELECT r.id, r.ref, r.status, r.closed_day, r.aftercare1_day, " \
	"r.aftercare3_day, r.second_opinion_day, r.keep_until, " \
	"r.keep_reason, r.form, r.expired_day FROM reports r "

static const char *const retain_sql[ST_RETAIN_COUNT] = {
	[ST_RETAIN_ALL] = RETAIN_COLS
	    "WHERE r.status != 4 AND r.expired_day IS NULL ORDER BY r.id",
	[ST_RETAIN_GET] = RETAIN_COLS "WHERE r.id = :id",
	[ST_RETAIN_EXTEND] =
	    "UPDATE reports SET keep_until = :until, keep_reason = :reason "
	    "WHERE id = :id",
	/* What withdrawal clears but unit and measure, and the status kept. */
	[ST_RETAIN_TOMB] =
	    "UPDATE reports SET expired_day = :day, receipt_hash = NULL, "
	    "report_pk = NULL, sealed_key = NULL, reply_salt = NULL, "
	    "reply_pk = NULL WHERE id = :id",
	[ST_RETAIN_IS_EXPIRED] =
	    "SELECT expired_day IS NOT NULL FROM reports WHERE id = :id",
	[ST_RETAIN_WAVE_STATE] =
	    "SELECT (SELECT count(*) FROM waves WHERE id = :wave), "
	    "(SELECT count(*) FROM releases WHERE wave_id = :wave)",
	[ST_RETAIN_DEL_ANSWERS] = "DELETE FROM answers WHERE wave_id = :wave",
	[ST_RETAIN_DEL_TOKENS] =
	    "DELETE FROM tokens WHERE batch_id IN "
	    "(SELECT id FROM batches WHERE wave_id = :wave)",
	[ST_RETAIN_DEL_RESUMES] = "DELETE FROM resumes WHERE wave_id = :wave",
	[ST_RETAIN_DEL_TEST_LINKS] =
	    "DELETE FROM test_links WHERE wave_id = :wave",
	[ST_RETAIN_DEL_INVITES] =
	    "DELETE FROM invitations WHERE batch_id IN "
	    "(SELECT id FROM invitation_batches WHERE wave_id = :wave)",
	[ST_RETAIN_DEL_INVITE_BATCHES] =
	    "DELETE FROM invitation_batches WHERE wave_id = :wave",
	[ST_RETAIN_WAVE_CLOSE] = "UPDATE waves SET is_open = 0 WHERE id = :wave",
	[ST_RETAIN_FORMS] =
	    "SELECT value FROM report_tags WHERE report_id = :id "
	    "AND kind = 'form' ORDER BY value",
};

static sqlite3_stmt *
retain_stmt(struct store *s, enum retain_slot which)
{
	return store_ext_stmt(s, STORE_EXT_RETAIN + (int)which,
	    retain_sql[which]);
}

static int64_t
col_day(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(st, i);
}

static void
col_text(sqlite3_stmt *st, int i, char *dst, size_t dstsz)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	size_t n = (size_t)sqlite3_column_bytes(st, i);

	dst[0] = '\0';
	if (t == NULL)
		return;
	if (n >= dstsz)
		n = dstsz - 1;	/* forms are ids of a short list */
	memcpy(dst, t, n);
	dst[n] = '\0';
}

/*
 * Replaces r->forms by the report's list of forms (report_tags), space
 * separated, when it has one; the single column stays otherwise (as
 * report_cats.h reads them).
 */
static int
read_forms(struct store *s, struct store_retain_row *r)
{
	sqlite3_stmt *st = retain_stmt(s, ST_RETAIN_FORMS);
	const unsigned char *v;
	size_t len = 0, n;
	int rc;

	if (st == NULL)
		return GH_ERR_DB;
	report_bind_id(st, r->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = sqlite3_column_text(st, 0);
		n = (size_t)sqlite3_column_bytes(st, 0);
		if (v == NULL || len + n + 2 > sizeof(r->forms))
			continue;	/* ids of a short list: never this many */
		if (len == 0)
			r->forms[0] = '\0';
		else
			r->forms[len++] = ' ';
		memcpy(r->forms + len, v, n);
		len += n;
		r->forms[len] = '\0';
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? GH_OK : store_fail(s, "reading forms");
}

/* Reads a RETAIN_COLS row; returns 1 if it is expired, else 0. */
static int
read_row(sqlite3_stmt *st, struct store_retain_row *r)
{
	const void *b = sqlite3_column_blob(st, 0);

	memset(r, 0, sizeof(*r));
	if (b != NULL && sqlite3_column_bytes(st, 0) == REPORT_ID_BYTES)
		memcpy(r->id, b, REPORT_ID_BYTES);
	col_text(st, 1, r->ref, sizeof(r->ref));
	r->status = (enum report_status)sqlite3_column_int(st, 2);
	r->closed = col_day(st, 3);
	r->aftercare1 = col_day(st, 4);
	r->aftercare3 = col_day(st, 5);
	r->second_opinion = col_day(st, 6);
	r->keep_until = col_day(st, 7);
	col_text(st, 8, r->keep_reason, sizeof(r->keep_reason));
	col_text(st, 9, r->forms, sizeof(r->forms));	/* the column */
	return sqlite3_column_type(st, 10) != SQLITE_NULL;
}

int
store_retain_foreach(struct store *s,
    int (*fn)(void *arg, const struct store_retain_row *r), void *arg)
{
	sqlite3_stmt *st = retain_stmt(s, ST_RETAIN_ALL);
	struct store_retain_row row;
	int rc, r = GH_OK;

	if (st == NULL)
		return GH_ERR_DB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		(void)read_row(st, &row);
		if ((r = read_forms(s, &row)) != GH_OK ||
		    (r = fn(arg, &row)) != GH_OK)
			goto out;
	}
	if (rc != SQLITE_DONE)
		r = store_fail(s, "reading reports for retention");
out:
	sqlite3_reset(st);
	return r;
}

int
store_retain_get(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    struct store_retain_row *r)
{
	sqlite3_stmt *st = retain_stmt(s, ST_RETAIN_GET);
	int rc, ret;

	memset(r, 0, sizeof(*r));
	if (st == NULL)
		return GH_ERR_DB;
	report_bind_id(st, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		ret = read_row(st, r) || r->status == REPORT_WITHDRAWN ?
		    GH_ERR_CLOSED : GH_OK;
	else if (rc == SQLITE_DONE)
		ret = GH_ERR_NOT_FOUND;
	else
		ret = store_fail(s, "reading a report's retention");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (ret == GH_OK)
		ret = read_forms(s, r);
	return ret;
}

int
store_retain_extend(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t keep_until, const char *reason)
{
	sqlite3_stmt *st = retain_stmt(s, ST_RETAIN_EXTEND);
	enum report_status status = REPORT_RECEIVED;
	int r;

	if (reason == NULL || strlen(reason) > STORE_RETAIN_REASON_MAX)
		return GH_ERR_INVALID;
	if (st == NULL)
		return GH_ERR_DB;
	if ((r = store_exec_stmt(s, ST_BEGIN)) != GH_OK)
		return r;
	if ((r = report_status_of(s, id, &status)) == GH_OK &&
	    status == REPORT_WITHDRAWN)
		r = GH_ERR_CLOSED;
	if (r != GH_OK)
		goto out;
	report_bind_id(st, id);
	sqlite3_bind_int64(st, P(st, ":until"), keep_until);
	sqlite3_bind_text(st, P(st, ":reason"), reason, -1, SQLITE_STATIC);
	if (store_step_once(st) != SQLITE_DONE)
		r = store_fail(s, "extending a report's retention");
	else
		r = store_exec_stmt(s, ST_COMMIT);
out:
	if (r != GH_OK)
		store_rollback(s);
	return r;
}

int
store_report_expire(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t day)
{
	sqlite3_stmt *tomb = retain_stmt(s, ST_RETAIN_TOMB);

	if (tomb == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(tomb, P(tomb, ":day"), day);
	return report_destroy(s, id, tomb);
}

int
store_report_is_expired(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int *is_expired)
{
	sqlite3_stmt *st = retain_stmt(s, ST_RETAIN_IS_EXPIRED);
	int rc, r = GH_OK;

	*is_expired = 0;
	if (st == NULL)
		return GH_ERR_DB;
	report_bind_id(st, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*is_expired = sqlite3_column_int(st, 0);
	else if (rc == SQLITE_DONE)
		r = GH_ERR_NOT_FOUND;
	else
		r = store_fail(s, "reading whether a report expired");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

/* GH_OK if wave exists and has a release, else NOT_FOUND or CLOSED. */
static int
wave_is_released(struct store *s, int64_t wave)
{
	sqlite3_stmt *st = retain_stmt(s, ST_RETAIN_WAVE_STATE);
	int r;

	if (st == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(st, P(st, ":wave"), wave);
	if (sqlite3_step(st) != SQLITE_ROW)
		r = store_fail(s, "reading a wave's releases");
	else if (sqlite3_column_int64(st, 0) == 0)
		r = GH_ERR_NOT_FOUND;
	else
		r = sqlite3_column_int64(st, 1) > 0 ? GH_OK : GH_ERR_CLOSED;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

/* Runs one deletion of the wave; adds its number of rows to *n. */
static int
delete_of(struct store *s, enum retain_slot which, int64_t wave, int64_t *n)
{
	sqlite3_stmt *st = retain_stmt(s, which);

	if (st == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(st, P(st, ":wave"), wave);
	if (store_step_once(st) != SQLITE_DONE)
		return store_fail(s, "deleting a wave's rows");
	if (n != NULL)
		*n += sqlite3_changes(s->db);
	return GH_OK;
}

int
store_wave_delete(struct store *s, int64_t wave,
    struct store_wave_deleted *out)
{
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = store_exec_stmt(s, ST_BEGIN)) != GH_OK)
		return r;
	if ((r = wave_is_released(s, wave)) != GH_OK ||
	    (r = delete_of(s, ST_RETAIN_DEL_ANSWERS, wave,
	    &out->answers)) != GH_OK ||
	    (r = delete_of(s, ST_RETAIN_DEL_TOKENS, wave,
	    &out->tokens)) != GH_OK ||
	    (r = delete_of(s, ST_RETAIN_DEL_RESUMES, wave,
	    &out->resumes)) != GH_OK ||
	    (r = delete_of(s, ST_RETAIN_DEL_TEST_LINKS, wave, NULL)) !=
	    GH_OK ||
	    (r = delete_of(s, ST_RETAIN_DEL_INVITES, wave,
	    &out->invitations)) != GH_OK ||
	    (r = delete_of(s, ST_RETAIN_DEL_INVITE_BATCHES, wave,
	    &out->invitation_batches)) != GH_OK ||
	    (r = delete_of(s, ST_RETAIN_WAVE_CLOSE, wave, NULL)) != GH_OK)
		goto out;
	r = store_exec_stmt(s, ST_COMMIT);
out:
	if (r != GH_OK) {
		store_rollback(s);
		memset(out, 0, sizeof(*out));
	}
	return r;
}

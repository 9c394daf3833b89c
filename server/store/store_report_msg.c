/*
 * store_report_msg.c: what changes a report after it is stored: messages,
 * status and its days, the desk's categories, replacing the receipt, and
 * withdrawal (store_report.h).
 *
 * Entry points: store_report_messages, store_report_add_message,
 * store_report_set_status, store_report_set_day,
 * store_report_set_category, store_report_rekey, store_report_withdraw,
 * report_msg_free, and report_destroy (the destruction withdrawal and
 * retention share, store_report_int.h).
 *
 * Each write is one transaction that first checks the report exists and
 * is not withdrawn (GH_ERR_NOT_FOUND, GH_ERR_CLOSED), so a reply racing a
 * withdrawal cannot leave text behind the tombstone.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_report_int.h"
#include "util/log.h"

#define P(st, name) store_param((st), (name))

void
report_msg_free(struct report_msg *m)
{
	if (m == NULL)
		return;
	free(m->for_desk);
	free(m->for_reporter);
	m->for_desk = m->for_reporter = NULL;
	m->for_desk_len = m->for_reporter_len = 0;
}

int
report_status_of(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    enum report_status *status)
{
	sqlite3_stmt *st = report_stmt(s, ST_REPORT_STATUS_OF);
	int rc, r = GH_OK;

	if (st == NULL)
		return GH_ERR_DB;
	report_bind_id(st, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*status = (enum report_status)sqlite3_column_int(st, 0);
	else if (rc == SQLITE_DONE)
		r = GH_ERR_NOT_FOUND;
	else
		r = store_fail(s, "reading a report's status");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

/* Begins a transaction on a report that exists and is not withdrawn. */
static int
begin_live(struct store *s, const uint8_t id[REPORT_ID_BYTES])
{
	enum report_status status = REPORT_RECEIVED;
	int r;

	if ((r = store_exec_stmt(s, ST_BEGIN)) != GH_OK)
		return r;
	if ((r = report_status_of(s, id, &status)) == GH_OK &&
	    status == REPORT_WITHDRAWN)
		r = GH_ERR_CLOSED;
	if (r != GH_OK)
		store_rollback(s);
	return r;
}

/* Commits, or rolls back when r is an error; returns r or the commit's. */
static int
finish(struct store *s, int r)
{
	if (r == GH_OK)
		r = store_exec_stmt(s, ST_COMMIT);
	if (r != GH_OK)
		store_rollback(s);
	return r;
}

static int
dup_blob(sqlite3_stmt *st, int i, uint8_t **out, size_t *len)
{
	const void *b = sqlite3_column_blob(st, i);
	size_t n = (size_t)sqlite3_column_bytes(st, i);

	*out = NULL;
	*len = 0;
	if (b == NULL || n == 0)
		return GH_OK;
	if ((*out = malloc(n)) == NULL)
		return GH_ERR_NOMEM;
	memcpy(*out, b, n);
	*len = n;
	return GH_OK;
}

int
store_report_messages(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int (*fn)(void *arg, const struct report_msg *m), void *arg)
{
	sqlite3_stmt *st = report_stmt(s, ST_REPORT_MSGS);
	struct report_msg m;
	int rc, r = GH_OK;

	if (st == NULL)
		return GH_ERR_DB;
	report_bind_id(st, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&m, 0, sizeof(m));
		m.seq = sqlite3_column_int64(st, 0);
		m.author = (enum report_author)sqlite3_column_int(st, 1);
		m.kind = (enum report_msg_kind)sqlite3_column_int(st, 2);
		m.day = sqlite3_column_int64(st, 3);
		if ((r = dup_blob(st, 4, &m.for_desk, &m.for_desk_len)) ==
		    GH_OK && (r = dup_blob(st, 5, &m.for_reporter,
		    &m.for_reporter_len)) == GH_OK)
			r = fn(arg, &m);
		report_msg_free(&m);
		if (r != GH_OK)
			goto out;
	}
	if (rc != SQLITE_DONE)
		r = store_fail(s, "reading report messages");
out:
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_report_add_message(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const struct report_msg *m, int64_t day)
{
	int r;

	if ((r = begin_live(s, id)) != GH_OK)
		return r;
	return finish(s, report_insert_message(s, id, m, day));
}

/* Runs a one-report UPDATE whose other parameters are bound already. */
static int
update_live(struct store *s, sqlite3_stmt *st,
    const uint8_t id[REPORT_ID_BYTES], const char *what)
{
	int r;

	if ((r = begin_live(s, id)) != GH_OK) {
		sqlite3_clear_bindings(st);
		return r;
	}
	report_bind_id(st, id);
	if (store_step_once(st) != SQLITE_DONE)
		r = store_fail(s, what);
	return finish(s, r);
}

int
store_report_set_status(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    enum report_status status, int64_t day)
{
	sqlite3_stmt *st = report_stmt(s, ST_REPORT_STATUS);

	if (st == NULL)
		return GH_ERR_DB;
	if (status < REPORT_RECEIVED || status > REPORT_SECOND_OPINION ||
	    status == REPORT_WITHDRAWN)
		return GH_ERR_INVALID;	/* withdrawing is store_report_withdraw */
	sqlite3_bind_int(st, P(st, ":st"), (int)status);
	sqlite3_bind_int64(st, P(st, ":day"), day);
	return update_live(s, st, id, "setting a report's status");
}

int
store_report_set_day(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int which, int64_t day)
{
	sqlite3_stmt *st;

	switch (which) {
	case 0: st = report_stmt(s, ST_REPORT_FEEDBACK); break;
	case 1: st = report_stmt(s, ST_REPORT_AFTER1); break;
	case 3: st = report_stmt(s, ST_REPORT_AFTER3); break;
	case 7: st = report_stmt(s, ST_REPORT_ACK); break;
	default: return GH_ERR_INVALID;
	}
	if (st == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(st, P(st, ":day"), day);
	return update_live(s, st, id, "recording a report's day");
}

static void
bind_opt(sqlite3_stmt *st, const char *name, const char *v)
{
	if (v != NULL)
		sqlite3_bind_text(st, P(st, name), v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, P(st, name));
}

int
store_report_set_category(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const char *form, const char *ground, const char *unit,
    const char *measure)
{
	sqlite3_stmt *st = report_stmt(s, ST_REPORT_CATEGORY);
	enum report_status status = REPORT_RECEIVED;
	int r;

	if (st == NULL)
		return GH_ERR_DB;
	if ((form != NULL && strlen(form) > REPORT_MAX_CATEGORY) ||
	    (ground != NULL && strlen(ground) > REPORT_MAX_CATEGORY) ||
	    (measure != NULL && strlen(measure) > REPORT_MAX_CATEGORY) ||
	    (unit != NULL && strlen(unit) > REPORT_MAX_UNIT))
		return GH_ERR_TOO_LARGE;
	/* A withdrawn report keeps its category (for the statistics). */
	if ((r = store_exec_stmt(s, ST_BEGIN)) != GH_OK)
		return r;
	if ((r = report_status_of(s, id, &status)) != GH_OK)
		return finish(s, r);
	bind_opt(st, ":form", form);
	bind_opt(st, ":ground", ground);
	bind_opt(st, ":unit", unit);
	bind_opt(st, ":measure", measure);
	report_bind_id(st, id);
	if (store_step_once(st) != SQLITE_DONE)
		r = store_fail(s, "setting a report's category");
	return finish(s, r);
}

static int
count_messages(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t *n)
{
	sqlite3_stmt *st = report_stmt(s, ST_REPORT_COUNT_MSGS);
	int r = GH_OK;

	if (st == NULL)
		return GH_ERR_DB;
	report_bind_id(st, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	else
		r = store_fail(s, "counting report messages");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

static int
rekey_messages(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const struct report_msg *msgs, size_t n)
{
	sqlite3_stmt *st = report_stmt(s, ST_REPORT_MSG_REKEY);
	int64_t have = -1;
	size_t i;
	int r;

	if (st == NULL)
		return GH_ERR_DB;
	/* A message added since the caller read them would stay under the
	 * old key, unreadable: refuse, the caller reads and tries again. */
	if ((r = count_messages(s, id, &have)) != GH_OK)
		return r;
	if (have != (int64_t)n)
		return GH_ERR_BUSY;
	for (i = 0; i < n; i++) {
		report_bind_id(st, id);
		sqlite3_bind_int64(st, P(st, ":seq"), msgs[i].seq);
		sqlite3_bind_blob(st, P(st, ":rep"), msgs[i].for_reporter,
		    (int)msgs[i].for_reporter_len, SQLITE_STATIC);
		if (store_step_once(st) != SQLITE_DONE)
			return store_fail(s, "re-sealing a report message");
		if (sqlite3_changes(s->db) != 1)
			return GH_ERR_BUSY;
	}
	return GH_OK;
}

int
store_report_rekey(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const uint8_t hash[32], const uint8_t salt[16], const uint8_t pk[32],
    const struct report_msg *msgs, size_t n)
{
	sqlite3_stmt *st = report_stmt(s, ST_REPORT_REKEY);
	int r, rc;

	if (st == NULL)
		return GH_ERR_DB;
	if ((r = begin_live(s, id)) != GH_OK)
		return r;
	report_bind_id(st, id);
	sqlite3_bind_blob(st, P(st, ":hash"), hash, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, P(st, ":salt"), salt, 16, SQLITE_STATIC);
	sqlite3_bind_blob(st, P(st, ":pk"), pk, 32, SQLITE_STATIC);
	rc = store_step_once(st);
	if (rc == SQLITE_CONSTRAINT_UNIQUE)
		r = GH_ERR_EXISTS;
	else if (rc != SQLITE_DONE)
		r = store_fail(s, "replacing a receipt");
	else
		r = rekey_messages(s, id, msgs, n);
	return finish(s, r);
}

int
report_destroy(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    sqlite3_stmt *tomb)
{
	sqlite3_stmt *del = report_stmt(s, ST_REPORT_WD_MSGS);
	sqlite3_stmt *notes = report_stmt(s, ST_REPORT_WD_NOTES);
	sqlite3_stmt *reviews = report_stmt(s, ST_REPORT_WD_REVIEWS);
	sqlite3_stmt *files = report_stmt(s, ST_REPORT_WD_FILES);
	int r;

	if (del == NULL || notes == NULL || reviews == NULL || files == NULL) {
		r = GH_ERR_DB;
		goto out;
	}
	if ((r = begin_live(s, id)) != GH_OK)
		goto out;
	report_bind_id(del, id);
	report_bind_id(notes, id);
	report_bind_id(reviews, id);
	report_bind_id(files, id);
	if (store_step_once(del) != SQLITE_DONE ||
	    store_step_once(notes) != SQLITE_DONE ||
	    store_step_once(reviews) != SQLITE_DONE ||
	    store_step_once(files) != SQLITE_DONE) {
		r = finish(s, store_fail(s, "deleting report messages"));
		goto out;
	}
	report_bind_id(tomb, id);
	if (store_step_once(tomb) != SQLITE_DONE)
		r = store_fail(s, "writing a report's tombstone");
	r = finish(s, r);
out:
	sqlite3_reset(tomb);
	sqlite3_clear_bindings(tomb);
	return r;
}

int
store_report_withdraw(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t day)
{
	sqlite3_stmt *up = report_stmt(s, ST_REPORT_WD_REPORT);

	if (up == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(up, P(up, ":day"), day);
	return report_destroy(s, id, up);
}

/*
 * store_report.c: anonymous reports and their conversation (store_report.h).
 *
 * Entry points: store_report_create, _by_receipt, _get, _foreach,
 * _messages, _add_message, _set_status, _set_day, _set_category, _rekey,
 * _withdraw. Report links are in store_report_link.c.
 *
 * Data path: the reporter's request (route_report.c) and the desk's call
 * these on a pooled connection; each write is one BEGIN IMMEDIATE
 * transaction committed with synchronous=FULL. Texts arrive sealed; this
 * file sees only day numbers, codes and blobs. Withdrawal deletes rows and
 * NULLs columns under secure_delete, so SQLite overwrites the old bytes in
 * the database file (the WAL keeps old frames until a checkpoint: the
 * caller runs store_checkpoint(s, 1) after withdrawing).
 */
#include <string.h>

#include <sodium.h>

#include "store/store_report_int.h"
#include "util/log.h"

#define P(st, name) store_param((st), (name))

#define ROW_COLS \
	"SELECT id, received_day, status, status_day, ack_day, " \
	"feedback_day, closed_day, aftercare1_day, aftercare3_day, " \
	"second_opinion_day, form, ground, unit, measure, report_pk, " \
	"reply_pk, reply_salt, sealed_key, " \
	"(SELECT count(*) FROM messages WHERE report_id = reports.id), ref " \
	"FROM reports "

/* Every statement of the report files, by slot (store_report_int.h). */
static const char *const report_sql[ST_REPORT_LINK_BATCH] = {
	[ST_REPORT_INSERT] =
	    "INSERT INTO reports (id, receipt_hash, received_day, status, "
	    "status_day, unit, report_pk, sealed_key, reply_salt, reply_pk, "
	    "ref) VALUES (:id, :hash, :day, 0, :day, :unit, :pk, :sk, :salt, "
	    ":rpk, :ref)",
	[ST_REPORT_MSG_INSERT] =
	    "INSERT INTO messages (report_id, seq, author, kind, day, "
	    "for_desk, for_reporter) SELECT :id, coalesce(max(seq), 0) + 1, "
	    ":author, :kind, :day, :desk, :rep FROM messages "
	    "WHERE report_id = :id",
	[ST_REPORT_BY_RECEIPT] = ROW_COLS "WHERE receipt_hash = :hash",
	[ST_REPORT_GET] = ROW_COLS "WHERE id = :id",
	[ST_REPORT_ALL] = ROW_COLS "ORDER BY received_day DESC, id",
	[ST_REPORT_MSGS] =
	    "SELECT seq, author, kind, day, for_desk, for_reporter "
	    "FROM messages WHERE report_id = :id ORDER BY seq",
	[ST_REPORT_STATUS] =
	    "UPDATE reports SET status = :st, status_day = :day, "
	    "ack_day = CASE WHEN :st = 1 THEN coalesce(ack_day, :day) "
	    "ELSE ack_day END, "
	    "closed_day = CASE WHEN :st = 3 THEN :day ELSE closed_day END, "
	    "second_opinion_day = CASE WHEN :st = 5 THEN "
	    "coalesce(second_opinion_day, :day) ELSE second_opinion_day END "
	    "WHERE id = :id AND status != 4",
	[ST_REPORT_FEEDBACK] =
	    "UPDATE reports SET feedback_day = coalesce(feedback_day, :day) "
	    "WHERE id = :id",
	[ST_REPORT_ACK] =
	    "UPDATE reports SET ack_day = coalesce(ack_day, :day) "
	    "WHERE id = :id",
	[ST_REPORT_AFTER1] = "UPDATE reports SET aftercare1_day = :day WHERE id = :id",
	[ST_REPORT_AFTER3] = "UPDATE reports SET aftercare3_day = :day WHERE id = :id",
	[ST_REPORT_CATEGORY] =
	    "UPDATE reports SET form = coalesce(:form, form), "
	    "ground = coalesce(:ground, ground), "
	    "unit = CASE WHEN status = 4 THEN NULL "
	    "ELSE coalesce(:unit, unit) END, "
	    "measure = CASE WHEN status = 4 THEN NULL "
	    "ELSE coalesce(:measure, measure) END WHERE id = :id",
	[ST_REPORT_REKEY] =
	    "UPDATE reports SET receipt_hash = :hash, reply_salt = :salt, "
	    "reply_pk = :pk WHERE id = :id AND status != 4",
	[ST_REPORT_MSG_REKEY] =
	    "UPDATE messages SET for_reporter = :rep "
	    "WHERE report_id = :id AND seq = :seq",
	[ST_REPORT_COUNT_MSGS] = "SELECT count(*) FROM messages WHERE report_id = :id",
	[ST_REPORT_WD_MSGS] = "DELETE FROM messages WHERE report_id = :id",
	[ST_REPORT_WD_NOTES] = "DELETE FROM report_notes WHERE report_id = :id",
	[ST_REPORT_WD_REVIEWS] =
	    "DELETE FROM report_reviews WHERE report_id = :id",
	[ST_REPORT_WD_FILES] =
	    "DELETE FROM report_attachments WHERE report_id = :id",
	[ST_REPORT_WD_REPORT] =
	    "UPDATE reports SET status = 4, status_day = :day, "
	    "receipt_hash = NULL, unit = NULL, measure = NULL, "
	    "report_pk = NULL, sealed_key = NULL, reply_salt = NULL, "
	    "reply_pk = NULL WHERE id = :id AND status != 4",
	/* An expired report (store_retain.h) is as closed to writes as a
	 * withdrawn one. */
	[ST_REPORT_STATUS_OF] =
	    "SELECT CASE WHEN expired_day IS NULL THEN status ELSE 4 END "
	    "FROM reports WHERE id = :id",
};

sqlite3_stmt *
report_stmt(struct store *s, enum report_slot which)
{
	return store_ext_stmt(s, STORE_EXT_REPORT + (int)which,
	    report_sql[which]);
}

void
report_bind_id(sqlite3_stmt *st, const uint8_t id[REPORT_ID_BYTES])
{
	sqlite3_bind_blob(st, P(st, ":id"), id, REPORT_ID_BYTES,
	    SQLITE_STATIC);
}

static void
bind_text_or_null(sqlite3_stmt *st, const char *name, const char *v)
{
	if (v != NULL)
		sqlite3_bind_text(st, P(st, name), v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, P(st, name));
}

int
report_insert_message(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const struct report_msg *m, int64_t day)
{
	sqlite3_stmt *st = report_stmt(s, ST_REPORT_MSG_INSERT);

	if (st == NULL)
		return GH_ERR_DB;
	report_bind_id(st, id);
	sqlite3_bind_int(st, P(st, ":author"), (int)m->author);
	sqlite3_bind_int(st, P(st, ":kind"), (int)m->kind);
	sqlite3_bind_int64(st, P(st, ":day"), day);
	sqlite3_bind_blob(st, P(st, ":desk"), m->for_desk,
	    (int)m->for_desk_len, SQLITE_STATIC);
	sqlite3_bind_blob(st, P(st, ":rep"), m->for_reporter,
	    (int)m->for_reporter_len, SQLITE_STATIC);
	if (store_step_once(st) != SQLITE_DONE)
		return store_fail(s, "inserting a report message");
	return GH_OK;
}

/*
 * A case reference: eight random hex digits in capitals, short enough to
 * say on the phone and telling nothing of when or in which order reports
 * came in. A clash with another report's fails the insert (UNIQUE), as a
 * clashing receipt does.
 */
static void
new_ref(char ref[REPORT_REF_LEN + 1])
{
	static const char hexdig[] = "0123456789ABCDEF";
	uint8_t b[REPORT_REF_LEN / 2];
	size_t i;

	randombytes_buf(b, sizeof(b));
	for (i = 0; i < sizeof(b); i++) {
		ref[2 * i] = hexdig[b[i] >> 4];
		ref[2 * i + 1] = hexdig[b[i] & 0xf];
	}
	ref[REPORT_REF_LEN] = '\0';
}

/* Inserts the report row of rn under id. */
static int
insert_report(struct store *s, const struct report_new *rn, int64_t day,
    const uint8_t id[REPORT_ID_BYTES])
{
	sqlite3_stmt *st = report_stmt(s, ST_REPORT_INSERT);
	char ref[REPORT_REF_LEN + 1];
	int rc;

	if (st == NULL)
		return GH_ERR_DB;
	report_bind_id(st, id);
	sqlite3_bind_blob(st, P(st, ":hash"), rn->receipt_hash, 32,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, P(st, ":day"), day);
	bind_text_or_null(st, ":unit", rn->unit != NULL &&
	    rn->unit[0] != '\0' ? rn->unit : NULL);
	sqlite3_bind_blob(st, P(st, ":pk"), rn->report_pk, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, P(st, ":sk"), rn->sealed_key,
	    (int)rn->sealed_key_len, SQLITE_STATIC);
	sqlite3_bind_blob(st, P(st, ":salt"), rn->reply_salt, 16,
	    SQLITE_STATIC);
	sqlite3_bind_blob(st, P(st, ":rpk"), rn->reply_pk, 32, SQLITE_STATIC);
	new_ref(ref);
	sqlite3_bind_text(st, P(st, ":ref"), ref, -1, SQLITE_STATIC);
	rc = store_step_once(st);
	if (rc == SQLITE_CONSTRAINT_UNIQUE)
		return GH_ERR_EXISTS;
	if (rc != SQLITE_DONE)
		return store_fail(s, "inserting a report");
	return GH_OK;
}

int
store_report_create(struct store *s, const struct report_new *rn,
    int64_t day, uint8_t id[REPORT_ID_BYTES])
{
	int r;

	if (rn->unit != NULL && strlen(rn->unit) > REPORT_MAX_UNIT)
		return GH_ERR_TOO_LARGE;
	randombytes_buf(id, REPORT_ID_BYTES);
	if ((r = store_exec_stmt(s, ST_BEGIN)) != GH_OK)
		return r;
	if (rn->link != NULL &&
	    (r = report_link_spend(s, rn->link)) != GH_OK)
		goto out;
	if ((r = insert_report(s, rn, day, id)) != GH_OK ||
	    (r = report_insert_message(s, id, rn->first, day)) != GH_OK)
		goto out;
	if (rn->in_tx != NULL && (r = rn->in_tx(s, id, rn->in_tx_arg)) != GH_OK)
		goto out;
	r = store_exec_stmt(s, ST_COMMIT);
out:
	if (r != GH_OK)
		store_rollback(s);
	return r;
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
		n = dstsz - 1;	/* the store writes none this long */
	memcpy(dst, t, n);
	dst[n] = '\0';
}

static void
col_fixed(sqlite3_stmt *st, int i, uint8_t *dst, size_t n)
{
	const void *b = sqlite3_column_blob(st, i);

	memset(dst, 0, n);
	if (b != NULL && (size_t)sqlite3_column_bytes(st, i) == n)
		memcpy(dst, b, n);
}

static int
read_row(sqlite3_stmt *st, struct report_row *row)
{
	const void *b;
	size_t n;

	memset(row, 0, sizeof(*row));
	col_fixed(st, 0, row->id, REPORT_ID_BYTES);
	row->received_day = sqlite3_column_int64(st, 1);
	row->status = (enum report_status)sqlite3_column_int(st, 2);
	row->status_day = sqlite3_column_int64(st, 3);
	row->ack_day = col_day(st, 4);
	row->feedback_day = col_day(st, 5);
	row->closed_day = col_day(st, 6);
	row->aftercare1_day = col_day(st, 7);
	row->aftercare3_day = col_day(st, 8);
	row->second_opinion_day = col_day(st, 9);
	col_text(st, 10, row->form, sizeof(row->form));
	col_text(st, 11, row->ground, sizeof(row->ground));
	col_text(st, 12, row->unit, sizeof(row->unit));
	col_text(st, 13, row->measure, sizeof(row->measure));
	col_fixed(st, 14, row->report_pk, 32);
	col_fixed(st, 15, row->reply_pk, 32);
	col_fixed(st, 16, row->reply_salt, 16);
	b = sqlite3_column_blob(st, 17);
	n = (size_t)sqlite3_column_bytes(st, 17);
	if (b != NULL && n > 0) {
		if ((row->sealed_key = malloc(n)) == NULL)
			return GH_ERR_NOMEM;
		memcpy(row->sealed_key, b, n);
		row->sealed_key_len = n;
	}
	row->n_messages = sqlite3_column_int64(st, 18);
	col_text(st, 19, row->ref, sizeof(row->ref));
	return GH_OK;
}

/* Runs a one-row query whose parameter is bound already. */
static int
get_one(struct store *s, sqlite3_stmt *st, struct report_row *row)
{
	int rc, r;

	memset(row, 0, sizeof(*row));
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		r = read_row(st, row);
	else if (rc == SQLITE_DONE)
		r = GH_ERR_NOT_FOUND;
	else
		r = store_fail(s, "reading a report");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_report_by_receipt(struct store *s, const uint8_t hash[32],
    struct report_row *row)
{
	sqlite3_stmt *st = report_stmt(s, ST_REPORT_BY_RECEIPT);

	memset(row, 0, sizeof(*row));
	if (st == NULL)
		return GH_ERR_DB;
	sqlite3_bind_blob(st, P(st, ":hash"), hash, 32, SQLITE_STATIC);
	return get_one(s, st, row);
}

int
store_report_get(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    struct report_row *row)
{
	sqlite3_stmt *st = report_stmt(s, ST_REPORT_GET);
	uint8_t key[REPORT_ID_BYTES];

	/* id may point into row (a row read again): copy it first. */
	memcpy(key, id, sizeof(key));
	memset(row, 0, sizeof(*row));
	if (st == NULL)
		return GH_ERR_DB;
	report_bind_id(st, key);
	return get_one(s, st, row);
}

void
store_report_row_clear(struct report_row *row)
{
	if (row == NULL)
		return;
	free(row->sealed_key);
	row->sealed_key = NULL;
	row->sealed_key_len = 0;
}

int
store_report_foreach(struct store *s,
    int (*fn)(void *arg, const struct report_row *row), void *arg)
{
	sqlite3_stmt *st = report_stmt(s, ST_REPORT_ALL);
	struct report_row row;
	int rc, r = GH_OK;

	if (st == NULL)
		return GH_ERR_DB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((r = read_row(st, &row)) == GH_OK)
			r = fn(arg, &row);
		store_report_row_clear(&row);
		if (r != GH_OK)
			goto out;
	}
	if (rc != SQLITE_DONE)
		r = store_fail(s, "reading reports");
out:
	sqlite3_reset(st);
	return r;
}

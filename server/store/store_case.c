/*
 * store_case.c: the desk's casework on a report (store_case.h).
 *
 * Entry points: store_case_by_ref, _get, _tags, _set_tags,
 * _set_outcome, _set_assigned, _note_add, _notes, _mark_read. Data
 * path: report/report_case.c calls these on a pooled connection; each
 * write is one BEGIN IMMEDIATE transaction that first checks the report
 * is live (report_status_of), so nothing is written behind a
 * tombstone. Notes arrive sealed to the report's key; withdrawal
 * deletes them (store_report_withdraw). Slots STORE_EXT_CASE..+31.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_case.h"
#include "store/store_report_int.h"

#define P(st, name) store_param((st), (name))

enum case_slot {
	ST_CASE_BY_REF,
	ST_CASE_GET,
	ST_CASE_TAGS,
	ST_CASE_TAGS_DEL,
	ST_CASE_TAG_INSERT,
	ST_CASE_OUTCOME,
	ST_CASE_ASSIGN,
	ST_CASE_NOTE_INSERT,
	ST_CASE_NOTES,
	ST_CASE_READ,
	ST_CASE_COUNT
};
_Static_assert(STORE_EXT_CASE + ST_CASE_COUNT <= STORE_EXT_REVIEW,
    "the case statements fit their slots");

static const char *const case_sql[ST_CASE_COUNT] = {
	[ST_CASE_BY_REF] = "SELECT id FROM reports WHERE ref = :ref",
	[ST_CASE_GET] =
	    "SELECT outcome, coalesce(assigned_to, -1), "
	    "(SELECT coalesce(max(seq), 0) FROM messages "
	    "WHERE report_id = reports.id AND author = 0), "
	    "(SELECT coalesce(max(seq), 0) FROM messages "
	    "WHERE report_id = reports.id), "
	    "coalesce((SELECT seq FROM report_reads WHERE user_id = :user "
	    "AND report_id = reports.id), 0) "
	    "FROM reports WHERE id = :id",
	[ST_CASE_TAGS] =
	    "SELECT kind, value FROM report_tags WHERE report_id = :id "
	    "ORDER BY kind, value",
	[ST_CASE_TAGS_DEL] =
	    "DELETE FROM report_tags WHERE report_id = :id AND kind = :kind",
	[ST_CASE_TAG_INSERT] =
	    "INSERT OR IGNORE INTO report_tags (report_id, kind, value) "
	    "VALUES (:id, :kind, :value)",
	[ST_CASE_OUTCOME] = "UPDATE reports SET outcome = :outcome "
	    "WHERE id = :id",
	[ST_CASE_ASSIGN] = "UPDATE reports SET assigned_to = :user "
	    "WHERE id = :id",
	[ST_CASE_NOTE_INSERT] =
	    "INSERT INTO report_notes (report_id, seq, user_id, day, sealed) "
	    "SELECT :id, coalesce(max(seq), 0) + 1, :user, :day, :sealed "
	    "FROM report_notes WHERE report_id = :id",
	[ST_CASE_NOTES] =
	    "SELECT seq, coalesce(user_id, -1), day, sealed FROM report_notes "
	    "WHERE report_id = :id ORDER BY seq",
	[ST_CASE_READ] =
	    "INSERT INTO report_reads (user_id, report_id, seq) "
	    "VALUES (:user, :id, :seq) ON CONFLICT (user_id, report_id) "
	    "DO UPDATE SET seq = max(seq, excluded.seq)",
};

static sqlite3_stmt *
case_stmt(struct store *s, enum case_slot which)
{
	return store_ext_stmt(s, STORE_EXT_CASE + (int)which,
	    case_sql[which]);
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

/* Runs st (its other parameters bound) once for report id in a live
 * transaction. */
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
store_case_by_ref(struct store *s, const char *ref,
    uint8_t id[REPORT_ID_BYTES])
{
	sqlite3_stmt *st = case_stmt(s, ST_CASE_BY_REF);
	int rc, r = GH_ERR_NOT_FOUND;

	if (st == NULL)
		return GH_ERR_DB;
	if (ref == NULL || strlen(ref) != REPORT_REF_LEN)
		return GH_ERR_NOT_FOUND;
	sqlite3_bind_text(st, P(st, ":ref"), ref, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    sqlite3_column_bytes(st, 0) == REPORT_ID_BYTES) {
		memcpy(id, sqlite3_column_blob(st, 0), REPORT_ID_BYTES);
		r = GH_OK;
	} else if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		r = store_fail(s, "finding a case by its reference");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_case_get(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t user_id, struct store_case *c)
{
	sqlite3_stmt *st = case_stmt(s, ST_CASE_GET);
	const unsigned char *t;
	int rc, r = GH_ERR_NOT_FOUND;

	memset(c, 0, sizeof(*c));
	c->assigned_to = -1;
	if (st == NULL)
		return GH_ERR_DB;
	report_bind_id(st, id);
	sqlite3_bind_int64(st, P(st, ":user"), user_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		t = sqlite3_column_text(st, 0);
		if (t != NULL && (size_t)sqlite3_column_bytes(st, 0) <=
		    STORE_CASE_OUTCOME_MAX)
			memcpy(c->outcome, t, (size_t)sqlite3_column_bytes(st,
			    0));
		c->assigned_to = sqlite3_column_int64(st, 1);
		c->last_reporter_seq = sqlite3_column_int64(st, 2);
		c->last_seq = sqlite3_column_int64(st, 3);
		c->read_seq = sqlite3_column_int64(st, 4);
		r = GH_OK;
	} else if (rc != SQLITE_DONE)
		r = store_fail(s, "reading a case");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_case_tags(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int (*fn)(void *arg, const char *kind, const char *value), void *arg)
{
	sqlite3_stmt *st = case_stmt(s, ST_CASE_TAGS);
	const char *kind, *value;
	int rc, r = GH_OK;

	if (st == NULL)
		return GH_ERR_DB;
	report_bind_id(st, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		kind = (const char *)sqlite3_column_text(st, 0);
		value = (const char *)sqlite3_column_text(st, 1);
		if (kind == NULL || value == NULL)
			continue;
		if ((r = fn(arg, kind, value)) != GH_OK)
			goto out;
	}
	if (rc != SQLITE_DONE)
		r = store_fail(s, "reading a case's tags");
out:
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

static int
is_tag_kind(const char *kind)
{
	return kind != NULL && (strcmp(kind, "form") == 0 ||
	    strcmp(kind, "ground") == 0 || strcmp(kind, "measure") == 0);
}

int
store_case_set_tags(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const char *kind, const char *const *values, size_t n)
{
	sqlite3_stmt *del = case_stmt(s, ST_CASE_TAGS_DEL);
	sqlite3_stmt *ins = case_stmt(s, ST_CASE_TAG_INSERT);
	size_t i;
	int r;

	if (del == NULL || ins == NULL)
		return GH_ERR_DB;
	if (!is_tag_kind(kind) || n > STORE_CASE_MAX_TAGS)
		return GH_ERR_INVALID;
	for (i = 0; i < n; i++)
		if (values[i] == NULL || values[i][0] == '\0' ||
		    strlen(values[i]) > REPORT_MAX_CATEGORY)
			return GH_ERR_INVALID;
	if ((r = begin_live(s, id)) != GH_OK)
		return r;
	report_bind_id(del, id);
	sqlite3_bind_text(del, P(del, ":kind"), kind, -1, SQLITE_STATIC);
	if (store_step_once(del) != SQLITE_DONE)
		r = store_fail(s, "removing a case's tags");
	for (i = 0; i < n && r == GH_OK; i++) {
		report_bind_id(ins, id);
		sqlite3_bind_text(ins, P(ins, ":kind"), kind, -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(ins, P(ins, ":value"), values[i], -1,
		    SQLITE_STATIC);
		if (store_step_once(ins) != SQLITE_DONE)
			r = store_fail(s, "adding a case's tag");
	}
	return finish(s, r);
}

int
store_case_set_outcome(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const char *outcome)
{
	sqlite3_stmt *st = case_stmt(s, ST_CASE_OUTCOME);

	if (st == NULL)
		return GH_ERR_DB;
	if (outcome != NULL && strlen(outcome) > STORE_CASE_OUTCOME_MAX)
		return GH_ERR_INVALID;
	if (outcome != NULL)
		sqlite3_bind_text(st, P(st, ":outcome"), outcome, -1,
		    SQLITE_STATIC);
	else
		sqlite3_bind_null(st, P(st, ":outcome"));
	return update_live(s, st, id, "setting a case's outcome");
}

int
store_case_set_assigned(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t user_id)
{
	sqlite3_stmt *st = case_stmt(s, ST_CASE_ASSIGN);

	if (st == NULL)
		return GH_ERR_DB;
	if (user_id >= 0)
		sqlite3_bind_int64(st, P(st, ":user"), user_id);
	else
		sqlite3_bind_null(st, P(st, ":user"));
	return update_live(s, st, id, "assigning a case");
}

int
store_case_note_add(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t user_id, int64_t day, const uint8_t *sealed, size_t sealed_len)
{
	sqlite3_stmt *st = case_stmt(s, ST_CASE_NOTE_INSERT);

	if (st == NULL)
		return GH_ERR_DB;
	if (sealed == NULL || sealed_len == 0 || sealed_len > INT32_MAX)
		return GH_ERR_INVALID;
	if (user_id >= 0)
		sqlite3_bind_int64(st, P(st, ":user"), user_id);
	else
		sqlite3_bind_null(st, P(st, ":user"));
	sqlite3_bind_int64(st, P(st, ":day"), day);
	sqlite3_bind_blob(st, P(st, ":sealed"), sealed, (int)sealed_len,
	    SQLITE_STATIC);
	return update_live(s, st, id, "adding a note");
}

int
store_case_notes(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int (*fn)(void *arg, const struct store_note *n), void *arg)
{
	sqlite3_stmt *st = case_stmt(s, ST_CASE_NOTES);
	struct store_note n;
	uint8_t *copy;
	int rc, r = GH_OK;

	if (st == NULL)
		return GH_ERR_DB;
	report_bind_id(st, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&n, 0, sizeof(n));
		n.seq = sqlite3_column_int64(st, 0);
		n.user_id = sqlite3_column_int64(st, 1);
		n.day = sqlite3_column_int64(st, 2);
		n.sealed_len = (size_t)sqlite3_column_bytes(st, 3);
		if (n.sealed_len == 0)
			continue;
		/* A copy: fn may run other statements on this connection. */
		if ((copy = malloc(n.sealed_len)) == NULL) {
			r = GH_ERR_NOMEM;
			goto out;
		}
		memcpy(copy, sqlite3_column_blob(st, 3), n.sealed_len);
		n.sealed = copy;
		r = fn(arg, &n);
		free(copy);
		if (r != GH_OK)
			goto out;
	}
	if (rc != SQLITE_DONE)
		r = store_fail(s, "reading notes");
out:
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_case_mark_read(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t user_id, int64_t seq)
{
	sqlite3_stmt *st = case_stmt(s, ST_CASE_READ);

	if (st == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(st, P(st, ":user"), user_id);
	sqlite3_bind_int64(st, P(st, ":seq"), seq);
	return update_live(s, st, id, "recording a read");
}

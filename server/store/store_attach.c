/*
 * store_attach.c: the attachments of reports (store_attach.h), in
 * report_attachments; statements in the slots STORE_EXT_ATTACH onwards.
 *
 * Entry points: store_attach_add, store_attach_get, store_attach_each,
 * store_attach_count, store_attach_clear. Only sealed blobs, a random id
 * and a day number go in or come out.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_attach.h"
#include "store/store_int.h"
#include "store/store_report_int.h"

#define P(st, name) store_param((st), (name))

enum attach_slot {
	ST_ATTACH_ADD = STORE_EXT_ATTACH,
	ST_ATTACH_GET,
	ST_ATTACH_EACH,
	ST_ATTACH_COUNT,
};

int
store_attach_insert(struct store *s, sqlite3_stmt *st,
    const uint8_t report_id[REPORT_ID_BYTES], const struct store_attach *a,
    const char *what)
{
	int rc;

	if (st == NULL)
		return GH_ERR_DB;
	if (a->for_desk_len == 0 || a->for_reporter_len == 0)
		return GH_ERR_INVALID;
	report_bind_id(st, report_id);
	sqlite3_bind_blob(st, P(st, ":aid"), a->id, ATTACH_ID_BYTES,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, P(st, ":day"), a->day);
	sqlite3_bind_blob64(st, P(st, ":desk"), a->for_desk, a->for_desk_len,
	    SQLITE_STATIC);
	sqlite3_bind_blob64(st, P(st, ":reporter"), a->for_reporter,
	    a->for_reporter_len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return GH_ERR_EXISTS;
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		return GH_ERR_NOT_FOUND;
	if (rc != SQLITE_DONE)
		return store_fail(s, what);
	return GH_OK;
}

int
store_attach_add(struct store *s, const uint8_t report_id[REPORT_ID_BYTES],
    const struct store_attach *a)
{
	return store_attach_insert(s, store_ext_stmt(s, ST_ATTACH_ADD,
	    "INSERT INTO report_attachments"
	    " (report_id, id, day, for_desk, for_reporter)"
	    " VALUES (:id, :aid, :day, :desk, :reporter)"), report_id, a,
	    "storing an attachment");
}

int
store_attach_add_all(struct store *s,
    const uint8_t report_id[REPORT_ID_BYTES], const struct store_attach *a,
    size_t n)
{
	size_t i;
	int r;

	if ((r = store_exec_stmt(s, ST_BEGIN)) != GH_OK)
		return r;
	for (i = 0; i < n; i++)
		if ((r = store_attach_add(s, report_id, &a[i])) != GH_OK)
			break;
	if (r == GH_OK)
		r = store_exec_stmt(s, ST_COMMIT);
	if (r != GH_OK)
		store_rollback(s);
	return r;
}

static int
copy_blob(sqlite3_stmt *st, int col, uint8_t **out, size_t *len)
{
	const void *p = sqlite3_column_blob(st, col);
	int n = sqlite3_column_bytes(st, col);

	if (p == NULL || n <= 0)
		return GH_ERR_INVALID;
	if ((*out = malloc((size_t)n)) == NULL)
		return GH_ERR_NOMEM;
	memcpy(*out, p, (size_t)n);
	*len = (size_t)n;
	return GH_OK;
}

int
store_attach_get(struct store *s, const uint8_t report_id[REPORT_ID_BYTES],
    const uint8_t id[ATTACH_ID_BYTES], struct store_attach *a)
{
	sqlite3_stmt *st = store_ext_stmt(s, ST_ATTACH_GET,
	    "SELECT day, for_desk, for_reporter FROM report_attachments"
	    " WHERE report_id = :id AND id = :aid");
	int rc, r = GH_ERR_NOT_FOUND;

	memset(a, 0, sizeof(*a));
	if (st == NULL)
		return GH_ERR_DB;
	report_bind_id(st, report_id);
	sqlite3_bind_blob(st, P(st, ":aid"), id, ATTACH_ID_BYTES,
	    SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		memcpy(a->id, id, ATTACH_ID_BYTES);
		a->day = sqlite3_column_int64(st, 0);
		if ((r = copy_blob(st, 1, &a->for_desk, &a->for_desk_len)) ==
		    GH_OK)
			r = copy_blob(st, 2, &a->for_reporter,
			    &a->for_reporter_len);
	} else if (rc != SQLITE_DONE) {
		r = store_fail(s, "reading an attachment");
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (r != GH_OK)
		store_attach_clear(a);
	return r;
}

int
store_attach_each(struct store *s,
    const uint8_t report_id[REPORT_ID_BYTES],
    int (*fn)(const struct store_attach *a, void *arg), void *arg)
{
	sqlite3_stmt *st = store_ext_stmt(s, ST_ATTACH_EACH,
	    "SELECT id, day, for_desk, for_reporter FROM report_attachments"
	    " WHERE report_id = :id ORDER BY id");
	struct store_attach a;
	int rc = SQLITE_DONE, r = GH_OK;

	if (st == NULL)
		return GH_ERR_DB;
	report_bind_id(st, report_id);
	while (r == GH_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&a, 0, sizeof(a));
		if (sqlite3_column_bytes(st, 0) != ATTACH_ID_BYTES) {
			r = GH_ERR_INVALID;
			break;
		}
		memcpy(a.id, sqlite3_column_blob(st, 0), ATTACH_ID_BYTES);
		a.day = sqlite3_column_int64(st, 1);
		a.for_desk = (uint8_t *)sqlite3_column_blob(st, 2);
		a.for_desk_len = (size_t)sqlite3_column_bytes(st, 2);
		a.for_reporter = (uint8_t *)
		    sqlite3_column_blob(st, 3);
		a.for_reporter_len = (size_t)sqlite3_column_bytes(st, 3);
		r = fn(&a, arg);
	}
	if (r == GH_OK && rc != SQLITE_DONE)
		r = store_fail(s, "listing attachments");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_attach_count(struct store *s,
    const uint8_t report_id[REPORT_ID_BYTES], int64_t *n)
{
	sqlite3_stmt *st = store_ext_stmt(s, ST_ATTACH_COUNT,
	    "SELECT count(*) FROM report_attachments WHERE report_id = :id");
	int r = GH_OK;

	*n = 0;
	if (st == NULL)
		return GH_ERR_DB;
	report_bind_id(st, report_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	else
		r = store_fail(s, "counting attachments");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

void
store_attach_clear(struct store_attach *a)
{
	if (a == NULL)
		return;
	free(a->for_desk);
	free(a->for_reporter);
	memset(a, 0, sizeof(*a));
}

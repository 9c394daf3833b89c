/*
 * store_publish.c: releases uploaded in the console, pending until
 * published (store_publish.h). An uploaded release is a row of releases
 * with its files in release_files as any other release, and a row of
 * release_states whose published_day stays NULL until it is published.
 *
 * Entry points: store_publish_add_pending (one transaction),
 * store_publish_set, store_publish_foreach.
 * Statements: slots STORE_EXT_PUBLISH + 0..5 (store_int.h).
 */
#include <stdlib.h>

#include "store/store_int.h"
#include "store/store_publish.h"
#include "util/log.h"

#define P(st, name) store_param((st), (name))

enum {
	ST_PUBLISH_INSERT = STORE_EXT_PUBLISH,
	ST_PUBLISH_FILE_INSERT,
	ST_PUBLISH_SET,
	ST_PUBLISH_GET,
	ST_PUBLISH_LIST,
	ST_PUBLISH_STATE_INSERT,
	ST_PUBLISH_END,
};
_Static_assert(ST_PUBLISH_END <= STORE_EXT_PUBLISH + 16,
    "store_publish.c has 16 statement slots");

static const char sql_insert[] =
    "INSERT INTO releases (wave_id, created_day, manifest, signature) "
    "VALUES (:wave, :day, :manifest, :sig)";
static const char sql_state_insert[] =
    "INSERT INTO release_states (release_id, published_day) "
    "VALUES (:id, NULL)";
static const char sql_file_insert[] =
    "INSERT INTO release_files (release_id, name, content) "
    "VALUES (:id, :name, :content)";
static const char sql_set[] =
    "UPDATE release_states SET published_day = :day WHERE "
    "release_id = :id AND published_day IS NULL";
static const char sql_get[] =
    "SELECT r.wave_id, s.release_id IS NULL OR s.published_day IS NOT "
    "NULL FROM releases r LEFT JOIN release_states s ON s.release_id = "
    "r.id WHERE r.id = :id";
/* A release stored by gehoord release was published when made. */
static const char sql_list[] =
    "SELECT r.id, r.wave_id, r.created_day, CASE WHEN s.release_id IS "
    "NULL THEN r.created_day ELSE coalesce(s.published_day, -1) END "
    "FROM releases r LEFT JOIN release_states s ON s.release_id = r.id "
    "ORDER BY r.id DESC LIMIT :max";

/* A zero-length blob must still be a blob, not NULL. */
static void
bind_blob(sqlite3_stmt *st, const char *name, const void *p, size_t len)
{
	sqlite3_bind_blob64(st, P(st, name), len > 0 ? p : (const void *)"",
	    len, SQLITE_STATIC);
}

static int
insert_file(struct store *s, int64_t id, const struct release_file *f)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = store_ext_stmt(s, ST_PUBLISH_FILE_INSERT,
	    sql_file_insert)) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(st, P(st, ":id"), id);
	sqlite3_bind_text(st, P(st, ":name"), f->name, -1, SQLITE_STATIC);
	bind_blob(st, ":content", f->data, f->len);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
		log_error("an uploaded release gives a file twice");
		return GH_ERR_INVALID;
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, "storing an uploaded release's file");
	return GH_OK;
}

/* Marks release id as uploaded and pending. */
static int
state_insert(struct store *s, int64_t id)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = store_ext_stmt(s, ST_PUBLISH_STATE_INSERT,
	    sql_state_insert)) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(st, P(st, ":id"), id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? GH_OK :
	    store_fail(s, "marking an uploaded release pending");
}

int
store_publish_add_pending(struct store *s, int64_t wave,
    const struct release_file *files, size_t n, const uint8_t *manifest,
    size_t manifest_len, const uint8_t *sig, size_t sig_len, int64_t *id)
{
	sqlite3_stmt *st;
	size_t i;
	int rc, r;

	if ((st = store_ext_stmt(s, ST_PUBLISH_INSERT, sql_insert)) == NULL)
		return GH_ERR_DB;
	if ((r = store_exec_stmt(s, ST_BEGIN)) != GH_OK)
		return r;
	sqlite3_bind_int64(st, P(st, ":wave"), wave);
	sqlite3_bind_int64(st, P(st, ":day"), store_today());
	bind_blob(st, ":manifest", manifest, manifest_len);
	bind_blob(st, ":sig", sig, sig_len);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
		r = GH_ERR_NOT_FOUND;
		goto fail;
	}
	if (rc != SQLITE_DONE) {
		r = store_fail(s, "storing an uploaded release");
		goto fail;
	}
	*id = sqlite3_last_insert_rowid(s->db);
	if ((r = state_insert(s, *id)) != GH_OK)
		goto fail;
	for (i = 0; i < n; i++)
		if ((r = insert_file(s, *id, &files[i])) != GH_OK)
			goto fail;
	if ((r = store_exec_stmt(s, ST_COMMIT)) != GH_OK)
		goto fail;
	return GH_OK;
fail:
	store_rollback(s);
	return r;
}

int
store_publish_set(struct store *s, int64_t id, int64_t *wave)
{
	sqlite3_stmt *st, *get;
	int rc, is_published = 0, r = GH_ERR_DB;

	if ((st = store_ext_stmt(s, ST_PUBLISH_SET, sql_set)) == NULL ||
	    (get = store_ext_stmt(s, ST_PUBLISH_GET, sql_get)) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(get, P(get, ":id"), id);
	rc = sqlite3_step(get);
	if (rc == SQLITE_ROW) {
		*wave = sqlite3_column_int64(get, 0);
		is_published = sqlite3_column_int(get, 1);
	}
	sqlite3_reset(get);
	sqlite3_clear_bindings(get);
	if (rc == SQLITE_DONE)
		return GH_ERR_NOT_FOUND;
	if (rc != SQLITE_ROW)
		return store_fail(s, "reading a release");
	if (is_published)
		return GH_ERR_EXISTS;
	sqlite3_bind_int64(st, P(st, ":id"), id);
	sqlite3_bind_int64(st, P(st, ":day"), store_today());
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		(void)store_fail(s, "publishing a release");
	else
		r = sqlite3_changes(s->db) == 1 ? GH_OK : GH_ERR_EXISTS;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_publish_foreach(struct store *s, size_t max,
    int (*fn)(void *arg, const struct publish_row *r), void *arg)
{
	struct publish_row *rows = NULL, *nr;
	sqlite3_stmt *st;
	size_t n = 0, i;
	int rc, r = GH_ERR_NOMEM;

	if ((st = store_ext_stmt(s, ST_PUBLISH_LIST, sql_list)) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(st, P(st, ":max"), (sqlite3_int64)max);
	/* Collect first, so that fn may use the store itself. */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((nr = realloc(rows, (n + 1) * sizeof(*rows))) == NULL)
			goto out;
		rows = nr;
		rows[n].id = sqlite3_column_int64(st, 0);
		rows[n].wave_id = sqlite3_column_int64(st, 1);
		rows[n].created_day = sqlite3_column_int64(st, 2);
		rows[n].published_day = sqlite3_column_int64(st, 3);
		n++;
	}
	if (rc != SQLITE_DONE) {
		r = store_fail(s, "listing releases");
		goto out;
	}
	sqlite3_reset(st);
	for (i = 0; i < n; i++)
		if ((r = fn(arg, &rows[i])) != 0)
			goto out;
	r = GH_OK;
out:
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	free(rows);
	return r;
}

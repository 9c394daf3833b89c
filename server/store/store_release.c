/*
 * store_release.c: published releases (store_release.h): plaintext
 * aggregates only, one row in releases (wave, day, MANIFEST, signature)
 * and one row per file in release_files.
 *
 * Entry points: store_release_add (gehoord release, one transaction),
 * store_release_foreach, store_release_names and store_release_file (the
 * /research pages).
 * "MANIFEST" and "MANIFEST.sig" are read from the release row itself, so
 * they can be served like any other file of the release.
 * Statements: slots STORE_EXT_RELEASE + 0..6 (store_int.h).
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "store/store_release.h"
#include "util/log.h"

#define P(st, name) store_param((st), (name))

/* Whether release r is published: not uploaded, or published since
 * (store_publish.h). */
#define IS_PUBLISHED "NOT EXISTS (SELECT 1 FROM release_states s WHERE " \
	"s.release_id = r.id AND s.published_day IS NULL)"

enum {
	ST_RELEASE_INSERT = STORE_EXT_RELEASE,
	ST_RELEASE_FILE_INSERT,
	ST_RELEASE_LIST_ALL,
	ST_RELEASE_LIST_WAVE,
	ST_RELEASE_FILE_GET,
	ST_RELEASE_META_GET,
	ST_RELEASE_NAMES,
};

static const char sql_insert[] =
    "INSERT INTO releases (wave_id, created_day, manifest, signature) "
    "VALUES (:wave, :day, :manifest, :sig)";
static const char sql_file_insert[] =
    "INSERT INTO release_files (release_id, name, content) "
    "VALUES (:id, :name, :content)";
static const char sql_list_all[] =
    "SELECT id, wave_id, created_day, " IS_PUBLISHED " FROM releases r "
    "ORDER BY id";
static const char sql_list_wave[] =
    "SELECT id, wave_id, created_day, " IS_PUBLISHED " FROM releases r "
    "WHERE wave_id = :wave ORDER BY id";
static const char sql_file_get[] =
    "SELECT content FROM release_files WHERE release_id = :id AND "
    "name = :name";
static const char sql_meta_get[] =
    "SELECT manifest, signature FROM releases WHERE id = :id";

static const char sql_names[] =
    "SELECT name, length(content) FROM release_files WHERE "
    "release_id = :id ORDER BY name";

static int
insert_file(struct store *s, int64_t id, const struct release_file *f)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = store_ext_stmt(s, ST_RELEASE_FILE_INSERT,
	    sql_file_insert)) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(st, P(st, ":id"), id);
	sqlite3_bind_text(st, P(st, ":name"), f->name, -1, SQLITE_STATIC);
	/* A zero-length blob must still be a blob, not NULL. */
	sqlite3_bind_blob64(st, P(st, ":content"), f->len > 0 ? f->data :
	    (const void *)"", f->len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
		log_error("release file %s is given twice", f->name);
		return GH_ERR_INVALID;
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, "storing a release file");
	return GH_OK;
}

int
store_release_add(struct store *s, int64_t wave,
    const struct release_file *files, size_t n, const uint8_t *manifest,
    size_t manifest_len, const uint8_t *sig, size_t sig_len, int64_t *id)
{
	sqlite3_stmt *st;
	size_t i;
	int rc, r;

	if ((st = store_ext_stmt(s, ST_RELEASE_INSERT, sql_insert)) == NULL)
		return GH_ERR_DB;
	if ((r = store_exec_stmt(s, ST_BEGIN)) != GH_OK)
		return r;
	sqlite3_bind_int64(st, P(st, ":wave"), wave);
	sqlite3_bind_int64(st, P(st, ":day"), store_today());
	sqlite3_bind_blob64(st, P(st, ":manifest"), manifest_len > 0 ?
	    manifest : (const void *)"", manifest_len, SQLITE_STATIC);
	sqlite3_bind_blob64(st, P(st, ":sig"), sig_len > 0 ? sig :
	    (const void *)"", sig_len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
		log_error("wave %lld: no such wave", (long long)wave);
		r = GH_ERR_NOT_FOUND;
		goto fail;
	}
	if (rc != SQLITE_DONE) {
		r = store_fail(s, "storing a release");
		goto fail;
	}
	*id = sqlite3_last_insert_rowid(s->db);
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
store_release_foreach(struct store *s, int64_t wave,
    int (*fn)(void *arg, const struct release_row *r), void *arg)
{
	struct release_row *rows = NULL, *nr;
	sqlite3_stmt *st;
	size_t n = 0, i;
	int rc, r = GH_ERR_DB;

	st = wave != 0 ? store_ext_stmt(s, ST_RELEASE_LIST_WAVE,
	    sql_list_wave) :
	    store_ext_stmt(s, ST_RELEASE_LIST_ALL, sql_list_all);
	if (st == NULL)
		return GH_ERR_DB;
	if (wave != 0)
		sqlite3_bind_int64(st, P(st, ":wave"), wave);
	/* Collect first, so that fn may use the store itself. */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((nr = realloc(rows, (n + 1) * sizeof(*rows))) == NULL) {
			r = GH_ERR_NOMEM;
			goto out;
		}
		rows = nr;
		rows[n].id = sqlite3_column_int64(st, 0);
		rows[n].wave_id = sqlite3_column_int64(st, 1);
		rows[n].created_day = sqlite3_column_int64(st, 2);
		rows[n].is_published = sqlite3_column_int(st, 3);
		n++;
	}
	if (rc != SQLITE_DONE) {
		r = store_fail(s, "listing releases");
		goto out;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
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

/* Copies column col of st into a new buffer with a NUL after it. */
static int
copy_column(sqlite3_stmt *st, int col, uint8_t **data, size_t *len)
{
	const void *p = sqlite3_column_blob(st, col);
	size_t n = (size_t)sqlite3_column_bytes(st, col);

	if ((*data = malloc(n + 1)) == NULL)
		return GH_ERR_NOMEM;
	if (n > 0)
		memcpy(*data, p, n);
	(*data)[n] = '\0';
	*len = n;
	return GH_OK;
}

int
store_release_file(struct store *s, int64_t id, const char *name,
    uint8_t **data, size_t *len)
{
	sqlite3_stmt *st;
	int rc, col = 0, is_meta, r = GH_ERR_DB;

	*data = NULL;
	*len = 0;
	is_meta = strcmp(name, "MANIFEST") == 0 ||
	    strcmp(name, "MANIFEST.sig") == 0;
	if (is_meta) {
		st = store_ext_stmt(s, ST_RELEASE_META_GET, sql_meta_get);
		col = strcmp(name, "MANIFEST") == 0 ? 0 : 1;
	} else
		st = store_ext_stmt(s, ST_RELEASE_FILE_GET, sql_file_get);
	if (st == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(st, P(st, ":id"), id);
	if (!is_meta)
		sqlite3_bind_text(st, P(st, ":name"), name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		r = GH_ERR_NOT_FOUND;
	else if (rc != SQLITE_ROW)
		(void)store_fail(s, "reading a release file");
	else
		r = copy_column(st, col, data, len);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_release_names(struct store *s, int64_t id,
    int (*fn)(void *arg, const char *name, size_t len), void *arg)
{
	char **names = NULL, **nn;
	size_t *lens = NULL, *nl, n = 0, i;
	sqlite3_stmt *st;
	int rc, r = GH_ERR_NOMEM;

	if ((st = store_ext_stmt(s, ST_RELEASE_NAMES, sql_names)) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(st, P(st, ":id"), id);
	/* Collect first, so that fn may use the store itself. */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((nn = realloc(names, (n + 1) * sizeof(*nn))) == NULL)
			goto out;
		names = nn;
		if ((nl = realloc(lens, (n + 1) * sizeof(*nl))) == NULL)
			goto out;
		lens = nl;
		if ((names[n] = strdup((const char *)sqlite3_column_text(st,
		    0))) == NULL)
			goto out;
		lens[n++] = (size_t)sqlite3_column_int64(st, 1);
	}
	if (rc != SQLITE_DONE) {
		r = store_fail(s, "listing release files");
		goto out;
	}
	sqlite3_reset(st);
	for (i = 0; i < n; i++)
		if ((r = fn(arg, names[i], lens[i])) != 0)
			goto out;
	r = GH_OK;
out:
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(lens);
	return r;
}

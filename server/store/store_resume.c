/*
 * store_resume.c: saved, unfinished answers (store_resume.h).
 *
 * Entry points: store_resume_put (a hashing worker, once the box is
 * sealed; one statement, so durable when it returns: synchronous=FULL),
 * store_resume_get and store_resume_has (reading the link),
 * store_resume_delete (start again; and store_commit_batch, in the
 * writer's transaction) and store_resume_delete_wave (a wave closing).
 * secure_delete overwrites a deleted row's bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "store/store_resume.h"
#include "util/log.h"

#define P(st, name) store_param((st), (name))

enum resume_slot {
	ST_RESUME_PUT,
	ST_RESUME_GET,
	ST_RESUME_HAS,
	ST_RESUME_DELETE,
	ST_RESUME_DELETE_WAVE,
	ST_RESUME_COUNT
};

/* Each statement on its own, so that none is taken for two. */
static const char sql_put[] =
	"INSERT INTO resumes (hash, wave_id, salt, sealed) "
	"VALUES (:hash, :wave, :salt, :sealed) "
	"ON CONFLICT (hash) DO UPDATE SET wave_id = excluded.wave_id, "
	"salt = excluded.salt, sealed = excluded.sealed";
static const char sql_get[] =
	"SELECT wave_id, salt, sealed FROM resumes WHERE hash = :hash";

static const char *const resume_sql[] = {
	[ST_RESUME_PUT] = sql_put,
	[ST_RESUME_GET] = sql_get,
	[ST_RESUME_HAS] = "SELECT count(*) FROM resumes WHERE hash = :hash",
	[ST_RESUME_DELETE] = "DELETE FROM resumes WHERE hash = :hash",
	[ST_RESUME_DELETE_WAVE] = "DELETE FROM resumes WHERE wave_id = :wave",
};
_Static_assert(sizeof(resume_sql) / sizeof(resume_sql[0]) == ST_RESUME_COUNT,
    "one statement per resume slot");
_Static_assert(STORE_EXT_RESUME + ST_RESUME_COUNT <= STORE_EXT_MAX,
    "the resume slots fit");

static sqlite3_stmt *
resume_stmt(struct store *s, enum resume_slot which)
{
	return store_ext_stmt(s, STORE_EXT_RESUME + (int)which,
	    resume_sql[which]);
}

int
store_resume_put(struct store *s, const uint8_t hash[STORE_HASH_BYTES],
    int64_t wave_id, const uint8_t salt[STORE_RESUME_SALT_BYTES],
    const uint8_t *sealed, size_t len)
{
	sqlite3_stmt *st = resume_stmt(s, ST_RESUME_PUT);

	if (st == NULL)
		return GH_ERR_DB;
	if (len == 0 || len > STORE_RESUME_SEALED_MAX)
		return GH_ERR_INVALID;
	sqlite3_bind_blob(st, P(st, ":hash"), hash, STORE_HASH_BYTES,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, P(st, ":wave"), wave_id);
	sqlite3_bind_blob(st, P(st, ":salt"), salt, STORE_RESUME_SALT_BYTES,
	    SQLITE_STATIC);
	sqlite3_bind_blob(st, P(st, ":sealed"), sealed, (int)len,
	    SQLITE_STATIC);
	if (store_step_once(st) != SQLITE_DONE)
		return store_fail(s, "saving unfinished answers");
	return GH_OK;
}

int
store_resume_get(struct store *s, const uint8_t hash[STORE_HASH_BYTES],
    int64_t *wave_id, uint8_t salt[STORE_RESUME_SALT_BYTES],
    uint8_t **sealed, size_t *len)
{
	sqlite3_stmt *st = resume_stmt(s, ST_RESUME_GET);
	const void *blob;
	int rc, n, r = GH_ERR_DB;

	*sealed = NULL;
	*len = 0;
	if (st == NULL)
		return GH_ERR_DB;
	sqlite3_bind_blob(st, P(st, ":hash"), hash, STORE_HASH_BYTES,
	    SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		r = GH_ERR_NOT_FOUND;
		goto out;
	}
	if (rc != SQLITE_ROW) {
		r = store_fail(s, "reading saved answers");
		goto out;
	}
	/* The whole row is checked before any of it is used. */
	n = sqlite3_column_bytes(st, 2);
	if (sqlite3_column_bytes(st, 1) != STORE_RESUME_SALT_BYTES ||
	    n <= 0 || (size_t)n > STORE_RESUME_SEALED_MAX ||
	    sqlite3_column_type(st, 0) != SQLITE_INTEGER) {
		log_error("resumes: a row of the wrong shape");
		goto out;
	}
	r = GH_ERR_NOMEM;
	if ((*sealed = malloc((size_t)n)) == NULL)
		goto out;
	*wave_id = sqlite3_column_int64(st, 0);
	memcpy(salt, sqlite3_column_blob(st, 1), STORE_RESUME_SALT_BYTES);
	blob = sqlite3_column_blob(st, 2);
	memcpy(*sealed, blob, (size_t)n);
	*len = (size_t)n;
	r = GH_OK;
out:
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_resume_has(struct store *s, const uint8_t hash[STORE_HASH_BYTES],
    int *has)
{
	sqlite3_stmt *st = resume_stmt(s, ST_RESUME_HAS);
	int r = GH_OK;

	*has = 0;
	if (st == NULL)
		return GH_ERR_DB;
	sqlite3_bind_blob(st, P(st, ":hash"), hash, STORE_HASH_BYTES,
	    SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		*has = sqlite3_column_int64(st, 0) > 0;
	else
		r = store_fail(s, "looking up saved answers");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_resume_delete(struct store *s, const uint8_t hash[STORE_HASH_BYTES])
{
	sqlite3_stmt *st = resume_stmt(s, ST_RESUME_DELETE);

	if (st == NULL)
		return GH_ERR_DB;
	sqlite3_bind_blob(st, P(st, ":hash"), hash, STORE_HASH_BYTES,
	    SQLITE_STATIC);
	if (store_step_once(st) != SQLITE_DONE)
		return store_fail(s, "deleting saved answers");
	return GH_OK;
}

int
store_resume_delete_wave(struct store *s, int64_t wave_id)
{
	sqlite3_stmt *st = resume_stmt(s, ST_RESUME_DELETE_WAVE);

	if (st == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(st, P(st, ":wave"), wave_id);
	if (store_step_once(st) != SQLITE_DONE)
		return store_fail(s, "deleting a wave's saved answers");
	return GH_OK;
}

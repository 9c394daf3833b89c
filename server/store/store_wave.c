/*
 * store_wave.c: waves, the unit of a survey round: definition, public
 * key, k and whether it takes answers.
 *
 * Entry points: store_wave_create, store_wave_get, store_wave_foreach,
 * store_wave_set_k, store_wave_set_open, store_wave_is_open.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "store/store_resume.h"
#include "util/log.h"

#define P(st, name) store_param((st), (name))

int
store_wave_create(struct store *s, const char *name, const char *def_json,
    const uint8_t pk[STORE_PK_BYTES], int k, int64_t *id)
{
	sqlite3_stmt *st = s->st[ST_WAVE_INSERT];
	int rc, r = GH_ERR_DB;

	if (k < STORE_K_MIN)
		return GH_ERR_INVALID;
	sqlite3_bind_text(st, P(st, ":name"), name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, P(st, ":def"), def_json, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, P(st, ":pk"), pk, STORE_PK_BYTES, SQLITE_STATIC);
	sqlite3_bind_int(st, P(st, ":k"), k);
	sqlite3_bind_int64(st, P(st, ":day"), store_today());
	rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT_UNIQUE) {
		r = GH_ERR_EXISTS;
		goto out;
	}
	if (rc != SQLITE_DONE) {
		r = store_fail(s, "inserting a wave");
		goto out;
	}
	*id = sqlite3_last_insert_rowid(s->db);
	r = GH_OK;
out:
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

void
store_wave_free(struct store_wave *w)
{
	if (w == NULL)
		return;
	free(w->name);
	free(w->def_json);
	free(w);
}

int
store_wave_get(struct store *s, int64_t id, struct store_wave **out)
{
	sqlite3_stmt *st = s->st[ST_WAVE_GET];
	struct store_wave *w = NULL;
	int rc, r = GH_ERR_DB;

	*out = NULL;
	sqlite3_bind_int64(st, P(st, ":id"), id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		r = GH_ERR_NOT_FOUND;
		goto out;
	}
	if (rc != SQLITE_ROW) {
		store_fail(s, "reading a wave");	/* r stays GH_ERR_DB */
		goto out;
	}
	if (sqlite3_column_bytes(st, 3) != STORE_PK_BYTES) {
		log_error("wave %lld: stored public key has the wrong size",
		    (long long)id);
		r = GH_ERR_INVALID;
		goto out;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL ||
	    (w->name = strdup((const char *)sqlite3_column_text(st, 1))) ==
	    NULL ||
	    (w->def_json = strdup((const char *)sqlite3_column_text(st, 2))) ==
	    NULL) {
		r = GH_ERR_NOMEM;
		goto out;
	}
	w->id = sqlite3_column_int64(st, 0);
	memcpy(w->pk, sqlite3_column_blob(st, 3), STORE_PK_BYTES);
	w->k = sqlite3_column_int(st, 4);
	w->is_open = sqlite3_column_int(st, 5);
	w->n_answers = sqlite3_column_int64(st, 6);
	*out = w;
	w = NULL;
	r = GH_OK;
out:
	store_wave_free(w);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_wave_foreach(struct store *s,
    int (*fn)(void *arg, const struct store_wave *w), void *arg)
{
	sqlite3_stmt *st = s->st[ST_WAVE_IDS];
	int64_t *ids = NULL, *nids;
	size_t n = 0, i;
	int rc, r = GH_ERR_DB;

	/* Collect ids first so fn may use the store itself. */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((nids = realloc(ids, (n + 1) * sizeof(*ids))) == NULL) {
			r = GH_ERR_NOMEM;
			goto out;
		}
		ids = nids;
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		r = store_fail(s, "listing waves");
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct store_wave *w;

		if ((r = store_wave_get(s, ids[i], &w)) != GH_OK)
			goto out;
		r = fn(arg, w);
		store_wave_free(w);
		if (r != 0)
			goto out;
	}
	r = GH_OK;
out:
	sqlite3_reset(st);
	free(ids);
	return r;
}

int
store_wave_set_k(struct store *s, int64_t id, int k)
{
	sqlite3_stmt *st = s->st[ST_WAVE_SET_K];
	struct store_wave *w = NULL;
	int r;

	if (k < STORE_K_MIN)
		return GH_ERR_INVALID;
	if ((r = store_exec_stmt(s, ST_BEGIN)) != GH_OK)
		return r;
	if ((r = store_wave_get(s, id, &w)) != GH_OK)
		goto out;
	/* Once answers exist, privacy settings may only get stricter. */
	if (w->n_answers > 0 && k < w->k) {
		r = GH_ERR_PRIVACY;
		goto out;
	}
	sqlite3_bind_int(st, P(st, ":k"), k);
	sqlite3_bind_int64(st, P(st, ":id"), id);
	r = sqlite3_step(st) == SQLITE_DONE ? GH_OK :
	    store_fail(s, "setting k");
	sqlite3_reset(st);
	if (r == GH_OK)
		r = store_exec_stmt(s, ST_COMMIT);
out:
	if (r != GH_OK)
		store_rollback(s);
	store_wave_free(w);
	return r;
}

int
store_wave_set_open(struct store *s, int64_t id, int is_open)
{
	sqlite3_stmt *st = s->st[ST_WAVE_SET_OPEN];
	int r;

	/* Closing also deletes the wave's saved, unfinished answers, in
	 * the same transaction: nobody can send them any more. */
	if ((r = store_exec_stmt(s, ST_BEGIN)) != GH_OK)
		return r;
	sqlite3_bind_int(st, P(st, ":open"), is_open ? 1 : 0);
	sqlite3_bind_int64(st, P(st, ":id"), id);
	if (sqlite3_step(st) != SQLITE_DONE)
		r = store_fail(s, "opening or closing a wave");
	else
		r = sqlite3_changes(s->db) == 1 ? GH_OK : GH_ERR_NOT_FOUND;
	sqlite3_reset(st);
	if (r == GH_OK && !is_open)
		r = store_resume_delete_wave(s, id);
	if (r == GH_OK)
		r = store_exec_stmt(s, ST_COMMIT);
	if (r != GH_OK)
		store_rollback(s);
	return r;
}

int
store_wave_is_open(struct store *s, int64_t id, int *is_open)
{
	sqlite3_stmt *st = s->st[ST_WAVE_IS_OPEN];
	int rc, r = GH_OK;

	*is_open = 0;
	sqlite3_bind_int64(st, P(st, ":id"), id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*is_open = sqlite3_column_int(st, 0) != 0;
	else if (rc != SQLITE_DONE)
		r = store_fail(s, "reading whether a wave is open");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

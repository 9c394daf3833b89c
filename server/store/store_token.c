/*
 * store_token.c: token batches, spending a token together with storing
 * its answer, and reading sealed answers back for the tally.
 *
 * Entry points: store_batch_create, store_token_lookup,
 * store_commit_batch (the writer thread's only call), store_answers_foreach,
 * store_token_counts.
 *
 * The spend and the insert happen in one transaction: a token is spent by
 * inserting its spend hash into spends (a primary key, so a second try
 * inserts nothing and never a second answer), after the lookup hash has
 * shown it issued, unspent and of an open wave. The issued row is never
 * written. The link's saved, unfinished answers (store_resume.h) are
 * deleted in the same transaction. The answer's key is its wave, 16 fresh random bytes and a
 * part number (store.h: STORE_PART_MAX).
 */
#include <string.h>

#include <sodium.h>

#include "store/store_int.h"
#include "store/store_resume.h"
#include "util/log.h"

#define P(st, name) store_param((st), (name))

int
store_batch_create(struct store *s, int64_t wave, const char *unit,
    const uint8_t (*hashes)[STORE_HASH_BYTES], size_t n, int64_t *batch_id)
{
	sqlite3_stmt *bst = s->st[ST_BATCH_INSERT];
	sqlite3_stmt *tst = s->st[ST_TOKEN_INSERT];
	struct store_wave *w = NULL;
	int64_t id;
	int r, rc;

	if ((r = store_exec_stmt(s, ST_BEGIN)) != GH_OK)
		return r;
	if ((r = store_wave_get(s, wave, &w)) != GH_OK)
		goto out;
	if (!w->is_open) {
		r = GH_ERR_CLOSED;
		goto out;
	}
	sqlite3_bind_int64(bst, P(bst, ":wave"), wave);
	if (unit != NULL)
		sqlite3_bind_text(bst, P(bst, ":unit"), unit, -1,
		    SQLITE_STATIC);
	else
		sqlite3_bind_null(bst, P(bst, ":unit"));
	sqlite3_bind_int64(bst, P(bst, ":size"), (sqlite3_int64)n);
	sqlite3_bind_int64(bst, P(bst, ":day"), store_today());
	rc = store_step_once(bst);
	if (rc != SQLITE_DONE || sqlite3_changes(s->db) != 1) {
		r = store_fail(s, "inserting a batch");
		goto out;
	}
	id = sqlite3_last_insert_rowid(s->db);
	if ((r = store_insert_hashes(s, tst, id, hashes, n,
	    "a token hash")) != GH_OK)
		goto out;
	if ((r = store_exec_stmt(s, ST_COMMIT)) != GH_OK)
		goto out;
	*batch_id = id;
out:
	if (r != GH_OK)
		store_rollback(s);
	sqlite3_clear_bindings(tst);
	store_wave_free(w);
	return r;
}

int
store_token_lookup(struct store *s, const struct store_token_key *key,
    enum store_token_state *state, int64_t *wave_id)
{
	return store_token_lookup_unit(s, key, state, wave_id, NULL, 0);
}

int
store_token_lookup_unit(struct store *s, const struct store_token_key *key,
    enum store_token_state *state, int64_t *wave_id, char *unit,
    size_t unitsz)
{
	const int is_invite = key->invite_batch != 0;
	const unsigned char *label;
	sqlite3_stmt *st;
	size_t n;
	int rc, r = GH_OK;

	*state = STORE_TOKEN_UNKNOWN;
	*wave_id = 0;
	if (unit != NULL && unitsz > 0)
		unit[0] = '\0';
	/* A token made from an invitation has no row: its batch has. */
	st = is_invite ? store_invite_token_stmt(s) : s->st[ST_TOKEN_LOOKUP];
	if (st == NULL)
		return GH_ERR_DB;
	if (is_invite)
		sqlite3_bind_int64(st, P(st, ":batch"), key->invite_batch);
	else
		sqlite3_bind_blob(st, P(st, ":hash"), key->lookup,
		    STORE_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(st, P(st, ":spend"), key->spend, STORE_HASH_BYTES,
	    SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*wave_id = sqlite3_column_int64(st, 0);
		if (sqlite3_column_int(st, 1))
			*state = STORE_TOKEN_SPENT;
		else if (!sqlite3_column_int(st, 2))
			*state = STORE_TOKEN_CLOSED;
		else
			*state = STORE_TOKEN_FRESH;
		label = sqlite3_column_text(st, 3);
		n = (size_t)sqlite3_column_bytes(st, 3);
		if (unit != NULL && label != NULL) {
			if (n >= unitsz || memchr(label, '\0', n) != NULL) {
				log_error("a token batch's unit label is over "
				    "%zu bytes", unitsz == 0 ? 0 : unitsz - 1);
				*state = STORE_TOKEN_UNKNOWN;
				*wave_id = 0;
				r = GH_ERR_INVALID;
			} else {
				memcpy(unit, label, n);
				unit[n] = '\0';
			}
		}
	} else if (rc != SQLITE_DONE) {
		r = store_fail(s, "looking up a token");
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

/* Inserts a sealed blob under a fresh random id, in parts that fit a row. */
static int
insert_answer(struct store *s, int64_t wave, const uint8_t *sealed,
    size_t len)
{
	sqlite3_stmt *ins = s->st[ST_ANSWER_INSERT];
	uint8_t id[STORE_ANSWER_ID_BYTES];
	size_t off, n;
	int part, rc;

	randombytes_buf(id, sizeof(id));
	for (off = 0, part = 0; off < len || part == 0; off += n, part++) {
		n = len - off < STORE_PART_MAX ? len - off : STORE_PART_MAX;
		sqlite3_bind_int64(ins, P(ins, ":wave"), wave);
		sqlite3_bind_blob(ins, P(ins, ":id"), id, sizeof(id),
		    SQLITE_STATIC);
		sqlite3_bind_int(ins, P(ins, ":part"), part);
		sqlite3_bind_blob(ins, P(ins, ":sealed"), sealed + off, (int)n,
		    SQLITE_STATIC);
		rc = sqlite3_step(ins);
		sqlite3_reset(ins);
		if (rc != SQLITE_DONE)
			return store_fail(s, "inserting an answer");
	}
	return GH_OK;
}

/*
 * Spends one token and inserts its answer; sets sub->result. The token's
 * issued row is only read: the spend is a new row under its spend hash.
 */
static int
commit_one(struct store *s, struct store_submission *sub)
{
	sqlite3_stmt *sp = s->st[ST_TOKEN_SPEND];
	sqlite3_stmt *cnt = s->st[ST_WAVE_COUNT];
	enum store_token_state state;
	int64_t wave;
	int rc, r;

	if ((r = store_token_lookup(s, &sub->key, &state, &wave)) != GH_OK)
		return r;
	if (state != STORE_TOKEN_FRESH || wave != sub->wave_id) {
		sub->result = state == STORE_TOKEN_SPENT ? GH_ERR_SPENT :
		    state == STORE_TOKEN_CLOSED ? GH_ERR_CLOSED :
		    GH_ERR_NOT_FOUND;
		return GH_OK;
	}
	sqlite3_bind_blob(sp, P(sp, ":spend"), sub->key.spend,
	    STORE_HASH_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(sp);
	sqlite3_reset(sp);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
		sub->result = GH_ERR_SPENT;
		return GH_OK;
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, "spending a token");
	if ((r = insert_answer(s, sub->wave_id, sub->sealed,
	    sub->sealed_len)) != GH_OK)
		return r;
	sqlite3_bind_int64(cnt, P(cnt, ":wave"), sub->wave_id);
	rc = sqlite3_step(cnt);
	sqlite3_reset(cnt);
	if (rc != SQLITE_DONE)
		return store_fail(s, "counting an answer");
	/* Sent: the saved, unfinished answers go in the same commit. */
	if ((r = store_resume_delete(s, sub->resume)) != GH_OK)
		return r;
	sub->result = GH_OK;
	return GH_OK;
}

int
store_commit_batch(struct store *s, struct store_submission *subs, size_t n)
{
	size_t i;
	int r;

	if ((r = store_exec_stmt(s, ST_BEGIN)) != GH_OK)
		return (sqlite3_errcode(s->db) & 0xff) == SQLITE_BUSY ?
		    GH_ERR_BUSY : r;
	for (i = 0; i < n; i++) {
		subs[i].result = GH_ERR_DB;
		if ((r = commit_one(s, &subs[i])) != GH_OK)
			goto out;
	}
	r = store_exec_stmt(s, ST_COMMIT);
out:
	if (r != GH_OK)
		store_rollback(s);
	sqlite3_clear_bindings(s->st[ST_TOKEN_SPEND]);
	sqlite3_clear_bindings(s->st[ST_ANSWER_INSERT]);
	sqlite3_clear_bindings(s->st[ST_WAVE_COUNT]);
	return r;
}

/* The answer being joined from its parts. */
struct joined {
	uint8_t	 id[STORE_ANSWER_ID_BYTES];
	uint8_t	*buf;
	size_t	 len, cap;
	int	 has_id;
};

static int
join_part(struct joined *j, const void *id, int id_len, const void *part,
    size_t len)
{
	uint8_t *nb;

	if (id_len != STORE_ANSWER_ID_BYTES)
		return GH_ERR_DB;
	if (!j->has_id || memcmp(j->id, id, sizeof(j->id)) != 0) {
		memcpy(j->id, id, sizeof(j->id));
		j->has_id = 1;
		j->len = 0;
	}
	if (len == 0)
		return GH_OK;
	if (j->buf == NULL || j->len + len > j->cap) {
		if ((nb = realloc(j->buf, j->len + len)) == NULL)
			return GH_ERR_NOMEM;
		j->buf = nb;
		j->cap = j->len + len;
	}
	memcpy(j->buf + j->len, part, len);
	j->len += len;
	return GH_OK;
}

int
store_answers_foreach(struct store *s, int64_t wave,
    int (*fn)(void *arg, const uint8_t *blob, size_t len), void *arg)
{
	sqlite3_stmt *st = s->st[ST_ANSWER_SCAN];
	struct joined j = { 0 };
	int rc, r = GH_OK;

	sqlite3_bind_int64(st, P(st, ":wave"), wave);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const void *id = sqlite3_column_blob(st, 0);
		int id_len = sqlite3_column_bytes(st, 0);

		/* A new id: the previous answer is whole. */
		if (j.has_id && (id_len != STORE_ANSWER_ID_BYTES ||
		    memcmp(j.id, id, sizeof(j.id)) != 0) &&
		    (r = fn(arg, j.buf, j.len)) != 0)
			goto out;
		if ((r = join_part(&j, id, id_len, sqlite3_column_blob(st, 1),
		    (size_t)sqlite3_column_bytes(st, 1))) != GH_OK)
			goto out;
	}
	if (rc != SQLITE_DONE)
		r = store_fail(s, "reading answers");
	else if (j.has_id)
		r = fn(arg, j.buf, j.len);
out:
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	free(j.buf);
	return r;
}

int
store_token_counts(struct store *s, int64_t wave, int64_t *issued,
    int64_t *spent)
{
	sqlite3_stmt *st = s->st[ST_TOKEN_COUNTS];
	int r = GH_OK;

	sqlite3_bind_int64(st, P(st, ":wave"), wave);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*issued = sqlite3_column_int64(st, 0);
		*spent = sqlite3_column_int64(st, 1);
	} else {
		r = store_fail(s, "counting tokens");
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

/*
 * store_invite.c: blind invitations (store_invite.h).
 *
 * Entry points: store_invite_batch_create (gehoord invitations issue),
 * store_invite_lookup (GET /i/CODE), store_invite_spend (POST /i/CODE),
 * store_invite_batch_get and store_invite_token_stmt (a token made from
 * an invitation, at /s/TOKEN and in the writer's spend).
 * Statements: slots STORE_EXT_INVITE + 0..6 (store_int.h).
 */
#include <string.h>

#include "store/store_int.h"
#include "store/store_invite.h"

#define P(st, name) store_param((st), (name))

enum invite_slot {
	ST_INVITE_BATCH_INSERT,
	ST_INVITE_INSERT,
	ST_INVITE_LOOKUP,
	ST_INVITE_BATCH_GET,
	ST_INVITE_SPEND,
	ST_INVITE_TOKEN,
	ST_INVITE_BATCH_KEYS,
	ST_INVITE_COUNT
};

static const char *const invite_sql[] = {
	[ST_INVITE_BATCH_INSERT] =
	    "INSERT INTO invitation_batches (wave_id, unit, size, public_key, "
	    "sealed_key, created_day) SELECT :wave, :unit, :size, :pk, "
	    ":sealed, :day FROM waves WHERE id = :wave AND is_open = 1",
	[ST_INVITE_INSERT] =
	    "INSERT INTO invitations (hash, batch_id) VALUES (:hash, :batch)",
	[ST_INVITE_LOOKUP] =
	    "SELECT b.id, b.wave_id, w.is_open, b.public_key, b.sealed_key, "
	    "EXISTS (SELECT 1 FROM invitation_spends WHERE hash = :spend) "
	    "FROM invitations i JOIN invitation_batches b ON b.id = i.batch_id "
	    "JOIN waves w ON w.id = b.wave_id WHERE i.hash = :hash",
	[ST_INVITE_BATCH_GET] =
	    "SELECT b.id, b.wave_id, w.is_open, b.public_key, b.sealed_key, 0 "
	    "FROM invitation_batches b JOIN waves w ON w.id = b.wave_id "
	    "WHERE b.id = :batch",
	[ST_INVITE_SPEND] =
	    "INSERT INTO invitation_spends (hash) VALUES (:spend)",
	/* The columns of ST_TOKEN_LOOKUP (store.c). */
	[ST_INVITE_TOKEN] =
	    "SELECT b.wave_id, EXISTS (SELECT 1 FROM spends WHERE hash = :spend), "
	    "w.is_open, b.unit FROM invitation_batches b "
	    "JOIN waves w ON w.id = b.wave_id WHERE b.id = :batch",
	[ST_INVITE_BATCH_KEYS] =
	    ("SELECT id, unit, size, public_key FROM invitation_batches "
	    "WHERE wave_id = :wave ORDER BY id"),
};
_Static_assert(sizeof(invite_sql) / sizeof(invite_sql[0]) == ST_INVITE_COUNT,
    "one statement per invitation slot");
_Static_assert(STORE_EXT_INVITE + ST_INVITE_COUNT <= STORE_EXT_MAX,
    "the invitation slots fit");

static sqlite3_stmt *
invite_stmt(struct store *s, enum invite_slot which)
{
	return store_ext_stmt(s, STORE_EXT_INVITE + (int)which,
	    invite_sql[which]);
}

sqlite3_stmt *
store_invite_token_stmt(struct store *s)
{
	return invite_stmt(s, ST_INVITE_TOKEN);
}

int
store_invite_batch_create(struct store *s, int64_t wave, const char *unit,
    const uint8_t pk[STORE_INVITE_PK_BYTES],
    const uint8_t sealed[STORE_INVITE_SEALED_BYTES],
    const uint8_t (*hashes)[STORE_HASH_BYTES], size_t n, int64_t *batch_id)
{
	sqlite3_stmt *bst, *ist;
	int64_t id;
	int r, rc;

	if ((bst = invite_stmt(s, ST_INVITE_BATCH_INSERT)) == NULL ||
	    (ist = invite_stmt(s, ST_INVITE_INSERT)) == NULL)
		return GH_ERR_DB;
	if ((r = store_exec_stmt(s, ST_BEGIN)) != GH_OK)
		return r;
	sqlite3_bind_int64(bst, P(bst, ":wave"), wave);
	if (unit != NULL)
		sqlite3_bind_text(bst, P(bst, ":unit"), unit, -1,
		    SQLITE_STATIC);
	else
		sqlite3_bind_null(bst, P(bst, ":unit"));
	sqlite3_bind_int64(bst, P(bst, ":size"), (sqlite3_int64)n);
	sqlite3_bind_blob(bst, P(bst, ":pk"), pk, STORE_INVITE_PK_BYTES,
	    SQLITE_STATIC);
	sqlite3_bind_blob(bst, P(bst, ":sealed"), sealed,
	    STORE_INVITE_SEALED_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(bst, P(bst, ":day"), store_today());
	rc = store_step_once(bst);
	if (rc != SQLITE_DONE) {
		r = store_fail(s, "inserting an invitation batch");
		goto out;
	}
	if (sqlite3_changes(s->db) != 1) {
		r = GH_ERR_CLOSED;
		goto out;
	}
	id = sqlite3_last_insert_rowid(s->db);
	if ((r = store_insert_hashes(s, ist, id, hashes, n,
	    "an invitation hash")) != GH_OK)
		goto out;
	if ((r = store_exec_stmt(s, ST_COMMIT)) != GH_OK)
		goto out;
	*batch_id = id;
out:
	if (r != GH_OK)
		store_rollback(s);
	sqlite3_clear_bindings(ist);
	return r;
}

/* Reads a row of ST_INVITE_LOOKUP or ST_INVITE_BATCH_GET into *b. */
static int
read_batch(sqlite3_stmt *st, struct store_invite_batch *b, int *is_spent)
{
	if (sqlite3_column_bytes(st, 3) != STORE_INVITE_PK_BYTES ||
	    sqlite3_column_bytes(st, 4) != STORE_INVITE_SEALED_BYTES)
		return GH_ERR_DB;
	b->id = sqlite3_column_int64(st, 0);
	b->wave_id = sqlite3_column_int64(st, 1);
	b->is_open = sqlite3_column_int(st, 2) != 0;
	memcpy(b->public_key, sqlite3_column_blob(st, 3),
	    STORE_INVITE_PK_BYTES);
	memcpy(b->sealed_key, sqlite3_column_blob(st, 4),
	    STORE_INVITE_SEALED_BYTES);
	*is_spent = sqlite3_column_int(st, 5) != 0;
	return GH_OK;
}

int
store_invite_lookup(struct store *s, const uint8_t hash[STORE_HASH_BYTES],
    const uint8_t spend[STORE_HASH_BYTES], enum store_token_state *state,
    struct store_invite_batch *b)
{
	sqlite3_stmt *st;
	int rc, r = GH_OK, is_spent;

	*state = STORE_TOKEN_UNKNOWN;
	memset(b, 0, sizeof(*b));
	if ((st = invite_stmt(s, ST_INVITE_LOOKUP)) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_blob(st, P(st, ":hash"), hash, STORE_HASH_BYTES,
	    SQLITE_STATIC);
	sqlite3_bind_blob(st, P(st, ":spend"), spend, STORE_HASH_BYTES,
	    SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if ((r = read_batch(st, b, &is_spent)) != GH_OK)
			r = store_fail(s, "reading an invitation batch");
		else
			*state = is_spent ? STORE_TOKEN_SPENT : !b->is_open ?
			    STORE_TOKEN_CLOSED : STORE_TOKEN_FRESH;
	} else if (rc != SQLITE_DONE) {
		r = store_fail(s, "looking up an invitation");
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_invite_batch_get(struct store *s, int64_t id,
    struct store_invite_batch *b)
{
	sqlite3_stmt *st;
	int rc, r = GH_ERR_NOT_FOUND, is_spent;

	memset(b, 0, sizeof(*b));
	if ((st = invite_stmt(s, ST_INVITE_BATCH_GET)) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(st, P(st, ":batch"), id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if ((r = read_batch(st, b, &is_spent)) != GH_OK)
			r = store_fail(s, "reading an invitation batch");
	} else if (rc != SQLITE_DONE) {
		r = store_fail(s, "reading an invitation batch");
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_invite_spend(struct store *s, const uint8_t hash[STORE_HASH_BYTES],
    const uint8_t spend[STORE_HASH_BYTES],
    int (*eval)(void *arg, const struct store_invite_batch *b), void *arg)
{
	struct store_invite_batch b;
	enum store_token_state state;
	sqlite3_stmt *sp;
	int r, rc;

	if ((sp = invite_stmt(s, ST_INVITE_SPEND)) == NULL)
		return GH_ERR_DB;
	if ((r = store_exec_stmt(s, ST_BEGIN)) != GH_OK)
		return (sqlite3_errcode(s->db) & 0xff) == SQLITE_BUSY ?
		    GH_ERR_BUSY : r;
	if ((r = store_invite_lookup(s, hash, spend, &state, &b)) != GH_OK)
		goto out;
	r = state == STORE_TOKEN_FRESH ? GH_OK : state == STORE_TOKEN_SPENT ?
	    GH_ERR_SPENT : state == STORE_TOKEN_CLOSED ? GH_ERR_CLOSED :
	    GH_ERR_NOT_FOUND;
	if (r != GH_OK || (r = eval(arg, &b)) != GH_OK)
		goto out;
	sqlite3_bind_blob(sp, P(sp, ":spend"), spend, STORE_HASH_BYTES,
	    SQLITE_STATIC);
	rc = store_step_once(sp);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
		r = GH_ERR_SPENT;
		goto out;
	}
	if (rc != SQLITE_DONE) {
		r = (rc & 0xff) == SQLITE_BUSY ? GH_ERR_BUSY :
		    store_fail(s, "spending an invitation");
		goto out;
	}
	if ((r = store_exec_stmt(s, ST_COMMIT)) != GH_OK &&
	    (sqlite3_errcode(s->db) & 0xff) == SQLITE_BUSY)
		r = GH_ERR_BUSY;
out:
	if (r != GH_OK)
		store_rollback(s);
	return r;
}

int
store_invite_keys_foreach(struct store *s, int64_t wave,
    int (*fn)(void *arg, const struct store_invite_key *k), void *arg)
{
	struct store_invite_key k;
	sqlite3_stmt *st;
	int rc, r = GH_OK;

	if ((st = invite_stmt(s, ST_INVITE_BATCH_KEYS)) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(st, P(st, ":wave"), wave);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&k, 0, sizeof(k));
		k.id = sqlite3_column_int64(st, 0);
		k.unit = (const char *)sqlite3_column_text(st, 1);
		k.size = sqlite3_column_int64(st, 2);
		if (sqlite3_column_bytes(st, 3) != STORE_INVITE_PK_BYTES) {
			r = store_fail(s, "reading an invitation batch's key");
			goto out;
		}
		memcpy(k.public_key, sqlite3_column_blob(st, 3),
		    STORE_INVITE_PK_BYTES);
		if ((r = fn(arg, &k)) != GH_OK)
			goto out;
	}
	if (rc != SQLITE_DONE)
		r = store_fail(s, "reading the invitation batches");
out:
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

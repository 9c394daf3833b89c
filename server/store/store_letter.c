/*
 * store_letter.c: replacement cards and unit head counts for the
 * console's letters (store_letter.h); statements in the slots
 * STORE_EXT_LETTER onwards.
 *
 * Entry points: store_letter_replace (the latest batch of the wave and
 * unit -> its size + 1 -> the token's hash under it, one transaction),
 * store_letter_unit_head. The token's row is written once, like every
 * token's; the batch row's size is the only row changed.
 */
#include <string.h>

#include "store/store_int.h"
#include "store/store_letter.h"

#define P(st, name) store_param((st), (name))

enum letter_slot {
	ST_LETTER_BATCH = STORE_EXT_LETTER,
	ST_LETTER_GROW,
	ST_LETTER_HEAD,
};

/* The latest batch of wave and unit into *id: GH_OK, NOT_FOUND or DB. */
static int
unit_batch(struct store *s, int64_t wave, const char *unit, int64_t *id)
{
	sqlite3_stmt *st;
	int rc, r;

	if ((st = store_ext_stmt(s, ST_LETTER_BATCH,
	    "SELECT id FROM batches WHERE wave_id = :wave AND unit = :unit"
	    " ORDER BY id DESC LIMIT 1")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(st, P(st, ":wave"), wave);
	sqlite3_bind_text(st, P(st, ":unit"), unit, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		r = GH_OK;
	} else if (rc == SQLITE_DONE)
		r = GH_ERR_NOT_FOUND;
	else
		r = store_fail(s, "reading a unit's batch");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_letter_replace(struct store *s, int64_t wave, const char *unit,
    const uint8_t hash[STORE_HASH_BYTES], int64_t *batch_id)
{
	sqlite3_stmt *grow, *tst = s->st[ST_TOKEN_INSERT];
	struct store_wave *w = NULL;
	int64_t id = 0;
	int r;

	if (unit == NULL || unit[0] == '\0')
		return GH_ERR_INVALID;
	if ((grow = store_ext_stmt(s, ST_LETTER_GROW,
	    "UPDATE batches SET size = size + 1 WHERE id = :id")) == NULL)
		return GH_ERR_DB;
	if ((r = store_exec_stmt(s, ST_BEGIN)) != GH_OK)
		return r;
	if ((r = store_wave_get(s, wave, &w)) != GH_OK)
		goto out;
	if (!w->is_open) {
		r = GH_ERR_CLOSED;
		goto out;
	}
	if ((r = unit_batch(s, wave, unit, &id)) != GH_OK)
		goto out;
	sqlite3_bind_int64(grow, P(grow, ":id"), id);
	if (store_step_once(grow) != SQLITE_DONE ||
	    sqlite3_changes(s->db) != 1) {
		r = store_fail(s, "counting a replacement card");
		goto out;
	}
	if ((r = store_insert_hashes(s, tst, id,
	    (const uint8_t (*)[STORE_HASH_BYTES])hash, 1,
	    "a replacement card's hash")) != GH_OK)
		goto out;
	if ((r = store_exec_stmt(s, ST_COMMIT)) != GH_OK)
		goto out;
	*batch_id = id;
out:
	if (r != GH_OK)
		store_rollback(s);
	sqlite3_clear_bindings(grow);
	sqlite3_clear_bindings(tst);
	store_wave_free(w);
	return r;
}

int
store_letter_unit_head(struct store *s, const char *unit, int64_t *head)
{
	sqlite3_stmt *st;
	int rc, r;

	if ((st = store_ext_stmt(s, ST_LETTER_HEAD,
	    "SELECT head_count FROM org_units WHERE name = :name")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_text(st, P(st, ":name"), unit, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*head = sqlite3_column_int64(st, 0);
		r = GH_OK;
	} else if (rc == SQLITE_DONE)
		r = GH_ERR_NOT_FOUND;
	else
		r = store_fail(s, "reading a unit's head count");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

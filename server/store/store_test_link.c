/*
 * store_test_link.c: a wave's test links (store_test_link.h), in the
 * table test_links (hash, wave_id); statements in the slots
 * STORE_EXT_TEST onwards. Each function is one statement.
 */
#include "store/store_int.h"
#include "store/store_test_link.h"

#define P(st, name) store_param((st), (name))

enum test_slot {
	ST_TEST_ADD = STORE_EXT_TEST,
	ST_TEST_WAVE,
	ST_TEST_LOOKUP,
	ST_TEST_COUNT,
	ST_TEST_REMOVE,
	ST_TEST_END,
};
_Static_assert(ST_TEST_END <= STORE_EXT_TEST + 16,
    "store_test_link.c has 16 statement slots");

int
store_test_link_add(struct store *s, int64_t wave,
    const uint8_t hash[STORE_HASH_BYTES])
{
	sqlite3_stmt *st;
	int rc;

	if ((st = store_ext_stmt(s, ST_TEST_WAVE,
	    "SELECT 1 FROM waves WHERE id = :wave")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(st, P(st, ":wave"), wave);
	rc = store_step_once(st);
	if (rc == SQLITE_DONE)
		return GH_ERR_NOT_FOUND;
	if (rc != SQLITE_ROW)
		return store_fail(s, "finding a test link's wave");
	if ((st = store_ext_stmt(s, ST_TEST_ADD,
	    "INSERT INTO test_links (hash, wave_id) VALUES (:hash, :wave)")) ==
	    NULL)
		return GH_ERR_DB;
	sqlite3_bind_blob(st, P(st, ":hash"), hash, STORE_HASH_BYTES,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, P(st, ":wave"), wave);
	rc = store_step_once(st);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return GH_ERR_EXISTS;
	return rc == SQLITE_DONE ? GH_OK :
	    store_fail(s, "storing a test link");
}

int
store_test_link_lookup(struct store *s, const uint8_t hash[STORE_HASH_BYTES],
    int64_t *wave)
{
	sqlite3_stmt *st;
	int rc;

	*wave = 0;
	if ((st = store_ext_stmt(s, ST_TEST_LOOKUP,
	    "SELECT wave_id FROM test_links WHERE hash = :hash")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_blob(st, P(st, ":hash"), hash, STORE_HASH_BYTES,
	    SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*wave = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_ROW)
		return GH_OK;
	return rc == SQLITE_DONE ? GH_ERR_NOT_FOUND :
	    store_fail(s, "looking up a test link");
}

int
store_test_link_count(struct store *s, int64_t wave, int64_t *n)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((st = store_ext_stmt(s, ST_TEST_COUNT,
	    "SELECT count(*) FROM test_links WHERE wave_id = :wave")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(st, P(st, ":wave"), wave);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_ROW ? GH_OK : store_fail(s, "counting test links");
}

int
store_test_link_remove(struct store *s, int64_t wave, int64_t *n)
{
	sqlite3_stmt *st;

	*n = 0;
	if ((st = store_ext_stmt(s, ST_TEST_REMOVE,
	    "DELETE FROM test_links WHERE wave_id = :wave")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(st, P(st, ":wave"), wave);
	if (store_step_once(st) != SQLITE_DONE)
		return store_fail(s, "removing test links");
	*n = sqlite3_changes(s->db);
	return GH_OK;
}

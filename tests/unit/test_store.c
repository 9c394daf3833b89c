/*
 * test_store.c: the store against a real SQLite file: schema, waves and
 * their k rules, token batches, the spend-and-insert transaction, and the
 * answers table's shape.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "tmpdir.h"
#include "store_key.h"
#include "store/store_int.h"

struct fx {
	char		 dir[64];
	char		 path[128];
	struct store	*s;
	int64_t		 wave;
	uint8_t		 hashes[20][STORE_HASH_BYTES];
};

static const uint8_t pk[STORE_PK_BYTES] = { 1, 2, 3 };

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(sodium_init() >= 0, 1);
	assert_int_equal(tmpdir_make(f->dir, sizeof(f->dir), "store"), 0);
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), GH_OK);
	assert_int_equal(store_wave_create(f->s, "w", "{}", pk, 10, &f->wave),
	    GH_OK);
	randombytes_buf(f->hashes, sizeof(f->hashes));
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	store_close(f->s);
	assert_int_equal(tmpdir_remove(f->dir), 0);
	free(f);
	return 0;
}

static int64_t
count(struct fx *f, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t n;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* Runs a one-row query on a fresh connection; copies column 0 as text. */
static void
text_of(struct fx *f, const char *sql, char *out, size_t outsz)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	const unsigned char *t;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_non_null(t = sqlite3_column_text(st, 0));
	assert_true(strlen((const char *)t) < outsz);
	strcpy(out, (const char *)t);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void
submit(struct fx *f, size_t i, int expect)
{
	static const uint8_t blob[100] = { 7 };
	struct store_submission sub = { 0 };

	sub.key = *key_of(f->hashes[i]);
	sub.wave_id = f->wave;
	sub.sealed = blob;
	sub.sealed_len = sizeof(blob);
	assert_int_equal(store_commit_batch(f->s, &sub, 1),
	    GH_OK);
	assert_int_equal(sub.result, expect);
}

static void
test_store_open_missing_file_is_not_found(void **state)
{
	struct store *s = NULL;

	(void)state;
	assert_int_equal(store_open("/tmp/gh-no-such-dir/x.db", 0, &s),
	    GH_ERR_NOT_FOUND);
	assert_null(s);
}

static void
test_store_schema_version_is_set(void **state)
{
	struct fx *f = *state;

	unsigned char hdr[20];
	FILE *fp;

	assert_int_equal(count(f, "PRAGMA user_version"),
	    STORE_SCHEMA_VERSION);
	/* The file header itself: write and read versions 2 mean WAL. */
	assert_non_null(fp = fopen(f->path, "rb"));
	assert_int_equal(fread(hdr, 1, sizeof(hdr), fp), sizeof(hdr));
	fclose(fp);
	assert_int_equal(hdr[18], 2);
	assert_int_equal(hdr[19], 2);
}

static void
test_store_answers_table_has_only_id_wave_blob(void **state)
{
	struct fx *f = *state;

	assert_int_equal(count(f, "SELECT count(*) FROM pragma_table_info"
	    "('answers')"), 4);
	assert_int_equal(count(f, "SELECT count(*) FROM pragma_table_info"
	    "('answers') WHERE name IN ('id', 'wave_id', 'part', 'sealed')"),
	    4);
	/* WITHOUT ROWID: no hidden insertion counter either; and no
	 * secondary index, whose cells would lie in arrival order. */
	assert_int_equal(count(f, "SELECT count(*) FROM sqlite_schema WHERE "
	    "name = 'answers' AND sql LIKE '%WITHOUT ROWID%'"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM sqlite_schema WHERE "
	    "type = 'index' AND tbl_name IN ('answers', 'spends') AND "
	    "name NOT LIKE 'sqlite_autoindex%'"), 0);
	/* Spends hold the spend hash and nothing else. */
	assert_int_equal(count(f, "SELECT count(*) FROM pragma_table_info"
	    "('spends')"), 1);
	assert_int_equal(count(f, "PRAGMA page_size"), STORE_PAGE_SIZE);
}

/* An answer larger than a part is stored in parts and read back whole. */
static int
check_big(void *arg, const uint8_t *blob, size_t len)
{
	const uint8_t *want = arg;

	assert_int_equal(len, 3 * STORE_PART_MAX + 17);
	assert_memory_equal(blob, want, len);
	return GH_OK;
}

static void
test_store_big_answer_in_parts(void **state)
{
	struct fx *f = *state;
	struct store_submission sub = { 0 };
	size_t len = 3 * STORE_PART_MAX + 17;
	uint8_t *blob = malloc(len);
	int64_t batch;

	assert_non_null(blob);
	randombytes_buf(blob, len);
	assert_int_equal(store_batch_create(f->s, f->wave, NULL,
	    (const uint8_t (*)[STORE_HASH_BYTES])f->hashes, 20, &batch), GH_OK);
	sub.key = *key_of(f->hashes[0]);
	sub.wave_id = f->wave;
	sub.sealed = blob;
	sub.sealed_len = len;
	assert_int_equal(store_commit_batch(f->s, &sub, 1),
	    GH_OK);
	assert_int_equal(sub.result, GH_OK);
	assert_int_equal(store_answers_foreach(f->s, f->wave, check_big, blob),
	    GH_OK);
	submit(f, 1, GH_OK);	/* a second, small answer */
	assert_int_equal(count(f, "SELECT count(*) FROM answers"), 4 + 1);
	assert_int_equal(count(f, "SELECT max(length(sealed)) FROM answers"),
	    STORE_PART_MAX);
	free(blob);
}

static void
test_store_wave_k_below_minimum_refused(void **state)
{
	struct fx *f = *state;
	int64_t id;

	assert_int_equal(store_wave_create(f->s, "low", "{}", pk, 4, &id),
	    GH_ERR_INVALID);
	assert_int_equal(store_wave_set_k(f->s, f->wave, 4), GH_ERR_INVALID);
}

static void
test_store_wave_duplicate_name_exists(void **state)
{
	struct fx *f = *state;
	int64_t id;

	assert_int_equal(store_wave_create(f->s, "w", "{}", pk, 10, &id),
	    GH_ERR_EXISTS);
}

static void
test_store_k_only_stricter_once_answered(void **state)
{
	struct fx *f = *state;
	struct store_wave *w;
	int64_t batch;

	/* Without answers k may go either way. */
	assert_int_equal(store_wave_set_k(f->s, f->wave, 7), GH_OK);
	assert_int_equal(store_wave_set_k(f->s, f->wave, 10), GH_OK);
	assert_int_equal(store_batch_create(f->s, f->wave, NULL,
	    (const uint8_t (*)[STORE_HASH_BYTES])f->hashes, 20, &batch), GH_OK);
	submit(f, 0, GH_OK);
	assert_int_equal(store_wave_set_k(f->s, f->wave, 9), GH_ERR_PRIVACY);
	assert_int_equal(store_wave_set_k(f->s, f->wave, 12), GH_OK);
	assert_int_equal(store_wave_get(f->s, f->wave, &w), GH_OK);
	assert_int_equal(w->k, 12);
	assert_int_equal(w->n_answers, 1);
	store_wave_free(w);
}

static void
test_store_token_spent_once(void **state)
{
	struct fx *f = *state;
	enum store_token_state st;
	int64_t batch, wave;

	assert_int_equal(store_batch_create(f->s, f->wave, "unit",
	    (const uint8_t (*)[STORE_HASH_BYTES])f->hashes, 20, &batch), GH_OK);
	assert_int_equal(store_token_lookup(f->s, key_of(f->hashes[3]), &st, &wave),
	    GH_OK);
	assert_int_equal(st, STORE_TOKEN_FRESH);
	assert_int_equal(wave, f->wave);
	submit(f, 3, GH_OK);
	submit(f, 3, GH_ERR_SPENT);
	assert_int_equal(store_token_lookup(f->s, key_of(f->hashes[3]), &st, &wave),
	    GH_OK);
	assert_int_equal(st, STORE_TOKEN_SPENT);
	assert_int_equal(count(f, "SELECT count(*) FROM answers"), 1);
	/* The issued row is untouched; the spend is a row of its own. */
	assert_int_equal(count(f, "SELECT count(*) FROM tokens WHERE "
	    "spent_before_v3 IS NOT NULL"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM spends"), 1);
	assert_int_equal(count(f, "SELECT n_answers FROM waves"), 1);
}

static void
test_store_token_lookup_returns_unit(void **state)
{
	struct fx *f = *state;
	enum store_token_state st;
	uint8_t unknown[STORE_HASH_BYTES];
	char unit[101];
	int64_t batch, wave;

	assert_int_equal(store_batch_create(f->s, f->wave, "Directie B, Oost",
	    (const uint8_t (*)[STORE_HASH_BYTES])f->hashes, 10, &batch),
	    GH_OK);
	assert_int_equal(store_batch_create(f->s, f->wave, NULL,
	    (const uint8_t (*)[STORE_HASH_BYTES])&f->hashes[10], 10, &batch),
	    GH_OK);
	assert_int_equal(store_token_lookup_unit(f->s, key_of(f->hashes[2]), &st,
	    &wave, unit, sizeof(unit)), GH_OK);
	assert_int_equal(st, STORE_TOKEN_FRESH);
	assert_int_equal(wave, f->wave);
	assert_string_equal(unit, "Directie B, Oost");
	memset(unit, 'X', sizeof(unit));
	assert_int_equal(store_token_lookup_unit(f->s, key_of(f->hashes[12]), &st,
	    &wave, unit, sizeof(unit)), GH_OK);
	assert_int_equal(st, STORE_TOKEN_FRESH);
	assert_string_equal(unit, "");
	/* A buffer too small for the label is an error, not a cut label. */
	assert_int_equal(store_token_lookup_unit(f->s, key_of(f->hashes[2]), &st,
	    &wave, unit, 5), GH_ERR_INVALID);
	assert_int_equal(st, STORE_TOKEN_UNKNOWN);
	/* Spent: the label still comes (the page is the same). */
	submit(f, 2, GH_OK);
	assert_int_equal(store_token_lookup_unit(f->s, key_of(f->hashes[2]), &st,
	    &wave, unit, sizeof(unit)), GH_OK);
	assert_int_equal(st, STORE_TOKEN_SPENT);
	assert_string_equal(unit, "Directie B, Oost");
	memset(unknown, 0xee, sizeof(unknown));
	assert_int_equal(store_token_lookup_unit(f->s, key_of(unknown), &st,
	    &wave, unit, sizeof(unit)), GH_OK);
	assert_int_equal(st, STORE_TOKEN_UNKNOWN);
	assert_string_equal(unit, "");
}

static void
test_store_unknown_token_not_found(void **state)
{
	struct fx *f = *state;
	enum store_token_state st;
	int64_t wave;

	assert_int_equal(store_token_lookup(f->s, key_of(f->hashes[0]), &st, &wave),
	    GH_OK);
	assert_int_equal(st, STORE_TOKEN_UNKNOWN);
	submit(f, 0, GH_ERR_NOT_FOUND);
	assert_int_equal(count(f, "SELECT count(*) FROM answers"), 0);
}

/* A progress handler that stops every statement: a database that fails. */
static int
refuse_all(void *arg)
{
	(void)arg;
	return 1;
}

/* A read that fails leaves its outputs defined (found by clang-tidy). */
static void
test_store_read_errors_leave_outputs_defined(void **state)
{
	struct fx *f = *state;
	struct store_wave *w = NULL;
	enum store_token_state st = STORE_TOKEN_SPENT;
	int64_t wave = 42;

	sqlite3_progress_handler(f->s->db, 1, refuse_all, NULL);
	assert_int_equal(store_token_lookup(f->s, key_of(f->hashes[0]), &st, &wave),
	    GH_ERR_DB);
	assert_int_equal(st, STORE_TOKEN_UNKNOWN);
	assert_int_equal(wave, 0);
	assert_int_equal(store_wave_get(f->s, f->wave, &w), GH_ERR_DB);
	assert_null(w);
	sqlite3_progress_handler(f->s->db, 0, NULL, NULL);
	assert_int_equal(store_wave_get(f->s, f->wave, &w), GH_OK);
	store_wave_free(w);
}

static void
test_store_closed_wave_refuses(void **state)
{
	struct fx *f = *state;
	enum store_token_state st;
	int64_t batch, wave;

	assert_int_equal(store_batch_create(f->s, f->wave, NULL,
	    (const uint8_t (*)[STORE_HASH_BYTES])f->hashes, 20, &batch), GH_OK);
	assert_int_equal(store_wave_set_open(f->s, f->wave, 0), GH_OK);
	assert_int_equal(store_token_lookup(f->s, key_of(f->hashes[1]), &st, &wave),
	    GH_OK);
	assert_int_equal(st, STORE_TOKEN_CLOSED);
	submit(f, 1, GH_ERR_CLOSED);
	assert_int_equal(store_batch_create(f->s, f->wave, NULL,
	    (const uint8_t (*)[STORE_HASH_BYTES])f->hashes, 20, &batch),
	    GH_ERR_CLOSED);
	assert_int_equal(count(f, "SELECT count(*) FROM answers"), 0);
}

static void
test_store_batch_is_all_or_nothing(void **state)
{
	struct fx *f = *state;
	int64_t batch;

	memcpy(f->hashes[5], f->hashes[4], STORE_HASH_BYTES);
	assert_int_equal(store_batch_create(f->s, f->wave, NULL,
	    (const uint8_t (*)[STORE_HASH_BYTES])f->hashes, 20, &batch),
	    GH_ERR_EXISTS);
	assert_int_equal(count(f, "SELECT count(*) FROM tokens"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM batches"), 0);
	assert_int_equal(store_batch_create(f->s, 999, NULL,
	    (const uint8_t (*)[STORE_HASH_BYTES])f->hashes, 2, &batch),
	    GH_ERR_NOT_FOUND);
}

static int
count_blob(void *arg, const uint8_t *blob, size_t len)
{
	(void)blob;
	*(size_t *)arg += len;
	return 0;
}

static void
test_store_answers_foreach_streams_wave(void **state)
{
	struct fx *f = *state;
	int64_t batch;
	size_t total = 0, i;

	assert_int_equal(store_batch_create(f->s, f->wave, NULL,
	    (const uint8_t (*)[STORE_HASH_BYTES])f->hashes, 20, &batch), GH_OK);
	for (i = 0; i < 5; i++)
		submit(f, i, GH_OK);
	assert_int_equal(store_answers_foreach(f->s, f->wave, count_blob,
	    &total), GH_OK);
	assert_int_equal(total, 500);
	total = 0;
	assert_int_equal(store_answers_foreach(f->s, f->wave + 1, count_blob,
	    &total), GH_OK);
	assert_int_equal(total, 0);
}

static void
test_store_authorizer_denies_other_sql(void **state)
{
	struct fx *f = *state;
	static const char *const denied[] = {
		"ATTACH DATABASE '/tmp/x.db' AS x",
		"PRAGMA secure_delete = OFF",
		"DELETE FROM answers",
		"DROP TABLE answers",
		"CREATE TABLE leak (x)",
		"SELECT hex(sealed) FROM answers",
		"SELECT * FROM sqlite_schema",
	};
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < sizeof(denied) / sizeof(denied[0]); i++) {
		st = NULL;
		assert_int_not_equal(sqlite3_prepare_v2(f->s->db, denied[i], -1,
		    &st, NULL), SQLITE_OK);
		assert_null(st);
		/* SQLITE_AUTH, or SQLITE_ERROR for a denied function. */
		if (strstr(sqlite3_errmsg(f->s->db), "not authorized") == NULL &&
		    strstr(sqlite3_errmsg(f->s->db), "prohibited") == NULL)
			fail_msg("%s: %s", denied[i], sqlite3_errmsg(f->s->db));
	}
	/* What the store itself does still works. */
	submit(f, 0, GH_ERR_NOT_FOUND);
}

static void
test_store_is_configured_for_privacy(void **state)
{
	struct fx *f = *state;

	char mode[16];

	assert_int_equal(count(f, "PRAGMA auto_vacuum"), 1);	/* FULL */
	/* Read, not set: a fresh connection sees the mode the file keeps. */
	text_of(f, "PRAGMA journal_mode", mode, sizeof(mode));
	assert_string_equal(mode, "wal");
}

static void
test_store_backup_copies_and_never_overwrites(void **state)
{
	struct fx *f = *state;
	struct store *copy;
	char path[160];
	int64_t batch, issued, spent;

	assert_int_equal(store_batch_create(f->s, f->wave, NULL,
	    (const uint8_t (*)[STORE_HASH_BYTES])f->hashes, 20, &batch), GH_OK);
	submit(f, 2, GH_OK);
	snprintf(path, sizeof(path), "%s/copy.db", f->dir);
	assert_int_equal(store_backup(f->s, path), GH_OK);
	assert_int_equal(store_backup(f->s, path), GH_ERR_EXISTS);
	assert_int_equal(store_open(path, 0, &copy), GH_OK);
	assert_int_equal(store_token_counts(copy, f->wave, &issued, &spent),
	    GH_OK);
	assert_int_equal(issued, 20);
	assert_int_equal(spent, 1);
	store_close(copy);
}

/* Holds the database's write lock for a while, from a connection of its
 * own, as the truncating checkpoint holds the writer off. */
struct holder {
	const char	*path;
	int		 ms;
	int		 has_lock;	/* set once the lock is held */
	pthread_mutex_t	 lock;
	pthread_cond_t	 held;
};

static void *
hold_write_lock(void *arg)
{
	struct holder *h = arg;
	struct timespec ts = { 0, (long)h->ms * 1000000L };
	sqlite3 *db;

	if (sqlite3_open(h->path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		abort();
	pthread_mutex_lock(&h->lock);
	h->has_lock = 1;
	pthread_cond_signal(&h->held);
	pthread_mutex_unlock(&h->lock);
	(void)nanosleep(&ts, NULL);
	(void)sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	return NULL;
}

/* A write that meets another connection's lock waits for it and then
 * goes through (busy_wait), instead of failing with SQLITE_BUSY. */
static void
test_store_write_waits_for_a_held_lock(void **state)
{
	struct fx *f = *state;
	struct holder h = { .path = f->path, .ms = 150,
	    .lock = PTHREAD_MUTEX_INITIALIZER,
	    .held = PTHREAD_COND_INITIALIZER };
	struct timespec t0, t1;
	pthread_t th;
	int64_t batch;
	double waited_ms;

	assert_int_equal(pthread_create(&th, NULL, hold_write_lock, &h), 0);
	pthread_mutex_lock(&h.lock);
	while (!h.has_lock)
		pthread_cond_wait(&h.held, &h.lock);
	pthread_mutex_unlock(&h.lock);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(store_batch_create(f->s, f->wave, NULL,
	    (const uint8_t (*)[STORE_HASH_BYTES])f->hashes, 20, &batch), GH_OK);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pthread_join(th, NULL);
	waited_ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	/* It waited for the lock (not less than the hold, less a margin
	 * for the holder's own start). */
	assert_true(waited_ms >= 100);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store_open_missing_file_is_not_found),
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_store_schema_version_is_set),
		T(test_store_token_lookup_returns_unit),
		T(test_store_answers_table_has_only_id_wave_blob),
		T(test_store_big_answer_in_parts),
		T(test_store_wave_k_below_minimum_refused),
		T(test_store_wave_duplicate_name_exists),
		T(test_store_k_only_stricter_once_answered),
		T(test_store_token_spent_once),
		T(test_store_unknown_token_not_found),
		T(test_store_read_errors_leave_outputs_defined),
		T(test_store_closed_wave_refuses),
		T(test_store_batch_is_all_or_nothing),
		T(test_store_answers_foreach_streams_wave),
		T(test_store_authorizer_denies_other_sql),
		T(test_store_is_configured_for_privacy),
		T(test_store_backup_copies_and_never_overwrites),
		T(test_store_write_waits_for_a_held_lock),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_store_resume.c: saved, unfinished answers (store_resume.h) against
 * a real SQLite file: save, replace, read back, a row of the wrong shape,
 * and deletion: by "start again", in the writer's transaction that
 * stores the answer (and only then), and when the wave closes (only its
 * own rows).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "tmpdir.h"
#include "store_key.h"
#include "store/store_int.h"
#include "store/store_resume.h"

struct fx {
	char		 dir[64];
	char		 path[128];
	struct store	*s;
	int64_t		 wave, other;
	uint8_t		 hashes[20][STORE_HASH_BYTES];
	uint8_t		 resume[3][STORE_HASH_BYTES];
	uint8_t		 salt[STORE_RESUME_SALT_BYTES];
};

static const uint8_t pk[STORE_PK_BYTES] = { 1, 2, 3 };
static const uint8_t sealed[600] = { 9, 8, 7 };

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	int64_t batch;

	assert_non_null(f);
	assert_int_equal(sodium_init() >= 0, 1);
	assert_int_equal(tmpdir_make(f->dir, sizeof(f->dir), "resume"), 0);
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), GH_OK);
	assert_int_equal(store_wave_create(f->s, "w", "{}", pk, 10, &f->wave),
	    GH_OK);
	assert_int_equal(store_wave_create(f->s, "v", "{}", pk, 10,
	    &f->other), GH_OK);
	randombytes_buf(f->hashes, sizeof(f->hashes));
	randombytes_buf(f->resume, sizeof(f->resume));
	randombytes_buf(f->salt, sizeof(f->salt));
	assert_int_equal(store_batch_create(f->s, f->wave, NULL,
	    (const uint8_t (*)[STORE_HASH_BYTES])f->hashes, 20, &batch),
	    GH_OK);
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

static int
has(struct fx *f, size_t i)
{
	int h = -1;

	assert_int_equal(store_resume_has(f->s, f->resume[i], &h), GH_OK);
	return h;
}

static void
put(struct fx *f, size_t i, int64_t wave)
{
	assert_int_equal(store_resume_put(f->s, f->resume[i], wave, f->salt,
	    sealed, sizeof(sealed)), GH_OK);
}

static void
test_store_resume_put_get_replace(void **state)
{
	struct fx *f = *state;
	uint8_t salt[STORE_RESUME_SALT_BYTES], *blob = NULL;
	size_t len = 0;
	int64_t wave = 0;

	assert_int_equal(has(f, 0), 0);
	assert_int_equal(store_resume_get(f->s, f->resume[0], &wave, salt,
	    &blob, &len), GH_ERR_NOT_FOUND);
	assert_null(blob);
	put(f, 0, f->wave);
	assert_int_equal(has(f, 0), 1);
	assert_int_equal(store_resume_get(f->s, f->resume[0], &wave, salt,
	    &blob, &len), GH_OK);
	assert_int_equal(wave, f->wave);
	assert_memory_equal(salt, f->salt, sizeof(salt));
	assert_int_equal(len, sizeof(sealed));
	assert_memory_equal(blob, sealed, len);
	free(blob);
	/* Saving again replaces the row. */
	f->salt[0] ^= 1;
	assert_int_equal(store_resume_put(f->s, f->resume[0], f->wave, f->salt,
	    sealed, 100), GH_OK);
	assert_int_equal(store_resume_get(f->s, f->resume[0], &wave, salt,
	    &blob, &len), GH_OK);
	assert_int_equal(len, 100);
	assert_memory_equal(salt, f->salt, sizeof(salt));
	free(blob);
	assert_int_equal(store_resume_put(f->s, f->resume[1], f->wave, f->salt,
	    sealed, 0), GH_ERR_INVALID);
	assert_int_equal(has(f, 1), 0);
}

static void
test_store_resume_start_again_deletes(void **state)
{
	struct fx *f = *state;

	put(f, 0, f->wave);
	put(f, 1, f->wave);
	assert_int_equal(store_resume_delete(f->s, f->resume[0]), GH_OK);
	assert_int_equal(has(f, 0), 0);
	assert_int_equal(has(f, 1), 1);
	/* Deleting what is not there is no error. */
	assert_int_equal(store_resume_delete(f->s, f->resume[0]), GH_OK);
}

static void
test_store_resume_deleted_with_the_answer(void **state)
{
	struct fx *f = *state;
	static const uint8_t blob[100] = { 7 };
	struct store_submission sub[2];

	put(f, 0, f->wave);
	put(f, 1, f->wave);
	memset(sub, 0, sizeof(sub));
	sub[0].key = *key_of(f->hashes[0]);
	memcpy(sub[0].resume, f->resume[0], STORE_HASH_BYTES);
	sub[0].wave_id = f->wave;
	sub[0].sealed = blob;
	sub[0].sealed_len = sizeof(blob);
	/* A second submission of the same token is not stored: its saved
	 * row (here another's) is left alone. */
	sub[1] = sub[0];
	memcpy(sub[1].resume, f->resume[1], STORE_HASH_BYTES);
	assert_int_equal(store_commit_batch(f->s, sub, 2), GH_OK);
	assert_int_equal(sub[0].result, GH_OK);
	assert_int_equal(sub[1].result, GH_ERR_SPENT);
	assert_int_equal(has(f, 0), 0);
	assert_int_equal(has(f, 1), 1);
}

static void
test_store_resume_wave_close_deletes_its_rows(void **state)
{
	struct fx *f = *state;

	put(f, 0, f->wave);
	put(f, 1, f->wave);
	put(f, 2, f->other);
	assert_int_equal(store_wave_set_open(f->s, f->wave, 1), GH_OK);
	assert_int_equal(has(f, 0), 1);
	assert_int_equal(store_wave_set_open(f->s, f->wave, 0), GH_OK);
	assert_int_equal(has(f, 0), 0);
	assert_int_equal(has(f, 1), 0);
	assert_int_equal(has(f, 2), 1);
	assert_int_equal(store_wave_set_open(f->s, 999, 0), GH_ERR_NOT_FOUND);
	assert_int_equal(has(f, 2), 1);
}

static void
test_store_resume_wrong_shape_is_db_error(void **state)
{
	struct fx *f = *state;
	uint8_t salt[STORE_RESUME_SALT_BYTES], *blob = NULL;
	size_t len = 0;
	int64_t wave = 0;
	sqlite3 *db;
	sqlite3_stmt *st;

	/* An empty sealed blob passes the table's checks, not the read's. */
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO resumes "
	    "VALUES (?, ?, ?, x'')", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_blob(st, 1, f->resume[0], STORE_HASH_BYTES, NULL);
	sqlite3_bind_int64(st, 2, f->wave);
	sqlite3_bind_blob(st, 3, f->salt, sizeof(f->salt), NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_int_equal(store_resume_get(f->s, f->resume[0], &wave, salt,
	    &blob, &len), GH_ERR_DB);
	assert_null(blob);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_store_resume_put_get_replace),
		T(test_store_resume_start_again_deletes),
		T(test_store_resume_deleted_with_the_answer),
		T(test_store_resume_wave_close_deletes_its_rows),
		T(test_store_resume_wrong_shape_is_db_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

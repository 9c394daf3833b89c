/*
 * test_store_faults.c: allocation failures in the store, each in turn
 * (SQLite's faultsim). For n = 1, 2, ... the n-th allocation fails, of
 * gehoord's own code (alloc_hook.h) or of SQLite's (routed through the same
 * counter by SQLITE_CONFIG_MALLOC), while a fresh database is opened, a
 * wave and a batch are made and two answers committed. Every run must end
 * in GH_OK (SQLite absorbed the failure) or a clean GH_ERR_NOMEM or
 * GH_ERR_DB, and give back all of SQLite's memory; the ASan build's leak
 * check covers gehoord's own. The loop ends with the first run that makes
 * fewer allocations than n, which must succeed.
 *
 * Run n makes about n allocations, so failing each one in turn costs the
 * square of a run's count (tens of thousands: opening a database migrates
 * it and prepares every statement). The loop takes every stride-th
 * (GEHOORD_FAULT_STRIDE, or as many as keep it to RUNS_MAX runs) from a
 * random first one below the stride (GEHOORD_FAULT_START to repeat a run:
 * both are printed), so that successive runs cover every allocation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "alloc_hook.h"
#include "store_key.h"
#include "store/store.h"

#define RUNS_MAX	1500	/* failing runs, unless a stride is set */

static sqlite3_mem_methods sqlite_mem;	/* SQLite's own allocator */

static void *
sq_malloc(int n)
{
	return alloc_hook_take() ? NULL : sqlite_mem.xMalloc(n);
}

static void *
sq_realloc(void *p, int n)
{
	return alloc_hook_take() ? NULL : sqlite_mem.xRealloc(p, n);
}

static void
remove_db(const char *path)
{
	char aux[160];

	unlink(path);
	snprintf(aux, sizeof(aux), "%s-wal", path);
	unlink(aux);
	snprintf(aux, sizeof(aux), "%s-shm", path);
	unlink(aux);
	snprintf(aux, sizeof(aux), "%s-journal", path);
	unlink(aux);
}

/* One run with the n-th allocation failing (0: none); returns its code. */
static int
run(const char *path, long n)
{
	static const uint8_t pk[STORE_PK_BYTES] = { 1, 2, 3 };
	static const uint8_t blob[100] = { 7 };
	uint8_t hashes[2][STORE_HASH_BYTES];
	struct store_submission subs[2];
	struct store *s = NULL;
	int64_t wave, batch;
	int r;

	memset(hashes, 0, sizeof(hashes));
	hashes[0][0] = 1;
	hashes[1][0] = 2;
	memset(subs, 0, sizeof(subs));
	alloc_hook_fail_at(n);
	if ((r = store_open(path, STORE_CREATE, &s)) != GH_OK)
		goto out;
	if ((r = store_wave_create(s, "w", "{}", pk, 10, &wave)) != GH_OK ||
	    (r = store_batch_create(s, wave, "A", (const uint8_t (*)
	    [STORE_HASH_BYTES])hashes, 2, &batch)) != GH_OK)
		goto out;
	subs[0].key = *key_of(hashes[0]);
	subs[1].key = *key_of(hashes[1]);
	subs[0].wave_id = subs[1].wave_id = wave;
	subs[0].sealed = subs[1].sealed = blob;
	subs[0].sealed_len = subs[1].sealed_len = sizeof(blob);
	if ((r = store_commit_batch(s, subs, 2)) != GH_OK)
		goto out;
	assert_int_equal(subs[0].result, GH_OK);
	assert_int_equal(subs[1].result, GH_OK);
out:
	store_close(s);	/* the count goes on: n is passed, none fails */
	return r;
}

static void
test_store_faults_each_allocation_fails_cleanly(void **state)
{
	char dir[64], path[128];
	const char *env = getenv("GEHOORD_FAULT_STRIDE");
	const char *first = getenv("GEHOORD_FAULT_START");
	long n, total, stride;
	int r;

	(void)state;
	/* tmpfs if there is one: a thousand databases are made and synced. */
	strcpy(dir, "/dev/shm/gh-faults-XXXXXX");
	if (mkdtemp(dir) == NULL) {
		strcpy(dir, "/tmp/gh-faults-XXXXXX");
		assert_non_null(mkdtemp(dir));
	}
	snprintf(path, sizeof(path), "%s/t.db", dir);
	assert_int_equal(run(path, 0), GH_OK);
	total = alloc_hook_count();
	remove_db(path);
	stride = env != NULL ? atol(env) : (total + RUNS_MAX - 1) / RUNS_MAX;
	if (stride < 1)
		stride = 1;
	n = first != NULL ? atol(first) :
	    1 + (long)randombytes_uniform((uint32_t)stride);
	if (n < 1 || n > stride)
		fail_msg("GEHOORD_FAULT_START: from 1 to the stride (%ld)",
		    stride);
	printf("# %ld allocations in a run; failing every %ld-th from "
	    "GEHOORD_FAULT_START=%ld\n", total, stride, n);
	for (;; n += stride) {
		r = run(path, n);
		remove_db(path);
		if (r != GH_OK && r != GH_ERR_NOMEM && r != GH_ERR_DB)
			fail_msg("allocation %ld failing gave %s", n,
			    gh_err_str(r));
		if (sqlite3_memory_used() != 0)
			fail_msg("allocation %ld failing: SQLite holds %lld "
			    "bytes after store_close", n,
			    (long long)sqlite3_memory_used());
		if (!alloc_hook_has_failed()) {
			assert_int_equal(r, GH_OK);
			break;
		}
	}
	assert_true(n > total / 2);	/* every allocation of the run */
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_store_faults_each_allocation_fails_cleanly),
	};
	sqlite3_mem_methods m;

	/* SQLite fills in its default allocator when initialised, and takes
	 * a configuration only while shut down. */
	if (sodium_init() < 0 || sqlite3_initialize() != SQLITE_OK ||
	    sqlite3_shutdown() != SQLITE_OK ||
	    sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sqlite_mem) != SQLITE_OK ||
	    sqlite_mem.xMalloc == NULL)
		return 1;
	m = sqlite_mem;
	m.xMalloc = sq_malloc;
	m.xRealloc = sq_realloc;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

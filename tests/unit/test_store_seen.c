/*
 * test_store_seen.c: what a reporter has seen (store/store_seen.h)
 * against a real SQLite file: 0 for a new report, raised by a view,
 * never lowered (two tabs, a late request), per report, and
 * GH_ERR_NOT_FOUND for a report that does not exist.
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

#include "tmpdir.h"
#include "store/store_report.h"
#include "store/store_seen.h"

struct fx {
	char		 dir[64];
	char		 path[128];
	struct store	*s;
	uint8_t		 id[2][REPORT_ID_BYTES];
};

static int
create(struct fx *f, uint8_t id[REPORT_ID_BYTES])
{
	static uint8_t blob[64] = { 9 };
	static const uint8_t pk1[32] = { 1 }, pk2[32] = { 2 };
	static const uint8_t salt[16] = { 3 }, sealed_key[80] = { 4 };
	struct report_msg m = { 0 };
	struct report_new rn = { 0 };
	uint8_t hash[32];

	randombytes_buf(hash, sizeof(hash));
	m.author = REPORT_BY_REPORTER;
	m.kind = REPORT_MSG_TEXT;
	m.for_desk = m.for_reporter = blob;
	m.for_desk_len = m.for_reporter_len = sizeof(blob);
	rn.receipt_hash = hash;
	rn.report_pk = pk1;
	rn.sealed_key = sealed_key;
	rn.sealed_key_len = sizeof(sealed_key);
	rn.reply_salt = salt;
	rn.reply_pk = pk2;
	rn.first = &m;
	return store_report_create(f->s, &rn, 20000, id);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_true(sodium_init() >= 0);
	assert_int_equal(tmpdir_make(f->dir, sizeof(f->dir), "storeseen"), 0);
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), GH_OK);
	assert_int_equal(create(f, f->id[0]), GH_OK);
	assert_int_equal(create(f, f->id[1]), GH_OK);
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

static void
test_store_seen_starts_at_zero_and_rises(void **state)
{
	struct fx *f = *state;
	int64_t seen = -1;

	assert_int_equal(store_seen_get(f->s, f->id[0], &seen), GH_OK);
	assert_int_equal(seen, 0);
	assert_int_equal(store_seen_set(f->s, f->id[0], 3), GH_OK);
	assert_int_equal(store_seen_get(f->s, f->id[0], &seen), GH_OK);
	assert_int_equal(seen, 3);
	/* The other report is untouched. */
	assert_int_equal(store_seen_get(f->s, f->id[1], &seen), GH_OK);
	assert_int_equal(seen, 0);
}

static void
test_store_seen_never_lowered(void **state)
{
	struct fx *f = *state;
	int64_t seen = -1;

	assert_int_equal(store_seen_set(f->s, f->id[0], 5), GH_OK);
	assert_int_equal(store_seen_set(f->s, f->id[0], 2), GH_OK);
	assert_int_equal(store_seen_get(f->s, f->id[0], &seen), GH_OK);
	assert_int_equal(seen, 5);
}

static void
test_store_seen_unknown_report(void **state)
{
	struct fx *f = *state;
	uint8_t none[REPORT_ID_BYTES] = { 0 };
	int64_t seen = -1;

	assert_int_equal(store_seen_get(f->s, none, &seen), GH_ERR_NOT_FOUND);
	assert_int_equal(seen, 0);
	assert_int_equal(store_seen_set(f->s, none, 4), GH_OK);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_store_seen_starts_at_zero_and_rises),
		T(test_store_seen_never_lowered),
		T(test_store_seen_unknown_report),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}

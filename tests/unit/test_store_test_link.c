/*
 * test_store_test_link.c: a wave's test links (store/store_test_link.h)
 * on a real SQLite file: added, looked up under their wave, counted per
 * wave and removed per wave; a link of no wave and a hash given twice
 * are refused, changing nothing; a hash that is not a test link is not
 * found.
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
#include "store/store_test_link.h"

struct fx {
	char		 dir[64];
	char		 path[96];
	struct store	*s;
	int64_t		 wave, other;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	uint8_t pk[STORE_PK_BYTES] = { 1 };

	assert_non_null(f);
	assert_true(sodium_init() >= 0);
	assert_int_equal(tmpdir_make(f->dir, sizeof(f->dir), "store-test"),
	    0);
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), GH_OK);
	assert_int_equal(store_wave_create(f->s, "w", "{}", pk, 5, &f->wave),
	    GH_OK);
	assert_int_equal(store_wave_create(f->s, "o", "{}", pk, 5, &f->other),
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

static int64_t
count(struct fx *f, int64_t wave)
{
	int64_t n = -1;

	assert_int_equal(store_test_link_count(f->s, wave, &n), GH_OK);
	return n;
}

static void
test_store_test_link_add_lookup_count_remove(void **state)
{
	struct fx *f = *state;
	uint8_t a[STORE_HASH_BYTES], b[STORE_HASH_BYTES], c[STORE_HASH_BYTES];
	int64_t wave = 0, n = 0;

	memset(a, 'a', sizeof(a));
	memset(b, 'b', sizeof(b));
	memset(c, 'c', sizeof(c));
	assert_int_equal(store_test_link_add(f->s, f->wave, a), GH_OK);
	assert_int_equal(store_test_link_add(f->s, f->wave, b), GH_OK);
	assert_int_equal(store_test_link_add(f->s, f->other, c), GH_OK);
	assert_int_equal(store_test_link_lookup(f->s, b, &wave), GH_OK);
	assert_int_equal(wave, f->wave);
	assert_int_equal(store_test_link_lookup(f->s, c, &wave), GH_OK);
	assert_int_equal(wave, f->other);
	assert_int_equal(count(f, f->wave), 2);
	assert_int_equal(count(f, f->other), 1);

	assert_int_equal(store_test_link_remove(f->s, f->wave, &n), GH_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_test_link_lookup(f->s, a, &wave),
	    GH_ERR_NOT_FOUND);
	assert_int_equal(wave, 0);
	assert_int_equal(count(f, f->wave), 0);
	/* The other wave's link is untouched. */
	assert_int_equal(store_test_link_lookup(f->s, c, &wave), GH_OK);
	assert_int_equal(store_test_link_remove(f->s, f->wave, &n), GH_OK);
	assert_int_equal(n, 0);
}

static void
test_store_test_link_refusals_change_nothing(void **state)
{
	struct fx *f = *state;
	uint8_t a[STORE_HASH_BYTES], z[STORE_HASH_BYTES];
	int64_t wave = 0;

	memset(a, 'a', sizeof(a));
	memset(z, 'z', sizeof(z));
	assert_int_equal(store_test_link_add(f->s, 9999, a),
	    GH_ERR_NOT_FOUND);
	assert_int_equal(store_test_link_lookup(f->s, a, &wave),
	    GH_ERR_NOT_FOUND);
	assert_int_equal(store_test_link_add(f->s, f->wave, a), GH_OK);
	assert_int_equal(store_test_link_add(f->s, f->other, a),
	    GH_ERR_EXISTS);
	assert_int_equal(store_test_link_lookup(f->s, a, &wave), GH_OK);
	assert_int_equal(wave, f->wave);
	assert_int_equal(count(f, f->other), 0);
	assert_int_equal(store_test_link_lookup(f->s, z, &wave),
	    GH_ERR_NOT_FOUND);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_store_test_link_add_lookup_count_remove, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_test_link_refusals_change_nothing, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_store_letter.c: replacement cards and unit head counts
 * (store/store_letter.h) on a real SQLite file: a replacement joins the
 * unit's latest batch and grows its size by one (no new batch); it is
 * refused for a unit without a batch, another wave's unit, a closed wave
 * and a hash already issued, each time changing nothing; a head count
 * is read for an uploaded unit only.
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
#include "store/store_batch.h"
#include "store/store_console.h"
#include "store/store_letter.h"

#define BATCH_N	5

struct fx {
	char		 dir[64];
	char		 path[96];
	struct store	*s;
	int64_t		 wave, other, batch_a;
};

static void
fill(uint8_t (*h)[STORE_HASH_BYTES], size_t n, uint8_t tag)
{
	size_t i;

	for (i = 0; i < n; i++) {
		memset(h[i], tag, STORE_HASH_BYTES);
		h[i][0] = (uint8_t)i;
	}
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	uint8_t pk[STORE_PK_BYTES] = { 1 }, h[BATCH_N][STORE_HASH_BYTES];
	int64_t id;

	assert_non_null(f);
	assert_true(sodium_init() >= 0);
	assert_int_equal(tmpdir_make(f->dir, sizeof(f->dir), "store-letter"),
	    0);
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), GH_OK);
	assert_int_equal(store_wave_create(f->s, "w", "{}", pk, 5, &f->wave),
	    GH_OK);
	assert_int_equal(store_wave_create(f->s, "v", "{}", pk, 5, &f->other),
	    GH_OK);
	fill(h, BATCH_N, 0xa0);
	assert_int_equal(store_batch_create(f->s, f->wave, "A",
	    (const uint8_t (*)[STORE_HASH_BYTES])h, BATCH_N, &id), GH_OK);
	fill(h, BATCH_N, 0xa1);
	assert_int_equal(store_batch_create(f->s, f->wave, "A",
	    (const uint8_t (*)[STORE_HASH_BYTES])h, BATCH_N, &f->batch_a),
	    GH_OK);
	fill(h, BATCH_N, 0xb0);
	assert_int_equal(store_batch_create(f->s, f->other, "B",
	    (const uint8_t (*)[STORE_HASH_BYTES])h, BATCH_N, &id), GH_OK);
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

struct sizes {
	int64_t	 issued[8];
	size_t	 n;
};

static int
size_add(void *arg, const struct store_batch_row *b)
{
	struct sizes *z = arg;

	if (z->n < 8)
		z->issued[z->n++] = b->issued;
	return GH_OK;
}

static struct sizes
sizes_of(struct store *s, int64_t wave)
{
	struct sizes z;

	memset(&z, 0, sizeof(z));
	assert_int_equal(store_batch_foreach(s, wave, size_add, &z), GH_OK);
	return z;
}

static void
test_store_letter_replace_joins_the_latest_batch(void **state)
{
	struct fx *f = *state;
	uint8_t h[STORE_HASH_BYTES];
	struct store_token_key key;
	enum store_token_state st;
	struct sizes z;
	int64_t batch = 0, wave = 0;
	char unit[16];

	memset(h, 0xc0, sizeof(h));
	assert_int_equal(store_letter_replace(f->s, f->wave, "A", h, &batch),
	    GH_OK);
	assert_int_equal(batch, f->batch_a);
	z = sizes_of(f->s, f->wave);
	assert_int_equal(z.n, 2);		/* no batch of one */
	assert_int_equal(z.issued[0], BATCH_N);
	assert_int_equal(z.issued[1], BATCH_N + 1);
	memset(&key, 0, sizeof(key));
	memcpy(key.lookup, h, sizeof(h));
	assert_int_equal(store_token_lookup_unit(f->s, &key, &st, &wave, unit,
	    sizeof(unit)), GH_OK);
	assert_int_equal(st, STORE_TOKEN_FRESH);
	assert_int_equal(wave, f->wave);
	assert_string_equal(unit, "A");
}

static void
test_store_letter_replace_refusals_change_nothing(void **state)
{
	struct fx *f = *state;
	uint8_t h[STORE_HASH_BYTES], dup[STORE_HASH_BYTES];
	struct sizes z;
	int64_t batch = 0;

	memset(h, 0xc1, sizeof(h));
	memset(dup, 0xa1, sizeof(dup));
	dup[0] = 0;				/* a hash of batch A */
	assert_int_equal(store_letter_replace(f->s, f->wave, "Z", h, &batch),
	    GH_ERR_NOT_FOUND);
	assert_int_equal(store_letter_replace(f->s, f->wave, "B", h, &batch),
	    GH_ERR_NOT_FOUND);		/* B is the other wave's */
	assert_int_equal(store_letter_replace(f->s, f->wave, "", h, &batch),
	    GH_ERR_INVALID);
	assert_int_equal(store_letter_replace(f->s, f->wave, "A", dup,
	    &batch), GH_ERR_EXISTS);
	assert_int_equal(store_letter_replace(f->s, 999, "A", h, &batch),
	    GH_ERR_NOT_FOUND);
	assert_int_equal(store_wave_set_open(f->s, f->wave, 0), GH_OK);
	assert_int_equal(store_letter_replace(f->s, f->wave, "A", h, &batch),
	    GH_ERR_CLOSED);
	z = sizes_of(f->s, f->wave);
	assert_int_equal(z.n, 2);
	assert_int_equal(z.issued[1], BATCH_N);
}

static void
test_store_letter_unit_head(void **state)
{
	struct fx *f = *state;
	const char *names[] = { "A", "Directie X/B" };
	int64_t heads[] = { 12, 0 }, head = -1;

	assert_int_equal(store_letter_unit_head(f->s, "A", &head),
	    GH_ERR_NOT_FOUND);
	assert_int_equal(store_console_units_replace(f->s, names, heads, 2),
	    GH_OK);
	assert_int_equal(store_letter_unit_head(f->s, "A", &head), GH_OK);
	assert_int_equal(head, 12);
	assert_int_equal(store_letter_unit_head(f->s, "Directie X/B", &head),
	    GH_OK);
	assert_int_equal(head, 0);
	assert_int_equal(store_letter_unit_head(f->s, "a", &head),
	    GH_ERR_NOT_FOUND);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_store_letter_replace_joins_the_latest_batch, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_letter_replace_refusals_change_nothing, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_store_letter_unit_head,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

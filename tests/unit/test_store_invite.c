/*
 * test_store_invite.c: blind invitations (store_invite.h) against a real
 * SQLite file: a batch and its invitations, the states of a lookup, a
 * spend (once; a failing evaluation spends nothing; a closed wave
 * spends nothing), and the lookup of a token made from an invitation
 * (store_token_key.invite_batch), spent by the writer's transaction.
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
#include "store/store.h"
#include "store/store_batch.h"
#include "store/store_invite.h"

struct fx {
	char		 dir[64];
	char		 path[128];
	struct store	*s;
	int64_t		 wave, batch;
	uint8_t		 hashes[10][STORE_HASH_BYTES];
	uint8_t		 spend[STORE_HASH_BYTES];
	uint8_t		 pk[STORE_INVITE_PK_BYTES];
	uint8_t		 sealed[STORE_INVITE_SEALED_BYTES];
	int		 n_eval;
};

static const uint8_t wave_pk[STORE_PK_BYTES] = { 1, 2, 3 };

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(sodium_init() >= 0, 1);
	assert_int_equal(tmpdir_make(f->dir, sizeof(f->dir), "invite"), 0);
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), GH_OK);
	assert_int_equal(store_wave_create(f->s, "w", "{}", wave_pk, 10,
	    &f->wave), GH_OK);
	randombytes_buf(f->hashes, sizeof(f->hashes));
	randombytes_buf(f->spend, sizeof(f->spend));
	randombytes_buf(f->pk, sizeof(f->pk));
	randombytes_buf(f->sealed, sizeof(f->sealed));
	assert_int_equal(store_invite_batch_create(f->s, f->wave, "Unit",
	    f->pk, f->sealed, (const uint8_t (*)[STORE_HASH_BYTES])f->hashes,
	    10, &f->batch), GH_OK);
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
eval_ok(void *arg, const struct store_invite_batch *b)
{
	struct fx *f = arg;

	assert_memory_equal(b->public_key, f->pk, sizeof(f->pk));
	assert_memory_equal(b->sealed_key, f->sealed, sizeof(f->sealed));
	f->n_eval++;
	return GH_OK;
}

static int
eval_fail(void *arg, const struct store_invite_batch *b)
{
	(void)b;
	((struct fx *)arg)->n_eval++;
	return GH_ERR_INVALID;
}

static void
test_store_invite_lookup_and_spend(void **state)
{
	struct fx *f = *state;
	struct store_invite_batch b;
	enum store_token_state st;
	uint8_t unknown[STORE_HASH_BYTES];
	int64_t id = 0;

	randombytes_buf(unknown, sizeof(unknown));
	assert_int_equal(store_invite_lookup(f->s, unknown, f->spend, &st, &b),
	    GH_OK);
	assert_int_equal(st, STORE_TOKEN_UNKNOWN);
	assert_int_equal(store_invite_lookup(f->s, f->hashes[0], f->spend, &st,
	    &b), GH_OK);
	assert_int_equal(st, STORE_TOKEN_FRESH);
	assert_int_equal(b.id, f->batch);
	assert_int_equal(b.wave_id, f->wave);
	/* A failing evaluation rolls the spend back. */
	assert_int_equal(store_invite_spend(f->s, f->hashes[0], f->spend,
	    eval_fail, f), GH_ERR_INVALID);
	assert_int_equal(store_invite_lookup(f->s, f->hashes[0], f->spend, &st,
	    &b), GH_OK);
	assert_int_equal(st, STORE_TOKEN_FRESH);
	/* Spent once; the second time neither evaluates nor spends. */
	assert_int_equal(store_invite_spend(f->s, f->hashes[0], f->spend,
	    eval_ok, f), GH_OK);
	assert_int_equal(f->n_eval, 2);
	assert_int_equal(store_invite_spend(f->s, f->hashes[0], f->spend,
	    eval_ok, f), GH_ERR_SPENT);
	assert_int_equal(f->n_eval, 2);
	assert_int_equal(store_invite_lookup(f->s, f->hashes[0], f->spend, &st,
	    &b), GH_OK);
	assert_int_equal(st, STORE_TOKEN_SPENT);
	assert_int_equal(store_invite_spend(f->s, unknown, f->spend, eval_ok,
	    f), GH_ERR_NOT_FOUND);
	/* An existing hash in a new batch: refused, nothing stored. */
	assert_int_equal(store_invite_batch_create(f->s, f->wave, NULL, f->pk,
	    f->sealed, (const uint8_t (*)[STORE_HASH_BYTES])f->hashes, 1, &id),
	    GH_ERR_EXISTS);
	assert_int_equal(store_invite_batch_get(f->s, f->batch + 1, &b),
	    GH_ERR_NOT_FOUND);
}

static void
test_store_invite_token(void **state)
{
	struct fx *f = *state;
	struct store_token_key key = { .invite_batch = f->batch };
	struct store_submission sub = { 0 };
	enum store_token_state st;
	char unit[16];
	int64_t wave;
	static const uint8_t blob[32] = { 5 };

	randombytes_buf(key.lookup, sizeof(key.lookup));
	randombytes_buf(key.spend, sizeof(key.spend));
	assert_int_equal(store_token_lookup_unit(f->s, &key, &st, &wave, unit,
	    sizeof(unit)), GH_OK);
	assert_int_equal(st, STORE_TOKEN_FRESH);
	assert_int_equal(wave, f->wave);
	assert_string_equal(unit, "Unit");
	sub.key = key;
	sub.wave_id = f->wave;
	sub.sealed = blob;
	sub.sealed_len = sizeof(blob);
	assert_int_equal(store_commit_batch(f->s, &sub, 1), GH_OK);
	assert_int_equal(sub.result, GH_OK);
	assert_int_equal(store_token_lookup_unit(f->s, &key, &st, &wave, unit,
	    sizeof(unit)), GH_OK);
	assert_int_equal(st, STORE_TOKEN_SPENT);
	assert_int_equal(store_commit_batch(f->s, &sub, 1), GH_OK);
	assert_int_equal(sub.result, GH_ERR_SPENT);
	/* Another batch id: unknown. */
	key.invite_batch = f->batch + 7;
	assert_int_equal(store_token_lookup_unit(f->s, &key, &st, &wave, unit,
	    sizeof(unit)), GH_OK);
	assert_int_equal(st, STORE_TOKEN_UNKNOWN);
}

static void
test_store_invite_closed_wave(void **state)
{
	struct fx *f = *state;
	struct store_token_key key = { .invite_batch = f->batch };
	enum store_token_state st;
	struct store_invite_batch b;
	int64_t wave, id = 0;

	assert_int_equal(store_wave_set_open(f->s, f->wave, 0), GH_OK);
	assert_int_equal(store_invite_spend(f->s, f->hashes[1], f->spend,
	    eval_ok, f), GH_ERR_CLOSED);
	assert_int_equal(store_invite_lookup(f->s, f->hashes[1], f->spend, &st,
	    &b), GH_OK);
	assert_int_equal(st, STORE_TOKEN_CLOSED);
	assert_int_equal(store_token_lookup(f->s, &key, &st, &wave), GH_OK);
	assert_int_equal(st, STORE_TOKEN_CLOSED);
	assert_int_equal(store_invite_batch_create(f->s, f->wave, NULL, f->pk,
	    f->sealed, (const uint8_t (*)[STORE_HASH_BYTES])f->hashes + 5, 1,
	    &id), GH_ERR_CLOSED);
}

static int
batch_row(void *arg, const struct store_batch_row *b)
{
	struct store_batch_row *seen = arg;

	seen[0].issued++;	/* rows seen */
	seen[1].id = b->id;
	seen[1].issued = b->issued;
	seen[1].unit = b->unit != NULL && strcmp(b->unit, "Unit") == 0 ?
	    "Unit" : NULL;
	return GH_OK;
}

/* The release engine sees an invitation batch as a batch of its unit. */
static void
test_store_invite_batch_for_release(void **state)
{
	struct fx *f = *state;
	struct store_batch_row seen[2];

	memset(seen, 0, sizeof(seen));
	assert_int_equal(store_batch_foreach(f->s, f->wave, batch_row, seen),
	    GH_OK);
	assert_int_equal(seen[0].issued, 1);
	assert_int_equal(seen[1].id, -f->batch);
	assert_int_equal(seen[1].issued, 10);
	assert_non_null(seen[1].unit);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_store_invite_lookup_and_spend, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_invite_token,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_invite_closed_wave,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_invite_batch_for_release, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

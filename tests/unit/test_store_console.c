/*
 * test_store_console.c: the console's store (store/store_console.h) on a
 * real SQLite file: the audit log newest first and its field checks, a
 * schedule for a wave that does not exist, both times of a schedule due
 * at once (carried out in the order they were set for, cleared, and
 * audited in the name of who set them), and the links spent per unit
 * added up over flushes.
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
#include "store/store_console.h"

struct fx {
	char		 dir[64];
	char		 path[96];
	struct store	*s;
	int64_t		 wave;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	uint8_t pk[STORE_PK_BYTES] = { 1 };

	assert_non_null(f);
	assert_true(sodium_init() >= 0);
	assert_int_equal(tmpdir_make(f->dir, sizeof(f->dir), "store-console"),
	    0);
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), GH_OK);
	assert_int_equal(store_wave_create(f->s, "w", "{}", pk, 5, &f->wave),
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

struct seen {
	char	 rows[8][128];
	int	 n;
};

static int
collect(void *arg, const struct console_audit_row *row)
{
	struct seen *s = arg;

	if (s->n < 8)
		snprintf(s->rows[s->n++], sizeof(s->rows[0]), "%s %s %s",
		    row->user, row->action, row->object);
	return GH_OK;
}

static void
test_store_console_audit_newest_first(void **state)
{
	struct fx *f = *state;
	struct seen s = { .n = 0 };

	assert_int_equal(store_console_audit_add(f->s, "cora", "a", "1"),
	    GH_OK);
	assert_int_equal(store_console_audit_add(f->s, "cora", "b", "2"),
	    GH_OK);
	assert_int_equal(store_console_audit_add(f->s, "", "b", "2"),
	    GH_ERR_INVALID);
	assert_int_equal(store_console_audit_add(f->s, "cora", "b", ""),
	    GH_ERR_INVALID);
	assert_int_equal(store_console_audit_foreach(f->s, 10, collect, &s),
	    GH_OK);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.rows[0], "cora b 2");
	assert_string_equal(s.rows[1], "cora a 1");
}

static void
test_store_console_schedule_unknown_wave(void **state)
{
	struct fx *f = *state;

	assert_int_equal(store_console_schedule_set(f->s, f->wave + 7, 10, 0,
	    "cora"), GH_ERR_NOT_FOUND);
	assert_int_equal(store_console_schedule_set(f->s, f->wave, -1, 0,
	    "cora"), GH_ERR_INVALID);
}

static void
test_store_console_schedule_both_due_in_order(void **state)
{
	struct fx *f = *state;
	struct console_schedule sc;
	struct store_wave *w = NULL;
	struct seen s = { .n = 0 };
	int n = -1;

	/* Set to open at 100 and close at 200; at 300 both are due. */
	assert_int_equal(store_console_schedule_set(f->s, f->wave, 100, 200,
	    "cora"), GH_OK);
	assert_int_equal(store_console_schedule_run(f->s, 50, &n), GH_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_console_schedule_run(f->s, 300, &n), GH_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_wave_get(f->s, f->wave, &w), GH_OK);
	assert_int_equal(w->is_open, 0);	/* opened, then closed */
	store_wave_free(w);
	assert_int_equal(store_console_schedule_get(f->s, f->wave, &sc),
	    GH_OK);
	assert_int_equal(sc.open_at, 0);
	assert_int_equal(sc.close_at, 0);
	assert_int_equal(store_console_audit_foreach(f->s, 10, collect, &s),
	    GH_OK);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.rows[0], "cora wave_close_scheduled 1 w");
	assert_string_equal(s.rows[1], "cora wave_open_scheduled 1 w");
	assert_int_equal(store_console_schedule_run(f->s, 400, &n), GH_OK);
	assert_int_equal(n, 0);
}

static int
spent_of(void *arg, const struct console_unit_row *row)
{
	int64_t *out = arg;

	if (strcmp(row->unit, "A") == 0)
		*out = row->spent;
	return GH_OK;
}

static void
test_store_console_participation_adds_up(void **state)
{
	struct fx *f = *state;
	uint8_t hashes[5][STORE_HASH_BYTES];
	struct console_count c = { f->wave, "A", 3 };
	int64_t spent = -1, batch;

	randombytes_buf(hashes, sizeof(hashes));
	assert_int_equal(store_batch_create(f->s, f->wave, "A",
	    (const uint8_t (*)[STORE_HASH_BYTES])hashes, 5, &batch), GH_OK);
	assert_int_equal(store_console_participation_flush(f->s, &c, 1, 10),
	    GH_OK);
	c.spent = 2;
	assert_int_equal(store_console_participation_flush(f->s, &c, 1, 11),
	    GH_OK);
	assert_int_equal(store_console_participation_foreach(f->s, f->wave,
	    spent_of, &spent), GH_OK);
	assert_int_equal(spent, 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_store_console_audit_newest_first, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_console_schedule_unknown_wave, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_console_schedule_both_due_in_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_console_participation_adds_up, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

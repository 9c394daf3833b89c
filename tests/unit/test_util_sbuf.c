/*
 * test_util_sbuf.c: the secret buffer (sbuf) and the output buffer (buf)
 * wipe every block they let go of.
 *
 * Linked with the alloc_hook wrappers: every block freed by gehoord's code
 * is scanned for a marker first. The control case shows the scan finds the
 * marker in a block that a plain realloc moved, so the wipe cases would
 * fail if sbuf grew with realloc or freed without wiping.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "alloc_hook.h"
#include "util/buf.h"
#include "util/sbuf.h"

static const char MARKER[] = "answer:confidential-7f3a";
static int n_seen;	/* freed blocks that still held the marker */

static void
scan(const void *p, size_t n)
{
	const char *c = p;
	size_t m = sizeof(MARKER) - 1, i;

	for (i = 0; i + m <= n; i++)
		if (memcmp(c + i, MARKER, m) == 0) {
			n_seen++;
			return;
		}
}

static int
setup(void **state)
{
	(void)state;
	n_seen = 0;
	alloc_hook_fail_at(0);
	alloc_hook_on_free(scan);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	alloc_hook_on_free(NULL);
	return 0;
}

static void
test_sbuf_scan_finds_what_realloc_leaves(void **state)
{
	char *p, *q;

	(void)state;
	p = malloc(64);
	assert_non_null(p);
	memcpy(p, MARKER, sizeof(MARKER));
	q = realloc(p, 1 << 16);
	assert_non_null(q);
	assert_int_equal(n_seen, 1);	/* the old block, freed unwiped */
	sodium_memzero(q, 1 << 16);
	free(q);
	assert_int_equal(n_seen, 1);
}

static void
test_sbuf_wipes_old_blocks_on_growth(void **state)
{
	struct sbuf *b;
	char fill[1000];
	size_t i;

	(void)state;
	memset(fill, 'x', sizeof(fill));
	assert_non_null(b = sbuf_new());
	sbuf_puts(b, MARKER);
	for (i = 0; i < 40; i++)	/* 40 kB: the block moves 8 times */
		sbuf_add(b, fill, sizeof(fill));
	assert_false(sbuf_is_failed(b));
	assert_int_equal(sbuf_len(b), sizeof(MARKER) - 1 + 40 * sizeof(fill));
	assert_memory_equal(sbuf_data(b), MARKER, sizeof(MARKER) - 1);
	assert_int_equal(sbuf_data(b)[sbuf_len(b)], '\0');
	assert_int_equal(alloc_hook_reallocs(), 0);
	assert_int_equal(n_seen, 0);
	sbuf_free(b);
	assert_int_equal(n_seen, 0);
}

static void
test_sbuf_failed_growth_latches_and_keeps_contents(void **state)
{
	struct sbuf *b;
	char fill[300];

	(void)state;
	memset(fill, 'y', sizeof(fill));
	assert_non_null(b = sbuf_new());
	sbuf_puts(b, MARKER);
	alloc_hook_fail_at(1);	/* the growth past 256 bytes */
	sbuf_add(b, fill, sizeof(fill));
	assert_true(alloc_hook_has_failed());
	assert_true(sbuf_is_failed(b));
	sbuf_puts(b, "more");	/* ignored */
	assert_string_equal(sbuf_data(b), MARKER);
	alloc_hook_fail_at(0);
	sbuf_free(b);
	assert_int_equal(n_seen, 0);
}

static void
test_sbuf_new_fails_cleanly(void **state)
{
	(void)state;
	alloc_hook_fail_at(1);
	assert_null(sbuf_new());
	alloc_hook_fail_at(0);
}

static void
test_sbuf_empty_and_null(void **state)
{
	struct sbuf *b;

	(void)state;
	assert_non_null(b = sbuf_new());
	assert_string_equal(sbuf_data(b), "");
	assert_int_equal(sbuf_len(b), 0);
	sbuf_free(b);
	sbuf_free(NULL);
	gh_freezero(NULL, 10);
}

/* Pages hold answers and report texts: buf leaves no copy behind either. */
static void
test_buf_wipes_old_blocks_on_growth_and_free(void **state)
{
	struct buf b = { 0 };
	char fill[1000];
	size_t i;

	(void)state;
	memset(fill, 'x', sizeof(fill));
	buf_puts(&b, MARKER);
	for (i = 0; i < 40; i++)	/* 40 kB: the block moves 8 times */
		buf_add(&b, fill, sizeof(fill));
	buf_printf(&b, "%s", "end");
	assert_false(buf_is_failed(&b));
	assert_int_equal(b.len, sizeof(MARKER) - 1 + 40 * sizeof(fill) + 3);
	assert_memory_equal(b.data, MARKER, sizeof(MARKER) - 1);
	assert_string_equal(b.data + b.len - 3, "end");
	assert_int_equal(alloc_hook_reallocs(), 0);
	assert_int_equal(n_seen, 0);
	buf_free(&b);
	assert_int_equal(n_seen, 0);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

static void
test_buf_failed_growth_latches_and_keeps_contents(void **state)
{
	struct buf b = { 0 };
	char fill[300];

	(void)state;
	memset(fill, 'y', sizeof(fill));
	buf_puts(&b, MARKER);
	alloc_hook_fail_at(1);	/* the growth past 256 bytes */
	buf_add(&b, fill, sizeof(fill));
	assert_true(alloc_hook_has_failed());
	assert_true(buf_is_failed(&b));
	buf_puts(&b, "more");	/* ignored */
	assert_string_equal(b.data, MARKER);
	alloc_hook_fail_at(0);
	buf_free(&b);
	assert_int_equal(n_seen, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_sbuf_scan_finds_what_realloc_leaves, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_sbuf_wipes_old_blocks_on_growth, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_sbuf_failed_growth_latches_and_keeps_contents, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sbuf_new_fails_cleanly,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_sbuf_empty_and_null,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_buf_wipes_old_blocks_on_growth_and_free, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_buf_failed_growth_latches_and_keeps_contents, setup,
		    teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

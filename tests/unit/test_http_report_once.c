/*
 * test_http_report_once.c: the one-time form keys of the reporter: a key
 * is claimed once, a repeat sees it pending or done, a key given back
 * can be claimed again, a kept receipt is shown until it is forgotten or
 * ONCE_SHOW_S old, a used key is remembered ONCE_KEEP_S, a full table
 * makes way for new keys, and a view (the follow-up page's GET) keeps
 * its receipt and notice ONCE_SHOW_S, under a new key each time, and is
 * never taken for a receipt to show.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "http/report_once.h"

#define T0	((time_t)1800000000)

static void
new_key(char text[ONCE_KEY_TEXT + 1])
{
	unsigned char raw[ONCE_KEY_BYTES];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(text, ONCE_KEY_TEXT + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void
test_claim_once(void **state)
{
	struct onces *os;
	char k[ONCE_KEY_TEXT + 1], code[ONCE_RECEIPT_MAX], ack[ONCE_ACK_MAX];
	enum once_state st;

	(void)state;
	assert_int_equal(onces_new(&os), GH_OK);
	new_key(k);
	assert_int_equal(once_claim(os, k, T0, &st), GH_OK);
	assert_int_equal(st, ONCE_FRESH);
	assert_int_equal(once_claim(os, k, T0, &st), GH_OK);
	assert_int_equal(st, ONCE_PENDING);
	assert_int_equal(once_receipt(os, k, T0, code, ack), GH_ERR_BUSY);
	once_release(os, k);
	assert_int_equal(once_claim(os, k, T0, &st), GH_OK);
	assert_int_equal(st, ONCE_FRESH);
	once_done(os, k, T0, "CODE", "ACK");
	once_release(os, k);		/* done: not given back */
	assert_int_equal(once_claim(os, k, T0 + 1, &st), GH_OK);
	assert_int_equal(st, ONCE_DONE);
	assert_int_equal(once_receipt(os, k, T0 + 1, code, ack), GH_OK);
	assert_string_equal(code, "CODE");
	assert_string_equal(ack, "ACK");
	assert_int_equal(once_claim(os, "short", T0, &st), GH_ERR_INVALID);
	assert_int_equal(once_claim(os, "AAAAAAAAAAAAAAAAAAAAA!", T0, &st),
	    GH_ERR_INVALID);
	onces_free(os);
}

static void
test_receipt_window(void **state)
{
	struct onces *os;
	char k[ONCE_KEY_TEXT + 1], k2[ONCE_KEY_TEXT + 1];
	char code[ONCE_RECEIPT_MAX], ack[ONCE_ACK_MAX];
	enum once_state st;

	(void)state;
	assert_int_equal(onces_new(&os), GH_OK);
	new_key(k);
	new_key(k2);
	assert_int_equal(once_claim(os, k, T0, &st), GH_OK);
	once_done(os, k, T0, "CODE", "");
	assert_int_equal(once_claim(os, k2, T0, &st), GH_OK);
	once_done(os, k2, T0, "CODE2", "A");
	assert_int_equal(once_receipt(os, k, T0 + ONCE_SHOW_S, code, ack),
	    GH_OK);
	/* Gone once ONCE_SHOW_S old, the key still known as done. */
	assert_int_equal(once_receipt(os, k, T0 + ONCE_SHOW_S + 1, code,
	    ack), GH_ERR_NOT_FOUND);
	assert_int_equal(once_claim(os, k, T0 + ONCE_SHOW_S + 1, &st), GH_OK);
	assert_int_equal(st, ONCE_DONE);
	/* Written down: gone at once. */
	once_forget_receipt(os, k2);
	assert_int_equal(once_receipt(os, k2, T0 + 1, code, ack),
	    GH_ERR_NOT_FOUND);
	/* A used key is remembered ONCE_KEEP_S, then forgotten. */
	assert_int_equal(once_claim(os, k, T0 + ONCE_KEEP_S, &st), GH_OK);
	assert_int_equal(st, ONCE_DONE);
	assert_int_equal(once_claim(os, k, T0 + ONCE_KEEP_S + 1, &st), GH_OK);
	assert_int_equal(st, ONCE_FRESH);
	onces_free(os);
}

static void
test_view_window(void **state)
{
	struct onces *os;
	char k[ONCE_KEY_TEXT + 1], k2[ONCE_KEY_TEXT + 1];
	char code[ONCE_RECEIPT_MAX], ack[ONCE_ACK_MAX], what[ONCE_WHAT_MAX];
	char long_what[ONCE_WHAT_MAX + 1];
	enum once_state st;

	(void)state;
	assert_int_equal(onces_new(&os), GH_OK);
	assert_int_equal(once_view_new(os, T0, "CODE", "added", k), GH_OK);
	assert_int_equal(once_view_new(os, T0, "CODE", "added", k2), GH_OK);
	assert_string_not_equal(k, k2);
	assert_int_equal(once_view(os, k, T0 + ONCE_SHOW_S, code, what),
	    GH_OK);
	assert_string_equal(code, "CODE");
	assert_string_equal(what, "added");
	/* Not a receipt to show, and done: a POST with it repeats nothing. */
	assert_int_equal(once_receipt(os, k, T0, code, ack), GH_ERR_NOT_FOUND);
	assert_int_equal(once_claim(os, k, T0, &st), GH_OK);
	assert_int_equal(st, ONCE_DONE);
	/* Gone once ONCE_SHOW_S old. */
	assert_int_equal(once_view(os, k, T0 + ONCE_SHOW_S + 1, code, what),
	    GH_ERR_NOT_FOUND);
	/* A form key is no view; nor is a bad key. */
	new_key(k2);
	assert_int_equal(once_claim(os, k2, T0, &st), GH_OK);
	once_done(os, k2, T0, "CODE2", "A");
	assert_int_equal(once_view(os, k2, T0, code, what), GH_ERR_NOT_FOUND);
	assert_int_equal(once_view(os, "<x>", T0, code, what),
	    GH_ERR_NOT_FOUND);
	memset(long_what, 'w', ONCE_WHAT_MAX);
	long_what[ONCE_WHAT_MAX] = '\0';
	assert_int_equal(once_view_new(os, T0, "CODE", long_what, k),
	    GH_ERR_INVALID);
	onces_free(os);
}

static void
test_full_table_makes_way(void **state)
{
	struct onces *os;
	char first[ONCE_KEY_TEXT + 1], k[ONCE_KEY_TEXT + 1];
	enum once_state st;
	int i;

	(void)state;
	assert_int_equal(onces_new(&os), GH_OK);
	new_key(first);
	assert_int_equal(once_claim(os, first, T0, &st), GH_OK);
	for (i = 0; i < ONCE_SLOTS; i++) {
		new_key(k);
		assert_int_equal(once_claim(os, k, T0 + 1, &st), GH_OK);
		assert_int_equal(st, ONCE_FRESH);
	}
	/* The oldest made way. */
	assert_int_equal(once_claim(os, first, T0 + 2, &st), GH_OK);
	assert_int_equal(st, ONCE_FRESH);
	onces_free(os);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_claim_once),
		cmocka_unit_test(test_receipt_window),
		cmocka_unit_test(test_full_table_makes_way),
		cmocka_unit_test(test_view_window),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_report_review.c: second opinions without HTTP, against a real
 * SQLite file: the report key sealed to a reviewer and opened with their
 * key only (a flipped byte, another reviewer's key or another report's
 * public key fail), the store's rows (store_review: sent once, found
 * for that reviewer only, listed per reviewer and per report, gone with
 * the reviewer's account and with the report's withdrawal), who may be
 * picked (an enabled reviewer, on a report that asked for a second
 * opinion), and the opinion as a desk message of kind 7.
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

#include "report/report_conv.h"
#include "report/report_create.h"
#include "report/report_crypto.h"
#include "report/report_login.h"
#include "report/report_read.h"
#include "report/report_review.h"
#include "store/store_user.h"
#include "report_fx.h"

struct fx {
	struct report_fx	 b;			/* one report, found */
	uint8_t			 rv_pk[32], rv_sk[32];	/* reviewer vera */
	int64_t			 rv_id;
	uint8_t			*report_sk;		/* the report's key */
};

static void
add_user(struct fx *f, const char *name, enum user_role role,
    const uint8_t *pk)
{
	struct user_row u;

	memset(&u, 0, sizeof(u));
	strcpy(u.name, name);
	u.role = role;
	strcpy(u.pw_hash, "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA");
	if (pk != NULL) {
		memcpy(u.public_key, pk, 32);
		u.has_public_key = 1;
	}
	assert_int_equal(store_user_add(f->b.s, &u), GH_OK);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct user_row u;

	assert_non_null(f);
	report_fx_open(&f->b, "review");
	assert_non_null(f->report_sk = sodium_malloc(REPORT_SK_BYTES));
	assert_int_equal(report_key_open(f->report_sk, f->b.l.row.sealed_key,
	    f->b.l.row.sealed_key_len, f->b.desk_pk, f->b.desk_sk), GH_OK);
	crypto_box_keypair(f->rv_pk, f->rv_sk);
	add_user(f, "vera", USER_REVIEWER, f->rv_pk);
	add_user(f, "rita", USER_RESEARCHER, NULL);
	assert_int_equal(store_user_get(f->b.s, "vera", &u), GH_OK);
	f->rv_id = u.id;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	sodium_free(f->report_sk);
	report_fx_close(&f->b);
	free(f);
	return 0;
}

/* The reporter asks for a second opinion. */
static void
ask_second(struct fx *f)
{
	assert_int_equal(report_conv_reporter_post(f->b.s, &f->b.l.row,
	    REPORT_POST_SECOND, NULL, "please"), GH_OK);
}

static int
count_id(void *arg, const uint8_t id[REPORT_ID_BYTES], int64_t day)
{
	(void)id;
	(void)day;
	(*(int *)arg)++;
	return GH_OK;
}

static int
count_user(void *arg, int64_t user_id, int64_t day)
{
	(void)user_id;
	(void)day;
	(*(int *)arg)++;
	return GH_OK;
}

static void
test_report_review_seal_round_trip(void **state)
{
	struct fx *f = *state;
	uint8_t sealed[REVIEW_SEALED_KEY_BYTES], other_pk[32], other_sk[32];
	uint8_t *got = sodium_malloc(REPORT_SK_BYTES);

	assert_non_null(got);
	assert_int_equal(report_review_seal(sealed, f->report_sk, f->rv_pk),
	    GH_OK);
	assert_int_equal(report_review_open(sealed, f->b.l.row.report_pk,
	    f->rv_sk, got), GH_OK);
	assert_memory_equal(got, f->report_sk, REPORT_SK_BYTES);
	/* Another reviewer's key does not open it. */
	crypto_box_keypair(other_pk, other_sk);
	assert_int_equal(report_review_open(sealed, f->b.l.row.report_pk,
	    other_sk, got), GH_ERR_CRYPTO);
	/* Nor does it pass for another report. */
	assert_int_equal(report_review_open(sealed, other_pk, f->rv_sk, got),
	    GH_ERR_CRYPTO);
	/* A flipped byte fails. */
	sealed[40] ^= 1;
	assert_int_equal(report_review_open(sealed, f->b.l.row.report_pk,
	    f->rv_sk, got), GH_ERR_CRYPTO);
	sodium_free(got);
}

static void
test_report_review_send_needs_a_second_opinion(void **state)
{
	struct fx *f = *state;
	int n = 0;

	assert_int_equal(report_review_send(f->b.s, f->b.l.row.id, "vera",
	    f->report_sk), GH_ERR_CLOSED);
	ask_second(f);
	assert_int_equal(report_review_send(f->b.s, f->b.l.row.id, "rita",
	    f->report_sk), GH_ERR_INVALID);
	assert_int_equal(report_review_send(f->b.s, f->b.l.row.id, "nobody",
	    f->report_sk), GH_ERR_INVALID);
	assert_int_equal(store_user_set_disabled(f->b.s, "vera", 1), GH_OK);
	assert_int_equal(report_review_send(f->b.s, f->b.l.row.id, "vera",
	    f->report_sk), GH_ERR_INVALID);
	assert_int_equal(store_review_foreach_user(f->b.s, f->rv_id, count_id,
	    &n), GH_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_user_set_disabled(f->b.s, "vera", 0), GH_OK);
	assert_int_equal(report_review_send(f->b.s, f->b.l.row.id, "vera",
	    f->report_sk), GH_OK);
	assert_int_equal(report_review_send(f->b.s, f->b.l.row.id, "vera",
	    f->report_sk), GH_ERR_EXISTS);
}

static void
test_report_review_rows_are_the_reviewers_own(void **state)
{
	struct fx *f = *state;
	uint8_t sealed[REVIEW_SEALED_KEY_BYTES], other[REPORT_ID_BYTES];
	uint8_t *got = sodium_malloc(REPORT_SK_BYTES);
	int64_t day;
	int n = 0;

	assert_non_null(got);
	ask_second(f);
	assert_int_equal(report_review_send(f->b.s, f->b.l.row.id, "vera",
	    f->report_sk), GH_OK);
	assert_int_equal(store_review_get(f->b.s, f->b.l.row.id, f->rv_id, sealed,
	    &day), GH_OK);
	assert_int_equal(day, store_today());
	assert_int_equal(report_review_open(sealed, f->b.l.row.report_pk,
	    f->rv_sk, got), GH_OK);
	assert_memory_equal(got, f->report_sk, REPORT_SK_BYTES);
	/* Not for another user, nor for another report. */
	assert_int_equal(store_review_get(f->b.s, f->b.l.row.id, f->rv_id + 1,
	    sealed, &day), GH_ERR_NOT_FOUND);
	memset(other, 7, sizeof(other));
	assert_int_equal(store_review_get(f->b.s, other, f->rv_id, sealed,
	    &day), GH_ERR_NOT_FOUND);
	assert_int_equal(store_review_add(f->b.s, f->b.l.row.id, f->rv_id, 1,
	    sealed, 10), GH_ERR_INVALID);
	assert_int_equal(store_review_foreach_user(f->b.s, f->rv_id, count_id,
	    &n), GH_OK);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(store_review_foreach_report(f->b.s, f->b.l.row.id,
	    count_user, &n), GH_OK);
	assert_int_equal(n, 1);
	/* Removing the reviewer removes their rows. */
	assert_int_equal(store_user_remove(f->b.s, "vera"), GH_OK);
	n = 0;
	assert_int_equal(store_review_foreach_report(f->b.s, f->b.l.row.id,
	    count_user, &n), GH_OK);
	assert_int_equal(n, 0);
	sodium_free(got);
}

static void
test_report_review_withdrawal_deletes_the_key(void **state)
{
	struct fx *f = *state;
	uint8_t sealed[REVIEW_SEALED_KEY_BYTES];
	int64_t day;

	ask_second(f);
	assert_int_equal(report_review_send(f->b.s, f->b.l.row.id, "vera",
	    f->report_sk), GH_OK);
	assert_int_equal(report_withdraw(f->b.s, f->b.l.row.id), GH_OK);
	assert_int_equal(store_review_get(f->b.s, f->b.l.row.id, f->rv_id, sealed,
	    &day), GH_ERR_NOT_FOUND);
}

static int
last_kind(void *arg, const struct report_msg *m)
{
	int *k = arg;

	k[0] = (int)m->kind;
	k[1] = (int)m->author;
	return GH_OK;
}

static void
test_report_review_opinion_is_a_desk_message(void **state)
{
	struct fx *f = *state;
	struct report_row row;
	const char *problem = NULL;
	int k[2] = { -1, -1 };

	ask_second(f);
	assert_int_equal(report_conv_opinion_post(f->b.s, f->b.l.row.id, "  ",
	    &problem), GH_ERR_INVALID);
	assert_string_equal(problem, "desk.reply.empty");
	assert_int_equal(report_conv_opinion_post(f->b.s, f->b.l.row.id,
	    "My opinion", &problem), GH_OK);
	assert_int_equal(store_report_messages(f->b.s, f->b.l.row.id, last_kind,
	    k), GH_OK);
	assert_int_equal(k[0], REPORT_MSG_OPINION);
	assert_int_equal(k[1], REPORT_BY_DESK);
	memset(&row, 0, sizeof(row));
	assert_int_equal(store_report_get(f->b.s, f->b.l.row.id, &row), GH_OK);
	assert_int_equal(row.ack_day, store_today());
	store_report_row_clear(&row);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_report_review_seal_round_trip),
		T(test_report_review_send_needs_a_second_opinion),
		T(test_report_review_rows_are_the_reviewers_own),
		T(test_report_review_withdrawal_deletes_the_key),
		T(test_report_review_opinion_is_a_desk_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

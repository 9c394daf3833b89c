/*
 * test_http_walk.c: the in-memory table of survey walks (http/walk.h).
 *
 * A link keeps at most WALK_PER_TOKEN walks; a new one replaces the
 * link's oldest walk that has not stored the answer, never the one that
 * did, and a walk pushed out while its answer was being stored is
 * recorded again, done, when the writer reports the answer stored: the
 * person who answered gets the thank-you page, whoever raced them does not.
 * When the slots near a link are all taken, a walk finished longer ago
 * than the table's grace makes room before any walk still under way; one
 * finished within the grace (the respondent is being redirected to its
 * thank-you page) is kept like a walk under way, and the least recently
 * used walk goes.
 * A step keeps what it shows (a page, the phrase page, "saved") when
 * later steps follow, so that Back shows it again; its notice does not.
 * Once a walk stores the link's answer, its link's other walks, and one
 * the link begins afterwards, are no longer live (walks_status): their
 * steps take the store's lookup again, which refuses them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http/walk.h"

/* A new walk of link hash; its id into id. */
static void
new_walk(struct walks *ws, const uint8_t *hash, uint8_t id[WALK_ID_BYTES])
{
	int has_id = 0;
	uint32_t seq;

	assert_int_equal(walks_put(ws, hash, 1, id, &has_id, "sealed",
	    WALK_VIEW_PAGE, 0, 0, NULL, &seq), GH_OK);
	assert_true(has_id);
}

static int
known(struct walks *ws, const uint8_t *hash, const uint8_t *id)
{
	struct walk_step step;
	char *state = NULL;
	int is_done, r;

	r = walks_get(ws, hash, id, 0, &state, &step, &is_done);
	free(state);
	answer_check_free(step.chk);
	return r == GH_OK;
}

static void
test_walk_done_one_stays_when_the_link_makes_more(void **state)
{
	struct walks *ws;
	uint8_t hash[TOKEN_HASH_BYTES], id[WALK_PER_TOKEN + 3][WALK_ID_BYTES];
	size_t i;

	(void)state;
	randombytes_buf(hash, sizeof(hash));
	assert_int_equal(walks_new(&ws, WALK_DONE_GRACE_MS), GH_OK);
	new_walk(ws, hash, id[0]);
	walks_set_done(ws, hash, 1, id[0]);
	for (i = 1; i < WALK_PER_TOKEN + 3; i++)
		new_walk(ws, hash, id[i]);
	/* The done walk is still there, and done. */
	assert_true(walks_is_done(ws, hash, id[0]));
	/* The oldest walks not done made room: only the latest remain. */
	assert_false(known(ws, hash, id[1]));
	assert_true(known(ws, hash, id[WALK_PER_TOKEN + 2]));
	walks_free(ws);
}

static void
test_walk_pushed_out_before_its_answer_is_stored_comes_back_done(
    void **state)
{
	struct walks *ws;
	uint8_t hash[TOKEN_HASH_BYTES], first[WALK_ID_BYTES];
	uint8_t other[WALK_ID_BYTES];
	size_t i;

	(void)state;
	randombytes_buf(hash, sizeof(hash));
	assert_int_equal(walks_new(&ws, WALK_DONE_GRACE_MS), GH_OK);
	new_walk(ws, hash, first);
	for (i = 0; i < WALK_PER_TOKEN; i++)	/* 19 others at once, say */
		new_walk(ws, hash, other);
	assert_false(known(ws, hash, first));
	walks_set_done(ws, hash, 1, first);	/* the writer: stored */
	assert_true(walks_is_done(ws, hash, first));
	assert_false(walks_is_done(ws, hash, other));
	walks_free(ws);
}

/*
 * Fills one window with WALK_PROBE walks of as many links (the slot is
 * picked from the hash's first four bytes), the newest finished, then
 * starts a walk of one more link there, in a table whose grace is
 * grace_ms.
 */
static void
crowd_one_window(int64_t grace_ms,
    uint8_t hash[WALK_PROBE + 1][TOKEN_HASH_BYTES],
    uint8_t id[WALK_PROBE + 1][WALK_ID_BYTES], struct walks **out)
{
	size_t i;

	assert_int_equal(walks_new(out, grace_ms), GH_OK);
	for (i = 0; i <= WALK_PROBE; i++) {
		randombytes_buf(hash[i], TOKEN_HASH_BYTES);
		memcpy(hash[i], hash[0], 4);
	}
	for (i = 0; i < WALK_PROBE; i++)
		new_walk(*out, hash[i], id[i]);
	walks_set_done(*out, hash[WALK_PROBE - 1], 1, id[WALK_PROBE - 1]);
	new_walk(*out, hash[WALK_PROBE], id[WALK_PROBE]);
	assert_true(known(*out, hash[WALK_PROBE], id[WALK_PROBE]));
}

static void
test_walk_full_window_drops_a_done_walk_before_one_under_way(void **state)
{
	struct walks *ws;
	uint8_t hash[WALK_PROBE + 1][TOKEN_HASH_BYTES];
	uint8_t id[WALK_PROBE + 1][WALK_ID_BYTES];
	size_t i;

	(void)state;
	/* No grace: the finished walk goes, however recent. */
	crowd_one_window(-1, hash, id, &ws);
	for (i = 0; i + 1 < WALK_PROBE; i++)
		assert_true(known(ws, hash[i], id[i]));
	assert_false(known(ws, hash[WALK_PROBE - 1], id[WALK_PROBE - 1]));
	walks_free(ws);
}

static void
test_walk_just_finished_stays_for_its_thank_you_page(void **state)
{
	struct walks *ws;
	uint8_t hash[WALK_PROBE + 1][TOKEN_HASH_BYTES];
	uint8_t id[WALK_PROBE + 1][WALK_ID_BYTES];
	size_t i;

	(void)state;
	/* The server's grace: the walk finished a moment ago stays, done,
	 * and the least recently used walk under way (the first) goes. */
	crowd_one_window(WALK_DONE_GRACE_MS, hash, id, &ws);
	assert_true(walks_is_done(ws, hash[WALK_PROBE - 1], id[WALK_PROBE - 1]));
	assert_false(known(ws, hash[0], id[0]));
	for (i = 1; i < WALK_PROBE; i++)
		assert_true(known(ws, hash[i], id[i]));
	walks_free(ws);
}

static void
test_walk_step_keeps_its_view_but_not_its_notice(void **state)
{
	struct walks *ws;
	struct walk_step step;
	uint8_t hash[TOKEN_HASH_BYTES], id[WALK_ID_BYTES];
	uint32_t ask, saved;
	char *st = NULL;
	int has_id = 0, is_done;

	(void)state;
	randombytes_buf(hash, sizeof(hash));
	assert_int_equal(walks_new(&ws, WALK_DONE_GRACE_MS), GH_OK);
	assert_int_equal(walks_put(ws, hash, 1, id, &has_id, "s1",
	    WALK_VIEW_RESUME_ASK, 2, 1, NULL, &ask), GH_OK);
	assert_int_equal(walks_put(ws, hash, 1, id, &has_id, NULL,
	    WALK_VIEW_RESUME_SAVED, 2, 0, NULL, &saved), GH_OK);
	assert_int_equal(walks_get(ws, hash, id, saved, &st, &step,
	    &is_done), GH_OK);
	assert_int_equal(step.view, WALK_VIEW_RESUME_SAVED);
	assert_string_equal(st, "s1");	/* NULL kept the state */
	free(st);
	assert_int_equal(walks_get(ws, hash, id, ask, &st, &step,
	    &is_done), GH_OK);
	assert_int_equal(step.seq, ask);
	assert_int_equal(step.view, WALK_VIEW_RESUME_ASK);
	assert_int_equal(step.page, 2);
	assert_int_equal(step.notice, 0);
	assert_null(step.chk);
	free(st);
	walks_free(ws);
}

static void
test_walk_status_once_the_link_is_sent(void **state)
{
	struct walks *ws;
	uint8_t hash[TOKEN_HASH_BYTES], other[TOKEN_HASH_BYTES];
	uint8_t a[WALK_ID_BYTES], b[WALK_ID_BYTES], c[WALK_ID_BYTES];
	uint8_t d[WALK_ID_BYTES], none[WALK_ID_BYTES];
	struct walk_info info;
	uint32_t seq;
	int has_id = 0;

	(void)state;
	randombytes_buf(hash, sizeof(hash));
	memcpy(other, hash, sizeof(other));
	/* Another link whose walks share the window. */
	other[TOKEN_HASH_BYTES - 1] ^= 1;
	memset(none, 7, sizeof(none));
	assert_int_equal(walks_new(&ws, WALK_DONE_GRACE_MS), GH_OK);
	new_walk(ws, hash, a);
	new_walk(ws, hash, b);
	new_walk(ws, other, d);
	assert_int_equal(walks_status(ws, hash, a, &info), WALK_LIVE);
	assert_int_equal(info.wave_id, 1);
	assert_int_equal(info.is_test, 0);
	assert_int_equal(info.has_unit, 0);
	/* A test link's walk says so, and only that walk. */
	walks_mark_test(ws, other, d);
	assert_int_equal(walks_status(ws, other, d, &info),
	    WALK_LIVE);
	assert_int_equal(info.is_test, 1);
	/* The unit its lookup found stays with the walk, and only it. */
	walks_set_unit(ws, hash, a, "Directie A/Afdeling 1");
	assert_int_equal(walks_status(ws, hash, a, &info), WALK_LIVE);
	assert_int_equal(info.is_test, 0);
	assert_int_equal(info.has_unit, 1);
	assert_string_equal(info.unit, "Directie A/Afdeling 1");
	assert_int_equal(walks_status(ws, hash, b, &info), WALK_LIVE);
	assert_int_equal(info.has_unit, 0);
	walks_set_unit(ws, hash, b, "");
	assert_int_equal(walks_status(ws, hash, b, &info), WALK_LIVE);
	assert_int_equal(info.has_unit, 1);
	assert_string_equal(info.unit, "");
	assert_int_equal(walks_status(ws, hash, none, &info), WALK_UNKNOWN);
	assert_int_equal(info.wave_id, 0);
	assert_int_equal(info.has_unit, 0);
	/* Send: the walk is recorded (its state kept), then stored. */
	has_id = 1;
	assert_int_equal(walks_put(ws, hash, 1, b, &has_id, NULL,
	    WALK_VIEW_PAGE, 0, 0, NULL, &seq), GH_OK);
	assert_int_equal(walks_status(ws, hash, b, &info), WALK_LIVE);
	assert_int_equal(walks_link_is_spent(ws, hash), 0);
	walks_set_done(ws, hash, 1, b);
	assert_int_equal(walks_status(ws, hash, b, &info), WALK_DONE);
	/* What a Start from an earlier welcome page asks. */
	assert_int_equal(walks_link_is_spent(ws, hash), 1);
	assert_int_equal(walks_link_is_spent(ws, other), 0);
	assert_int_equal(walks_status(ws, hash, a, &info), WALK_UNKNOWN);
	new_walk(ws, hash, c);
	assert_int_equal(walks_status(ws, hash, c, &info), WALK_UNKNOWN);
	/* Another link's walk in the same window is not touched. */
	assert_int_equal(walks_status(ws, other, d, &info), WALK_LIVE);
	walks_free(ws);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_walk_done_one_stays_when_the_link_makes_more),
		cmocka_unit_test(
		test_walk_pushed_out_before_its_answer_is_stored_comes_back_done),
		cmocka_unit_test(
		test_walk_full_window_drops_a_done_walk_before_one_under_way),
		cmocka_unit_test(
		test_walk_just_finished_stays_for_its_thank_you_page),
		cmocka_unit_test(
		    test_walk_step_keeps_its_view_but_not_its_notice),
		cmocka_unit_test(test_walk_status_once_the_link_is_sent),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_survey_state_welcome.c: the welcome page's sealed state
 * (server/survey/state_welcome.c): a round trip with and without a unit,
 * and every way one must be refused: another token, too old or made
 * later than now, a flipped byte, another key (a server restart), a page
 * state in its place and it in a page state's, bad text, too large.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "survey/def.h"
#include "survey/state.h"

#define WAVE	7
#define NOW	1000000
#define AGE	600000

static const uint8_t hash_a[TOKEN_HASH_BYTES] = { 0xaa, 1, 2, 3 };
static const uint8_t hash_b[TOKEN_HASH_BYTES] = { 0xbb, 1, 2, 3 };

struct fixture {
	struct state_key *key;
	struct state_key *other;
};

static int
setup(void **state)
{
	static struct fixture fx;

	if (sodium_init() < 0 || state_key_new(&fx.key) != GH_OK ||
	    state_key_new(&fx.other) != GH_OK)
		return -1;
	*state = &fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	state_key_free(fx->key);
	state_key_free(fx->other);
	return 0;
}

static char *
seal(const struct fixture *fx, const char *unit, int64_t made)
{
	char *text = NULL;

	assert_int_equal(state_welcome_seal(fx->key, hash_a, WAVE, unit, made,
	    &text), GH_OK);
	assert_non_null(text);
	assert_true(strlen(text) <= STATE_WELCOME_MAX_TEXT);
	return text;
}

/* Opens text for hash at now; returns the result, *wave and unit set. */
static int
open_at(const struct fixture *fx, const struct state_key *key,
    const uint8_t *hash, const char *text, int64_t now, int64_t *wave,
    char unit[DEF_MAX_UNIT + 1])
{
	(void)fx;
	return state_welcome_open(key, hash, text, strlen(text), now, AGE,
	    wave, unit, DEF_MAX_UNIT + 1);
}

static void
test_state_welcome_round_trip(void **state)
{
	struct fixture *fx = *state;
	char unit[DEF_MAX_UNIT + 1], longest[DEF_MAX_UNIT + 1];
	int64_t wave = 0;
	char *text = seal(fx, "Ruimte & Co", NOW);

	assert_int_equal(open_at(fx, fx->key, hash_a, text, NOW + AGE, &wave,
	    unit), GH_OK);
	assert_int_equal(wave, WAVE);
	assert_string_equal(unit, "Ruimte & Co");
	free(text);
	/* No unit, and the longest a batch may have. */
	text = seal(fx, NULL, NOW);
	assert_int_equal(open_at(fx, fx->key, hash_a, text, NOW, &wave, unit),
	    GH_OK);
	assert_string_equal(unit, "");
	free(text);
	memset(longest, 'u', DEF_MAX_UNIT);
	longest[DEF_MAX_UNIT] = '\0';
	text = seal(fx, longest, NOW);
	assert_int_equal(open_at(fx, fx->key, hash_a, text, NOW, &wave, unit),
	    GH_OK);
	assert_string_equal(unit, longest);
	free(text);
}

static void
test_state_welcome_unit_too_long_is_refused(void **state)
{
	struct fixture *fx = *state;
	char unit[DEF_MAX_UNIT + 2];
	char *text = NULL;

	memset(unit, 'u', DEF_MAX_UNIT + 1);
	unit[DEF_MAX_UNIT + 1] = '\0';
	assert_int_equal(state_welcome_seal(fx->key, hash_a, WAVE, unit, NOW,
	    &text), GH_ERR_INVALID);
	assert_null(text);
}

static void
test_state_welcome_other_token_or_time_is_refused(void **state)
{
	struct fixture *fx = *state;
	char unit[DEF_MAX_UNIT + 1];
	int64_t wave = 5;
	char *text = seal(fx, "A", NOW);

	assert_int_equal(open_at(fx, fx->key, hash_b, text, NOW, &wave, unit),
	    GH_ERR_INVALID);
	assert_int_equal(wave, 0);
	assert_string_equal(unit, "");
	/* Older than the age allowed, or made after now. */
	assert_int_equal(open_at(fx, fx->key, hash_a, text, NOW + AGE + 1,
	    &wave, unit), GH_ERR_INVALID);
	assert_int_equal(open_at(fx, fx->key, hash_a, text, NOW - 1, &wave,
	    unit), GH_ERR_INVALID);
	/* Another key: the server restarted. */
	assert_int_equal(open_at(fx, fx->other, hash_a, text, NOW, &wave,
	    unit), GH_ERR_CRYPTO);
	free(text);
}

static void
test_state_welcome_flipped_byte_is_refused(void **state)
{
	struct fixture *fx = *state;
	char unit[DEF_MAX_UNIT + 1];
	int64_t wave;
	char *text = seal(fx, "A", NOW);
	size_t i, n = strlen(text);

	/* Any character changed: the box no longer opens (or decodes). */
	for (i = 0; i < n; i++) {
		char keep = text[i];

		text[i] = keep == 'A' ? 'B' : 'A';
		assert_int_not_equal(open_at(fx, fx->key, hash_a, text, NOW,
		    &wave, unit), GH_OK);
		text[i] = keep;
	}
	assert_int_equal(open_at(fx, fx->key, hash_a, text, NOW, &wave, unit),
	    GH_OK);
	free(text);
}

static void
test_state_welcome_and_page_state_are_not_each_other(void **state)
{
	struct fixture *fx = *state;
	char unit[DEF_MAX_UNIT + 1];
	struct form *f = NULL;
	size_t page = 0;
	int64_t wave;
	char *page_state = NULL, *text = seal(fx, "A", NOW);

	assert_int_equal(state_open(fx->key, hash_a, WAVE, text, strlen(text),
	    &page, &f), GH_ERR_INVALID);
	assert_null(f);
	assert_int_equal(state_seal(fx->key, hash_a, WAVE, 0, NULL,
	    &page_state), GH_OK);
	assert_int_equal(open_at(fx, fx->key, hash_a, page_state, NOW, &wave,
	    unit), GH_ERR_INVALID);
	free(page_state);
	free(text);
}

static void
test_state_welcome_bad_text_is_refused(void **state)
{
	struct fixture *fx = *state;
	char unit[DEF_MAX_UNIT + 1], big[STATE_WELCOME_MAX_TEXT + 2];
	int64_t wave;

	assert_int_equal(open_at(fx, fx->key, hash_a, "", NOW, &wave, unit),
	    GH_ERR_INVALID);
	assert_int_equal(open_at(fx, fx->key, hash_a, "not base64!", NOW,
	    &wave, unit), GH_ERR_INVALID);
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(open_at(fx, fx->key, hash_a, big, NOW, &wave, unit),
	    GH_ERR_TOO_LARGE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_welcome_round_trip),
		cmocka_unit_test(test_state_welcome_unit_too_long_is_refused),
		cmocka_unit_test(
		    test_state_welcome_other_token_or_time_is_refused),
		cmocka_unit_test(test_state_welcome_flipped_byte_is_refused),
		cmocka_unit_test(
		    test_state_welcome_and_page_state_are_not_each_other),
		cmocka_unit_test(test_state_welcome_bad_text_is_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

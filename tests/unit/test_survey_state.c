/*
 * test_survey_state.c: the sealed page state of a multi-page survey
 * (server/survey/state.c): a round trip, and every way a state must be
 * refused: a flipped byte, another token or wave, another key (a server
 * restart), bad base64url, too large; and the merge of kept and posted
 * answers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "survey/state.h"

#define WAVE	7

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

static struct form_field answer_fields[] = {
	{ "lang", "nl", 2 },
	{ "q_seen", "b", 1 },
	{ "q_forms", "a", 1 },
	{ "q_forms", "c", 1 },
	{ "q_story", "\"quoted\" \\ <tag> \xc3\xa9\n", 20 },
	{ "state", "ignored", 7 },
};
static struct form answers = { answer_fields, 6 };

/* Seals answers for token A, page 2, and returns the text. */
static char *
seal_a(const struct fixture *fx)
{
	char *text = NULL;

	assert_int_equal(state_seal(fx->key, hash_a, WAVE, 2, &answers,
	    &text), GH_OK);
	assert_non_null(text);
	return text;
}

static void
test_survey_state_round_trip(void **state)
{
	struct fixture *fx = *state;
	struct form *f = NULL;
	size_t page = 99;
	char *text = seal_a(fx);

	/* base64url without padding: nothing to escape in a form */
	assert_int_equal(strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijkl"
	    "mnopqrstuvwxyz0123456789-_"), strlen(text));
	assert_int_equal(state_open(fx->key, hash_a, WAVE, text, strlen(text),
	    &page, &f), GH_OK);
	assert_int_equal(page, 2);
	/* only the answer fields, in order, byte for byte */
	assert_int_equal(f->n, 4);
	assert_string_equal(f->fields[0].name, "q_seen");
	assert_string_equal(f->fields[0].value, "b");
	assert_string_equal(f->fields[1].name, "q_forms");
	assert_string_equal(f->fields[2].value, "c");
	assert_string_equal(f->fields[3].value, answer_fields[4].value);
	assert_int_equal(f->fields[3].value_len, 20);
	form_free(f);
	free(text);
}

/*
 * Answers that cJSON escapes the most (a control character takes six
 * characters) and a wave id of 15 digits: the JSON is printed into a buffer
 * sized to the answers (state.c), and comes back byte for byte.
 */
static void
test_survey_state_escaped_answers_round_trip(void **state)
{
	struct fixture *fx = *state;
	char ctl[1001], quotes[1001], *text = NULL;
	struct form_field fields[] = {
		{ "q_ctl", ctl, sizeof(ctl) - 1 },
		{ "q_quotes", quotes, sizeof(quotes) - 1 },
	};
	struct form two = { fields, 2 }, *f = NULL;
	const int64_t wave = 999999999999999LL;
	size_t page = 0;

	memset(ctl, 0x01, sizeof(ctl) - 1);
	ctl[sizeof(ctl) - 1] = '\0';
	memset(quotes, '"', sizeof(quotes) - 1);
	quotes[sizeof(quotes) - 1] = '\0';
	assert_int_equal(state_seal(fx->key, hash_a, wave, DEF_MAX_PAGES - 1,
	    &two, &text), GH_OK);
	assert_int_equal(state_open(fx->key, hash_a, wave, text, strlen(text),
	    &page, &f), GH_OK);
	assert_int_equal(page, DEF_MAX_PAGES - 1);
	assert_int_equal(f->n, 2);
	assert_string_equal(f->fields[0].value, ctl);
	assert_string_equal(f->fields[1].value, quotes);
	form_free(f);
	free(text);
}

static void
test_survey_state_empty_answers_round_trip(void **state)
{
	struct fixture *fx = *state;
	struct form *f = NULL;
	size_t page = 99;
	char *text = NULL;

	assert_int_equal(state_seal(fx->key, hash_a, WAVE, 0, NULL, &text),
	    GH_OK);
	assert_int_equal(state_open(fx->key, hash_a, WAVE, text, strlen(text),
	    &page, &f), GH_OK);
	assert_int_equal(page, 0);
	assert_int_equal(f->n, 0);
	form_free(f);
	free(text);
}

/* Every state is new: a fresh nonce each time, so equal input differs. */
static void
test_survey_state_nonce_is_fresh(void **state)
{
	struct fixture *fx = *state;
	char *t1 = seal_a(fx), *t2 = seal_a(fx);

	assert_string_not_equal(t1, t2);
	free(t1);
	free(t2);
}

static void
test_survey_state_flipped_byte_is_rejected(void **state)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
	    "opqrstuvwxyz0123456789-_";
	struct fixture *fx = *state;
	struct form *f = NULL;
	size_t i, len, page = 99;
	char *text = seal_a(fx), *p, saved;

	len = strlen(text);
	/* Every character in turn: nonce, MAC and ciphertext. The last
	 * character only holds a few bits of the box; changing it to
	 * another letter changes those bits or makes it non-canonical. */
	for (i = 0; i < len; i++) {
		saved = text[i];
		p = strchr(alphabet, saved);
		text[i] = p[1] != '\0' ? p[1] : alphabet[0];
		assert_int_not_equal(state_open(fx->key, hash_a, WAVE, text,
		    len, &page, &f), GH_OK);
		assert_null(f);
		text[i] = saved;
	}
	/* a flipped byte in the middle is a failed MAC, exactly */
	text[len / 2] = text[len / 2] == 'A' ? 'B' : 'A';
	assert_int_equal(state_open(fx->key, hash_a, WAVE, text, len, &page,
	    &f), GH_ERR_CRYPTO);
	assert_int_equal(page, 99);
	free(text);
}

static void
test_survey_state_other_token_is_rejected(void **state)
{
	struct fixture *fx = *state;
	struct form *f = NULL;
	size_t page = 99;
	char *text = seal_a(fx);

	assert_int_equal(state_open(fx->key, hash_b, WAVE, text, strlen(text),
	    &page, &f), GH_ERR_INVALID);
	assert_null(f);
	assert_int_equal(page, 99);
	free(text);
}

static void
test_survey_state_other_wave_is_rejected(void **state)
{
	struct fixture *fx = *state;
	struct form *f = NULL;
	size_t page = 99;
	char *text = seal_a(fx);

	assert_int_equal(state_open(fx->key, hash_a, WAVE + 1, text,
	    strlen(text), &page, &f), GH_ERR_INVALID);
	assert_null(f);
	free(text);
}

/* Another key is what a restarted server has: every old state expires. */
static void
test_survey_state_other_key_is_rejected(void **state)
{
	struct fixture *fx = *state;
	struct form *f = NULL;
	size_t page = 99;
	char *text = seal_a(fx);

	assert_int_equal(state_open(fx->other, hash_a, WAVE, text,
	    strlen(text), &page, &f), GH_ERR_CRYPTO);
	assert_null(f);
	free(text);
}

static void
test_survey_state_bad_text_is_rejected(void **state)
{
	static const char *const bad[] = {
		"", "A", "AAAA", "!!!!", "AAAA=", "AA AA", "AA+A", "AA/A",
	};
	struct fixture *fx = *state;
	struct form *f = NULL;
	size_t i, len, page = 99;
	char *text = seal_a(fx);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(state_open(fx->key, hash_a, WAVE, bad[i],
		    strlen(bad[i]), &page, &f), GH_ERR_INVALID);
	/* cut short, or with something after it */
	len = strlen(text);
	assert_int_not_equal(state_open(fx->key, hash_a, WAVE, text, len - 4,
	    &page, &f), GH_OK);
	text[len - 1] = '.';
	assert_int_equal(state_open(fx->key, hash_a, WAVE, text, len, &page,
	    &f), GH_ERR_INVALID);
	assert_null(f);
	free(text);
}

static void
test_survey_state_oversized_is_rejected(void **state)
{
	struct fixture *fx = *state;
	struct form_field big_field = { "q_story", NULL, STATE_MAX_PLAIN };
	struct form big = { &big_field, 1 };
	struct form *f = NULL;
	size_t page = 99;
	char *text = NULL, *huge;

	/* sealing refuses an answer list that would not fit */
	huge = malloc(STATE_MAX_PLAIN + 1);
	assert_non_null(huge);
	memset(huge, 'x', STATE_MAX_PLAIN);
	huge[STATE_MAX_PLAIN] = '\0';
	big_field.value = huge;
	assert_int_equal(state_seal(fx->key, hash_a, WAVE, 1, &big, &text),
	    GH_ERR_TOO_LARGE);
	assert_null(text);
	/* a page beyond any definition is refused too */
	assert_int_equal(state_seal(fx->key, hash_a, WAVE, DEF_MAX_PAGES,
	    NULL, &text), GH_ERR_INVALID);
	free(huge);
	/* opening refuses a text over the limit before decoding it */
	huge = malloc(STATE_MAX_TEXT + 4);
	assert_non_null(huge);
	memset(huge, 'A', STATE_MAX_TEXT + 4);
	assert_int_equal(state_open(fx->key, hash_a, WAVE, huge,
	    STATE_MAX_TEXT + 4, &page, &f), GH_ERR_TOO_LARGE);
	assert_null(f);
	free(huge);
}

/* Seals one answer of len 'y's for token A, page 1, into *text. */
static int
seal_len(const struct fixture *fx, size_t len, char **text)
{
	struct form_field fl = { "q_story", NULL, len };
	struct form one = { &fl, 1 };
	int r;

	fl.value = malloc(len + 1);
	assert_non_null(fl.value);
	memset(fl.value, 'y', len);
	fl.value[len] = '\0';
	r = state_seal(fx->key, hash_a, WAVE, 1, &one, text);
	free(fl.value);
	return r;
}

/* The largest answer list that fits seals and opens again. */
static void
test_survey_state_largest_fits(void **state)
{
	struct fixture *fx = *state;
	struct form *f = NULL;
	size_t n, page = 99;
	char *text = NULL;

	/* {"t":"<64>","w":7,"p":1,"a":[["q_story","..."]]} */
	n = STATE_MAX_PLAIN - strlen("{\"t\":\"\",\"w\":7,\"p\":1,\"a\":"
	    "[[\"q_story\",\"\"]]}") - 2 * TOKEN_HASH_BYTES;
	assert_int_equal(seal_len(fx, n, &text), GH_OK);
	assert_true(strlen(text) <= STATE_MAX_TEXT);
	assert_int_equal(state_open(fx->key, hash_a, WAVE, text, strlen(text),
	    &page, &f), GH_OK);
	assert_int_equal(f->fields[0].value_len, n);
	form_free(f);
	free(text);
	text = NULL;
	/* one byte more does not */
	assert_int_equal(seal_len(fx, n + 1, &text), GH_ERR_TOO_LARGE);
	assert_null(text);
}

/* Two pages: p0 has q_a (single) and q_n (number), p1 has q_b (multi). */
static struct def_option merge_opts[] = {
	{ .id = "x", .label = { { "X", "X" } } },
	{ .id = "y", .label = { { "Y", "Y" } } },
};
static struct def_question merge_qs[] = {
	{ .id = "a", .type = DEF_SINGLE, .options = merge_opts,
	  .n_options = 2, .page = 0, .matrix = -1 },
	{ .id = "n", .type = DEF_NUMBER, .min = 0, .max = 99, .page = 0,
	  .matrix = -1 },
	{ .id = "b", .type = DEF_MULTI, .options = merge_opts,
	  .n_options = 2, .page = 1, .matrix = -1 },
};
static struct def merge_def = { .id = "m", .questions = merge_qs,
    .n_questions = 3 };

static void
test_survey_state_merge_replaces_this_page(void **state)
{
	struct form_field kf[] = {
		{ "q_a", "x", 1 }, { "q_n", "5", 1 },
		{ "q_b", "x", 1 }, { "q_b", "y", 1 },
	};
	struct form_field pf[] = {
		{ "lang", "nl", 2 }, { "q_b", "y", 1 }, { "q_a", "y", 1 },
		{ "q_zz", "1", 1 }, { "nav", "next", 4 },
	};
	struct form kept = { kf, 4 }, posted = { pf, 5 };
	struct form *f = NULL;

	(void)state;
	/* posting page 1: its q_b comes from the post only; q_a of page 0
	 * is kept, the posted one dropped; the unknown q_zz stays for the
	 * validation to refuse; lang and nav are not answers */
	assert_int_equal(state_merge(&merge_def, 1, &kept, &posted, &f),
	    GH_OK);
	assert_int_equal(f->n, 4);
	assert_string_equal(f->fields[0].name, "q_a");
	assert_string_equal(f->fields[0].value, "x");
	assert_string_equal(f->fields[1].name, "q_n");
	assert_string_equal(f->fields[2].name, "q_b");
	assert_string_equal(f->fields[2].value, "y");
	assert_string_equal(f->fields[3].name, "q_zz");
	form_free(f);
}

static void
test_survey_state_merge_unchecked_means_unanswered(void **state)
{
	struct form_field kf[] = { { "q_a", "x", 1 }, { "q_n", "5", 1 },
	    { "q_b", "x", 1 } };
	struct form_field pf[] = { { "q_n", "", 0 } };
	struct form kept = { kf, 3 }, posted = { pf, 1 };
	struct form *f = NULL;

	(void)state;
	/* page 0 posted with nothing chosen and an empty number box */
	assert_int_equal(state_merge(&merge_def, 0, &kept, &posted, &f),
	    GH_OK);
	assert_int_equal(f->n, 1);
	assert_string_equal(f->fields[0].name, "q_b");
	form_free(f);
	assert_int_equal(state_merge(&merge_def, 0, NULL, NULL, &f), GH_OK);
	assert_int_equal(f->n, 0);
	form_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_survey_state_round_trip),
		cmocka_unit_test(test_survey_state_escaped_answers_round_trip),
		cmocka_unit_test(test_survey_state_empty_answers_round_trip),
		cmocka_unit_test(test_survey_state_nonce_is_fresh),
		cmocka_unit_test(test_survey_state_flipped_byte_is_rejected),
		cmocka_unit_test(test_survey_state_other_token_is_rejected),
		cmocka_unit_test(test_survey_state_other_wave_is_rejected),
		cmocka_unit_test(test_survey_state_other_key_is_rejected),
		cmocka_unit_test(test_survey_state_bad_text_is_rejected),
		cmocka_unit_test(test_survey_state_oversized_is_rejected),
		cmocka_unit_test(test_survey_state_largest_fits),
		cmocka_unit_test(test_survey_state_merge_replaces_this_page),
		cmocka_unit_test(
		    test_survey_state_merge_unchecked_means_unanswered),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * test_survey_unit.c: the token batch's unit label in an answer (unit
 * source "batch"): answer_encode_unit writes "u" (a label or null) only
 * for such a definition, answer_decode_unit reads it back and refuses a
 * "u" where none belongs, a missing one, an over-long one and one that
 * is not UTF-8; the bucket holds the longest label that must be escaped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "survey/answer.h"
#include "survey_fixture.h"

#define WAVE	7

#define PAGES	PAGE("p", YESNO("y", "") "," TEXT("t", ""))

static struct def *batch, *plain_def;

static int
setup(void **state)
{
	(void)state;
	batch = def2_ok(DEF2X("'unit':{'source':'batch'}", PAGES));
	plain_def = def2_ok(DEF2(PAGES));
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	def_free(batch);
	def_free(plain_def);
	return 0;
}

/* Encodes body for d with unit; returns the plaintext as a string. */
static char *
encode(const struct def *d, const char *unit, const char *body)
{
	struct answer_check *chk = NULL;
	struct form *f = form_of(body);
	uint8_t *plain = NULL;
	size_t len = 0;
	char *s;

	assert_int_equal(answer_encode_unit(d, WAVE, unit, f, &chk, &plain,
	    &len), GH_OK);
	assert_null(chk);
	assert_true(len < d->bucket);
	assert_non_null(s = calloc(1, len + 1));
	memcpy(s, plain, len);
	answer_plain_free(plain, len);
	form_free(f);
	return s;
}

/* Decodes text for d; returns the result, the label in unit. */
static int
decode(const struct def *d, const char *text, char *unit)
{
	struct def_answer a[DEF_MAX_QUESTIONS];

	return answer_decode_unit(d, WAVE, (const uint8_t *)text,
	    strlen(text), a, unit, DEF_MAX_UNIT + 1);
}

static void
test_unit_round_trip(void **state)
{
	char unit[DEF_MAX_UNIT + 1], *s;

	(void)state;
	s = encode(batch, "Directie B, \"Oost\"", "q_y=ja");
	assert_string_equal(s, "{\"v\":1,\"w\":7,\"u\":\"Directie B, "
	    "\\\"Oost\\\"\",\"a\":{\"y\":\"ja\"}}");
	assert_int_equal(decode(batch, s, unit), GH_OK);
	assert_string_equal(unit, "Directie B, \"Oost\"");
	free(s);
	s = encode(batch, "Zorg \xc3\xa9\xc3\xa9n", "q_y=nee");
	assert_int_equal(decode(batch, s, unit), GH_OK);
	assert_string_equal(unit, "Zorg \xc3\xa9\xc3\xa9n");
	free(s);
}

static void
test_unit_null_round_trip(void **state)
{
	char unit[DEF_MAX_UNIT + 1], *s;

	(void)state;
	s = encode(batch, NULL, "q_y=ja");
	assert_string_equal(s, "{\"v\":1,\"w\":7,\"u\":null,\"a\":{\"y\":\"ja\"}}");
	memset(unit, 'X', sizeof(unit));
	assert_int_equal(decode(batch, s, unit), GH_OK);
	assert_string_equal(unit, "");
	free(s);
	s = encode(batch, "", "q_y=ja");
	assert_non_null(strstr(s, "\"u\":null"));
	free(s);
}

static void
test_unit_not_in_other_definitions(void **state)
{
	char unit[DEF_MAX_UNIT + 1], *s;

	(void)state;
	/* The label is ignored where the definition has no unit batch. */
	s = encode(plain_def, "Directie A", "q_y=ja");
	assert_string_equal(s, "{\"v\":1,\"w\":7,\"a\":{\"y\":\"ja\"}}");
	free(s);
	assert_int_equal(decode(plain_def,
	    "{\"v\":1,\"w\":7,\"u\":\"Directie A\",\"a\":{\"y\":\"ja\"}}", unit),
	    GH_ERR_INVALID);
	assert_int_equal(decode(plain_def,
	    "{\"v\":1,\"w\":7,\"u\":null,\"a\":{\"y\":\"ja\"}}", unit),
	    GH_ERR_INVALID);
	assert_int_equal(decode(plain_def,
	    "{\"v\":1,\"w\":7,\"a\":{\"y\":\"ja\"}}", unit), GH_OK);
	assert_string_equal(unit, "");
}

static void
test_unit_decode_refuses_bad_unit(void **state)
{
	char unit[DEF_MAX_UNIT + 1], text[512];
	struct def_answer a[DEF_MAX_QUESTIONS];
	uint64_t chosen[DEF_MAX_QUESTIONS];
	uint8_t answered[DEF_MAX_QUESTIONS];
	static const char *const bad[] = {
		"{\"v\":1,\"w\":7,\"a\":{\"y\":\"ja\"}}",		/* missing */
		"{\"v\":1,\"w\":7,\"u\":\"\",\"a\":{\"y\":\"ja\"}}",	/* empty */
		"{\"v\":1,\"w\":7,\"u\":3,\"a\":{\"y\":\"ja\"}}",
		"{\"v\":1,\"w\":7,\"u\":[],\"a\":{\"y\":\"ja\"}}",
		"{\"v\":1,\"w\":7,\"u\":\"\xff\",\"a\":{\"y\":\"ja\"}}",
		"{\"v\":1,\"w\":7,\"u\":\"a\\nb\",\"a\":{\"y\":\"ja\"}}",
		"{\"v\":1,\"w\":7,\"u\":\"a\",\"u\":\"b\",\"a\":{\"y\":\"ja\"}}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(unit, 'X', sizeof(unit));
		assert_int_equal(decode(batch, bad[i], unit), GH_ERR_INVALID);
		assert_int_equal(unit[0], '\0');
	}
	/* The older decoders check "u" too. */
	assert_int_equal(answer_decode_answers(batch, WAVE,
	    (const uint8_t *)bad[0], strlen(bad[0]), a), GH_ERR_INVALID);
	assert_int_equal(answer_decode(batch, WAVE, (const uint8_t *)bad[0],
	    strlen(bad[0]), chosen, answered), GH_ERR_INVALID);
	/* DEF_MAX_UNIT bytes pass; one more does not. */
	snprintf(text, sizeof(text), "{\"v\":1,\"w\":7,\"u\":\"%0*d\","
	    "\"a\":{\"y\":\"ja\"}}", DEF_MAX_UNIT, 0);
	assert_int_equal(decode(batch, text, unit), GH_OK);
	assert_int_equal(strlen(unit), DEF_MAX_UNIT);
	snprintf(text, sizeof(text), "{\"v\":1,\"w\":7,\"u\":\"%0*d\","
	    "\"a\":{\"y\":\"ja\"}}", DEF_MAX_UNIT + 1, 0);
	assert_int_equal(decode(batch, text, unit), GH_ERR_INVALID);
}

static void
test_unit_encode_refuses_bad_label(void **state)
{
	struct answer_check *chk = NULL;
	struct form *f = form_of("q_y=ja");
	uint8_t *plain = (uint8_t *)1;
	size_t len = 1;
	char label[DEF_MAX_UNIT + 2];

	(void)state;
	memset(label, 'a', DEF_MAX_UNIT + 1);
	label[DEF_MAX_UNIT + 1] = '\0';
	assert_int_equal(answer_encode_unit(batch, WAVE, label, f, &chk,
	    &plain, &len), GH_ERR_INVALID);
	assert_null(chk);
	assert_null(plain);
	assert_int_equal(answer_encode_unit(batch, WAVE, "a\tb", f, &chk,
	    &plain, &len), GH_ERR_INVALID);
	assert_null(plain);
	assert_int_equal(answer_unit_is_valid("Directie A"), 1);
	assert_int_equal(answer_unit_is_valid(""), 0);
	assert_int_equal(answer_unit_is_valid("\xc3"), 0);
	assert_int_equal(answer_unit_is_valid("a\x7f"), 0);
	form_free(f);
}

static void
test_unit_bucket_holds_longest_label(void **state)
{
	char label[DEF_MAX_UNIT + 1], body[256], *s;
	struct def *d = def2_ok(DEF2X("'unit':{'source':'batch'}",
	    PAGE("p", YESNO("y", ""))));
	struct def *nd = def2_ok(DEF2(PAGE("p", YESNO("y", ""))));
	size_t i;

	(void)state;
	/* Every byte escaped: '"' prints as two. */
	for (i = 0; i < DEF_MAX_UNIT; i++)
		label[i] = i % 2 ? '"' : '\\';
	label[DEF_MAX_UNIT] = '\0';
	assert_true(d->bucket >= nd->bucket + 2 * DEF_MAX_UNIT);
	snprintf(body, sizeof(body), "q_y=ja");
	s = encode(d, label, body);
	assert_true(strlen(s) < d->bucket);
	assert_true(strlen(s) >= 2 * DEF_MAX_UNIT);
	free(s);
	/* And for the real text-heavy fixture, a full text too. */
	s = encode(batch, label, "q_y=nee&q_t="
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	assert_true(strlen(s) < batch->bucket);
	free(s);
	def_free(d);
	def_free(nd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unit_round_trip),
		cmocka_unit_test(test_unit_null_round_trip),
		cmocka_unit_test(test_unit_not_in_other_definitions),
		cmocka_unit_test(test_unit_decode_refuses_bad_unit),
		cmocka_unit_test(test_unit_encode_refuses_bad_label),
		cmocka_unit_test(test_unit_bucket_holds_longest_label),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

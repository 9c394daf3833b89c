/*
 * test_survey_answer.c: the answer codec (server/survey/answer.c): forms
 * that encode and decode back, every form problem with its exact code, and
 * every way a plaintext can be wrong on the way back.
 *
 * The group setup loads survey-defs/demo.json; questions by index:
 * 0 soort_werk (single, required), 1..4 likert 1-5, 5 meegemaakt (multi),
 * 6 toelichting (text, 500).
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

#define WAVE	7

static struct def *demo;

static int
setup(void **state)
{
	const char *src = getenv("GEHOORD_SRC");
	char path[1024], err[512];

	(void)state;
	if (src == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/survey-defs/demo.json", src);
	if (def_load_file(path, &demo, NULL, err, sizeof(err)) != GH_OK) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	def_free(demo);
	return 0;
}

/* Parses a definition fixture written with ' for ". */
static struct def *
def_of(const char *s)
{
	struct def *d = NULL;
	char err[512], *json, *p;

	json = strdup(s);
	assert_non_null(json);
	for (p = json; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	if (def_parse(json, strlen(json), "t.json", &d, err, sizeof(err)) !=
	    GH_OK)
		fail_msg("%s", err);
	free(json);
	return d;
}

static struct form *
form_of(const char *body)
{
	struct form *f = NULL;

	assert_int_equal(form_parse(body, strlen(body), &f), GH_OK);
	return f;
}

/* Encodes body against d and expects success; returns the plaintext. */
static uint8_t *
encode_ok(const struct def *d, int64_t wave, const char *body, size_t *len)
{
	struct answer_check *chk = (struct answer_check *)1;
	struct form *f = form_of(body);
	uint8_t *plain = NULL;

	assert_int_equal(answer_encode(d, wave, f, &chk, &plain, len), GH_OK);
	assert_null(chk);
	assert_non_null(plain);
	assert_true(*len < d->bucket);
	assert_int_equal(strlen((char *)plain), *len);
	form_free(f);
	return plain;
}

/*
 * Encodes body against the demo and expects GH_ERR_INVALID with problem p
 * at question qi (or only an unknown field if qi < 0).
 */
static void
encode_bad(const char *body, int qi, enum answer_problem p)
{
	struct answer_check *chk = NULL;
	struct form *f = form_of(body);
	uint8_t *plain = (uint8_t *)1;
	size_t len = 1, i;

	assert_int_equal(answer_encode(demo, WAVE, f, &chk, &plain, &len),
	    GH_ERR_INVALID);
	assert_null(plain);
	assert_int_equal(len, 0);
	assert_non_null(chk);
	assert_int_equal(chk->n_questions, demo->n_questions);
	for (i = 0; i < chk->n_questions; i++)
		assert_int_equal(chk->problem[i],
		    (int)i == qi ? p : ANSWER_OK);
	assert_int_equal(chk->n_wrong, qi >= 0 ? 1 : 0);
	assert_int_equal(chk->has_unknown_field, qi < 0);
	answer_check_free(chk);
	form_free(f);
}

/* Decodes a NUL-terminated plaintext against the demo; expects r. */
static void
decode_expect(const char *plain, int64_t wave, int r)
{
	uint64_t chosen[16];
	uint8_t answered[16];
	size_t i;

	memset(chosen, 0xff, sizeof(chosen));
	memset(answered, 0xff, sizeof(answered));
	assert_int_equal(answer_decode(demo, wave, (const uint8_t *)plain,
	    strlen(plain), chosen, answered), r);
	if (r == GH_OK)
		return;
	for (i = 0; i < demo->n_questions; i++) {
		assert_int_equal(chosen[i], 0);
		assert_int_equal(answered[i], 0);
	}
}

#define FULL "lang=nl&csrf=abc&q_soort_werk=beleid&q_mezelf_zijn=4" \
	"&q_meegemaakt=geen&q_meegemaakt=pesten&q_toelichting=Hallo%0D%0A" \
	"w%C3%A9reld+%22ok%22%09!"

static void
test_answer_roundtrip(void **state)
{
	uint64_t chosen[7];
	uint8_t answered[7], *plain;
	size_t len;

	(void)state;
	plain = encode_ok(demo, WAVE, FULL, &len);
	/* Definition order, multi in option order, CR dropped. */
	assert_string_equal((char *)plain, "{\"v\":1,\"w\":7,\"a\":{"
	    "\"soort_werk\":\"beleid\",\"mezelf_zijn\":\"4\","
	    "\"meegemaakt\":[\"pesten\",\"geen\"],"
	    "\"toelichting\":\"Hallo\\nw\xc3\xa9reld \\\"ok\\\"\\t!\"}}");
	assert_int_equal(answer_decode(demo, WAVE, plain, len, chosen,
	    answered), GH_OK);
	assert_int_equal(answered[0], 1);
	assert_int_equal(chosen[0], 1 << 1);
	assert_int_equal(answered[1], 1);
	assert_int_equal(chosen[1], 1 << 3);
	assert_int_equal(answered[2], 0);
	assert_int_equal(chosen[2], 0);
	assert_int_equal(answered[4], 0);
	assert_int_equal(answered[5], 1);
	assert_int_equal(chosen[5], (1 << 0) | (1 << 6));
	assert_int_equal(answered[6], 1);
	assert_int_equal(chosen[6], 0);
	answer_plain_free(plain, len);
}

static void
test_answer_leaves_out_unanswered(void **state)
{
	uint8_t *plain;
	size_t len;

	(void)state;
	/* Empty single, empty multi value and blank text: not answered. */
	plain = encode_ok(demo, 12345, "q_soort_werk=beide&q_mezelf_zijn="
	    "&q_meegemaakt=&q_toelichting=+%0D%0A%09+&other=1", &len);
	assert_string_equal((char *)plain,
	    "{\"v\":1,\"w\":12345,\"a\":{\"soort_werk\":\"beide\"}}");
	answer_plain_free(plain, len);
	answer_plain_free(NULL, 0);
	answer_check_free(NULL);
}

static void
test_answer_unknown_question(void **state)
{
	(void)state;
	encode_bad("q_soort_werk=beleid&q_nope=1", -1, ANSWER_OK);
	encode_bad("q_soort_werk=beleid&q_=1", -1, ANSWER_OK);
	encode_bad("q_soort_werk=beleid&q_Soort_werk=beleid", -1, ANSWER_OK);
}

static void
test_answer_option_out_of_range(void **state)
{
	(void)state;
	encode_bad("q_soort_werk=ceo", 0, ANSWER_BAD_OPTION);
	encode_bad("q_soort_werk=beleid&q_mezelf_zijn=6", 1, ANSWER_BAD_OPTION);
	encode_bad("q_soort_werk=beleid&q_mezelf_zijn=Beleid", 1,
	    ANSWER_BAD_OPTION);
	encode_bad("q_soort_werk=beleid&q_meegemaakt=pesten&q_meegemaakt=x", 5,
	    ANSWER_BAD_OPTION);
}

static void
test_answer_multi_duplicate(void **state)
{
	(void)state;
	encode_bad("q_soort_werk=beleid&q_meegemaakt=pesten&q_meegemaakt=geen"
	    "&q_meegemaakt=pesten", 5, ANSWER_BAD_OPTION);
}

static void
test_answer_single_with_two_values(void **state)
{
	(void)state;
	encode_bad("q_soort_werk=beleid&q_soort_werk=beide", 0,
	    ANSWER_TOO_MANY);
	encode_bad("q_soort_werk=beleid&q_soort_werk=beleid", 0,
	    ANSWER_TOO_MANY);
	encode_bad("q_soort_werk=beleid&q_mezelf_zijn=1&q_mezelf_zijn=", 1,
	    ANSWER_TOO_MANY);
	encode_bad("q_soort_werk=beleid&q_toelichting=a&q_toelichting=b", 6,
	    ANSWER_TOO_MANY);
}

static void
test_answer_missing_required(void **state)
{
	(void)state;
	encode_bad("q_mezelf_zijn=1", 0, ANSWER_MISSING);
	encode_bad("q_soort_werk=", 0, ANSWER_MISSING);
	encode_bad("", 0, ANSWER_MISSING);
}

/* Returns a form body with a text of n copies of the %-escaped unit. */
static char *
text_body(const char *field, const char *unit, size_t n)
{
	size_t ulen = strlen(unit), flen = strlen(field), i;
	char *s;

	s = malloc(flen + 1 + ulen * n + 1);
	assert_non_null(s);
	memcpy(s, field, flen);
	s[flen] = '=';
	for (i = 0; i < n; i++)
		memcpy(s + flen + 1 + i * ulen, unit, ulen);
	s[flen + 1 + n * ulen] = '\0';
	return s;
}

static void
test_answer_text_over_cap(void **state)
{
	uint8_t *plain;
	char *body;
	size_t len;

	(void)state;
	/* 500 characters of 4 bytes, with CRs that do not count: fine. */
	body = text_body("q_soort_werk=beleid&q_toelichting",
	    "%F0%9F%98%80%0D", 500);
	plain = encode_ok(demo, WAVE, body, &len);
	answer_plain_free(plain, len);
	free(body);
	body = text_body("q_soort_werk=beleid&q_toelichting", "a", 501);
	encode_bad(body, 6, ANSWER_TOO_LONG);
	free(body);
}

static void
test_answer_invalid_utf8(void **state)
{
	(void)state;
	encode_bad("q_soort_werk=beleid&q_toelichting=caf%E9", 6,
	    ANSWER_BAD_TEXT);
	encode_bad("q_soort_werk=beleid&q_toelichting=%C0%AF", 6,
	    ANSWER_BAD_TEXT);
	encode_bad("q_soort_werk=beleid&q_toelichting=%ED%A0%80", 6,
	    ANSWER_BAD_TEXT);
	encode_bad("q_soort_werk=beleid&q_toelichting=%F4%90%80%80", 6,
	    ANSWER_BAD_TEXT);
	encode_bad("q_soort_werk=beleid&q_toelichting=ab%E2%82", 6,
	    ANSWER_BAD_TEXT);
}

static void
test_answer_control_char(void **state)
{
	(void)state;
	encode_bad("q_soort_werk=beleid&q_toelichting=a%07b", 6,
	    ANSWER_BAD_TEXT);
	encode_bad("q_soort_werk=beleid&q_toelichting=a%1Bb", 6,
	    ANSWER_BAD_TEXT);
	encode_bad("q_soort_werk=beleid&q_toelichting=a%7Fb", 6,
	    ANSWER_BAD_TEXT);
	encode_bad("q_soort_werk=beleid&q_toelichting=a%C2%85b", 6,
	    ANSWER_BAD_TEXT);
	/* A bad text is reported even if it is blank otherwise. */
	encode_bad("q_soort_werk=beleid&q_toelichting=%0B", 6,
	    ANSWER_BAD_TEXT);
}

static void
test_answer_reports_every_wrong_question(void **state)
{
	struct answer_check *chk = NULL;
	struct form *f;
	uint8_t *plain = NULL;
	size_t len;

	(void)state;
	f = form_of("q_mezelf_zijn=9&q_toelichting=%01&q_x=1");
	assert_int_equal(answer_encode(demo, WAVE, f, &chk, &plain, &len),
	    GH_ERR_INVALID);
	assert_int_equal(chk->problem[0], ANSWER_MISSING);
	assert_int_equal(chk->problem[1], ANSWER_BAD_OPTION);
	assert_int_equal(chk->problem[6], ANSWER_BAD_TEXT);
	assert_int_equal(chk->n_wrong, 3);
	assert_true(chk->has_unknown_field);
	answer_check_free(chk);
	form_free(f);
}

static void
test_answer_wave_id_range(void **state)
{
	struct answer_check *chk = NULL;
	struct form *f;
	uint8_t *plain = NULL;
	size_t len;

	(void)state;
	f = form_of("q_soort_werk=beleid");
	assert_int_equal(answer_encode(demo, INT64_C(1) << 53, f, &chk, &plain,
	    &len), GH_ERR_INVALID);
	assert_null(chk);
	assert_null(plain);
	assert_int_equal(answer_encode(demo, -1, f, &chk, &plain, &len),
	    GH_ERR_INVALID);
	assert_null(chk);
	form_free(f);
}

static void
test_answer_problem_str(void **state)
{
	(void)state;
	assert_string_equal(answer_problem_str(ANSWER_OK), "ok");
	assert_string_equal(answer_problem_str(ANSWER_MISSING),
	    "required and not answered");
	assert_string_equal(answer_problem_str(ANSWER_TOO_LONG),
	    "text too long");
	assert_string_equal(answer_problem_str((enum answer_problem)99),
	    "unknown problem");
}

#define A(x)	"{\"v\":1,\"w\":7,\"a\":{\"soort_werk\":\"beleid\"" x "}}"

static void
test_answer_decode_accepts(void **state)
{
	(void)state;
	decode_expect(A(""), WAVE, GH_OK);
	/* Key order and whitespace are not the codec's concern. */
	decode_expect("{ \"a\": {\"mezelf_zijn\":\"1\", \"soort_werk\":\"beide\"},"
	    " \"w\": 7, \"v\": 1 }", WAVE, GH_OK);
	decode_expect(A(",\"meegemaakt\":[\"geen\",\"pesten\"]"), WAVE, GH_OK);
	decode_expect(A(",\"toelichting\":\"a\\\\u0000\""), WAVE, GH_OK);
}

static void
test_answer_decode_rejects_wrong_wave(void **state)
{
	(void)state;
	decode_expect(A(""), 8, GH_ERR_INVALID);
	decode_expect("{\"v\":1,\"w\":\"7\",\"a\":{\"soort_werk\":\"beleid\"}}",
	    WAVE, GH_ERR_INVALID);
	decode_expect("{\"v\":1,\"w\":7.5,\"a\":{\"soort_werk\":\"beleid\"}}",
	    WAVE, GH_ERR_INVALID);
	decode_expect("{\"v\":1,\"a\":{\"soort_werk\":\"beleid\"}}", WAVE,
	    GH_ERR_INVALID);
}

static void
test_answer_decode_rejects_wrong_version(void **state)
{
	(void)state;
	decode_expect("{\"v\":2,\"w\":7,\"a\":{\"soort_werk\":\"beleid\"}}",
	    WAVE, GH_ERR_INVALID);
	decode_expect("{\"v\":\"1\",\"w\":7,\"a\":{\"soort_werk\":\"beleid\"}}",
	    WAVE, GH_ERR_INVALID);
	decode_expect("{\"w\":7,\"a\":{\"soort_werk\":\"beleid\"}}", WAVE,
	    GH_ERR_INVALID);
}

static void
test_answer_decode_rejects_unknown_key(void **state)
{
	(void)state;
	decode_expect(A(",\"nope\":\"x\""), WAVE, GH_ERR_INVALID);
	decode_expect(A(",\"Soort_werk\":\"beleid\""), WAVE, GH_ERR_INVALID);
	decode_expect("{\"v\":1,\"w\":7,\"a\":[]}", WAVE, GH_ERR_INVALID);
	decode_expect("{\"v\":1,\"w\":7}", WAVE, GH_ERR_INVALID);
	decode_expect("[1]", WAVE, GH_ERR_INVALID);
}

static void
test_answer_decode_rejects_extra_key(void **state)
{
	(void)state;
	decode_expect("{\"v\":1,\"w\":7,\"a\":{\"soort_werk\":\"beleid\"},"
	    "\"x\":1}", WAVE, GH_ERR_INVALID);
	decode_expect("{\"v\":1,\"v\":1,\"w\":7,\"a\":{\"soort_werk\":\"beleid\"}}",
	    WAVE, GH_ERR_INVALID);
	decode_expect(A(",\"soort_werk\":\"beide\""), WAVE, GH_ERR_INVALID);
}

static void
test_answer_decode_rejects_bad_option(void **state)
{
	(void)state;
	decode_expect("{\"v\":1,\"w\":7,\"a\":{\"soort_werk\":\"ceo\"}}", WAVE,
	    GH_ERR_INVALID);
	decode_expect("{\"v\":1,\"w\":7,\"a\":{\"soort_werk\":[\"beleid\"]}}",
	    WAVE, GH_ERR_INVALID);
	decode_expect(A(",\"mezelf_zijn\":4"), WAVE, GH_ERR_INVALID);
	decode_expect(A(",\"meegemaakt\":\"geen\""), WAVE, GH_ERR_INVALID);
	decode_expect(A(",\"meegemaakt\":[]"), WAVE, GH_ERR_INVALID);
	decode_expect(A(",\"meegemaakt\":[\"geen\",\"geen\"]"), WAVE,
	    GH_ERR_INVALID);
	decode_expect(A(",\"meegemaakt\":[\"geen\",1]"), WAVE, GH_ERR_INVALID);
	/* "beleid" cut short by an escaped NUL must not pass as "beleid". */
	decode_expect("{\"v\":1,\"w\":7,\"a\":{\"soort_werk\":"
	    "\"beleid\\u0000x\"}}", WAVE, GH_ERR_INVALID);
}

static void
test_answer_decode_rejects_bad_text(void **state)
{
	char *big;
	size_t i, n;

	(void)state;
	decode_expect(A(",\"toelichting\":5"), WAVE, GH_ERR_INVALID);
	decode_expect(A(",\"toelichting\":\"\""), WAVE, GH_ERR_INVALID);
	decode_expect(A(",\"toelichting\":\" \\n \""), WAVE, GH_ERR_INVALID);
	decode_expect(A(",\"toelichting\":\"a\\u0007\""), WAVE, GH_ERR_INVALID);
	decode_expect(A(",\"toelichting\":\"a\\r\\n\""), WAVE, GH_ERR_INVALID);
	decode_expect(A(",\"toelichting\":\"caf\xe9\""), WAVE, GH_ERR_INVALID);
	/* 501 characters. */
	n = strlen(A(",\"toelichting\":\"\"")) + 501 + 1;
	big = malloc(n);
	assert_non_null(big);
	i = (size_t)snprintf(big, n, "%s", A(",\"toelichting\":\""));
	i -= 2;
	memset(big + i, 'a', 501);
	strcpy(big + i + 501, "\"}}");
	decode_expect(big, WAVE, GH_ERR_INVALID);
	big[i + 500] = '"';
	strcpy(big + i + 501, "}}");
	decode_expect(big, WAVE, GH_OK);
	free(big);
}

static void
test_answer_decode_rejects_malformed(void **state)
{
	uint64_t chosen[7];
	uint8_t answered[7];
	const char nul[] = "{\"v\":1,\"w\":7,\"a\":{\"soort_werk\":\"beleid\0\"}}";

	(void)state;
	decode_expect("", WAVE, GH_ERR_INVALID);
	decode_expect("{", WAVE, GH_ERR_INVALID);
	decode_expect(A("") " ", WAVE, GH_ERR_INVALID);
	decode_expect(A("") "x", WAVE, GH_ERR_INVALID);
	/* Missing required answer. */
	decode_expect("{\"v\":1,\"w\":7,\"a\":{}}", WAVE, GH_ERR_INVALID);
	assert_int_equal(answer_decode(demo, WAVE, (const uint8_t *)nul,
	    sizeof(nul) - 1, chosen, answered), GH_ERR_INVALID);
}

/* A 39-character id prefix: question ids add one digit, options two. */
#define LONG_ID	"abcdefghij0123456789abcdefghij012345678"

/* Appends a field to a hand-built form (the maximal body is over 64 KiB). */
static void
add_field(struct form *f, const char *name, const char *value)
{
	struct form_field *fld = &f->fields[f->n++];

	fld->name = strdup(name);
	fld->value = strdup(value);
	assert_non_null(fld->name);
	assert_non_null(fld->value);
	fld->value_len = strlen(value);
}

/* Builds a definition whose answers are as long as any can be. */
static struct def *
max_def(void)
{
	struct def *d;
	char *json, *p;
	size_t i, j;

	json = malloc(64 * 1024);
	assert_non_null(json);
	p = json + sprintf(json, "{'format':1,'id':'max','title':"
	    "{'nl':'M','en':'M'},'questions':[");
	for (i = 0; i < 2; i++) {
		p += sprintf(p, "{'id':'%s%zu','type':'%s','label':"
		    "{'nl':'L','en':'L'},'options':[", LONG_ID, i,
		    i == 0 ? "single" : "multi");
		for (j = 0; j < DEF_MAX_OPTIONS; j++)
			p += sprintf(p, "%s{'id':'%.38s%02zu','label':"
			    "{'nl':'o','en':'o'}}", j > 0 ? "," : "",
			    LONG_ID, j);
		p += sprintf(p, "]},");
	}
	sprintf(p, "{'id':'%s2','type':'text','max_length':4000,"
	    "'label':{'nl':'L','en':'L'}},{'id':'%s3','type':'text',"
	    "'max_length':4000,'label':{'nl':'L','en':'L'}}]}", LONG_ID,
	    LONG_ID);
	d = def_of(json);
	free(json);
	return d;
}

static void
test_answer_max_fits_bucket(void **state)
{
	struct answer_check *chk = NULL;
	struct form f = { NULL, 0 };
	struct def *d;
	int64_t wave = (INT64_C(1) << 53) - 1;
	uint64_t chosen[4];
	uint8_t answered[4], *plain = NULL;
	char name[64], *text;
	size_t i, len;

	(void)state;
	d = max_def();
	f.fields = calloc(DEF_MAX_OPTIONS + 3, sizeof(*f.fields));
	text = malloc(4 * 4000 + 1);
	assert_non_null(f.fields);
	assert_non_null(text);
	/* The longest option, every option, the widest characters. */
	snprintf(name, sizeof(name), "q_%s0", LONG_ID);
	add_field(&f, name, d->questions[0].options[63].id);
	snprintf(name, sizeof(name), "q_%s1", LONG_ID);
	for (i = 0; i < DEF_MAX_OPTIONS; i++)
		add_field(&f, name, d->questions[1].options[i].id);
	for (i = 0; i < 4000; i++)
		memcpy(text + 4 * i, "\xf4\x8f\xbf\xbf", 4);
	text[4 * 4000] = '\0';
	snprintf(name, sizeof(name), "q_%s2", LONG_ID);
	add_field(&f, name, text);
	snprintf(name, sizeof(name), "q_%s3", LONG_ID);
	add_field(&f, name, text);
	assert_int_equal(answer_encode(d, wave, &f, &chk, &plain, &len),
	    GH_OK);
	assert_null(chk);
	assert_true(len < d->bucket);
	/* The bound is tight to within one rounding step and a few bytes. */
	assert_true(d->bucket - len <= 256 + 16);
	assert_int_equal(answer_decode(d, wave, plain, len, chosen, answered),
	    GH_OK);
	assert_int_equal(chosen[0], UINT64_C(1) << 63);
	assert_int_equal(chosen[1], UINT64_MAX);
	assert_int_equal(answered[2], 1);
	assert_int_equal(answered[3], 1);
	answer_plain_free(plain, len);
	for (i = 0; i < f.n; i++) {
		free(f.fields[i].name);
		free(f.fields[i].value);
	}
	free(f.fields);
	free(text);
	def_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answer_roundtrip),
		cmocka_unit_test(test_answer_leaves_out_unanswered),
		cmocka_unit_test(test_answer_unknown_question),
		cmocka_unit_test(test_answer_option_out_of_range),
		cmocka_unit_test(test_answer_multi_duplicate),
		cmocka_unit_test(test_answer_single_with_two_values),
		cmocka_unit_test(test_answer_missing_required),
		cmocka_unit_test(test_answer_text_over_cap),
		cmocka_unit_test(test_answer_invalid_utf8),
		cmocka_unit_test(test_answer_control_char),
		cmocka_unit_test(test_answer_reports_every_wrong_question),
		cmocka_unit_test(test_answer_wave_id_range),
		cmocka_unit_test(test_answer_problem_str),
		cmocka_unit_test(test_answer_decode_accepts),
		cmocka_unit_test(test_answer_decode_rejects_wrong_wave),
		cmocka_unit_test(test_answer_decode_rejects_wrong_version),
		cmocka_unit_test(test_answer_decode_rejects_unknown_key),
		cmocka_unit_test(test_answer_decode_rejects_extra_key),
		cmocka_unit_test(test_answer_decode_rejects_bad_option),
		cmocka_unit_test(test_answer_decode_rejects_bad_text),
		cmocka_unit_test(test_answer_decode_rejects_malformed),
		cmocka_unit_test(test_answer_max_fits_bucket),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * test_survey_answer_format2.c: the answer codec (server/survey/answer.c,
 * answer_decode.c) on format 2 questions: exclusive options, numbers,
 * prefer-not, matrix items; encode and decode back with
 * answer_decode_answers; each problem with its exact code; the longest
 * answer fits the bucket. Conditions are in test_survey_cond.c.
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

/* Questions by index in QS. */
enum { MU, MP, AGE, AGEP, M, I1, I2, Y, N_QS };

#define QS DEF2(PAGE("p", MULTI("mu", "") "," \
	MULTI("mp", ",'prefer_not':true") "," NUMBER("age", "") "," \
	NUMBER("agep", ",'prefer_not':true") "," MATRIX("m", \
	",'prefer_not':true", ITEM("i1") "," ITEM("i2")) "," \
	YESNO("y", ",'prefer_not':true")))

static struct def *qs;

static int
setup(void **state)
{
	(void)state;
	qs = def2_ok(QS);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	def_free(qs);
	return 0;
}

/* Encodes body; expects GH_ERR_INVALID with problem p at question qi. */
static void
encode_bad(const char *body, int qi, enum answer_problem p)
{
	struct answer_check *chk = NULL;
	struct form *f = form_of(body);
	uint8_t *plain = (uint8_t *)1;
	size_t len = 1, i;

	assert_int_equal(answer_encode(qs, WAVE, f, &chk, &plain, &len),
	    GH_ERR_INVALID);
	assert_null(plain);
	assert_non_null(chk);
	for (i = 0; i < chk->n_questions; i++)
		assert_int_equal(chk->problem[i],
		    (int)i == qi ? p : ANSWER_OK);
	assert_int_equal(chk->n_wrong, qi >= 0 ? 1 : 0);
	assert_int_equal(chk->has_unknown_field, qi < 0);
	answer_check_free(chk);
	form_free(f);
}

/* Encodes body and expects exactly the plaintext want. */
static void
encode_is(const char *body, const char *want)
{
	struct answer_check *chk = NULL;
	struct form *f = form_of(body);
	uint8_t *plain = NULL;
	size_t len = 0;

	assert_int_equal(answer_encode(qs, WAVE, f, &chk, &plain, &len),
	    GH_OK);
	assert_null(chk);
	assert_string_equal((char *)plain, want);
	assert_true(len < qs->bucket);
	answer_plain_free(plain, len);
	form_free(f);
}

#define PLAIN(a)	"{\"v\":1,\"w\":7,\"a\":{" a "}}"

static void
test_answer2_exclusive(void **state)
{
	(void)state;
	encode_bad("q_mu=a&q_mu=geen", MU, ANSWER_EXCLUSIVE);
	encode_bad("q_mu=geen&q_mu=b", MU, ANSWER_EXCLUSIVE);
	encode_is("q_mu=geen", PLAIN("\"mu\":[\"geen\"]"));
	encode_is("q_mu=b&q_mu=a", PLAIN("\"mu\":[\"a\",\"b\"]"));
	/* Prefer-not in a multi question is exclusive too. */
	encode_bad("q_mp=a&q_mp=_prefer_not", MP, ANSWER_EXCLUSIVE);
	encode_bad("q_mp=geen&q_mp=_prefer_not", MP, ANSWER_EXCLUSIVE);
	encode_is("q_mp=_prefer_not", PLAIN("\"mp\":[\"_prefer_not\"]"));
	encode_bad("q_mu=_prefer_not", MU, ANSWER_BAD_OPTION);
}

static void
test_answer2_number(void **state)
{
	(void)state;
	encode_is("q_age=16", PLAIN("\"age\":16"));
	encode_is("q_age=+70", PLAIN("\"age\":70"));
}

static void
test_answer2_number_problems(void **state)
{
	(void)state;
	encode_bad("q_age=15", AGE, ANSWER_OUT_OF_RANGE);
	encode_bad("q_age=71", AGE, ANSWER_OUT_OF_RANGE);
	encode_bad("q_age=-3", AGE, ANSWER_OUT_OF_RANGE);
	encode_bad("q_age=99999999999999999999", AGE, ANSWER_OUT_OF_RANGE);
	encode_bad("q_age=4.5", AGE, ANSWER_NOT_NUMBER);
	encode_bad("q_age=vijftig", AGE, ANSWER_NOT_NUMBER);
	encode_bad("q_age=-", AGE, ANSWER_NOT_NUMBER);
	encode_bad("q_age=3+4", AGE, ANSWER_NOT_NUMBER);
	encode_bad("q_age=%2B40", AGE, ANSWER_NOT_NUMBER);
	encode_bad("q_age=0x20", AGE, ANSWER_NOT_NUMBER);
	encode_bad("q_age=_prefer_not", AGE, ANSWER_NOT_NUMBER);
	encode_bad("q_age=20&q_age=30", AGE, ANSWER_TOO_MANY);
	encode_bad("q_agep=20&q_agep=_prefer_not", AGEP, ANSWER_TOO_MANY);
}

static void
test_answer2_number_prefer_not(void **state)
{
	(void)state;
	encode_is("q_agep=_prefer_not", PLAIN("\"agep\":\"_prefer_not\""));
	/* The empty number box comes along with the check box. */
	encode_is("q_agep=&q_agep=_prefer_not",
	    PLAIN("\"agep\":\"_prefer_not\""));
	encode_is("q_agep=+42+&q_agep=", PLAIN("\"agep\":42"));
	encode_is("q_age=&q_agep=", PLAIN(""));
}

static void
test_answer2_matrix_items(void **state)
{
	(void)state;
	encode_is("q_i2=5&q_i1=_prefer_not&q_y=_prefer_not",
	    PLAIN("\"i1\":\"_prefer_not\",\"i2\":\"5\",\"y\":\"_prefer_not\""));
	encode_bad("q_i1=6", I1, ANSWER_BAD_OPTION);
	encode_bad("q_i1=1&q_i1=2", I1, ANSWER_TOO_MANY);
	/* The matrix itself takes no answer. */
	encode_bad("q_m=1", -1, ANSWER_OK);
}

static void
test_answer2_decode_roundtrip(void **state)
{
	struct answer_check *chk = NULL;
	struct def_answer a[N_QS];
	uint64_t chosen[N_QS];
	uint8_t answered[N_QS], *plain = NULL;
	struct form *f;
	size_t len = 0;

	(void)state;
	f = form_of("q_mu=a&q_mp=_prefer_not&q_age=33&q_agep=_prefer_not"
	    "&q_i1=2&q_y=nee");
	assert_int_equal(answer_encode(qs, WAVE, f, &chk, &plain, &len),
	    GH_OK);
	assert_int_equal(answer_decode_answers(qs, WAVE, plain, len, a),
	    GH_OK);
	assert_true(a[MU].is_answered && !a[MU].is_prefer_not);
	assert_int_equal(a[MU].chosen, 1);
	assert_true(a[MP].is_prefer_not);
	assert_int_equal(a[MP].chosen, 8);
	assert_true(a[AGE].is_answered);
	assert_int_equal(a[AGE].number, 33);
	assert_true(a[AGEP].is_answered && a[AGEP].is_prefer_not);
	assert_false(a[M].is_answered);
	assert_int_equal(a[I1].chosen, 2);
	assert_false(a[I2].is_answered);
	assert_int_equal(a[Y].chosen, 2);
	/* The older pair of arrays: numbers answered, no options. */
	assert_int_equal(answer_decode(qs, WAVE, plain, len, chosen,
	    answered), GH_OK);
	assert_true(answered[AGE]);
	assert_int_equal(chosen[AGE], 0);
	assert_int_equal(chosen[MP], 8);
	assert_false(answered[M]);
	answer_plain_free(plain, len);
	form_free(f);
}

/* Decodes a plaintext against qs; expects r. */
static void
decode_expect(const char *plain, int r)
{
	struct def_answer a[N_QS];
	size_t i;

	memset(a, 0xff, sizeof(a));
	assert_int_equal(answer_decode_answers(qs, WAVE,
	    (const uint8_t *)plain, strlen(plain), a), r);
	for (i = 0; r != GH_OK && i < N_QS; i++)
		assert_false(a[i].is_answered);
}

static void
test_answer2_decode_rejects(void **state)
{
	(void)state;
	decode_expect(PLAIN("\"age\":16"), GH_OK);
	decode_expect(PLAIN("\"age\":15"), GH_ERR_INVALID);
	decode_expect(PLAIN("\"age\":71"), GH_ERR_INVALID);
	decode_expect(PLAIN("\"age\":16.5"), GH_ERR_INVALID);
	decode_expect(PLAIN("\"age\":1e300"), GH_ERR_INVALID);
	decode_expect(PLAIN("\"age\":\"16\""), GH_ERR_INVALID);
	decode_expect(PLAIN("\"age\":\"_prefer_not\""), GH_ERR_INVALID);
	decode_expect(PLAIN("\"agep\":\"_prefer_not\""), GH_OK);
	decode_expect(PLAIN("\"mu\":[\"a\",\"geen\"]"), GH_ERR_INVALID);
	decode_expect(PLAIN("\"mp\":[\"_prefer_not\",\"b\"]"),
	    GH_ERR_INVALID);
	decode_expect(PLAIN("\"m\":\"1\""), GH_ERR_INVALID);
	decode_expect(PLAIN("\"i1\":\"_prefer_not\""), GH_OK);
	decode_expect(PLAIN("\"y\":\"_prefer_not\""), GH_OK);
}

static void
test_answer2_problem_str(void **state)
{
	(void)state;
	assert_string_equal(answer_problem_str(ANSWER_HIDDEN),
	    "answered, but the question is not shown");
	assert_string_equal(answer_problem_str(ANSWER_EXCLUSIVE),
	    "an exclusive option together with others");
	assert_string_equal(answer_problem_str(ANSWER_NOT_NUMBER),
	    "not a whole number");
	assert_string_equal(answer_problem_str(ANSWER_OUT_OF_RANGE),
	    "number out of range");
}

/* The longest answers: numbers at their widest, prefer-not, matrices. */
static void
test_answer2_longest_fits_bucket(void **state)
{
	struct answer_check *chk = NULL;
	struct def_answer a[8];
	struct def *d;
	struct form *f;
	uint8_t *plain = NULL;
	size_t len = 0;
	int64_t wave = (INT64_C(1) << 53) - 1;

	(void)state;
	d = def2_ok(DEF2(PAGE("p", Q("n1", "number",
	    ",'min':-1000000000,'max':1000000000") "," Q("n2", "number",
	    ",'min':-1000000000,'max':0,'prefer_not':true") "," MATRIX("m",
	    ",'prefer_not':true", ITEM("i1") "," ITEM("i2")) ","
	    YESNO("y", ",'prefer_not':true"))));
	f = form_of("q_n1=-1000000000&q_n2=_prefer_not&q_i1=_prefer_not"
	    "&q_i2=_prefer_not&q_y=_prefer_not");
	assert_int_equal(answer_encode(d, wave, f, &chk, &plain, &len), GH_OK);
	assert_true(len < d->bucket);
	assert_int_equal(answer_decode_answers(d, wave, plain, len, a), GH_OK);
	assert_int_equal(a[0].number, -1000000000);
	answer_plain_free(plain, len);
	form_free(f);
	def_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answer2_exclusive),
		cmocka_unit_test(test_answer2_number),
		cmocka_unit_test(test_answer2_number_problems),
		cmocka_unit_test(test_answer2_number_prefer_not),
		cmocka_unit_test(test_answer2_matrix_items),
		cmocka_unit_test(test_answer2_decode_roundtrip),
		cmocka_unit_test(test_answer2_decode_rejects),
		cmocka_unit_test(test_answer2_problem_str),
		cmocka_unit_test(test_answer2_longest_fits_bucket),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

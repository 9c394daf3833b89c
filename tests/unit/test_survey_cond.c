/*
 * test_survey_cond.c: conditions (server/survey/def_cond.c, def_eval.c)
 * and what the answer codec does with them (answer.c, answer_decode.c):
 * every load error of a condition with its exact message; each kind of
 * condition shown and hidden; a condition on a hidden question; hidden
 * pages hide their questions; an answer to a hidden question is refused
 * (form and plaintext); a required question is required only when shown;
 * the per-page check sees only its page; which follow-ups a page can
 * show by itself and how their conditions are written for the script
 * (def_live.c); the definition's closing day.
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
#include "util/buf.h"
#include "survey_fixture.h"

#define WAVE	7
#define S1	"bad.json: $.pages[0].questions[1].show_if"

/* A definition whose second question has condition c on yes/no "a". */
#define ON_A(c)	DEF2(PAGE("p", YESNO("a", "") "," YESNO("b", ",'show_if':" c)))

static void
test_cond_refers_only_to_earlier_questions(void **state)
{
	(void)state;
	def2_bad(DEF2(PAGE("p", YESNO("a", ",'show_if':" IF("b",
	    "'any_of':['ja']")) "," YESNO("b", ""))),
	    "bad.json: $.pages[0].questions[0].show_if.question: \"b\" is not "
	    "an earlier question (a condition can only use answers given "
	    "before)");
	def2_bad(DEF2(PAGE("p", YESNO("a", ",'show_if':" IF("a",
	    "'answered':true")))),
	    "bad.json: $.pages[0].questions[0].show_if.question: \"a\" is not "
	    "an earlier question (a condition can only use answers given "
	    "before)");
	def2_bad(DEF2(PAGEIF("p", IF("a", "'answered':true"), YESNO("a", ""))),
	    "bad.json: $.pages[0].show_if.question: \"a\" is not an earlier "
	    "question (a condition can only use answers given before)");
	def2_bad(DEF2(PAGE("p", YESNO("a", "") "," MATRIX("m", ",'show_if':"
	    IF("i1", "'answered':true"), ITEM("i1") "," ITEM("i2")))),
	    "bad.json: $.pages[0].questions[1].show_if.question: \"i1\" is not "
	    "an earlier question (a condition can only use answers given "
	    "before)");
}

static void
test_cond_unknown_question_or_option(void **state)
{
	(void)state;
	def2_bad(ON_A(IF("zz", "'answered':true")),
	    S1 ".question: unknown question \"zz\"");
	def2_bad(ON_A(IF("A!", "'answered':true")),
	    S1 ".question: must match [a-z0-9_-]{1,40}");
	def2_bad(ON_A("{'question':1,'answered':true}"),
	    S1 ".question: must be a string");
	def2_bad(ON_A(IF("a", "'any_of':['misschien']")),
	    S1 ".any_of[0]: no option \"misschien\" in question \"a\"");
	def2_bad(ON_A(IF("a", "'none_of':['ja','ja']")),
	    S1 ".none_of[1]: option \"ja\" twice");
	def2_bad(ON_A(IF("a", "'any_of':[]")),
	    S1 ".any_of: must be an array of option ids");
	def2_bad(ON_A(IF("a", "'any_of':['_prefer_not']")),
	    S1 ".any_of[0]: no option \"_prefer_not\" in question \"a\"");
	def2_bad(DEF2(PAGE("p", MATRIX("m", "", ITEM("i1") "," ITEM("i2")) ","
	    YESNO("b", ",'show_if':" IF("m", "'answered':true")))),
	    "bad.json: $.pages[0].questions[1].show_if.question: \"m\" is a "
	    "matrix; name one of its items");
}

static void
test_cond_test_fits_question(void **state)
{
	(void)state;
	def2_bad(ON_A(IF("a", "'at_least':3")),
	    S1 ".at_least: \"a\" is not a number question");
	def2_bad(DEF2(PAGE("p", TEXT("a", "") "," YESNO("b", ",'show_if':"
	    IF("a", "'any_of':['x']")))),
	    S1 ".any_of: \"a\" is a text question without options");
	def2_bad(DEF2(PAGE("p", NUMBER("a", "") "," YESNO("b", ",'show_if':"
	    IF("a", "'none_of':['x']")))),
	    S1 ".none_of: \"a\" is a number question without options");
	def2_bad(DEF2(PAGE("p", NUMBER("a", "") "," YESNO("b", ",'show_if':"
	    IF("a", "'at_most':1.5")))),
	    S1 ".at_most: must be an integer from -1000000000 to 1000000000");
	def2_bad(ON_A(IF("a", "'answered':1")),
	    S1 ".answered: must be true or false");
}

static void
test_cond_shape(void **state)
{
	(void)state;
	def2_bad(ON_A("{'question':'a'}"), S1 ": needs one of any_of, "
	    "none_of, answered, at_least or at_most");
	def2_bad(ON_A(IF("a", "'any_of':['ja'],'answered':true")), S1 ": "
	    "needs one of any_of, none_of, answered, at_least or at_most, not "
	    "more");
	def2_bad(ON_A("{'all':[" IF("a", "'answered':true") "],'question':"
	    "'a'}"), S1 ": \"all\" must be the condition's only key");
	def2_bad(ON_A("{'all':[]}"),
	    S1 ".all: must be an array of 1 to 50 conditions");
	def2_bad(ON_A("{'any':{}}"),
	    S1 ".any: must be an array of 1 to 50 conditions");
	def2_bad(ON_A("{'question':'a','equals':'ja'}"),
	    S1 ": unknown key \"equals\"");
	def2_bad(ON_A("[]"), S1 ": must be an object");
	def2_bad(ON_A("{'not':[]}"), S1 ".not: must be an object");
	def2_bad(ON_A("{'any':[" IF("a", "'answered':true") ",{'all':[{}]}]}"),
	    S1 ".any[1].all[0]: needs one of any_of, none_of, answered, "
	    "at_least or at_most");
}

static void
test_cond_nesting_depth(void **state)
{
	struct def *d;

	(void)state;
	def2_bad(ON_A("{'not':{'not':{'not':{'not':{'not':" IF("a",
	    "'answered':true") "}}}}}"),
	    S1 ".not.not.not.not: conditions nested deeper than 4");
	def2_bad(ON_A("{'all':[{'any':[{'not':{'all':[{'any':[" IF("a",
	    "'answered':true") "]}]}}]}]}"),
	    S1 ".all[0].any[0].not.all[0]: conditions nested deeper than 4");
	d = def2_ok(ON_A("{'not':{'not':{'not':{'not':" IF("a",
	    "'answered':true") "}}}}"));
	def_free(d);
}

/* Questions by index in KINDS. */
enum { A, N, M, K_ANY, K_NONE, K_ANS, K_UNANS, K_LEAST, K_MOST, K_ALL,
	K_ANYC, K_NOT, K_M, K_PN, K_HID, K_HIDF, N_KINDS };

#define KINDS DEF2(PAGE("p", YESNO("a", ",'prefer_not':true") "," \
	NUMBER("n", ",'prefer_not':true") "," MULTI("m", "") "," \
	YESNO("k_any", ",'show_if':" IF("a", "'any_of':['ja']")) "," \
	YESNO("k_none", ",'show_if':" IF("a", "'none_of':['ja']")) "," \
	YESNO("k_ans", ",'show_if':" IF("a", "'answered':true")) "," \
	YESNO("k_unans", ",'show_if':" IF("a", "'answered':false")) "," \
	YESNO("k_least", ",'show_if':" IF("n", "'at_least':30")) "," \
	YESNO("k_most", ",'show_if':" IF("n", "'at_most':30")) "," \
	YESNO("k_all", ",'show_if':{'all':[" IF("a", "'any_of':['ja']") "," \
	    IF("n", "'at_least':30") "]}") "," \
	YESNO("k_anyc", ",'show_if':{'any':[" IF("a", "'any_of':['ja']") "," \
	    IF("n", "'at_least':30") "]}") "," \
	YESNO("k_not", ",'show_if':{'not':" IF("a", "'any_of':['ja']") "}") \
	"," YESNO("k_m", ",'show_if':" IF("m", "'any_of':['a']")) "," \
	YESNO("k_pn", ",'show_if':" IF("a", "'any_of':['_prefer_not']")) "," \
	YESNO("k_hid", ",'show_if':" IF("k_any", "'answered':true")) "," \
	YESNO("k_hidf", ",'show_if':" IF("k_any", "'answered':false"))))

/* Checks def_question_is_shown for every question against want. */
static void
expect_shown(const struct def *d, const struct def_answer *a,
    const char *want)
{
	size_t i;

	assert_int_equal(strlen(want), d->n_questions);
	for (i = 0; i < d->n_questions; i++)
		if (def_question_is_shown(d, i, a) != (want[i] == '1'))
			fail_msg("question %s: shown %d, want %c",
			    d->questions[i].id, def_question_is_shown(d, i, a),
			    want[i]);
}

static void
test_cond_each_kind(void **state)
{
	struct def_answer a[N_KINDS];
	struct def *d;

	(void)state;
	d = def2_ok(KINDS);
	assert_int_equal(d->n_questions, N_KINDS);
	memset(a, 0, sizeof(a));
	/* a n m | any none ans unans least most all | anyc not | m pn hid hidf */
	expect_shown(d, a, "111" "0001000" "01" "0001");
	a[A] = (struct def_answer){ .is_answered = 1, .chosen = 1 };
	a[N] = (struct def_answer){ .is_answered = 1, .number = 30 };
	expect_shown(d, a, "111" "1010111" "10" "0001");
	a[A].chosen = 2;	/* nee */
	a[N].number = 29;
	a[M] = (struct def_answer){ .is_answered = 1, .chosen = 3 };
	expect_shown(d, a, "111" "0110010" "01" "1001");
	a[A] = (struct def_answer){ .is_answered = 1, .chosen = 4,
	    .is_prefer_not = 1 };
	a[N] = (struct def_answer){ .is_answered = 1, .is_prefer_not = 1 };
	memset(&a[M], 0, sizeof(a[M]));
	expect_shown(d, a, "111" "0110000" "01" "0101");
	/* An answer to k_any counts only while k_any is shown. */
	a[K_ANY] = (struct def_answer){ .is_answered = 1, .chosen = 1 };
	expect_shown(d, a, "111" "0110000" "01" "0101");
	a[A] = (struct def_answer){ .is_answered = 1, .chosen = 1 };
	expect_shown(d, a, "111" "1010000" "10" "0010");
	assert_true(def_cond_is_true(d, NULL, a));
	assert_true(def_cond_is_true(d, d->questions[K_HID].show_if, a));
	assert_false(def_cond_is_true(d, d->questions[K_HIDF].show_if, a));
	assert_false(def_question_is_shown(d, N_KINDS, a));
	def_free(d);
}

/* Questions by index in PAGES; p2 is shown if b (shown if a=ja) is. */
enum { PA, PN, PB, PC, PMX, PI1, PI2, N_PAGES_Q };

#define PAGES DEF2(PAGE("p1", YESNO("a", "") "," NUMBER("n", "") "," \
	YESNO("b", ",'show_if':" IF("a", "'any_of':['ja']"))) "," \
	PAGEIF("p2", IF("b", "'answered':true"), \
	YESNO("c", ",'required':true") "," MATRIX("mx", ",'show_if':" \
	IF("n", "'at_least':30") ",'required':true", ITEM("i1") "," \
	ITEM("i2"))))

static void
test_cond_hidden_page_hides_questions(void **state)
{
	struct def_answer a[N_PAGES_Q];
	uint8_t shown[N_PAGES_Q], page_shown[2];
	struct def *d;

	(void)state;
	d = def2_ok(PAGES);
	memset(a, 0, sizeof(a));
	assert_true(def_page_is_shown(d, 0, a));
	assert_false(def_page_is_shown(d, 1, a));
	assert_false(def_page_is_shown(d, 2, a));
	expect_shown(d, a, "1100000");
	a[PA] = (struct def_answer){ .is_answered = 1, .chosen = 1 };
	a[PB] = (struct def_answer){ .is_answered = 1, .chosen = 2 };
	assert_true(def_page_is_shown(d, 1, a));
	expect_shown(d, a, "1111000");
	a[PN] = (struct def_answer){ .is_answered = 1, .number = 45 };
	expect_shown(d, a, "1111111");
	def_shown(d, a, shown, page_shown);
	assert_memory_equal(shown, "\1\1\1\1\1\1\1", N_PAGES_Q);
	assert_memory_equal(page_shown, "\1\1", 2);
	/* b's answer is left over from before a changed: not shown. */
	a[PA].chosen = 2;
	assert_false(def_page_is_shown(d, 1, a));
	expect_shown(d, a, "1100000");
	def_shown(d, a, shown, NULL);
	assert_memory_equal(shown, "\1\1\0\0\0\0\0", N_PAGES_Q);
	def_free(d);
}

/* Encodes body against d; expects r and (if invalid) problem p at qi. */
static void
encode_expect(const struct def *d, const char *body, int r, int qi,
    enum answer_problem p)
{
	struct answer_check *chk = NULL;
	struct form *f = form_of(body);
	uint8_t *plain = NULL;
	size_t len = 0, i;

	assert_int_equal(answer_encode(d, WAVE, f, &chk, &plain, &len), r);
	if (r == GH_OK) {
		assert_null(chk);
		answer_plain_free(plain, len);
	} else {
		assert_non_null(chk);
		for (i = 0; i < chk->n_questions; i++)
			assert_int_equal(chk->problem[i],
			    (int)i == qi ? p : ANSWER_OK);
		assert_int_equal(chk->n_wrong, 1);
	}
	answer_check_free(chk);
	form_free(f);
}

static void
test_cond_answer_to_hidden_question_refused(void **state)
{
	struct def *d;

	(void)state;
	d = def2_ok(PAGES);
	encode_expect(d, "q_a=nee&q_b=ja", GH_ERR_INVALID, PB, ANSWER_HIDDEN);
	/* Even a wrong value: it was not expected at all. */
	encode_expect(d, "q_a=nee&q_b=zz", GH_ERR_INVALID, PB, ANSWER_HIDDEN);
	/* An empty field is no answer (browsers send them). */
	encode_expect(d, "q_a=nee&q_b=&q_c=", GH_OK, -1, ANSWER_OK);
	encode_expect(d, "q_a=ja&q_b=ja&q_c=ja&q_n=20&q_i1=3", GH_ERR_INVALID,
	    PI1, ANSWER_HIDDEN);
	encode_expect(d, "q_a=nee&q_b=&q_c=ja", GH_ERR_INVALID, PC,
	    ANSWER_HIDDEN);
	def_free(d);
}

static void
test_cond_required_only_when_shown(void **state)
{
	struct def *d;

	(void)state;
	d = def2_ok(PAGES);
	encode_expect(d, "q_a=nee", GH_OK, -1, ANSWER_OK);
	encode_expect(d, "q_a=ja", GH_OK, -1, ANSWER_OK);
	encode_expect(d, "q_a=ja&q_b=nee", GH_ERR_INVALID, PC, ANSWER_MISSING);
	encode_expect(d, "q_a=ja&q_b=nee&q_c=ja&q_n=30&q_i1=4",
	    GH_ERR_INVALID, PI2, ANSWER_MISSING);
	encode_expect(d, "q_a=ja&q_b=nee&q_c=ja&q_n=30&q_i1=4&q_i2=1", GH_OK,
	    -1, ANSWER_OK);
	def_free(d);
}

static void
test_cond_check_page_sees_only_its_page(void **state)
{
	struct answer_check *chk = NULL;
	struct form *f;
	struct def *d;

	(void)state;
	d = def2_ok(PAGES);
	/* Page 0 is fine although page 1's c is missing. */
	f = form_of("q_a=ja&q_b=ja");
	assert_int_equal(answer_check_page(d, 0, f, &chk), GH_OK);
	assert_null(chk);
	assert_int_equal(answer_check_page(d, 1, f, &chk), GH_ERR_INVALID);
	assert_non_null(chk);
	assert_int_equal(chk->n_wrong, 1);
	assert_int_equal(chk->problem[PC], ANSWER_MISSING);
	answer_check_free(chk);
	form_free(f);
	/* A hidden answer on page 0 is page 0's problem only. */
	f = form_of("q_a=nee&q_b=ja&q_c=ja");
	assert_int_equal(answer_check_page(d, 0, f, &chk), GH_ERR_INVALID);
	assert_int_equal(chk->n_wrong, 1);
	assert_int_equal(chk->problem[PB], ANSWER_HIDDEN);
	assert_int_equal(chk->problem[PC], ANSWER_OK);
	answer_check_free(chk);
	/* An unknown field fails every page. */
	form_free(f);
	f = form_of("q_a=ja&q_zz=1");
	assert_int_equal(answer_check_page(d, 0, f, &chk), GH_ERR_INVALID);
	assert_true(chk->has_unknown_field);
	assert_int_equal(chk->n_wrong, 0);
	answer_check_free(chk);
	form_free(f);
	def_free(d);
}

static void
test_cond_view_and_hidden_fields(void **state)
{
	struct def_answer *a = NULL;
	struct form *f;
	struct def *d;

	(void)state;
	d = def2_ok(PAGES);
	f = form_of("q_a=nee&q_b=ja&q_n=abc&lang=nl");
	assert_int_equal(answer_view(d, f, &a), GH_OK);
	assert_true(a[PA].is_answered);
	assert_int_equal(a[PA].chosen, 2);
	/* Kept although hidden; a bad number counts as not answered. */
	assert_true(a[PB].is_answered);
	assert_false(a[PN].is_answered);
	assert_true(answer_field_is_hidden(d, "q_b", a));
	assert_true(answer_field_is_hidden(d, "q_c", a));
	assert_false(answer_field_is_hidden(d, "q_a", a));
	assert_false(answer_field_is_hidden(d, "q_zz", a));
	assert_false(answer_field_is_hidden(d, "lang", a));
	answer_view_free(a, d->n_questions);
	answer_view_free(NULL, 0);
	form_free(f);
	def_free(d);
}

/* Decodes a NUL-terminated plaintext against d; expects r. */
static void
decode_expect(const struct def *d, const char *plain, int r)
{
	struct def_answer a[N_PAGES_Q];

	assert_int_equal(answer_decode_answers(d, WAVE,
	    (const uint8_t *)plain, strlen(plain), a), r);
}

static void
test_cond_decode_refuses_hidden_and_missing(void **state)
{
	struct def *d;

	(void)state;
	d = def2_ok(PAGES);
	decode_expect(d, "{\"v\":1,\"w\":7,\"a\":{\"a\":\"nee\"}}", GH_OK);
	decode_expect(d, "{\"v\":1,\"w\":7,\"a\":{\"a\":\"nee\",\"b\":\"ja\"}}",
	    GH_ERR_INVALID);
	decode_expect(d, "{\"v\":1,\"w\":7,\"a\":{\"a\":\"ja\",\"b\":\"ja\"}}",
	    GH_ERR_INVALID);
	decode_expect(d, "{\"v\":1,\"w\":7,\"a\":{\"a\":\"ja\",\"b\":\"ja\","
	    "\"c\":\"nee\"}}", GH_OK);
	decode_expect(d, "{\"v\":1,\"w\":7,\"a\":{\"a\":\"ja\",\"b\":\"ja\","
	    "\"c\":\"nee\",\"n\":12,\"i1\":\"2\"}}", GH_ERR_INVALID);
	decode_expect(d, "{\"v\":1,\"w\":7,\"a\":{\"a\":\"ja\",\"b\":\"ja\","
	    "\"c\":\"nee\",\"n\":32,\"i1\":\"2\"}}", GH_ERR_INVALID);
	decode_expect(d, "{\"v\":1,\"w\":7,\"a\":{\"a\":\"ja\",\"b\":\"ja\","
	    "\"c\":\"nee\",\"n\":32,\"i1\":\"2\",\"i2\":\"5\"}}", GH_OK);
	def_free(d);
}

/*
 * Each question shown if either of the two before it is unanswered: a
 * naive evaluation would take 2^150 steps.
 */
static void
test_cond_long_chain_is_linear(void **state)
{
	struct def_answer a[DEF_MAX_QUESTIONS];
	struct def *d;
	char *json, *p;
	size_t i;

	(void)state;
	json = malloc(65536);
	assert_non_null(json);
	p = json + sprintf(json, "{" HEAD2 ",'pages':[{'id':'p','questions':["
	    YESNO("q0", "") "," YESNO("q1", ""));
	for (i = 2; i < 150; i++)
		p += sprintf(p, "%s{'id':'q%zu','type':'single','label':" T("L")
		    ",'options':[" OPT("ja") "," OPT("nee") "],'show_if':"
		    "{'any':[{'question':'q%zu','answered':false},"
		    "{'question':'q%zu','answered':false}]}}",
		    i == 100 ? "]},{'id':'p2','questions':[" : ",", i, i - 1,
		    i - 2);
	sprintf(p, "]}]}");
	d = def2_ok(json);
	memset(a, 0, sizeof(a));
	assert_true(def_question_is_shown(d, 149, a));
	free(json);
	def_free(d);
}

/* Appends question id's live condition (def_live.c) to a fresh buffer. */
static void
assert_live_json(const struct def *d, size_t qi, const char *want)
{
	struct buf b = { 0 };

	assert_true(def_question_is_live(d, qi));
	assert_int_equal(def_question_live_json(d, qi, &b), GH_OK);
	assert_string_equal(b.data, want);
	buf_free(&b);
}

static void
test_cond_live_only_on_its_own_page(void **state)
{
	struct def *d;
	struct buf b = { 0 };

	(void)state;
	d = def2_ok(DEF2(PAGE("p1", YESNO("a", "")) "," PAGE("p2",
	    YESNO("b", ",'show_if':" IF("a", "'any_of':['ja']")) ","
	    NUMBER("c", "") ","
	    MULTI("e", "") ","
	    TEXT("t", ",'show_if':{'all':[" IF("c", "'at_least':18") ","
	    "{'not':" IF("b", "'answered':true") "}]}") ","
	    MATRIX("m", ",'show_if':{'any':[" IF("e", "'none_of':['a','geen']")
	    "," IF("c", "'at_most':30") "]}", ITEM("i1") "," ITEM("i2")))));
	/* a: no condition; b: on page p1's a; c, e: none. */
	assert_false(def_question_is_live(d, 0));
	assert_false(def_question_is_live(d, 1));
	assert_int_equal(def_question_live_json(d, 1, &b), GH_ERR_INVALID);
	assert_false(def_question_is_live(d, 2));
	assert_live_json(d, 4, "[\"all\",[\"at_least\",\"q_c\",18],"
	    "[\"not\",[\"answered\",\"q_b\",true]]]");
	assert_live_json(d, 5, "[\"any\",[\"none_of\",\"q_e\",[\"a\","
	    "\"geen\"]],[\"at_most\",\"q_c\",30]]");
	/* The matrix's items go with it. */
	assert_true(def_question_is_live(d, 6));
	assert_true(def_question_is_live(d, 7));
	assert_false(def_question_is_live(d, 99));
	buf_free(&b);
	def_free(d);
}

static void
test_cond_closes_is_a_day(void **state)
{
	struct def *d;

	(void)state;
	d = def2_ok(DEF2X("'closes':'2028-02-29'", PAGE("p", YESNO("a", ""))));
	assert_int_equal(d->closes.y, 2028);
	assert_int_equal(d->closes.m, 2);
	assert_int_equal(d->closes.d, 29);
	def_free(d);
	d = def2_ok(DEF2(PAGE("p", YESNO("a", ""))));
	assert_int_equal(d->closes.y, 0);
	def_free(d);
	def2_bad(DEF2X("'closes':'2027-02-29'", PAGE("p", YESNO("a", ""))),
	    "bad.json: $.closes: no such day (or not from 2000 to 2999)");
	def2_bad(DEF2X("'closes':'15-03-2027'", PAGE("p", YESNO("a", ""))),
	    "bad.json: $.closes: must be a day as \"YYYY-MM-DD\"");
	def2_bad(DEF2X("'closes':20270315", PAGE("p", YESNO("a", ""))),
	    "bad.json: $.closes: must be a day as \"YYYY-MM-DD\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cond_refers_only_to_earlier_questions),
		cmocka_unit_test(test_cond_unknown_question_or_option),
		cmocka_unit_test(test_cond_test_fits_question),
		cmocka_unit_test(test_cond_shape),
		cmocka_unit_test(test_cond_nesting_depth),
		cmocka_unit_test(test_cond_each_kind),
		cmocka_unit_test(test_cond_hidden_page_hides_questions),
		cmocka_unit_test(test_cond_answer_to_hidden_question_refused),
		cmocka_unit_test(test_cond_required_only_when_shown),
		cmocka_unit_test(test_cond_check_page_sees_only_its_page),
		cmocka_unit_test(test_cond_view_and_hidden_fields),
		cmocka_unit_test(test_cond_decode_refuses_hidden_and_missing),
		cmocka_unit_test(test_cond_long_chain_is_linear),
		cmocka_unit_test(test_cond_live_only_on_its_own_page),
		cmocka_unit_test(test_cond_closes_is_a_day),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

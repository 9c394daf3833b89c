/*
 * test_survey_scale.c: scales and indicators of a definition
 * (server/survey/def_scale.c, def_eval.c) and baseline files
 * (baseline.c): each load error with its exact message, scale scores
 * (mean, reversed items, min_items, prefer-not and hidden items missing)
 * and indicator values (1, 0, missing).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "survey/baseline.h"
#include "survey_fixture.h"

/* Questions by index in QS. */
enum { M, I1, I2, I3, L, L3, Y, MU, NUM, TX, M2, J1, J2, N_QS };

#define QS PAGE("p", MATRIX("m", ",'prefer_not':true", ITEM("i1") "," \
	ITEM("i2") "," ITEM("i3")) "," LIKERT("l", "") "," \
	Q("l3", "likert", ",'scale':'e3'") "," \
	YESNO("y", ",'prefer_not':true") "," MULTI("mu", "") "," \
	NUMBER("n", "") "," TEXT("t", "") "," MATRIX("m2", ",'show_if':" \
	IF("y", "'any_of':['ja']"), ITEM("j1") "," ITEM("j2")))
#define SC(rest)	"{'id':'s','label':" T("S") rest "}"
#define SCALES(s)	DEF2X("'scales':[" s "]", QS)
#define IND(q, any)	"{'id':'x','label':" T("X") ",'question':'" q \
			"','any_of':[" any "]}"
#define INDS(i)		DEF2X("'indicators':[" i "]", QS)

static void
test_scale_load_errors(void **state)
{
	(void)state;
	def2_bad(SCALES(SC(",'items':['y']")), "bad.json: $.scales[0].items[0]:"
	    " \"y\" is a single question; scale items must be likert "
	    "questions or matrix items");
	def2_bad(SCALES(SC(",'items':['n']")), "bad.json: $.scales[0].items[0]:"
	    " \"n\" is a number question; scale items must be likert "
	    "questions or matrix items");
	def2_bad(SCALES(SC(",'items':['m']")), "bad.json: $.scales[0].items[0]:"
	    " \"m\" is a matrix; name one of its items");
	def2_bad(SCALES(SC(",'items':['i1','l3']")), "bad.json: "
	    "$.scales[0].items[1]: \"l3\" has 3 points, \"i1\" 5");
	def2_bad(SCALES(SC(",'items':['i1','i1']")),
	    "bad.json: $.scales[0].items[1]: \"i1\" twice");
	def2_bad(SCALES(SC(",'items':['zz']")),
	    "bad.json: $.scales[0].items[0]: unknown question \"zz\"");
	def2_bad(SCALES(SC(",'items':[]")),
	    "bad.json: $.scales[0].items: must be an array of 1 to 200 "
	    "entries");
	def2_bad(SCALES(SC(",'items':['i1','i2'],'reversed':['l']")),
	    "bad.json: $.scales[0].reversed[0]: \"l\" is not one of the "
	    "scale's items");
	def2_bad(SCALES(SC(",'items':['i1','i2'],'reversed':['i1','i1']")),
	    "bad.json: $.scales[0].reversed[1]: \"i1\" twice");
	def2_bad(SCALES(SC(",'items':['i1','i2'],'min_items':3")),
	    "bad.json: $.scales[0].min_items: must be an integer from 1 to 2");
	def2_bad(SCALES(SC(",'items':['i1','i2'],'min_items':0")),
	    "bad.json: $.scales[0].min_items: must be an integer from 1 to 2");
	def2_bad(SCALES(SC(",'items':['i1']") "," SC(",'items':['i2']")),
	    "bad.json: $.scales[1].id: duplicate scale id \"s\"");
	def2_bad(SCALES("{'id':'s','items':['i1']}"),
	    "bad.json: $.scales[0].label: missing");
	def2_bad(SCALES(""),
	    "bad.json: $.scales: must be an array of 1 to 50 entries");
	def2_bad(SCALES(SC(",'items':['i1'],'weights':[1]")),
	    "bad.json: $.scales[0]: unknown key \"weights\"");
}

static void
test_scale_loads(void **state)
{
	struct def *d;

	(void)state;
	d = def2_ok(SCALES(SC(",'items':['i1','i2','l'],'reversed':['l']")));
	assert_int_equal(d->n_scales, 1);
	assert_int_equal(d->scales[0].n_items, 3);
	assert_int_equal(d->scales[0].items[2], L);
	assert_true(d->scales[0].is_reversed[2]);
	assert_false(d->scales[0].is_reversed[0]);
	assert_int_equal(d->scales[0].min_items, 3);
	assert_int_equal(d->scales[0].points, 5);
	def_free(d);
}

/* Sets a[qi] to point x (1-based) of a Likert question. */
static void
point(struct def_answer *a, size_t qi, unsigned x)
{
	a[qi] = (struct def_answer){ .is_answered = 1,
	    .chosen = UINT64_C(1) << (x - 1) };
}

static void
test_scale_score(void **state)
{
	struct def_answer a[N_QS];
	struct def *d;
	double mean = -1;

	(void)state;
	d = def2_ok(SCALES(SC(",'items':['i1','i2','i3'],'reversed':['i3'],"
	    "'min_items':2") ",{'id':'s2','label':" T("S") ",'items':"
	    "['j1','j2'],'min_items':1}"));
	memset(a, 0, sizeof(a));
	assert_false(def_scale_score(d, &d->scales[0], a, &mean));
	assert_true(mean == 0);
	point(a, I1, 4);
	assert_false(def_scale_score(d, &d->scales[0], a, &mean));
	point(a, I2, 5);
	point(a, I3, 2);	/* reversed: 6 - 2 = 4 */
	assert_true(def_scale_score(d, &d->scales[0], a, &mean));
	assert_true(mean > 4.333 && mean < 4.334);
	/* Prefer-not (the sixth option) is missing, like no answer. */
	a[I2] = (struct def_answer){ .is_answered = 1, .is_prefer_not = 1,
	    .chosen = UINT64_C(1) << 5 };
	point(a, I3, 1);
	assert_true(def_scale_score(d, &d->scales[0], a, &mean));
	assert_true(mean == 4.5);
	memset(&a[I3], 0, sizeof(a[I3]));
	assert_false(def_scale_score(d, &d->scales[0], a, &mean));
	/* Items of a hidden matrix are missing. */
	point(a, J1, 3);
	assert_false(def_scale_score(d, &d->scales[1], a, &mean));
	a[Y] = (struct def_answer){ .is_answered = 1, .chosen = 1 };
	assert_true(def_scale_score(d, &d->scales[1], a, &mean));
	assert_true(mean == 3);
	def_free(d);
}

static void
test_indicator_load_errors(void **state)
{
	(void)state;
	def2_bad(INDS(IND("y", "'misschien'")), "bad.json: "
	    "$.indicators[0].any_of[0]: no option \"misschien\" in question "
	    "\"y\"");
	def2_bad(INDS(IND("y", "'_prefer_not'")), "bad.json: "
	    "$.indicators[0].any_of[0]: no option \"_prefer_not\" in question "
	    "\"y\"");
	def2_bad(INDS(IND("y", "")),
	    "bad.json: $.indicators[0].any_of: must be an array of option ids");
	def2_bad(INDS(IND("t", "'x'")), "bad.json: $.indicators[0].question: "
	    "\"t\" is a text question; an indicator needs one with options");
	def2_bad(INDS(IND("n", "'x'")), "bad.json: $.indicators[0].question: "
	    "\"n\" is a number question; an indicator needs one with options");
	def2_bad(INDS(IND("zz", "'x'")),
	    "bad.json: $.indicators[0].question: unknown question \"zz\"");
	def2_bad(INDS(IND("y", "'ja'") "," IND("y", "'nee'")),
	    "bad.json: $.indicators[1].id: duplicate indicator id \"x\"");
	def2_bad(INDS("{'id':'x','label':" T("X") ",'question':'y','any_of':"
	    "['ja'],'baseline':{'wave':'b'}}"),
	    "bad.json: $.indicators[0].baseline: unknown key \"wave\"");
	def2_bad(INDS("{'id':'x','label':" T("X") ",'question':'y','any_of':"
	    "['ja'],'baseline':{'id':'b'}}"),
	    "bad.json: $.indicators[0].baseline.indicator: missing");
	def2_bad(INDS("{'id':'x','label':{'nl':'X'},'question':'y',"
	    "'any_of':['ja']}"),
	    "bad.json: $.indicators[0].label.en: missing translation");
}

static void
test_indicator_value(void **state)
{
	struct def_answer a[N_QS];
	struct def *d;

	(void)state;
	d = def2_ok(INDS(IND("y", "'ja'") ",{'id':'i','label':" T("I")
	    ",'question':'i1','any_of':['4','5'],'baseline':{'id':'b',"
	    "'indicator':'x'}},{'id':'mu','label':" T("M") ",'question':'mu',"
	    "'any_of':['a']},{'id':'j','label':" T("J") ",'question':'j1',"
	    "'any_of':['1']}"));
	assert_int_equal(d->n_indicators, 4);
	assert_null(d->indicators[0].baseline_id);
	assert_string_equal(d->indicators[1].baseline_id, "b");
	assert_string_equal(d->indicators[1].baseline_indicator, "x");
	assert_int_equal(d->indicators[1].any_of, 0x18);
	memset(a, 0, sizeof(a));
	assert_int_equal(def_indicator_value(d, &d->indicators[0], a), -1);
	a[Y] = (struct def_answer){ .is_answered = 1, .chosen = 1 };
	assert_int_equal(def_indicator_value(d, &d->indicators[0], a), 1);
	a[Y].chosen = 2;
	assert_int_equal(def_indicator_value(d, &d->indicators[0], a), 0);
	a[Y] = (struct def_answer){ .is_answered = 1, .is_prefer_not = 1,
	    .chosen = 4 };
	assert_int_equal(def_indicator_value(d, &d->indicators[0], a), -1);
	point(a, I1, 5);
	assert_int_equal(def_indicator_value(d, &d->indicators[1], a), 1);
	point(a, I1, 3);
	assert_int_equal(def_indicator_value(d, &d->indicators[1], a), 0);
	a[MU] = (struct def_answer){ .is_answered = 1, .chosen = 3 };
	assert_int_equal(def_indicator_value(d, &d->indicators[2], a), 1);
	a[MU].chosen = 4;
	assert_int_equal(def_indicator_value(d, &d->indicators[2], a), 0);
	/* j1 is hidden while y is not "ja": missing, whatever it holds. */
	point(a, J1, 1);
	assert_int_equal(def_indicator_value(d, &d->indicators[3], a), -1);
	a[Y] = (struct def_answer){ .is_answered = 1, .chosen = 1 };
	assert_int_equal(def_indicator_value(d, &d->indicators[3], a), 1);
	def_free(d);
}

/*
 * An indicator's base: "among" names who it is measured among (questions
 * before its own only), and answers marked "substantive": false leave a
 * respondent out of the base instead of counting as no.
 */
#define QB PAGE("p", Q("m", "multi", ",'options':[" OPT("a") "," OPT("b") \
	",{'id':'w','label':" T("W") ",'exclusive':true,'substantive':false}]") \
	"," Q("g", "single", ",'show_if':" IF("m", "'any_of':['a','b']") \
	",'prefer_not':true,'options':[" OPT("ja") "," OPT("nee") \
	",{'id':'nvt','label':" T("N") ",'substantive':false}]"))
#define INDB(rest) DEF2X("'indicators':[{'id':'x','label':" T("X") \
	",'question':'g','any_of':['ja']" rest "}]", QB)

static void
test_indicator_base(void **state)
{
	struct def_answer a[2];
	struct def *d;

	(void)state;
	d = def2_ok(INDB(",'among':" IF("m", "'any_of':['a']") ",'base_label':"
	    T("van wie a koos")));
	assert_string_equal(d->indicators[0].base_label.s[DEF_NL],
	    "van wie a koos");
	assert_int_equal(d->questions[0].options[2].is_nonsubstantive, 1);
	assert_int_equal(def_option_is_substantive(&d->questions[0].options[2]),
	    0);
	assert_int_equal(def_option_is_substantive(&d->questions[1].options[3]),
	    0);	/* prefer-not */
	assert_int_equal(def_option_is_substantive(&d->questions[1].options[0]),
	    1);
	memset(a, 0, sizeof(a));
	a[0] = (struct def_answer){ .is_answered = 1, .chosen = 1 };
	a[1] = (struct def_answer){ .is_answered = 1, .chosen = 1 };
	assert_int_equal(def_indicator_value(d, &d->indicators[0], a), 1);
	a[1].chosen = 2;
	assert_int_equal(def_indicator_value(d, &d->indicators[0], a), 0);
	/* n.v.t. is neither yes nor no. */
	a[1].chosen = 4;
	assert_int_equal(def_indicator_value(d, &d->indicators[0], a), -1);
	/* Shown (m is b) but not among those the base names. */
	a[0].chosen = 2;
	a[1].chosen = 1;
	assert_int_equal(def_indicator_value(d, &d->indicators[0], a), -1);
	def_free(d);

	def2_bad(INDB(",'among':" IF("m", "'any_of':['a']")),
	    "bad.json: $.indicators[0].base_label: missing: an indicator with "
	    "\"among\" says in words who its base is");
	def2_bad(INDB(",'among':" IF("g", "'any_of':['ja']")),
	    "bad.json: $.indicators[0].among.question: \"g\" is not an "
	    "earlier question (a condition can only use answers given "
	    "before)");
	def2_bad(INDB(",'among':" IF("zz", "'any_of':['a']")),
	    "bad.json: $.indicators[0].among.question: unknown question "
	    "\"zz\"");
	def2_bad(DEF2X("'indicators':[{'id':'x','label':" T("X")
	    ",'question':'g','any_of':['nvt']}]", QB),
	    "bad.json: $.indicators[0].any_of: \"nvt\" is not a substantive "
	    "answer; it cannot count as yes");
	def2_bad(DEF2(PAGE("p", Q("m", "multi", ",'options':[" OPT("a") ","
	    "{'id':'w','label':" T("W") ",'substantive':false}]"))),
	    "bad.json: $.pages[0].questions[0].options[1].substantive: an "
	    "answer that is not substantive must be \"exclusive\": true in a "
	    "multi question");
}

#define BHEAD "'format':1,'kind':'baseline','id':'b','title':" T("T") \
	",'source':" T("S") ",'year':2024,'population':" T("P")
#define BIND(id, pct) "{'id':'" id "','label':" T("L") ",'percent':" pct \
	",'n':null}"
#define BASE(n, inds) "{" BHEAD ",'n':" n ",'indicators':[" inds "]}"

/* Parses baseline fixture s; expects r and (unless GH_OK) message msg. */
static void
baseline_expect(const char *s, int r, const char *msg)
{
	struct baseline *b = NULL;
	char err[512], *json = dq(s);

	assert_int_equal(baseline_parse(json, strlen(json), "bad.json", &b,
	    err, sizeof(err)), r);
	assert_true((b != NULL) == (r == GH_OK));
	if (r != GH_OK)
		assert_string_equal(err, msg);
	baseline_free(b);
	free(json);
}

static void
test_baseline_loads(void **state)
{
	const struct baseline_indicator *ind;
	struct baseline *b = NULL;
	char *path, err[512];

	(void)state;
	path = src_path("survey-defs/baseline/verwey-jonker-2024.json");
	if (baseline_load_file(path, &b, err, sizeof(err)) != GH_OK)
		fail_msg("%s", err);
	assert_string_equal(b->id, "verwey-jonker-2024");
	assert_int_equal(b->year, 2024);
	assert_int_equal(b->n, -1);
	assert_int_equal(b->n_indicators, 3);
	ind = baseline_indicator(b, "ervaren_discriminatie");
	assert_non_null(ind);
	assert_true(ind->percent == 14.0);
	assert_int_equal(ind->n, -1);
	assert_null(baseline_indicator(b, "nope"));
	baseline_free(b);
	baseline_free(NULL);
	free(path);
	baseline_expect(BASE("812", "{'id':'x','label':" T("L") ",'percent':"
	    "12.5,'n':800}"), GH_OK, "");
}

static void
test_baseline_errors(void **state)
{
	(void)state;
	baseline_expect(BASE("null", BIND("x", "101")), GH_ERR_INVALID,
	    "bad.json: $.indicators[0].percent: must be a number from 0 to "
	    "100");
	baseline_expect(BASE("null", BIND("x", "'55'")), GH_ERR_INVALID,
	    "bad.json: $.indicators[0].percent: must be a number from 0 to "
	    "100");
	baseline_expect("{" BHEAD ",'indicators':[" BIND("x", "1") "]}",
	    GH_ERR_INVALID, "bad.json: $.n: missing (a number, or null if not "
	    "known)");
	baseline_expect(BASE("0", BIND("x", "1")), GH_ERR_INVALID,
	    "bad.json: $.n: must be an integer from 1 to 100000000");
	baseline_expect(BASE("null", BIND("x", "1") "," BIND("x", "2")),
	    GH_ERR_INVALID, "bad.json: $.indicators[1].id: duplicate indicator "
	    "id \"x\"");
	baseline_expect(BASE("null", ""), GH_ERR_INVALID, "bad.json: "
	    "$.indicators: must be an array of 1 to 100 indicators");
	baseline_expect("{'format':1,'kind':'wave'}", GH_ERR_INVALID,
	    "bad.json: $.kind: must be \"baseline\"");
	baseline_expect("{'format':2,'kind':'baseline'}", GH_ERR_INVALID,
	    "bad.json: $.format: must be 1");
	baseline_expect("{'kind':'baseline','extra':1}", GH_ERR_INVALID,
	    "bad.json: $: unknown key \"extra\"");
	baseline_expect("{" BHEAD ",'n':null,'indicators':[" BIND("x", "1")
	    "],'year':2025}", GH_ERR_INVALID, "bad.json: $: duplicate key "
	    "\"year\"");
	baseline_expect("{'kind':'baseline'} x", GH_ERR_INVALID,
	    "bad.json: invalid JSON near byte 20");
	/* Not a baseline: left to the definition loader. */
	baseline_expect("{'format':1,'id':'t'}", GH_ERR_NOT_FOUND, "");
	baseline_expect("{'format':", GH_ERR_NOT_FOUND, "");
	baseline_expect("[1]", GH_ERR_NOT_FOUND, "");
	/* And a definition has no "kind". */
	def2_bad("{'format':1,'kind':'baseline'}",
	    "bad.json: $: unknown key \"kind\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scale_load_errors),
		cmocka_unit_test(test_scale_loads),
		cmocka_unit_test(test_scale_score),
		cmocka_unit_test(test_indicator_load_errors),
		cmocka_unit_test(test_indicator_value),
		cmocka_unit_test(test_indicator_base),
		cmocka_unit_test(test_baseline_loads),
		cmocka_unit_test(test_baseline_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

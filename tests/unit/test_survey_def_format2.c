/*
 * test_survey_def_format2.c: the format 2 parts of the definition loader
 * (server/survey/def_load.c, def_page.c, def_question.c): pages, matrices,
 * numbers, prefer-not, exclusive options, background variables, the unit,
 * response scales; the instruments in survey-defs/ load; and each
 * malformed definition fails with its exact message. Conditions are in
 * test_survey_cond.c, scales and indicators in test_survey_scale.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "survey/def.h"
#include "survey_fixture.h"

#define P0	"bad.json: $.pages[0].questions[0]"

static void
test_def2_structure(void **state)
{
	struct def *d;
	const struct def_question *q;

	(void)state;
	d = def2_ok(DEF2X("'welcome':" T("W") ",'unit':{'source':'batch'}",
	    PAGE("p1", YESNO("q1", ",'background':'work_type',"
	    "'prefer_not':true,'sensitive':true") "," MATRIX("m",
	    ",'prefer_not':true,'required':true", ITEM("i1") "," ITEM("i2")))
	    "," PAGE("p2", NUMBER("age", ",'prefer_not':true") ","
	    MULTI("mu", ",'prefer_not':true") "," TEXT("t", ""))));
	assert_int_equal(d->format, 2);
	assert_string_equal(d->welcome.s[DEF_EN], "W");
	assert_int_equal(d->unit_source, DEF_UNIT_BATCH);
	assert_int_equal(d->n_questions, 7);
	assert_int_equal(d->n_pages, 2);
	assert_int_equal(d->pages[0].first, 0);
	assert_int_equal(d->pages[0].n, 4);
	assert_int_equal(d->pages[1].first, 4);
	assert_int_equal(d->pages[1].n, 3);
	assert_string_equal(d->pages[1].title.s[DEF_NL], "");
	q = &d->questions[0];
	assert_int_equal(q->n_options, 3);
	assert_string_equal(q->options[2].id, DEF_PREFER_NOT);
	assert_string_equal(q->options[2].label.s[DEF_NL],
	    "Zeg ik liever niet");
	assert_true(q->options[2].is_prefer_not);
	assert_false(q->options[2].is_exclusive);
	assert_int_equal(q->background, DEF_BG_WORK_TYPE);
	assert_true(q->is_sensitive);
	assert_int_equal(q->matrix, -1);
	q = &d->questions[1];
	assert_int_equal(q->type, DEF_MATRIX);
	assert_int_equal(q->first_item, 2);
	assert_int_equal(q->n_items, 2);
	assert_int_equal(q->n_options, 6);
	assert_int_equal(def_question_points(q), 5);
	q = &d->questions[3];
	assert_string_equal(q->id, "i2");
	assert_int_equal(q->type, DEF_LIKERT);
	assert_int_equal(q->matrix, 1);
	assert_true(q->is_required && q->has_prefer_not);
	assert_int_equal(q->n_options, 6);
	assert_string_equal(q->options[0].id, "1");
	assert_int_equal(def_question_points(q), 5);
	q = &d->questions[4];
	assert_int_equal(q->type, DEF_NUMBER);
	assert_int_equal(q->min, 16);
	assert_int_equal(q->max, 70);
	assert_true(q->has_prefer_not);
	assert_null(q->options);
	assert_int_equal(q->page, 1);
	q = &d->questions[5];
	assert_int_equal(q->n_options, 4);
	assert_true(q->options[2].is_exclusive && q->options[3].is_exclusive);
	assert_false(q->options[0].is_exclusive);
	/*
	 * 39 fixed; q1 6+2+11; i1, i2 5+2+11 each... as def_load.c counts:
	 * 19 + 19 + 19 + age 7+20 + mu 6+2+4+4+7+14 + t 5+2+400 + 1 = 568,
	 * and unit source batch ,"u":"LABEL" 7 + 2 x DEF_MAX_UNIT = 775.
	 */
	assert_int_equal(d->bucket, 1024);
	assert_string_equal(def_background_name(DEF_BG_WORK_TYPE), "work_type");
	assert_string_equal(def_background_name(DEF_BG_NONE), "");
	def_free(d);
}

static void
test_def2_format1_is_one_page(void **state)
{
	struct def *d;
	char *path = src_path("survey-defs/demo.json"), err[512];
	size_t i;

	(void)state;
	if (def_load_file(path, &d, NULL, err, sizeof(err)) != GH_OK)
		fail_msg("%s", err);
	assert_int_equal(d->format, 1);
	assert_int_equal(d->n_pages, 1);
	assert_int_equal(d->pages[0].n, d->n_questions);
	assert_null(d->pages[0].show_if);
	assert_int_equal(d->unit_source, DEF_UNIT_NONE);
	for (i = 0; i < d->n_questions; i++)
		assert_int_equal(d->questions[i].matrix, -1);
	def_free(d);
	free(path);
	/* Format 2 may also give one list of questions. */
	d = def2_ok("{" HEAD2 ",'questions':[" YESNO("q", "") "]}");
	assert_int_equal(d->n_pages, 1);
	def_free(d);
}

static void
test_def2_instruments_load(void **state)
{
	static const struct {
		const char	*file;
		size_t		 pages, scales, indicators;
		enum def_unit_source unit;
	} want[] = {
		{ "inclusie-2026", 11, 8, 16, DEF_UNIT_BATCH },
		{ "ervaren-discriminatie-2026", 6, 1, 8, DEF_UNIT_BATCH },
		{ "melding", 3, 0, 0, DEF_UNIT_QUESTION },
	};
	struct def *d;
	char rel[128], *path, err[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		snprintf(rel, sizeof(rel), "survey-defs/%s.json", want[i].file);
		path = src_path(rel);
		if (def_load_file(path, &d, NULL, err, sizeof(err)) != GH_OK)
			fail_msg("%s", err);
		assert_int_equal(d->n_pages, want[i].pages);
		assert_int_equal(d->n_scales, want[i].scales);
		assert_int_equal(d->n_indicators, want[i].indicators);
		assert_int_equal(d->unit_source, want[i].unit);
		if (d->unit_source == DEF_UNIT_QUESTION)
			assert_int_equal(
			    d->questions[d->unit_question].background,
			    DEF_BG_UNIT);
		def_free(d);
		free(path);
	}
}

static void
test_def2_needs_format2(void **state)
{
	(void)state;
	def2_bad("{'format':1,'id':'t','title':" T("T") ",'pages':[]}",
	    "bad.json: $.pages: needs \"format\": 2");
	def2_bad("{'format':1,'id':'t','title':" T("T") ",'questions':["
	    YESNO("q", ",'show_if':{}") "]}",
	    "bad.json: $.questions[0].show_if: needs \"format\": 2");
	def2_bad("{'format':1,'id':'t','title':" T("T") ",'questions':["
	    Q("q", "number", "") "]}",
	    "bad.json: $.questions[0].type: type \"number\" needs "
	    "\"format\": 2");
	def2_bad("{'format':1,'id':'t','title':" T("T") ",'questions':["
	    Q("q", "multi", ",'options':[" OPT("a") "," XOPT("b") "]") "]}",
	    "bad.json: $.questions[0].options[1].exclusive: needs "
	    "\"format\": 2");
}

static void
test_def2_questions_or_pages(void **state)
{
	(void)state;
	def2_bad("{" HEAD2 ",'questions':[" YESNO("q", "") "],'pages':["
	    PAGE("p", YESNO("r", "")) "]}",
	    "bad.json: $: both questions and pages (a definition has one of "
	    "them)");
	def2_bad("{" HEAD2 "}", "bad.json: $.pages: missing");
	def2_bad(DEF2(""), "bad.json: $.pages: must be an array of 1 to 50 "
	    "pages");
	def2_bad(DEF2(PAGE("p", "")), "bad.json: $.pages[0].questions: must "
	    "be an array of 1 to 100 questions");
	def2_bad(DEF2("{'id':'p'}"), "bad.json: $.pages[0].questions: "
	    "missing");
	def2_bad(DEF2("{'id':'p','titel':1}"),
	    "bad.json: $.pages[0]: unknown key \"titel\"");
	def2_bad(DEF2(PAGE("p", YESNO("a", "")) "," PAGE("p", YESNO("b", ""))),
	    "bad.json: $.pages[1].id: duplicate page id \"p\"");
}

static void
test_def2_matrix_errors(void **state)
{
	(void)state;
	def2_bad(DEF2(PAGE("p", Q("m", "matrix", ",'items':[" ITEM("a") ","
	    ITEM("b") "]"))),
	    P0 ".scale: missing (a matrix needs a response scale)");
	def2_bad(DEF2(PAGE("p", Q("m", "matrix", ",'scale':'e7','items':["
	    ITEM("a") "," ITEM("b") "]"))),
	    P0 ".scale: unknown response scale \"e7\"");
	def2_bad(DEF2(PAGE("p", Q("l", "likert", ",'scale':'E 7'"))),
	    P0 ".scale: unknown response scale");
	def2_bad(DEF2(PAGE("p", MATRIX("m", "", ITEM("a")))),
	    P0 ".items: a matrix needs 2 to 30 items");
	def2_bad(DEF2(PAGE("p", MATRIX("m", ",'options':[]", ITEM("a") ","
	    ITEM("b")))), P0 ".options: not allowed for a matrix question");
	def2_bad(DEF2(PAGE("p", MATRIX("m", ",'background':'gender'",
	    ITEM("a") "," ITEM("b")))),
	    P0 ".background: not allowed for a matrix question");
	def2_bad(DEF2(PAGE("p", LIKERT("l", ",'options':[" OPT("a") ","
	    OPT("b") "]"))), P0 ".scale: not allowed with options");
	def2_bad(DEF2(PAGE("p", MATRIX("m", "", ITEM("a") ","
	    "{'id':'b','label':{'nl':'B'}}"))),
	    P0 ".items[1].label.en: missing translation");
	def2_bad(DEF2(PAGE("p", MATRIX("m", "", ITEM("a") ","
	    "{'id':'b','label':" T("B") ",'help':" T("H") "}"))),
	    P0 ".items[1]: unknown key \"help\"");
}

static void
test_def2_duplicate_ids_across_items(void **state)
{
	(void)state;
	def2_bad(DEF2(PAGE("p", YESNO("a", "") "," MATRIX("m", "", ITEM("a")
	    "," ITEM("b")))),
	    "bad.json: $.pages[0].questions[1].items[0].id: duplicate "
	    "question id \"a\"");
	def2_bad(DEF2(PAGE("p", MATRIX("m", "", ITEM("a") "," ITEM("b")))
	    "," PAGE("q", YESNO("b", ""))),
	    "bad.json: $.pages[1].questions[0].id: duplicate question id "
	    "\"b\"");
	def2_bad(DEF2(PAGE("p", MATRIX("m", "", ITEM("a") "," ITEM("m")))),
	    P0 ".items[1].id: duplicate question id \"m\"");
}

static void
test_def2_number_errors(void **state)
{
	(void)state;
	def2_bad(DEF2(PAGE("p", Q("n", "number", ",'min':5,'max':4"))),
	    P0 ".min: 5 is over max 4");
	def2_bad(DEF2(PAGE("p", Q("n", "number", ",'min':5"))),
	    P0 ".max: missing");
	def2_bad(DEF2(PAGE("p", Q("n", "number",
	    ",'min':-1000000001,'max':4"))),
	    P0 ".min: must be an integer from -1000000000 to 1000000000");
	def2_bad(DEF2(PAGE("p", Q("n", "number", ",'min':1,'max':2.5"))),
	    P0 ".max: must be an integer from -1000000000 to 1000000000");
	def2_bad(DEF2(PAGE("p", NUMBER("n", ",'options':[]"))),
	    P0 ".options: not allowed for a number question");
	def2_bad(DEF2(PAGE("p", NUMBER("n", ",'max_length':5"))),
	    P0 ".max_length: not allowed for a number question");
	def2_bad(DEF2(PAGE("p", TEXT("t", ",'min':5"))),
	    P0 ".min: not allowed for a text question");
}

static void
test_def2_option_errors(void **state)
{
	(void)state;
	def2_bad(DEF2(PAGE("p", Q("s", "single", ",'options':[" OPT("a") ","
	    XOPT("b") "]"))),
	    P0 ".options[1].exclusive: not allowed for a single question");
	def2_bad(DEF2(PAGE("p", Q("s", "multi", ",'options':[" OPT("a") ","
	    "{'id':'b','label':" T("b") ",'exclusive':1}]"))),
	    P0 ".options[1].exclusive: must be true or false");
	def2_bad(DEF2(PAGE("p", Q("s", "single", ",'options':[" OPT("a") ","
	    OPT("_prefer_not") "]"))),
	    P0 ".options[1].id: \"_prefer_not\" is reserved (use "
	    "\"prefer_not\": true)");
	def2_bad(DEF2(PAGE("p", TEXT("t", ",'prefer_not':true"))),
	    P0 ".prefer_not: not allowed for a text question (it can be "
	    "left empty)");
	def2_bad(DEF2(PAGE("p", YESNO("q", ",'prefer_not':1"))),
	    P0 ".prefer_not: must be true or false");
	def2_bad(DEF2(PAGE("p", YESNO("q", ",'background':'leeftijd'"))),
	    P0 ".background: unknown background (age_band, gender, "
	    "gender_self, cultural_background, disability, chronic_illness, "
	    "neurodivergence, sexual_orientation, unit, work_type or other)");
}

static void
test_def2_prefer_not_takes_an_option(void **state)
{
	char *json, *p;
	struct def *d;
	size_t j;

	(void)state;
	json = malloc(16384);
	assert_non_null(json);
	p = json + sprintf(json, "{" HEAD2 ",'pages':[{'id':'p','questions':"
	    "[{'id':'q','type':'multi','prefer_not':true,'label':" T("L")
	    ",'options':[");
	for (j = 0; j < DEF_MAX_OPTIONS; j++)
		p += sprintf(p, "%s{'id':'o%zu','label':" T("o") "}",
		    j > 0 ? "," : "", j);
	sprintf(p, "]}]}]}");
	def2_bad(json, P0 ".options: a multi question needs 2 to 63 options");
	/* 63 and prefer-not fill the 64 bits. */
	p = strstr(json, ",{'id':'o63'");
	assert_non_null(p);
	sprintf(p, "]}]}]}");
	d = def2_ok(json);
	assert_int_equal(d->questions[0].n_options, DEF_MAX_OPTIONS);
	def_free(d);
	free(json);
}

static void
test_def2_translations(void **state)
{
	(void)state;
	def2_bad(DEF2("{'id':'p','title':{'nl':'Titel'},'questions':["
	    YESNO("q", "") "]}"),
	    "bad.json: $.pages[0].title.en: missing translation");
	def2_bad(DEF2("{'id':'p','intro':{'nl':'x','en':' '},'questions':["
	    YESNO("q", "") "]}"),
	    "bad.json: $.pages[0].intro.en: missing translation");
	def2_bad(DEF2X("'welcome':{'en':'W'}", PAGE("p", YESNO("q", ""))),
	    "bad.json: $.welcome.nl: missing translation");
	def2_bad("{'format':2,'id':'t','title':" T("T") ",'response_scales':"
	    "{'x':[{'id':'a','label':{'nl':'A'}}," OPT("b") "]},'pages':["
	    PAGE("p", YESNO("q", "")) "]}",
	    "bad.json: $.response_scales.x[0].label.en: missing translation");
}

static void
test_def2_response_scale_errors(void **state)
{
	(void)state;
	def2_bad("{'format':2,'id':'t','title':" T("T") ",'response_scales':"
	    "[],'pages':[]}", "bad.json: $.response_scales: must be an object");
	def2_bad("{'format':2,'id':'t','title':" T("T") ",'response_scales':"
	    "{'X Y':[]},'pages':[]}",
	    "bad.json: $.response_scales: scale id must match "
	    "[a-z0-9_-]{1,40}");
	def2_bad("{'format':2,'id':'t','title':" T("T") ",'response_scales':"
	    "{'x':[" OPT("a") "]},'pages':[]}",
	    "bad.json: $.response_scales.x: a response scale needs 2 to 11 "
	    "options");
	def2_bad("{'format':2,'id':'t','title':" T("T") ",'response_scales':"
	    "{'x':[" OPT("a") "," OPT("a") "]},'pages':[]}",
	    "bad.json: $.response_scales.x[1].id: duplicate option id \"a\"");
	def2_bad("{'format':2,'id':'t','title':" T("T") ",'response_scales':"
	    "{'x':[" XOPT("a") "," OPT("b") "]},'pages':[]}",
	    "bad.json: $.response_scales.x[0]: unknown key \"exclusive\"");
}

static void
test_def2_unit(void **state)
{
	struct def *d;

	(void)state;
	d = def2_ok(DEF2X("'unit':{'source':'question','question':'q'}",
	    PAGE("p", YESNO("q", ""))));
	assert_int_equal(d->unit_source, DEF_UNIT_QUESTION);
	assert_int_equal(d->unit_question, 0);
	assert_int_equal(d->questions[0].background, DEF_BG_UNIT);
	def_free(d);
	def2_bad(DEF2X("'unit':{'source':'team'}", PAGE("p", YESNO("q", ""))),
	    "bad.json: $.unit.source: must be \"batch\" or \"question\"");
	def2_bad(DEF2X("'unit':{'source':'question','question':'n'}",
	    PAGE("p", NUMBER("n", ""))),
	    "bad.json: $.unit.question: \"n\" must be a single question");
	def2_bad(DEF2X("'unit':{'source':'question','question':'zz'}",
	    PAGE("p", YESNO("q", ""))),
	    "bad.json: $.unit.question: unknown question \"zz\"");
	def2_bad(DEF2X("'unit':{'source':'batch','question':'q'}",
	    PAGE("p", YESNO("q", ""))),
	    "bad.json: $.unit.question: not allowed with source \"batch\"");
	def2_bad(DEF2(PAGE("p", YESNO("q", ",'background':'unit'"))),
	    "bad.json: $.unit: question \"q\" has background \"unit\", but "
	    "there is no unit (add {\"source\": \"question\", \"question\": "
	    "...})");
	def2_bad(DEF2X("'unit':{'source':'batch'}",
	    PAGE("p", YESNO("q", ",'background':'unit'"))),
	    "bad.json: $.unit: question \"q\" has background \"unit\", but "
	    "the unit comes from the token batch");
	def2_bad(DEF2X("'unit':{'source':'question','question':'q'}",
	    PAGE("p", YESNO("q", ",'background':'gender'"))),
	    "bad.json: $.unit.question: \"q\" has background \"gender\"");
}

static void
test_def2_question_limit_counts_items(void **state)
{
	char *json, *p;
	size_t i, j;

	(void)state;
	json = malloc(65536);
	assert_non_null(json);
	p = json + sprintf(json, "{" HEAD2 ",'pages':[");
	/* 7 matrices of 1 + 29 entries: 210. */
	for (i = 0; i < 7; i++) {
		p += sprintf(p, "%s{'id':'p%zu','questions':[{'id':'m%zu',"
		    "'type':'matrix','scale':'e5','label':" T("M")
		    ",'items':[", i > 0 ? "," : "", i, i);
		for (j = 0; j < 29; j++)
			p += sprintf(p, "%s{'id':'i%zu_%zu','label':" T("I")
			    "}", j > 0 ? "," : "", i, j);
		p += sprintf(p, "]}]}");
	}
	sprintf(p, "]}");
	def2_bad(json, "bad.json: $.pages: 210 questions (matrix items "
	    "included), over the limit of 200");
	free(json);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_def2_structure),
		cmocka_unit_test(test_def2_format1_is_one_page),
		cmocka_unit_test(test_def2_instruments_load),
		cmocka_unit_test(test_def2_needs_format2),
		cmocka_unit_test(test_def2_questions_or_pages),
		cmocka_unit_test(test_def2_matrix_errors),
		cmocka_unit_test(test_def2_duplicate_ids_across_items),
		cmocka_unit_test(test_def2_number_errors),
		cmocka_unit_test(test_def2_option_errors),
		cmocka_unit_test(test_def2_prefer_not_takes_an_option),
		cmocka_unit_test(test_def2_translations),
		cmocka_unit_test(test_def2_response_scale_errors),
		cmocka_unit_test(test_def2_unit),
		cmocka_unit_test(test_def2_question_limit_counts_items),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_release_plan.c: release plans are checked against the definition,
 * and every problem is one line "NAME: $.path: problem".
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "release/plan.h"
#include "release_fixture.h"

static struct def *
load_def(void)
{
	struct def *d = NULL;
	char err[512];

	if (def_parse(rf_def_json, strlen(rf_def_json), "rf.json", &d, err,
	    sizeof(err)) != GH_OK)
		fail_msg("%s", err);
	return d;
}

#define HEAD "{\"format\":1,\"kind\":\"release_plan\",\"definition\":\"rf\","

/* Parses json; expects GH_ERR_INVALID and exactly msg. */
static void
refused(const char *json, const char *msg)
{
	struct def *d = load_def();
	struct plan *p = NULL;
	char err[512] = "";

	assert_int_equal(plan_parse(json, strlen(json), "p.json", d, &p, err,
	    sizeof(err)), GH_ERR_INVALID);
	assert_null(p);
	assert_string_equal(err, msg);
	def_free(d);
}

static void
test_release_plan_accepts_full(void **state)
{
	static const char json[] = HEAD "\"c\":4,"
	    "\"compare_with\":[\"rf-2024\",\"baseline\"],"
	    "\"unit_map\":[{\"from\":\"Oud\",\"to\":[\"Nieuw/A\",\"Nieuw/B\"]}],"
	    "\"tables\":[{\"id\":\"t1\",\"question\":\"gezien\"},"
	    "{\"id\":\"t2\",\"question\":\"vorm\",\"by\":[\"gender\",\"unit\"]},"
	    "{\"id\":\"t3\",\"scale\":\"sc\",\"by\":[\"unit\"]},"
	    "{\"id\":\"t4\",\"indicator\":\"ind\",\"by\":[\"gender\"]}]}";
	struct def *d = load_def();
	struct plan *p = NULL;
	char err[512] = "";
	size_t n;

	(void)state;
	assert_int_equal(plan_parse(json, strlen(json), "p.json", d, &p, err,
	    sizeof(err)), GH_OK);
	assert_int_equal(p->c, 4);
	assert_int_equal(p->n_tables, 4);
	assert_int_equal(p->tables[1].n_by, 2);
	assert_int_equal(p->tables[1].by[1].is_unit, 1);
	assert_int_equal(p->tables[2].var, PLAN_SCALE);
	assert_int_equal(p->tables[3].var, PLAN_INDICATOR);
	assert_string_equal(plan_var_id(d, &p->tables[3]), "ind");
	assert_int_equal(p->n_compare, 2);
	assert_non_null(plan_unit_map_find(p, "Oud", &n));
	assert_int_equal(n, 2);
	assert_null(plan_unit_map_find(p, "Nieuw", &n));
	plan_free(p);
	def_free(d);
}

static void
test_release_plan_default_c(void **state)
{
	static const char json[] = HEAD
	    "\"tables\":[{\"id\":\"t1\",\"question\":\"gezien\"}]}";
	struct def *d = load_def();
	struct plan *p = NULL;
	char err[512] = "";

	(void)state;
	assert_int_equal(plan_parse(json, strlen(json), "p.json", d, &p, err,
	    sizeof(err)), GH_OK);
	assert_int_equal(p->c, PLAN_C_DEFAULT);
	plan_free(p);
	def_free(d);
}

static void
test_release_plan_errors(void **state)
{
	(void)state;
	refused(HEAD "\"tables\":[{\"id\":\"t1\",\"question\":\"nope\"}]}",
	    "p.json: $.tables[0].question: unknown question \"nope\"");
	refused(HEAD "\"tables\":[{\"id\":\"t1\",\"question\":\"txt\"}]}",
	    "p.json: $.tables[0].question: \"txt\" is not a choice question "
	    "(single, likert, multi or a matrix item); free text and numbers "
	    "are never released");
	refused(HEAD "\"tables\":[{\"id\":\"t1\",\"question\":\"gezien\","
	    "\"by\":[\"vorm\"]}]}",
	    "p.json: $.tables[0].by[0]: \"vorm\" is not a single choice "
	    "question; a breakdown needs one");
	refused(HEAD "\"tables\":[{\"id\":\"t1\",\"question\":\"gender\","
	    "\"by\":[\"gender\"]}]}",
	    "p.json: $.tables[0].by[0]: the table's own question cannot break "
	    "it down");
	refused(HEAD "\"tables\":[{\"id\":\"t1\",\"question\":\"gezien\","
	    "\"by\":[\"unit\",\"unit\"]}]}",
	    "p.json: $.tables[0].by[1]: the same breakdown twice");
	refused(HEAD "\"tables\":[{\"id\":\"t1\",\"question\":\"gezien\","
	    "\"by\":[\"unit\",\"gender\",\"unit\"]}]}",
	    "p.json: $.tables[0].by: must be an array of 0 to 2 breakdowns");
	refused(HEAD "\"tables\":[{\"id\":\"t1\",\"scale\":\"x\"}]}",
	    "p.json: $.tables[0].scale: unknown scale \"x\"");
	refused(HEAD "\"tables\":[{\"id\":\"t1\",\"indicator\":\"x\"}]}",
	    "p.json: $.tables[0].indicator: unknown indicator \"x\"");
	refused(HEAD "\"tables\":[{\"id\":\"t1\",\"scale\":\"sc\","
	    "\"question\":\"gezien\"}]}",
	    "p.json: $.tables[0]: needs exactly one of \"question\", \"scale\" "
	    "and \"indicator\"");
	refused(HEAD "\"tables\":[{\"id\":\"t1\",\"question\":\"gezien\"},"
	    "{\"id\":\"t1\",\"question\":\"vorm\"}]}",
	    "p.json: $.tables[1].id: duplicate table id \"t1\"");
	refused(HEAD "\"c\":1,\"tables\":[]}",
	    "p.json: $.c: must be an integer from 2 to 100");
	refused(HEAD "\"tables\":[]}",
	    "p.json: $.tables: must be an array of 1 to 200 entries");
	refused("{\"format\":1,\"kind\":\"release_plan\",\"definition\":\"x\","
	    "\"tables\":[]}",
	    "p.json: $.definition: \"x\" is not the wave's definition \"rf\"");
	refused(HEAD "\"tabels\":[]}", "p.json: $: unknown key \"tabels\"");
	refused("{\"format\":1,\"definition\":\"rf\"}", "p.json: $.kind: "
	    "missing");
	refused(HEAD "\"tables\":[{\"id\":\"t1\",\"question\":\"gezien\"}],"
	    "\"unit_map\":[{\"from\":\"A\",\"to\":[\"B\"]},"
	    "{\"from\":\"A\",\"to\":[\"C\"]}]}",
	    "p.json: $.unit_map[1]: unit mapped twice");
	refused(HEAD "\"tables\":[{\"id\":\"t1\",\"question\":\"gezien\"}],"
	    "\"compare_with\":[\"a\",\"a\"]}",
	    "p.json: $.compare_with[1]: listed twice");
	refused(HEAD "\"tables\":[]} x", "p.json: invalid JSON near byte 65");
	/* fuzz_plan: a byte from the file went raw into the message. */
	refused(HEAD "\"tables\":[{\"id\":\"t\",\"question\":\"gezien\","
	    "\"by\":[\"\xc2\xbbnit\"]}]}",
	    "p.json: $.tables[0].by[0]: unknown question \"??nit\"");
}

/* The standard plans load against their instruments. */
static void
test_release_plan_standard_plans(void **state)
{
	static const char *const names[] = {
		"demo", "inclusie-2026", "ervaren-discriminatie-2026",
	};
	const char *src = getenv("GEHOORD_SRC");
	char path[4096], err[512];
	struct def *d;
	struct plan *p;
	size_t i;

	(void)state;
	if (src == NULL)
		src = ".";
	for (i = 0; i < sizeof(names) / sizeof(*names); i++) {
		d = NULL;
		p = NULL;
		snprintf(path, sizeof(path), "%s/survey-defs/%s.json", src,
		    names[i]);
		if (def_load_file(path, &d, NULL, err, sizeof(err)) != GH_OK)
			fail_msg("%s", err);
		snprintf(path, sizeof(path), "%s/survey-defs/plans/%s.json", src,
		    names[i]);
		if (plan_load_file(path, d, &p, err, sizeof(err)) != GH_OK)
			fail_msg("%s", err);
		assert_true(p->n_tables > 0);
		plan_free(p);
		def_free(d);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_release_plan_accepts_full),
		cmocka_unit_test(test_release_plan_default_c),
		cmocka_unit_test(test_release_plan_errors),
		cmocka_unit_test(test_release_plan_standard_plans),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

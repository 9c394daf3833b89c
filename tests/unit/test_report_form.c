/*
 * test_report_form.c: the report form's check (report/report_form.h)
 * against survey-defs/melding.json: the definition fits the category
 * table (and one whose options differ is refused, naming the question);
 * a form with only what is required passes; an unknown option, two
 * answers to a single question, an answer that stands alone with
 * another, a missing consent, a blank or too long text are each the
 * problem of their own question and of no other; the unit is the
 * cluster answer, none for "prefer not to say".
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_form.h"
#include "survey/def.h"

#define NEEDED	"wat_gebeurd=x&toestemming=ja_alleen_lezen"

static char *
read_def(void)
{
	const char *src = getenv("GEHOORD_SRC");
	char path[4096];
	FILE *f;
	char *buf;
	long n;

	assert_non_null(src);
	snprintf(path, sizeof(path), "%s/survey-defs/melding.json", src);
	assert_non_null(f = fopen(path, "rb"));
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	assert_true((n = ftell(f)) > 0);
	rewind(f);
	assert_non_null(buf = calloc(1, (size_t)n + 1));
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

static int
setup(void **state)
{
	char *json = read_def(), err[512] = "";
	struct def *d = NULL;

	if (def_parse(json, strlen(json), "melding.json", &d, err,
	    sizeof(err)) != GH_OK)
		fail_msg("%s", err);
	free(json);
	*state = d;
	return 0;
}

static int
teardown(void **state)
{
	def_free(*state);
	return 0;
}

/* Checks body against the definition; returns the problem of qid. */
static enum report_problem
problem(const struct def *d, const char *body, const char *qid, int *n_bad)
{
	struct report_check chk;
	struct form *f = NULL;
	int qi = def_question_index(d, qid);

	assert_true(qi >= 0);
	assert_int_equal(form_parse(body, strlen(body), &f), GH_OK);
	*n_bad = report_form_check(d, f, &chk);
	assert_int_equal(*n_bad, chk.n_bad);
	form_free(f);
	return chk.p[qi];
}

static void
test_report_form_def_fits_the_table(void **state)
{
	char err[256] = "";

	assert_int_equal(report_form_def_check(*state, err, sizeof(err)),
	    GH_OK);
}

static void
test_report_form_def_with_other_options_refused(void **state)
{
	char *json = read_def(), *at, err[256] = "";
	struct def *d = NULL;

	(void)state;
	/* "pesten" (a kind of behaviour) renamed: not in the table. */
	assert_non_null(at = strstr(json, "\"pesten\""));
	memcpy(at + 1, "pestxn", 6);
	assert_int_equal(def_parse(json, strlen(json), "m.json", &d, err,
	    sizeof(err)), GH_OK);
	assert_int_equal(report_form_def_check(d, err, sizeof(err)),
	    GH_ERR_INVALID);
	assert_non_null(strstr(err, "\"vorm\""));
	assert_non_null(strstr(err, "pestxn"));
	def_free(d);
	free(json);
}

static void
test_report_form_needs_only_text_and_consent(void **state)
{
	int n_bad;

	assert_int_equal(problem(*state, NEEDED, "wat_gebeurd", &n_bad),
	    REPORT_P_OK);
	assert_int_equal(n_bad, 0);
	assert_int_equal(problem(*state, NEEDED "&betrokkenheid=zelf"
	    "&wanneer=langer&nog_gaande=weet_niet&vorm=pesten&vorm=ander"
	    "&grond=_prefer_not&door_wie=collega&door_wie=leidinggevende"
	    "&cluster=staf&wensen=gesprek", "door_wie", &n_bad), REPORT_P_OK);
	assert_int_equal(n_bad, 0);
}

static void
test_report_form_rejects_unknown_option(void **state)
{
	int n_bad;

	assert_int_equal(problem(*state, NEEDED "&door_wie=buurman",
	    "door_wie", &n_bad), REPORT_P_BAD_OPTION);
	assert_int_equal(n_bad, 1);
	/* An option of another question is not one of this one. */
	assert_int_equal(problem(*state, NEEDED "&wanneer=zelf", "wanneer",
	    &n_bad), REPORT_P_BAD_OPTION);
	assert_int_equal(problem(*state, NEEDED "&cluster=none", "cluster",
	    &n_bad), REPORT_P_BAD_OPTION);
}

static void
test_report_form_rejects_two_answers_to_single(void **state)
{
	int n_bad;

	assert_int_equal(problem(*state, NEEDED "&nog_gaande=ja&nog_gaande=nee",
	    "nog_gaande", &n_bad), REPORT_P_BAD_OPTION);
	assert_int_equal(n_bad, 1);
}

static void
test_report_form_rejects_exclusive_with_others(void **state)
{
	int n_bad;

	assert_int_equal(problem(*state, NEEDED "&vorm=pesten&vorm=weet_niet",
	    "vorm", &n_bad), REPORT_P_EXCLUSIVE);
	assert_int_equal(problem(*state, NEEDED "&grond=leeftijd"
	    "&grond=_prefer_not", "grond", &n_bad), REPORT_P_EXCLUSIVE);
	assert_int_equal(n_bad, 1);
}

static void
test_report_form_missing_and_long_texts(void **state)
{
	char *body;
	int n_bad;

	assert_int_equal(problem(*state, "wat_gebeurd=x", "toestemming",
	    &n_bad), REPORT_P_MISSING);
	assert_int_equal(n_bad, 1);
	assert_int_equal(problem(*state, "wat_gebeurd=+%0A&toestemming="
	    "ja_alleen_lezen", "wat_gebeurd", &n_bad), REPORT_P_MISSING);
	assert_int_equal(problem(*state, "wat_gebeurd=%01&toestemming="
	    "ja_alleen_lezen", "wat_gebeurd", &n_bad), REPORT_P_BAD_TEXT);
	assert_non_null(body = calloc(1, 4100 + 64));
	strcpy(body, "toestemming=ja_alleen_lezen&wat_gebeurd=");
	memset(body + strlen(body), 'x', 4001);
	assert_int_equal(problem(*state, body, "wat_gebeurd", &n_bad),
	    REPORT_P_TOO_LONG);
	body[strlen(body) - 1] = '\0';		/* 4000: the cap */
	assert_int_equal(problem(*state, body, "wat_gebeurd", &n_bad),
	    REPORT_P_OK);
	free(body);
}

static void
test_report_form_unit_is_the_cluster(void **state)
{
	const char *bodies[] = { NEEDED "&cluster=sociaal",
	    NEEDED "&cluster=_prefer_not", NEEDED };
	const char *want[] = { "sociaal", NULL, NULL };
	struct form *f;
	size_t i;

	for (i = 0; i < 3; i++) {
		f = NULL;
		assert_int_equal(form_parse(bodies[i], strlen(bodies[i]), &f),
		    GH_OK);
		if (want[i] == NULL)
			assert_null(report_form_unit(*state, f));
		else
			assert_string_equal(report_form_unit(*state, f),
			    want[i]);
		form_free(f);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_form_def_fits_the_table),
		cmocka_unit_test(test_report_form_def_with_other_options_refused),
		cmocka_unit_test(test_report_form_needs_only_text_and_consent),
		cmocka_unit_test(test_report_form_rejects_unknown_option),
		cmocka_unit_test(test_report_form_rejects_two_answers_to_single),
		cmocka_unit_test(test_report_form_rejects_exclusive_with_others),
		cmocka_unit_test(test_report_form_missing_and_long_texts),
		cmocka_unit_test(test_report_form_unit_is_the_cluster),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

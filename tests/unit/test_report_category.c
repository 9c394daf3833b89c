/*
 * test_report_category.c: the report's one category table
 * (report/category.h) equals the options of survey-defs/melding.json,
 * option for option and in order (without the "prefer not to say" the
 * definition loader adds); the form's unit list adds only "none";
 * unknown ids and NULL are refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/category.h"
#include "survey/def.h"

static int
setup(void **state)
{
	const char *src = getenv("GEHOORD_SRC");
	struct def *d = NULL;
	char path[4096], err[512] = "";

	assert_non_null(src);
	snprintf(path, sizeof(path), "%s/survey-defs/melding.json", src);
	if (def_load_file(path, &d, NULL, err, sizeof(err)) != GH_OK)
		fail_msg("%s", err);
	*state = d;
	return 0;
}

static int
teardown(void **state)
{
	def_free(*state);
	return 0;
}

static size_t
count(const char *const *ids)
{
	size_t n = 0;

	while (ids[n] != NULL)
		n++;
	return n;
}

static void
test_report_category_equals_melding_json(void **state)
{
	const struct def *d = *state;
	const struct def_question *q;
	const char *const *ids;
	enum report_cat c;
	size_t i, n, nopt;
	int qi, seen = 0;

	for (c = 0; c < REPORT_CAT_N; c++) {
		if (report_cat_question(c) == NULL)
			continue;
		qi = def_question_index(d, report_cat_question(c));
		assert_true(qi >= 0);
		q = &d->questions[qi];
		ids = report_cat_ids(c);
		n = count(ids);
		/* The loader adds "prefer not to say" as a last option. */
		nopt = q->n_options;
		if (nopt > 0 && q->options[nopt - 1].is_prefer_not)
			nopt--;
		if (c == REPORT_CAT_UNIT_ANSWER) {
			assert_int_equal(n, nopt + 1);
			assert_string_equal(ids[n - 1], REPORT_UNIT_NONE);
			n--;
		}
		assert_int_equal(n, nopt);
		for (i = 0; i < n; i++)
			assert_string_equal(ids[i], q->options[i].id);
		seen++;
	}
	assert_int_equal(seen, 5);
}

static void
test_report_category_refuses_unknown_ids(void **state)
{
	(void)state;
	assert_true(report_cat_is_valid(REPORT_CAT_FORM, "pesten"));
	assert_false(report_cat_is_valid(REPORT_CAT_FORM, "herkomst"));
	assert_false(report_cat_is_valid(REPORT_CAT_FORM, NULL));
	assert_false(report_cat_is_valid(REPORT_CAT_FORM, ""));
	assert_false(report_cat_is_valid(REPORT_CAT_UNIT, REPORT_UNIT_NONE));
	assert_true(report_cat_is_valid(REPORT_CAT_UNIT_ANSWER,
	    REPORT_UNIT_NONE));
	assert_true(report_cat_is_valid(REPORT_CAT_MEASURE, "warning"));
	assert_null(report_cat_question(REPORT_CAT_MEASURE));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_category_equals_melding_json),
		cmocka_unit_test(test_report_category_refuses_unknown_ids),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

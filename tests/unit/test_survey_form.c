/*
 * test_survey_form.c: the urlencoded body parser (server/survey/form.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "survey/form.h"

/* Parses a NUL-terminated body and expects code r. */
static struct form *
parse(const char *body, int r)
{
	struct form *f = NULL;

	assert_int_equal(form_parse(body, strlen(body), &f), r);
	if (r != GH_OK)
		assert_null(f);
	else
		assert_non_null(f);
	return f;
}

static void
test_form_decodes_fields(void **state)
{
	struct form *f;

	(void)state;
	f = parse("lang=nl&q_werk=beleid&csrf=abc", GH_OK);
	assert_int_equal(f->n, 3);
	assert_string_equal(f->fields[0].name, "lang");
	assert_string_equal(f->fields[0].value, "nl");
	assert_int_equal(f->fields[0].value_len, 2);
	assert_string_equal(form_get(f, "q_werk"), "beleid");
	assert_string_equal(form_get(f, "csrf"), "abc");
	assert_null(form_get(f, "nope"));
	form_free(f);
}

static void
test_form_plus_is_space(void **state)
{
	struct form *f;

	(void)state;
	f = parse("a+b=hello+world+", GH_OK);
	assert_string_equal(f->fields[0].name, "a b");
	assert_string_equal(f->fields[0].value, "hello world ");
	form_free(f);
}

static void
test_form_percent_escapes(void **state)
{
	struct form *f;

	(void)state;
	/* "é" as UTF-8, a literal '+', '&' and '=' inside a value. */
	f = parse("t=caf%C3%a9%2B%26%3d%0D%0A", GH_OK);
	assert_string_equal(f->fields[0].value, "caf\xc3\xa9+&=\r\n");
	assert_int_equal(f->fields[0].value_len, 10);
	form_free(f);
}

static void
test_form_bad_escapes(void **state)
{
	(void)state;
	parse("a=%G1", GH_ERR_INVALID);
	parse("a=%4", GH_ERR_INVALID);
	parse("a=%", GH_ERR_INVALID);
	parse("a=%4x&b=1", GH_ERR_INVALID);
	parse("%zz=1", GH_ERR_INVALID);
}

static void
test_form_rejects_nul(void **state)
{
	struct form *f = NULL;

	(void)state;
	parse("a=%00", GH_ERR_INVALID);
	parse("a%00b=1", GH_ERR_INVALID);
	assert_int_equal(form_parse("a=b\0c", 5, &f), GH_ERR_INVALID);
	assert_null(f);
}

static void
test_form_empty_body_is_no_fields(void **state)
{
	struct form *f = NULL;

	(void)state;
	assert_int_equal(form_parse(NULL, 0, &f), GH_OK);
	assert_non_null(f);
	assert_int_equal(f->n, 0);
	assert_null(form_get(f, "a"));
	form_free(f);
}

static void
test_form_name_without_value(void **state)
{
	struct form *f;

	(void)state;
	f = parse("a&b=&c=1", GH_OK);
	assert_int_equal(f->n, 3);
	assert_string_equal(f->fields[0].name, "a");
	assert_string_equal(f->fields[0].value, "");
	assert_int_equal(f->fields[0].value_len, 0);
	assert_string_equal(f->fields[1].value, "");
	assert_string_equal(f->fields[2].value, "1");
	form_free(f);
}

static void
test_form_rejects_empty_name(void **state)
{
	(void)state;
	parse("=1", GH_ERR_INVALID);
	parse("a=1&&b=2", GH_ERR_INVALID);
	parse("a=1&", GH_ERR_INVALID);
	parse("&", GH_ERR_INVALID);
}

static void
test_form_repeated_names_in_order(void **state)
{
	struct form *f;

	(void)state;
	f = parse("q_m=a&x=1&q_m=c&q_m=b", GH_OK);
	assert_int_equal(f->n, 4);
	assert_string_equal(f->fields[0].value, "a");
	assert_string_equal(f->fields[2].value, "c");
	assert_string_equal(f->fields[3].value, "b");
	assert_string_equal(form_get(f, "q_m"), "a");
	form_free(f);
}

/* Builds "a=1&a=1..." with n fields. */
static char *
many_fields(size_t n)
{
	char *s;
	size_t i;

	s = malloc(n * 4 + 1);
	assert_non_null(s);
	for (i = 0; i < n; i++)
		memcpy(s + i * 4, "a=1&", 4);
	s[n * 4 - 1] = '\0';
	return s;
}

static void
test_form_too_many_fields(void **state)
{
	struct form *f;
	char *s;

	(void)state;
	s = many_fields(FORM_MAX_FIELDS);
	f = parse(s, GH_OK);
	assert_int_equal(f->n, FORM_MAX_FIELDS);
	form_free(f);
	free(s);
	s = many_fields(FORM_MAX_FIELDS + 1);
	parse(s, GH_ERR_TOO_LARGE);
	free(s);
}

static void
test_form_name_limit(void **state)
{
	struct form *f;
	char body[3 * (FORM_MAX_NAME + 1) + 8];

	(void)state;
	memset(body, 'n', FORM_MAX_NAME);
	strcpy(body + FORM_MAX_NAME, "=1");
	f = parse(body, GH_OK);
	form_free(f);
	memset(body, 'n', FORM_MAX_NAME + 1);
	strcpy(body + FORM_MAX_NAME + 1, "=1");
	parse(body, GH_ERR_TOO_LARGE);
	/* The limit is on the decoded name: 64 escapes are 64 bytes. */
	for (size_t i = 0; i < FORM_MAX_NAME; i++)
		memcpy(body + 3 * i, "%41", 3);
	strcpy(body + 3 * FORM_MAX_NAME, "=1");
	f = parse(body, GH_OK);
	assert_int_equal(strlen(f->fields[0].name), FORM_MAX_NAME);
	form_free(f);
}

static void
test_form_body_limit(void **state)
{
	struct form *f = NULL;
	char *s;

	(void)state;
	s = malloc(FORM_MAX_BODY + 1);
	assert_non_null(s);
	memset(s, 'x', FORM_MAX_BODY + 1);
	memcpy(s, "a=", 2);
	assert_int_equal(form_parse(s, FORM_MAX_BODY, &f), GH_OK);
	assert_int_equal(f->fields[0].value_len, FORM_MAX_BODY - 2);
	form_free(f);
	f = NULL;
	assert_int_equal(form_parse(s, FORM_MAX_BODY + 1, &f),
	    GH_ERR_TOO_LARGE);
	assert_null(f);
	free(s);
}

static void
test_form_body_need_not_be_terminated(void **state)
{
	struct form *f = NULL;
	const char body[] = { 'a', '=', '1', '2', '3' };

	(void)state;
	assert_int_equal(form_parse(body, 4, &f), GH_OK);
	assert_string_equal(f->fields[0].value, "12");
	form_free(f);
}

static void
test_form_free_accepts_null(void **state)
{
	(void)state;
	form_free(NULL);
	assert_null(form_get(NULL, "a"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_decodes_fields),
		cmocka_unit_test(test_form_plus_is_space),
		cmocka_unit_test(test_form_percent_escapes),
		cmocka_unit_test(test_form_bad_escapes),
		cmocka_unit_test(test_form_rejects_nul),
		cmocka_unit_test(test_form_empty_body_is_no_fields),
		cmocka_unit_test(test_form_name_without_value),
		cmocka_unit_test(test_form_rejects_empty_name),
		cmocka_unit_test(test_form_repeated_names_in_order),
		cmocka_unit_test(test_form_too_many_fields),
		cmocka_unit_test(test_form_name_limit),
		cmocka_unit_test(test_form_body_limit),
		cmocka_unit_test(test_form_body_need_not_be_terminated),
		cmocka_unit_test(test_form_free_accepts_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

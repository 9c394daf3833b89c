/*
 * test_survey_def.c: the definition loader (server/survey/def_load.c): the
 * demo loads, and each malformed definition fails with its exact message.
 *
 * Fixtures are inline, written with ' for " to stay readable.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "survey/def.h"
#include "survey_fixture.h"

#define HEAD	"'format':1,'id':'t','title':" T("Titel")
#define SINGLE(id) "{'id':'" id "','type':'single','label':" T("L") \
		",'options':[" OPT("x") "," OPT("y") "]}"
#define DEF(qs)	"{" HEAD ",'questions':[" qs "]}"

/* Parses fixture s as "bad.json" and expects code r and message msg. */
static void
expect(const char *s, int r, const char *msg)
{
	struct def *d = NULL;
	char err[512], *json;

	json = dq(s);
	memset(err, 'X', sizeof(err));
	assert_int_equal(def_parse(json, strlen(json), "bad.json", &d, err,
	    sizeof(err)), r);
	assert_null(d);
	assert_string_equal(err, msg);
	assert_null(strchr(err, '\n'));
	free(json);
}

#define EXPECT(s, msg)	expect(s, GH_ERR_INVALID, msg)

/* Parses fixture s and expects success. */
static struct def *
parse_ok(const char *s)
{
	struct def *d = NULL;
	char err[512] = "", *json;

	json = dq(s);
	if (def_parse(json, strlen(json), "ok.json", &d, err, sizeof(err)) !=
	    GH_OK)
		fail_msg("%s", err);
	free(json);
	return d;
}

static char *
demo_path(void)
{
	const char *src = getenv("GEHOORD_SRC");
	size_t n;
	char *p;

	assert_non_null(src);
	n = strlen(src) + sizeof("/survey-defs/demo.json");
	p = malloc(n);
	assert_non_null(p);
	snprintf(p, n, "%s/survey-defs/demo.json", src);
	return p;
}

static void
test_def_demo_loads(void **state)
{
	struct def *d = NULL;
	char err[512] = "", *path, *json = NULL;
	const struct def_question *q;
	FILE *fp;
	long len;

	(void)state;
	path = demo_path();
	if (def_load_file(path, &d, &json, err, sizeof(err)) != GH_OK)
		fail_msg("%s", err);
	assert_string_equal(d->id, "demo");
	assert_true(d->n_questions >= 6 && d->n_questions <= 8);
	assert_true(d->bucket % 256 == 0 && d->bucket > 0);
	assert_string_equal(def_lang_code(DEF_NL), "nl");
	assert_true(strlen(d->title.s[DEF_NL]) > 0);
	assert_true(strlen(d->title.s[DEF_EN]) > 0);
	assert_int_equal(def_question_index(d, "soort_werk"), 0);
	assert_int_equal(def_question_index(d, "nope"), -1);
	q = &d->questions[0];
	assert_int_equal(q->type, DEF_SINGLE);
	assert_true(q->is_required);
	assert_string_equal(q->help.s[DEF_EN], "");
	assert_int_equal(def_option_index(q, "beleid"), 1);
	assert_int_equal(def_option_index(q, "Beleid"), -1);
	q = &d->questions[d->n_questions - 1];
	assert_int_equal(q->type, DEF_TEXT);
	assert_int_equal(q->max_length, 500);
	assert_null(q->options);
	/* json_out is the file's exact text. */
	fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	fclose(fp);
	assert_int_equal(strlen(json), (size_t)len);
	free(json);
	free(path);
	def_free(d);
}

static void
test_def_minimal_defaults(void **state)
{
	struct def *d;

	(void)state;
	d = parse_ok(DEF(SINGLE("q1")));
	assert_int_equal(d->n_questions, 1);
	assert_false(d->questions[0].is_required);
	assert_string_equal(d->intro.s[DEF_NL], "");
	assert_string_equal(d->intro.s[DEF_EN], "");
	assert_string_equal(d->questions[0].help.s[DEF_NL], "");
	assert_int_equal(d->questions[0].n_options, 2);
	/* 39 fixed + ,"q1": 6 + "x" 3, + 1 for padding = 49 -> 256. */
	assert_int_equal(d->bucket, 256);
	def_free(d);
}

static void
test_def_bucket_for_text(void **state)
{
	struct def *d;

	(void)state;
	d = parse_ok(DEF("{'id':'q1','type':'text','max_length':4000,"
	    "'label':" T("L") "}"));
	/* 39 + 6 + 2 + 4 * 4000 + 1 = 16048 -> 63 * 256. */
	assert_int_equal(d->bucket, 16128);
	def_free(d);
}

static void
test_def_invalid_json(void **state)
{
	(void)state;
	EXPECT("{'format': 1, 'id': }", "bad.json: invalid JSON near byte 20");
	EXPECT("", "bad.json: invalid JSON near byte 0");
	EXPECT(DEF(SINGLE("q1")) " x",
	    "bad.json: invalid JSON near byte 218");
}

static void
test_def_rejects_nul(void **state)
{
	struct def *d = NULL;
	char err[256];

	(void)state;
	assert_int_equal(def_parse("{\"a\"\0}", 6, "bad.json", &d, err,
	    sizeof(err)), GH_ERR_INVALID);
	assert_string_equal(err, "bad.json: invalid JSON near byte 4");
	expect("{" HEAD ",'intro':{'nl':'a\\u0000b','en':'b'},'questions':["
	    SINGLE("q1") "]}", GH_ERR_INVALID,
	    "bad.json: invalid JSON near byte 73: \\u0000 not allowed");
	/* An escaped backslash before "u0000" is just text. */
	d = parse_ok("{" HEAD ",'intro':{'nl':'a\\\\u0000b',"
	    "'en':'b'},'questions':[" SINGLE("q1") "]}");
	assert_string_equal(d->intro.s[DEF_NL], "a\\u0000b");
	def_free(d);
}

static void
test_def_wrong_format(void **state)
{
	(void)state;
	EXPECT("{'format':3,'id':'t','new_key':1}",
	    "bad.json: $.format: must be 1 or 2");
	EXPECT("{'format':2,'id':'t','new_key':1}",
	    "bad.json: $: unknown key \"new_key\"");
	EXPECT("{'format':'1'}", "bad.json: $.format: must be 1 or 2");
	EXPECT("{'id':'t'}", "bad.json: $.format: missing");
	EXPECT("[1]", "bad.json: $: must be an object");
}

static void
test_def_missing_translation(void **state)
{
	(void)state;
	EXPECT("{'format':1,'id':'t','title':{'nl':'Titel'},'questions':[]}",
	    "bad.json: $.title.en: missing translation");
	EXPECT("{'format':1,'id':'t','title':{'nl':'','en':'x'}}",
	    "bad.json: $.title.nl: missing translation");
	EXPECT("{'format':1,'id':'t','title':{'nl':' \\n','en':'x'}}",
	    "bad.json: $.title.nl: missing translation");
	EXPECT(DEF("{'id':'q','type':'single','label':" T("L") ",'options':["
	    OPT("a") ",{'id':'b','label':{'nl':'b'}}]}"),
	    "bad.json: $.questions[0].options[1].label.en: missing translation");
	EXPECT("{'format':1,'id':'t','title':{'nl':'a','en':'b','de':'c'}}",
	    "bad.json: $.title: unknown language \"de\" (nl and en only)");
	EXPECT("{'format':1,'id':'t','title':'Titel'}",
	    "bad.json: $.title: must be an object of translations");
	EXPECT("{'format':1,'id':'t','title':{'nl':1,'en':'b'}}",
	    "bad.json: $.title.nl: must be a string");
	EXPECT("{'format':1,'id':'t'}", "bad.json: $.title: missing");
}

static void
test_def_unknown_key(void **state)
{
	(void)state;
	EXPECT("{'format':1,'id':'t','titel':{}}",
	    "bad.json: $: unknown key \"titel\"");
	EXPECT(DEF("{'id':'q','type':'single','lable':" T("L") "}"),
	    "bad.json: $.questions[0]: unknown key \"lable\"");
	EXPECT(DEF("{'id':'q','type':'single','label':" T("L") ",'options':["
	    OPT("a") ",{'id':'b','label':" T("b") ",'value':2}]}"),
	    "bad.json: $.questions[0].options[1]: unknown key \"value\"");
	/* A key from the file is shown printable and short. */
	EXPECT("{'format':1,'x\\n\\\"yz0123456789012345678901234567890123456789':1}",
	    "bad.json: $: unknown key \"x??yz01234567890123456789012345678901234..."
	    "\"");
}

static void
test_def_duplicate_key(void **state)
{
	(void)state;
	EXPECT("{'format':1,'id':'t','id':'u'}",
	    "bad.json: $: duplicate key \"id\"");
	EXPECT(DEF("{'id':'q','type':'single','required':true,"
	    "'required':false}"),
	    "bad.json: $.questions[0]: duplicate key \"required\"");
}

static void
test_def_duplicate_question_id(void **state)
{
	(void)state;
	EXPECT(DEF(SINGLE("q1") "," SINGLE("q2") "," SINGLE("q1")),
	    "bad.json: $.questions[2].id: duplicate question id \"q1\"");
	EXPECT(DEF("{'id':'q','type':'multi','label':" T("L") ",'options':["
	    OPT("a") "," OPT("b") "," OPT("a") "]}"),
	    "bad.json: $.questions[0].options[2].id: duplicate option id \"a\"");
	/* The same option id in two questions is fine. */
	def_free(parse_ok(DEF(SINGLE("q1") "," SINGLE("q2"))));
}

static void
test_def_bad_id(void **state)
{
	(void)state;
	EXPECT(DEF(SINGLE("Q1")),
	    "bad.json: $.questions[0].id: must match [a-z0-9_-]{1,40}");
	EXPECT(DEF(SINGLE("q 1")),
	    "bad.json: $.questions[0].id: must match [a-z0-9_-]{1,40}");
	EXPECT(DEF(SINGLE("")),
	    "bad.json: $.questions[0].id: must match [a-z0-9_-]{1,40}");
	EXPECT(DEF(SINGLE("abcdefghij0123456789abcdefghij0123456789x")),
	    "bad.json: $.questions[0].id: must match [a-z0-9_-]{1,40}");
	EXPECT(DEF("{'type':'single'}"), "bad.json: $.questions[0].id: missing");
	EXPECT("{'format':1,'id':5}", "bad.json: $.id: must be a string");
	EXPECT("{'format':1,'id':'caf\xc3\xa9'}",
	    "bad.json: $.id: must match [a-z0-9_-]{1,40}");
	def_free(parse_ok(DEF(SINGLE("abcdefghij0123456789abcdefghij_-3456789"))));
}

static void
test_def_unknown_type(void **state)
{
	(void)state;
	EXPECT(DEF("{'id':'q','type':'singel'}"),
	    "bad.json: $.questions[0].type: unknown type \"singel\" "
	    "(single, multi, likert or text)");
	EXPECT(DEF("{'id':'q','type':'Single Choice'}"),
	    "bad.json: $.questions[0].type: unknown type "
	    "(single, multi, likert or text)");
	EXPECT(DEF("{'id':'q'}"), "bad.json: $.questions[0].type: missing");
}

static void
test_def_option_counts(void **state)
{
	(void)state;
	EXPECT(DEF("{'id':'q','type':'single','label':" T("L") ",'options':["
	    OPT("a") "]}"),
	    "bad.json: $.questions[0].options: a single question needs 2 to 64 "
	    "options");
	EXPECT(DEF("{'id':'q','type':'multi','label':" T("L") ",'options':[]}"),
	    "bad.json: $.questions[0].options: a multi question needs 2 to 64 "
	    "options");
	EXPECT(DEF("{'id':'q','type':'likert','label':" T("L") ",'options':["
	    OPT("1") "," OPT("2") "," OPT("3") "," OPT("4") "," OPT("5") ","
	    OPT("6") "," OPT("7") "," OPT("8") "," OPT("9") "," OPT("10") ","
	    OPT("11") "," OPT("12") "]}"),
	    "bad.json: $.questions[0].options: a likert question needs 2 to 11 "
	    "options");
	EXPECT(DEF("{'id':'q','type':'single','label':" T("L") "}"),
	    "bad.json: $.questions[0].options: missing");
	EXPECT(DEF("{'id':'q','type':'single','label':" T("L") ",'options':{}}"),
	    "bad.json: $.questions[0].options: must be an array");
	EXPECT(DEF("{'id':'q','type':'single','label':" T("L") ",'options':["
	    OPT("a") "," OPT("b") "],'max_length':5}"),
	    "bad.json: $.questions[0].max_length: not allowed for a single "
	    "question");
}

static void
test_def_text_needs_max_length(void **state)
{
	(void)state;
	EXPECT(DEF("{'id':'q','type':'text','label':" T("L") "}"),
	    "bad.json: $.questions[0].max_length: missing");
	EXPECT(DEF("{'id':'q','type':'text','label':" T("L") ",'max_length':0}"),
	    "bad.json: $.questions[0].max_length: must be an integer from 1 to "
	    "4000");
	EXPECT(DEF("{'id':'q','type':'text','label':" T("L")
	    ",'max_length':4001}"),
	    "bad.json: $.questions[0].max_length: must be an integer from 1 to "
	    "4000");
	EXPECT(DEF("{'id':'q','type':'text','label':" T("L")
	    ",'max_length':2.5}"),
	    "bad.json: $.questions[0].max_length: must be an integer from 1 to "
	    "4000");
	EXPECT(DEF("{'id':'q','type':'text','label':" T("L") ",'max_length':9,"
	    "'options':[]}"),
	    "bad.json: $.questions[0].options: not allowed for a text question");
}

static void
test_def_not_utf8(void **state)
{
	(void)state;
	EXPECT(DEF("{'id':'q','type':'single','label':{'nl':'caf\xe9','en':'x'}}"),
	    "bad.json: $.questions[0].label.nl: not valid UTF-8");
	/* Overlong '/', a surrogate, and a truncated sequence. */
	EXPECT("{'format':1,'id':'t','title':{'nl':'\xc0\xaf','en':'x'}}",
	    "bad.json: $.title.nl: not valid UTF-8");
	EXPECT("{'format':1,'id':'t','title':{'nl':'\xed\xa0\x80','en':'x'}}",
	    "bad.json: $.title.nl: not valid UTF-8");
	EXPECT("{'format':1,'id':'t','title':{'nl':'a','en':'\xe2\x82'}}",
	    "bad.json: $.title.en: not valid UTF-8");
	EXPECT("{'format':1,'id':'t','title':{'nl':'a\\u0007','en':'x'}}",
	    "bad.json: $.title.nl: control character not allowed");
}

static void
test_def_question_counts(void **state)
{
	char *s, *p;
	size_t i;

	(void)state;
	EXPECT(DEF(""), "bad.json: $.questions: needs 1 to 200 questions");
	EXPECT("{" HEAD "}", "bad.json: $.questions: missing");
	EXPECT("{" HEAD ",'questions':{}}",
	    "bad.json: $.questions: must be an array");
	s = malloc(256 * (DEF_MAX_QUESTIONS + 2));
	assert_non_null(s);
	p = s + sprintf(s, "{" HEAD ",'questions':[");
	for (i = 0; i <= DEF_MAX_QUESTIONS; i++)
		p += sprintf(p, "%s{'id':'q%zu','type':'text','max_length':1,"
		    "'label':" T("L") "}", i > 0 ? "," : "", i);
	strcpy(p, "]}");
	EXPECT(s, "bad.json: $.questions: needs 1 to 200 questions");
	free(s);
}

static void
test_def_bucket_limit(void **state)
{
	char *s, *p;
	size_t i;

	(void)state;
	/* 70 texts of 4000 4-byte characters: over SEAL_BUCKET_MAX. */
	s = malloc(256 * 72);
	assert_non_null(s);
	p = s + sprintf(s, "{" HEAD ",'questions':[");
	for (i = 0; i < 70; i++)
		p += sprintf(p, "%s{'id':'q%zu','type':'text','max_length':4000,"
		    "'label':" T("L") "}", i > 0 ? "," : "", i);
	strcpy(p, "]}");
	EXPECT(s, "bad.json: $.questions: an answer could need 1120768 bytes, "
	    "over the limit of 1048576; lower max_length");
	free(s);
}

static void
test_def_wrong_value_types(void **state)
{
	(void)state;
	EXPECT(DEF("{'id':'q','type':'single','required':1}"),
	    "bad.json: $.questions[0].required: must be true or false");
	EXPECT(DEF("{'id':'q','type':7}"),
	    "bad.json: $.questions[0].type: must be a string");
	EXPECT(DEF("[]"), "bad.json: $.questions[0]: must be an object");
	EXPECT(DEF("{'id':'q','type':'single','label':" T("L") ",'options':["
	    OPT("a") ",'b']}"),
	    "bad.json: $.questions[0].options[1]: must be an object");
}

static void
test_def_load_file_errors(void **state)
{
	struct def *d = NULL;
	char err[512], *json = (char *)1, path[] = "/tmp/gh_def_XXXXXX";
	char *big;
	int fd;

	(void)state;
	assert_int_equal(def_load_file("/nonexistent/x.json", &d, &json, err,
	    sizeof(err)), GH_ERR_IO);
	assert_null(d);
	assert_null(json);
	assert_string_equal(err,
	    "/nonexistent/x.json: cannot read: No such file or directory");
	/* A parse error names the path it was given. */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "{\"format\":3}", 12), 12);
	assert_int_equal(def_load_file(path, &d, NULL, err, sizeof(err)),
	    GH_ERR_INVALID);
	assert_true(strncmp(err, path, strlen(path)) == 0);
	assert_string_equal(err + strlen(path), ": $.format: must be 1 or 2");
	/* Over 1 MiB. */
	big = malloc(1024 * 1024 + 1);
	assert_non_null(big);
	memset(big, ' ', 1024 * 1024 + 1);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(write(fd, big, 1024 * 1024 + 1), 1024 * 1024 + 1);
	assert_int_equal(def_load_file(path, &d, &json, err, sizeof(err)),
	    GH_ERR_INVALID);
	assert_true(strstr(err, ": larger than 1048576 bytes") != NULL);
	assert_null(json);
	free(big);
	close(fd);
	unlink(path);
}

static void
test_def_short_err_buffer(void **state)
{
	struct def *d = NULL;
	char err[8];

	(void)state;
	assert_int_equal(def_parse("[", 1, "bad.json", &d, err, sizeof(err)),
	    GH_ERR_INVALID);
	assert_string_equal(err, "bad.jso");
}

static void
test_def_lang(void **state)
{
	enum def_lang l = DEF_NL;

	(void)state;
	assert_int_equal(def_lang_parse("en", &l), GH_OK);
	assert_int_equal(l, DEF_EN);
	assert_int_equal(def_lang_parse("nl", &l), GH_OK);
	assert_int_equal(l, DEF_NL);
	assert_int_equal(def_lang_parse("EN", &l), GH_ERR_INVALID);
	assert_int_equal(def_lang_parse("nld", &l), GH_ERR_INVALID);
	assert_int_equal(def_lang_parse(NULL, &l), GH_ERR_INVALID);
	assert_string_equal(def_lang_code(DEF_EN), "en");
	def_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_def_demo_loads),
		cmocka_unit_test(test_def_minimal_defaults),
		cmocka_unit_test(test_def_bucket_for_text),
		cmocka_unit_test(test_def_invalid_json),
		cmocka_unit_test(test_def_rejects_nul),
		cmocka_unit_test(test_def_wrong_format),
		cmocka_unit_test(test_def_missing_translation),
		cmocka_unit_test(test_def_unknown_key),
		cmocka_unit_test(test_def_duplicate_key),
		cmocka_unit_test(test_def_duplicate_question_id),
		cmocka_unit_test(test_def_bad_id),
		cmocka_unit_test(test_def_unknown_type),
		cmocka_unit_test(test_def_option_counts),
		cmocka_unit_test(test_def_text_needs_max_length),
		cmocka_unit_test(test_def_not_utf8),
		cmocka_unit_test(test_def_question_counts),
		cmocka_unit_test(test_def_bucket_limit),
		cmocka_unit_test(test_def_wrong_value_types),
		cmocka_unit_test(test_def_load_file_errors),
		cmocka_unit_test(test_def_short_err_buffer),
		cmocka_unit_test(test_def_lang),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * survey_fixture.h: inline definition fixtures for the test_survey_*
 * files. Fixtures are written with ' for " to stay readable; dq turns them
 * into JSON. def2_bad expects a load to fail with an exact message,
 * def2_ok to succeed.
 */
#ifndef GH_TEST_SURVEY_FIXTURE_H
#define GH_TEST_SURVEY_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "survey/form.h"
#include "survey/def.h"

#define T(s)		"{'nl':'" s "','en':'" s "'}"
#define OPT(id)		"{'id':'" id "','label':" T(id) "}"
#define XOPT(id)	"{'id':'" id "','label':" T(id) ",'exclusive':true}"
#define ITEM(id)	"{'id':'" id "','label':" T(id) "}"
#define E5		"'e5':[" OPT("1") "," OPT("2") "," OPT("3") "," \
			OPT("4") "," OPT("5") "]"
#define HEAD2		"'format':2,'id':'t','title':" T("Titel") \
			",'response_scales':{" E5 ",'e3':[" OPT("a") "," \
			OPT("b") "," OPT("c") "]}"
/* A format 2 definition with pages, and with extra root keys. */
#define DEF2(pages)	"{" HEAD2 ",'pages':[" pages "]}"
#define DEF2X(extra, pages) "{" HEAD2 "," extra ",'pages':[" pages "]}"
#define PAGE(id, qs)	"{'id':'" id "','questions':[" qs "]}"
#define PAGEIF(id, c, qs) "{'id':'" id "','show_if':" c ",'questions':[" \
			qs "]}"
/* A question of type ty with more keys in rest (",'k':v" or ""). */
#define Q(id, ty, rest)	"{'id':'" id "','type':'" ty "','label':" T("L") \
			rest "}"
#define YESNO(id, rest)	Q(id, "single", ",'options':[" OPT("ja") "," \
			OPT("nee") "]" rest)
#define LIKERT(id, rest) Q(id, "likert", ",'scale':'e5'" rest)
#define MATRIX(id, rest, items) Q(id, "matrix", ",'scale':'e5','items':[" \
			items "]" rest)
#define NUMBER(id, rest) Q(id, "number", ",'min':16,'max':70" rest)
#define TEXT(id, rest)	Q(id, "text", ",'max_length':100" rest)
#define MULTI(id, rest)	Q(id, "multi", ",'options':[" OPT("a") "," \
			OPT("b") "," XOPT("geen") "]" rest)
#define IF(q, test)	"{'question':'" q "'," test "}"

/* Returns a malloc'd copy of s with every ' turned into ". */
static inline char *
dq(const char *s)
{
	char *d = strdup(s), *p;

	assert_non_null(d);
	for (p = d; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	return d;
}

/* Parses fixture s as "bad.json" and expects GH_ERR_INVALID with msg. */
static inline void
def2_bad(const char *s, const char *msg)
{
	struct def *d = NULL;
	char err[512], *json = dq(s);

	memset(err, 'X', sizeof(err));
	assert_int_equal(def_parse(json, strlen(json), "bad.json", &d, err,
	    sizeof(err)), GH_ERR_INVALID);
	assert_null(d);
	assert_string_equal(err, msg);
	free(json);
}

/* Parses fixture s and expects success. */
static inline struct def *
def2_ok(const char *s)
{
	struct def *d = NULL;
	char err[512] = "", *json = dq(s);

	if (def_parse(json, strlen(json), "ok.json", &d, err, sizeof(err)) !=
	    GH_OK)
		fail_msg("%s", err);
	free(json);
	return d;
}

/* Parses a form body (not NUL-safe: tests only). */
static inline struct form *
form_of(const char *body)
{
	struct form *f = NULL;

	assert_int_equal(form_parse(body, strlen(body), &f), GH_OK);
	return f;
}

/* Returns the path of a file under the source tree (malloc'd). */
static inline char *
src_path(const char *rel)
{
	const char *src = getenv("GEHOORD_SRC");
	size_t n;
	char *p;

	assert_non_null(src);
	n = strlen(src) + strlen(rel) + 2;
	p = malloc(n);
	assert_non_null(p);
	snprintf(p, n, "%s/%s", src, rel);
	return p;
}

#endif

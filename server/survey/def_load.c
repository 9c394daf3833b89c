/*
 * def_load.c: the loader's root, formats 1 and 2 (def.h;
 * survey-defs/README.md).
 *
 * Entry points: def_load_file reads a file and calls def_parse, which
 * parses the JSON with cJSON, refuses what cJSON lets through (trailing
 * bytes, NUL), then checks the tree top down into a struct def: the root
 * here (parse_root), response scales, pages and the unit in def_page.c,
 * questions in def_question.c, conditions in def_cond.c, scales and
 * indicators in def_scale.c; last it computes the answer bucket. The
 * first problem found ends the load with one error line; the partly built
 * definition is freed (def_free, def_model.c). Nothing here logs: the
 * caller prints err.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seal.h"
#include "survey/def.h"
#include "survey/def_cond.h"
#include "survey/def_json.h"
#include "survey/def_load.h"
#include "survey/text.h"


/*
 * Worst case bytes of the encoded answer (answer.h) outside the answers:
 * {"v":1,"w":WAVE_ID,"a":{...}} with a WAVE_ID of up to 20 characters.
 */
#define BUCKET_FIXED	(sizeof("{\"v\":1,\"w\":") - 1 + 20 + \
			 sizeof(",\"a\":{") - 1 + sizeof("}}") - 1)
/*
 * Bytes per free-text character: the answer codec refuses control
 * characters other than tab and newline (each printed as two bytes), so
 * the worst is a 4-byte UTF-8 sequence, which cJSON prints as is.
 */
#define BUCKET_PER_CHAR	4
/* A number: "-1000000000" is 11 bytes, "\"_prefer_not\"" 13; room to spare. */
#define BUCKET_NUMBER	20
#define BUCKET_ROUND	256
/*
 * Unit source batch: ,"u":"LABEL" (or ,"u":null). A label has no control
 * characters (answer_unit_is_valid), so cJSON escapes at most '"' and
 * '\\' as two bytes each and prints UTF-8 as is: two bytes per byte.
 */
#define BUCKET_UNIT	(sizeof(",\"u\":\"\"") - 1 + (size_t)2 * DEF_MAX_UNIT)

static const char *const root_keys[] = {
	"format", "id", "title", "intro", "questions",
	/* From here on format 2 only. */
	"welcome", "response_scales", "unit", "pages", "scales", "indicators",
	"closes",
};
enum { R_FORMAT, R_ID, R_TITLE, R_INTRO, R_QUESTIONS, R_WELCOME,
	R_RESPONSE_SCALES, R_UNIT, R_PAGES, R_SCALES, R_INDICATORS, R_CLOSES,
	R_N };
#define R_FIRST_V2	R_WELCOME

/* Reads the format first: a newer file fails on it, not on a new key. */
static int
parse_format(struct def_loader *l, const cJSON *root)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(root, "format");

	if (it == NULL)
		return json_fail(&l->j, "$.format", "missing");
	if (!cJSON_IsNumber(it) || (it->valuedouble != DEF_FORMAT &&
	    it->valuedouble != DEF_FORMAT_MAX))
		return json_fail(&l->j, "$.format", "must be %d or %d",
		    DEF_FORMAT, DEF_FORMAT_MAX);
	l->d->format = (int)it->valuedouble;
	return GH_OK;
}

/* "closes": "YYYY-MM-DD", a real day from 2000 to 2999; absent: none. */
static int
parse_closes(struct def_loader *l, const cJSON *v)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	struct def_date *c = &l->d->closes;
	const char *s;
	int i, is_leap;

	if (v == NULL)
		return GH_OK;
	if (!cJSON_IsString(v) || strlen(s = v->valuestring) != 10 ||
	    s[4] != '-' || s[7] != '-')
		return json_fail(&l->j, "$.closes", "must be a day as "
		    "\"YYYY-MM-DD\"");
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return json_fail(&l->j, "$.closes", "must be a day as "
			    "\"YYYY-MM-DD\"");
	c->y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	c->m = (s[5] - '0') * 10 + (s[6] - '0');
	c->d = (s[8] - '0') * 10 + (s[9] - '0');
	is_leap = (c->y % 4 == 0 && c->y % 100 != 0) || c->y % 400 == 0;
	if (c->y < 2000 || c->y > 2999 || c->m < 1 || c->m > 12 ||
	    c->d < 1 || c->d > mdays[c->m - 1] ||
	    (c->m == 2 && c->d == 29 && !is_leap)) {
		c->y = 0;
		return json_fail(&l->j, "$.closes", "no such day (or not "
		    "from 2000 to 2999)");
	}
	return GH_OK;
}

/* The questions: format 1's one list, or format 2's pages. */
static int
parse_body(struct def_loader *l, const cJSON **k)
{
	if (k[R_QUESTIONS] != NULL && k[R_PAGES] != NULL)
		return json_fail(&l->j, "$", "both questions and pages (a "
		    "definition has one of them)");
	if (k[R_PAGES] != NULL)
		return def_load_pages(l, k[R_PAGES]);
	if (k[R_QUESTIONS] != NULL)
		return def_load_one_page(l, k[R_QUESTIONS]);
	if (l->d->format < 2)
		return json_fail(&l->j, "$.questions", "missing");
	return json_fail(&l->j, "$.pages", "missing");
}

static int
parse_root(struct def_loader *l, const cJSON *root)
{
	struct def *d = l->d;
	const cJSON *k[R_N];
	char path[JSON_PATH_MAX];
	size_t i;
	int r;

	if (!cJSON_IsObject(root))
		return json_fail(&l->j, "$", "must be an object");
	if ((r = parse_format(l, root)) != GH_OK ||
	    (r = json_keys(&l->j, "$", root, root_keys, R_N, k)) != GH_OK)
		return r;
	for (i = R_FIRST_V2; i < R_N && d->format < 2; i++) {
		json_path(path, "$", ".%s", root_keys[i]);
		if (k[i] != NULL)
			return json_fail(&l->j, path, "needs \"format\": 2");
	}
	if ((r = json_id(&l->j, "$.id", k[R_ID], &d->id)) != GH_OK ||
	    (r = json_text(&l->j, "$.title", k[R_TITLE], 0, &d->title)) !=
	    GH_OK ||
	    (r = json_text(&l->j, "$.intro", k[R_INTRO], 1, &d->intro)) !=
	    GH_OK ||
	    (r = json_text(&l->j, "$.welcome", k[R_WELCOME], 1, &d->welcome)) !=
	    GH_OK ||
	    (r = parse_closes(l, k[R_CLOSES])) != GH_OK ||
	    (r = def_load_response_scales(l, k[R_RESPONSE_SCALES])) != GH_OK ||
	    (r = parse_body(l, k)) != GH_OK ||
	    (r = def_load_unit(l, k[R_UNIT])) != GH_OK ||
	    (r = def_load_scales(l, k[R_SCALES])) != GH_OK ||
	    (r = def_load_indicators(l, k[R_INDICATORS])) != GH_OK)
		return r;
	return GH_OK;
}

/* Returns the worst-case encoded length of one answer to q, with its key. */
static size_t
question_bound(const struct def_question *q)
{
	size_t j, n, longest = 0;

	/* Not NULL: compute_bucket runs only once parse_root set every id. */
	/* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
	n = 1 + strlen(q->id) + 3;	/* ,"ID": */
	switch (q->type) {
	case DEF_SINGLE:
	case DEF_LIKERT:
		for (j = 0; j < q->n_options; j++)
			if (strlen(q->options[j].id) > longest)
				longest = strlen(q->options[j].id);
		return n + 2 + longest;				/* "OPT" */
	case DEF_MULTI:
		n += 2;						/* [ ] */
		for (j = 0; j < q->n_options; j++)
			n += strlen(q->options[j].id) + 3;	/* "OPT", */
		return n;
	case DEF_TEXT:
		return n + 2 + BUCKET_PER_CHAR * q->max_length;	/* "TEXT" */
	case DEF_MATRIX:
		return 0;	/* its items are questions of their own */
	case DEF_NUMBER:
		return n + BUCKET_NUMBER;
	}
	return n;
}

/* Sets d->bucket: the worst-case answer plus one byte of padding, rounded. */
static int
compute_bucket(struct json_ctx *c, struct def *d)
{
	size_t i, n = BUCKET_FIXED;

	for (i = 0; i < d->n_questions; i++)
		n += question_bound(&d->questions[i]);
	if (d->unit_source == DEF_UNIT_BATCH)
		n += BUCKET_UNIT;
	n += 1;
	d->bucket = (n + BUCKET_ROUND - 1) / BUCKET_ROUND * BUCKET_ROUND;
	if (d->bucket > SEAL_BUCKET_MAX)
		return json_fail(c, d->format < 2 ? "$.questions" : "$", "an "
		    "answer could need %zu "
		    "bytes, over the limit of %u; lower max_length", d->bucket,
		    SEAL_BUCKET_MAX);
	return GH_OK;
}

int
def_parse(const char *json, size_t len, const char *name, struct def **out,
    char *err, size_t errsz)
{
	struct def_loader l = { .j = { name, err, errsz } };
	struct def *d = NULL;
	cJSON *root = NULL;
	const char *end = NULL;
	size_t pos;
	int r = GH_ERR_INVALID;

	*out = NULL;
	if (errsz > 0)
		err[0] = '\0';
	/* cJSON would stop at a NUL byte and call the rest trailing garbage. */
	if (len > 0 && (end = memchr(json, '\0', len)) != NULL) {
		snprintf(err, errsz, "%s: invalid JSON near byte %zu", name,
		    (size_t)(end - json));
		goto out;
	}
	root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
	if (root != NULL)
		while (end < json + len && (*end == ' ' || *end == '\t' ||
		    *end == '\n' || *end == '\r'))
			end++;
	if (root == NULL || end != json + len) {
		pos = end != NULL && end >= json ? (size_t)(end - json) : 0;
		snprintf(err, errsz, "%s: invalid JSON near byte %zu", name,
		    pos);
		goto out;
	}
	if (survey_json_has_nul(json, len, &pos)) {
		snprintf(err, errsz, "%s: invalid JSON near byte %zu: \\u0000 "
		    "not allowed", name, pos);
		goto out;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		r = json_nomem(&l.j);
		goto out;
	}
	l.d = d;
	l.root = root;
	if ((r = parse_root(&l, root)) != GH_OK ||
	    (r = compute_bucket(&l.j, d)) != GH_OK)
		goto out;
	*out = d;
	d = NULL;
	r = GH_OK;
out:
	def_load_response_scales_free(&l);
	cJSON_Delete(root);
	def_free(d);
	return r;
}

int
def_load_file(const char *path, struct def **out, char **json_out,
    char *err, size_t errsz)
{
	char *text = NULL;
	size_t len;
	int r;

	*out = NULL;
	if (json_out != NULL)
		*json_out = NULL;
	if ((r = json_read_file(path, DEF_MAX_FILE, &text, &len, err,
	    errsz)) != GH_OK)
		goto out;
	if ((r = def_parse(text, len, path, out, err, errsz)) != GH_OK)
		goto out;
	if (json_out != NULL) {
		*json_out = text;
		text = NULL;
	}
	r = GH_OK;
out:
	free(text);
	return r;
}

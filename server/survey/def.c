/*
 * def.c: survey definitions, formats 1 and 2 (def.h; survey-defs/README.md).
 *
 * Entry points: def_load_file reads a file and calls def_parse, which
 * parses the JSON with cJSON, refuses what cJSON lets through (trailing
 * bytes, NUL), then checks the tree top down into a struct def: the root
 * here (parse_root), response scales, pages and the unit in def_page.c,
 * questions in def_question.c, conditions in def_cond.c, scales and
 * indicators in def_scale.c; last it computes the answer bucket. The
 * first problem found ends the load with one error line; the partly built
 * definition is freed. Nothing here logs: the caller prints err.
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
};
enum { R_FORMAT, R_ID, R_TITLE, R_INTRO, R_QUESTIONS, R_WELCOME,
	R_RESPONSE_SCALES, R_UNIT, R_PAGES, R_SCALES, R_INDICATORS, R_N };
#define R_FIRST_V2	R_WELCOME

/* Reads the format first: a newer file fails on it, not on a new key. */
static int
parse_format(struct dl *l, const cJSON *root)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(root, "format");

	if (it == NULL)
		return dj_fail(&l->j, "$.format", "missing");
	if (!cJSON_IsNumber(it) || (it->valuedouble != DEF_FORMAT &&
	    it->valuedouble != DEF_FORMAT_MAX))
		return dj_fail(&l->j, "$.format", "must be %d or %d",
		    DEF_FORMAT, DEF_FORMAT_MAX);
	l->d->format = (int)it->valuedouble;
	return GH_OK;
}

/* The questions: format 1's one list, or format 2's pages. */
static int
parse_body(struct dl *l, const cJSON **k)
{
	if (k[R_QUESTIONS] != NULL && k[R_PAGES] != NULL)
		return dj_fail(&l->j, "$", "both questions and pages (a "
		    "definition has one of them)");
	if (k[R_PAGES] != NULL)
		return dl_pages(l, k[R_PAGES]);
	if (k[R_QUESTIONS] != NULL)
		return dl_one_page(l, k[R_QUESTIONS]);
	if (l->d->format < 2)
		return dj_fail(&l->j, "$.questions", "missing");
	return dj_fail(&l->j, "$.pages", "missing");
}

static int
parse_root(struct dl *l, const cJSON *root)
{
	struct def *d = l->d;
	const cJSON *k[R_N];
	char path[DJ_PATH];
	size_t i;
	int r;

	if (!cJSON_IsObject(root))
		return dj_fail(&l->j, "$", "must be an object");
	if ((r = parse_format(l, root)) != GH_OK ||
	    (r = dj_keys(&l->j, "$", root, root_keys, R_N, k)) != GH_OK)
		return r;
	for (i = R_FIRST_V2; i < R_N && d->format < 2; i++) {
		dj_path(path, "$", ".%s", root_keys[i]);
		if (k[i] != NULL)
			return dj_fail(&l->j, path, "needs \"format\": 2");
	}
	if ((r = dj_id(&l->j, "$.id", k[R_ID], &d->id)) != GH_OK ||
	    (r = dj_text(&l->j, "$.title", k[R_TITLE], 0, &d->title)) !=
	    GH_OK ||
	    (r = dj_text(&l->j, "$.intro", k[R_INTRO], 1, &d->intro)) !=
	    GH_OK ||
	    (r = dj_text(&l->j, "$.welcome", k[R_WELCOME], 1, &d->welcome)) !=
	    GH_OK ||
	    (r = dl_response_scales(l, k[R_RESPONSE_SCALES])) != GH_OK ||
	    (r = parse_body(l, k)) != GH_OK ||
	    (r = dl_unit(l, k[R_UNIT])) != GH_OK ||
	    (r = dl_scales(l, k[R_SCALES])) != GH_OK ||
	    (r = dl_indicators(l, k[R_INDICATORS])) != GH_OK)
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
compute_bucket(struct dj *c, struct def *d)
{
	size_t i, n = BUCKET_FIXED;

	for (i = 0; i < d->n_questions; i++)
		n += question_bound(&d->questions[i]);
	if (d->unit_source == DEF_UNIT_BATCH)
		n += BUCKET_UNIT;
	n += 1;
	d->bucket = (n + BUCKET_ROUND - 1) / BUCKET_ROUND * BUCKET_ROUND;
	if (d->bucket > SEAL_BUCKET_MAX)
		return dj_fail(c, d->format < 2 ? "$.questions" : "$", "an "
		    "answer could need %zu "
		    "bytes, over the limit of %u; lower max_length", d->bucket,
		    SEAL_BUCKET_MAX);
	return GH_OK;
}

int
def_parse(const char *json, size_t len, const char *name, struct def **out,
    char *err, size_t errsz)
{
	struct dl l = { .j = { name, err, errsz } };
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
		r = dj_nomem(&l.j);
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
	dl_response_scales_free(&l);
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
	if ((r = dj_read_file(path, DEF_MAX_FILE, &text, &len, err, errsz)) != GH_OK)
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

static void
question_free(struct def_question *q)
{
	free(q->id);
	dj_text_free(&q->label);
	dj_text_free(&q->help);
	dl_options_free(q->options, q->n_options);
}

static void
extras_free(struct def *d)
{
	size_t i;

	for (i = 0; i < d->n_pages; i++) {
		free(d->pages[i].id);
		dj_text_free(&d->pages[i].title);
		dj_text_free(&d->pages[i].intro);
	}
	free(d->pages);
	for (i = 0; i < d->n_scales; i++) {
		free(d->scales[i].id);
		dj_text_free(&d->scales[i].label);
		free(d->scales[i].items);
		free(d->scales[i].is_reversed);
	}
	free(d->scales);
	for (i = 0; i < d->n_indicators; i++) {
		free(d->indicators[i].id);
		dj_text_free(&d->indicators[i].label);
		dj_text_free(&d->indicators[i].base_label);
		free(d->indicators[i].baseline_id);
		free(d->indicators[i].baseline_indicator);
	}
	free(d->indicators);
	def_cond_free_all(d->conds);
}

void
def_free(struct def *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n_questions; i++)
		question_free(&d->questions[i]);
	free(d->questions);
	extras_free(d);
	free(d->id);
	dj_text_free(&d->title);
	dj_text_free(&d->intro);
	dj_text_free(&d->welcome);
	free(d);
}

int
def_question_index(const struct def *d, const char *id)
{
	size_t i;

	for (i = 0; i < d->n_questions; i++)
		if (strcmp(d->questions[i].id, id) == 0)
			return (int)i;
	return -1;
}

int
def_option_index(const struct def_question *q, const char *id)
{
	size_t j;

	for (j = 0; j < q->n_options; j++)
		if (strcmp(q->options[j].id, id) == 0)
			return (int)j;
	return -1;
}

const char *
def_lang_code(enum def_lang lang)
{
	return lang == DEF_EN ? "en" : "nl";
}

int
def_lang_parse(const char *code, enum def_lang *out)
{
	if (code != NULL && strcmp(code, "nl") == 0) {
		*out = DEF_NL;
		return GH_OK;
	}
	if (code != NULL && strcmp(code, "en") == 0) {
		*out = DEF_EN;
		return GH_OK;
	}
	return GH_ERR_INVALID;
}

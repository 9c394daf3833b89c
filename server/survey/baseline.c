/*
 * baseline.c: baseline files (baseline.h; survey-defs/README.md).
 *
 * Entry points: baseline_load_file reads a file and calls baseline_parse,
 * which parses it with cJSON and, if it says "kind", checks it top down
 * with the definition loader's readers (def_json.h): the root, then each
 * indicator. Nothing here logs: the caller prints err.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "survey/baseline.h"
#include "survey/def_json.h"
#include "survey/text.h"

#define BASELINE_MAX_INDICATORS	100
#define BASELINE_MAX_N		100000000L

static const char *const root_keys[] = {
	"format", "kind", "id", "title", "source", "year", "population", "n",
	"indicators",
};
enum { R_FORMAT, R_KIND, R_ID, R_TITLE, R_SOURCE, R_YEAR, R_POPULATION, R_N,
	R_INDICATORS, R_NKEYS };

static const char *const indicator_keys[] = { "id", "label", "percent", "n" };
enum { I_ID, I_LABEL, I_PERCENT, I_N, I_NKEYS };

/* Reads a count at path: null (not known, -1) or 1..BASELINE_MAX_N. */
static int
parse_n(struct json_ctx *c, const char *path, const cJSON *v, long *out)
{
	if (v == NULL)
		return json_fail(c, path, "missing (a number, or null if not "
		    "known)");
	if (cJSON_IsNull(v)) {
		*out = -1;
		return GH_OK;
	}
	return json_int(c, path, v, 1, BASELINE_MAX_N, out);
}

static int
parse_indicator(struct json_ctx *c, const char *path, const cJSON *v,
    struct baseline *b, size_t i)
{
	struct baseline_indicator *ind = &b->indicators[i];
	const cJSON *k[I_NKEYS];
	char sub[JSON_PATH_MAX];
	size_t j;
	int r;

	if ((r = json_keys(c, path, v, indicator_keys, I_NKEYS, k)) != GH_OK)
		return r;
	json_path(sub, path, ".id");
	if ((r = json_id(c, sub, k[I_ID], &ind->id)) != GH_OK)
		return r;
	for (j = 0; j < i; j++)
		if (strcmp(b->indicators[j].id, ind->id) == 0)
			return json_fail(c, sub, "duplicate indicator id \"%s\"",
			    ind->id);
	json_path(sub, path, ".label");
	if ((r = json_text(c, sub, k[I_LABEL], 0, &ind->label)) != GH_OK)
		return r;
	json_path(sub, path, ".percent");
	if (k[I_PERCENT] == NULL)
		return json_fail(c, sub, "missing");
	if (!cJSON_IsNumber(k[I_PERCENT]) || !(k[I_PERCENT]->valuedouble >= 0 &&
	    k[I_PERCENT]->valuedouble <= 100))
		return json_fail(c, sub, "must be a number from 0 to 100");
	ind->percent = k[I_PERCENT]->valuedouble;
	json_path(sub, path, ".n");
	return parse_n(c, sub, k[I_N], &ind->n);
}

static int
parse_indicators(struct json_ctx *c, const cJSON *v, struct baseline *b)
{
	const cJSON *it;
	char path[JSON_PATH_MAX];
	int r;

	if (v == NULL)
		return json_fail(c, "$.indicators", "missing");
	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) < 1 ||
	    cJSON_GetArraySize(v) > BASELINE_MAX_INDICATORS)
		return json_fail(c, "$.indicators", "must be an array of 1 to %d "
		    "indicators", BASELINE_MAX_INDICATORS);
	if ((b->indicators = calloc((size_t)cJSON_GetArraySize(v),
	    sizeof(*b->indicators))) == NULL)
		return json_nomem(c);
	for (it = v->child; it != NULL; it = it->next) {
		json_path(path, "$.indicators", "[%zu]", b->n_indicators);
		b->n_indicators++;
		if ((r = parse_indicator(c, path, it, b,
		    b->n_indicators - 1)) != GH_OK)
			return r;
	}
	return GH_OK;
}

static int
parse_root(struct json_ctx *c, const cJSON *root, struct baseline *b)
{
	const cJSON *k[R_NKEYS];
	long year;
	int r;

	if ((r = json_keys(c, "$", root, root_keys, R_NKEYS, k)) != GH_OK)
		return r;
	if (!cJSON_IsNumber(k[R_FORMAT]) || k[R_FORMAT]->valuedouble != 1)
		return json_fail(c, "$.format", "must be 1");
	if (!cJSON_IsString(k[R_KIND]) ||
	    strcmp(k[R_KIND]->valuestring, "baseline") != 0)
		return json_fail(c, "$.kind", "must be \"baseline\"");
	if ((r = json_id(c, "$.id", k[R_ID], &b->id)) != GH_OK ||
	    (r = json_text(c, "$.title", k[R_TITLE], 0, &b->title)) != GH_OK ||
	    (r = json_text(c, "$.source", k[R_SOURCE], 0, &b->source)) !=
	    GH_OK ||
	    (r = json_int(c, "$.year", k[R_YEAR], 1900, 2100, &year)) != GH_OK ||
	    (r = json_text(c, "$.population", k[R_POPULATION], 0,
	    &b->population)) != GH_OK ||
	    (r = parse_n(c, "$.n", k[R_N], &b->n)) != GH_OK)
		return r;
	b->year = (int)year;
	return parse_indicators(c, k[R_INDICATORS], b);
}

int
baseline_parse(const char *json, size_t len, const char *name,
    struct baseline **out, char *err, size_t errsz)
{
	struct json_ctx c = { name, err, errsz };
	struct baseline *b = NULL;
	cJSON *root = NULL;
	const char *end = NULL;
	size_t pos;
	int r = GH_ERR_NOT_FOUND;

	*out = NULL;
	if (errsz > 0)
		err[0] = '\0';
	/* Anything else is left to def_parse, which names its problem. */
	if ((len > 0 && memchr(json, '\0', len) != NULL) ||
	    (root = cJSON_ParseWithLengthOpts(json, len, &end, 0)) == NULL ||
	    !cJSON_IsObject(root) ||
	    cJSON_GetObjectItemCaseSensitive(root, "kind") == NULL)
		goto out;
	r = GH_ERR_INVALID;
	while (end < json + len && (*end == ' ' || *end == '\t' ||
	    *end == '\n' || *end == '\r'))
		end++;
	if (end != json + len) {
		snprintf(err, errsz, "%s: invalid JSON near byte %zu", name,
		    (size_t)(end - json));
		goto out;
	}
	if (survey_json_has_nul(json, len, &pos)) {
		snprintf(err, errsz, "%s: invalid JSON near byte %zu: \\u0000 "
		    "not allowed", name, pos);
		goto out;
	}
	if ((b = calloc(1, sizeof(*b))) == NULL) {
		r = json_nomem(&c);
		goto out;
	}
	if ((r = parse_root(&c, root, b)) != GH_OK)
		goto out;
	*out = b;
	b = NULL;
	r = GH_OK;
out:
	cJSON_Delete(root);
	baseline_free(b);
	return r;
}

int
baseline_load_file(const char *path, struct baseline **out, char *err,
    size_t errsz)
{
	char *text = NULL;
	size_t len;
	int r;

	*out = NULL;
	if ((r = json_read_file(path, DEF_MAX_FILE, &text, &len, err, errsz)) ==
	    GH_OK)
		r = baseline_parse(text, len, path, out, err, errsz);
	free(text);
	return r;
}

void
baseline_free(struct baseline *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->n_indicators; i++) {
		free(b->indicators[i].id);
		json_text_free(&b->indicators[i].label);
	}
	free(b->indicators);
	free(b->id);
	json_text_free(&b->title);
	json_text_free(&b->source);
	json_text_free(&b->population);
	free(b);
}

const struct baseline_indicator *
baseline_indicator(const struct baseline *b, const char *id)
{
	size_t i;

	for (i = 0; i < b->n_indicators; i++)
		if (strcmp(b->indicators[i].id, id) == 0)
			return &b->indicators[i];
	return NULL;
}

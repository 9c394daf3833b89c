/*
 * def_scale.c: the scales and indicators of a definition (def_load.h),
 * read after every question, so that they may name any question.
 *
 * Entry points: def_load_scales (items: Likert questions or matrix items with
 * the same number of points; reversed items among them; min_items) and
 * def_load_indicators (a choice question and the options that count as 1, and
 * an optional link to a baseline indicator, checked by `def check`).
 */
#include <stdlib.h>
#include <string.h>

#include "survey/def_cond.h"
#include "survey/def_load.h"
#include "survey/text.h"

static const char *const scale_keys[] = {
	"id", "label", "items", "reversed", "min_items",
};
enum { S_ID, S_LABEL, S_ITEMS, S_REVERSED, S_MIN_ITEMS, S_N };

static const char *const indicator_keys[] = {
	"id", "label", "question", "any_of", "baseline", "among", "base_label",
};
enum {
	N_ID, N_LABEL, N_QUESTION, N_ANY_OF, N_BASELINE, N_AMONG,
	N_BASE_LABEL, N_N
};

static const char *const baseline_keys[] = { "id", "indicator" };
enum { B_ID, B_INDICATOR, B_N };

static const char *const type_names[] = {
	[DEF_SINGLE] = "single", [DEF_MULTI] = "multi",
	[DEF_LIKERT] = "likert", [DEF_TEXT] = "text",
	[DEF_MATRIX] = "matrix", [DEF_NUMBER] = "number",
};

/* Reads the items of scale s (v at path); all Likert, same points. */
static int
scale_items(struct def_loader *l, const char *path, const cJSON *v,
    struct def_scale *s)
{
	const struct def *d = l->d;
	const struct def_question *q;
	const cJSON *it;
	char sub[JSON_PATH_MAX];
	size_t k, qi;
	int r;

	if ((r = json_array(&l->j, path, v, DEF_MAX_QUESTIONS)) != GH_OK)
		return r;
	if ((s->items = calloc((size_t)cJSON_GetArraySize(v),
	    sizeof(*s->items))) == NULL ||
	    (s->is_reversed = calloc((size_t)cJSON_GetArraySize(v),
	    sizeof(*s->is_reversed))) == NULL)
		return json_nomem(&l->j);
	for (it = v->child; it != NULL; it = it->next) {
		json_path(sub, path, "[%zu]", s->n_items);
		if ((r = def_load_question_ref(l, sub, it, d->n_questions,
		    &qi)) != GH_OK)
			return r;
		q = &d->questions[qi];
		if (q->type != DEF_LIKERT)
			return json_fail(&l->j, sub, "\"%s\" is a %s question; "
			    "scale items must be likert questions or matrix "
			    "items", q->id, type_names[q->type]);
		for (k = 0; k < s->n_items; k++)
			if (s->items[k] == qi)
				return json_fail(&l->j, sub, "\"%s\" twice",
				    q->id);
		if (s->n_items == 0)
			s->points = def_question_points(q);
		else if (def_question_points(q) != s->points)
			return json_fail(&l->j, sub, "\"%s\" has %zu points, "
			    "\"%s\" %zu", q->id, def_question_points(q),
			    d->questions[s->items[0]].id, s->points);
		s->items[s->n_items++] = qi;
	}
	return GH_OK;
}

/* Marks the reversed items of s (v at path, may be NULL). */
static int
scale_reversed(struct def_loader *l, const char *path, const cJSON *v,
    struct def_scale *s)
{
	const cJSON *it;
	char sub[JSON_PATH_MAX];
	size_t k, n = 0;

	if (v == NULL)
		return GH_OK;
	if (!cJSON_IsArray(v))
		return json_fail(&l->j, path, "must be an array");
	for (it = v->child; it != NULL; it = it->next) {
		json_path(sub, path, "[%zu]", n++);
		if (!cJSON_IsString(it))
			return json_fail(&l->j, sub, "must be a string");
		if (!survey_id_is_valid(it->valuestring))
			return json_fail(&l->j, sub, "must match "
			    "[a-z0-9_-]{1,%d}", DEF_MAX_ID);
		for (k = 0; k < s->n_items; k++)
			if (strcmp(l->d->questions[s->items[k]].id,
			    it->valuestring) == 0)
				break;
		if (k == s->n_items)
			return json_fail(&l->j, sub, "\"%s\" is not one of the "
			    "scale's items", it->valuestring);
		if (s->is_reversed[k])
			return json_fail(&l->j, sub, "\"%s\" twice",
			    it->valuestring);
		s->is_reversed[k] = 1;
	}
	return GH_OK;
}

static int
parse_scale(struct def_loader *l, const char *path, const cJSON *v, size_t si)
{
	struct def_scale *s = &l->d->scales[si];
	const cJSON *k[S_N];
	char sub[JSON_PATH_MAX];
	size_t i;
	long min_items;
	int r;

	if ((r = json_keys(&l->j, path, v, scale_keys, S_N, k)) != GH_OK)
		return r;
	json_path(sub, path, ".id");
	if ((r = json_id(&l->j, sub, k[S_ID], &s->id)) != GH_OK)
		return r;
	for (i = 0; i < si; i++)
		if (strcmp(l->d->scales[i].id, s->id) == 0)
			return json_fail(&l->j, sub, "duplicate scale id \"%s\"",
			    s->id);
	json_path(sub, path, ".label");
	if ((r = json_text(&l->j, sub, k[S_LABEL], 0, &s->label)) != GH_OK)
		return r;
	json_path(sub, path, ".items");
	if ((r = scale_items(l, sub, k[S_ITEMS], s)) != GH_OK)
		return r;
	json_path(sub, path, ".reversed");
	if ((r = scale_reversed(l, sub, k[S_REVERSED], s)) != GH_OK)
		return r;
	s->min_items = s->n_items;
	json_path(sub, path, ".min_items");
	if (k[S_MIN_ITEMS] != NULL) {
		if ((r = json_int(&l->j, sub, k[S_MIN_ITEMS], 1,
		    (long)s->n_items, &min_items)) != GH_OK)
			return r;
		s->min_items = (size_t)min_items;
	}
	return GH_OK;
}

int
def_load_scales(struct def_loader *l, const cJSON *v)
{
	struct def *d = l->d;
	const cJSON *it;
	char path[JSON_PATH_MAX];
	int r;

	if (v == NULL)
		return GH_OK;
	if ((r = json_array(&l->j, "$.scales", v, DEF_MAX_SCALES)) != GH_OK)
		return r;
	if ((d->scales = calloc((size_t)cJSON_GetArraySize(v),
	    sizeof(*d->scales))) == NULL)
		return json_nomem(&l->j);
	for (it = v->child; it != NULL; it = it->next) {
		json_path(path, "$.scales", "[%zu]", d->n_scales);
		d->n_scales++;
		if ((r = parse_scale(l, path, it, d->n_scales - 1)) != GH_OK)
			return r;
	}
	return GH_OK;
}

/* Reads {"id": baseline, "indicator": id} (v at path) into ind. */
static int
parse_baseline(struct def_loader *l, const char *path, const cJSON *v,
    struct def_indicator *ind)
{
	const cJSON *k[B_N];
	char sub[JSON_PATH_MAX];
	int r;

	if ((r = json_keys(&l->j, path, v, baseline_keys, B_N, k)) != GH_OK)
		return r;
	json_path(sub, path, ".id");
	if ((r = json_id(&l->j, sub, k[B_ID], &ind->baseline_id)) != GH_OK)
		return r;
	json_path(sub, path, ".indicator");
	return json_id(&l->j, sub, k[B_INDICATOR], &ind->baseline_indicator);
}

static int
parse_indicator(struct def_loader *l, const char *path, const cJSON *v,
    size_t ii)
{
	struct def_indicator *ind = &l->d->indicators[ii];
	const struct def_question *q;
	const cJSON *k[N_N];
	char sub[JSON_PATH_MAX];
	size_t i;
	int r;

	if ((r = json_keys(&l->j, path, v, indicator_keys, N_N, k)) != GH_OK)
		return r;
	json_path(sub, path, ".id");
	if ((r = json_id(&l->j, sub, k[N_ID], &ind->id)) != GH_OK)
		return r;
	for (i = 0; i < ii; i++)
		if (strcmp(l->d->indicators[i].id, ind->id) == 0)
			return json_fail(&l->j, sub, "duplicate indicator id "
			    "\"%s\"", ind->id);
	json_path(sub, path, ".label");
	if ((r = json_text(&l->j, sub, k[N_LABEL], 0, &ind->label)) != GH_OK)
		return r;
	json_path(sub, path, ".question");
	if ((r = def_load_question_ref(l, sub, k[N_QUESTION], l->d->n_questions,
	    &ind->question)) != GH_OK)
		return r;
	q = &l->d->questions[ind->question];
	if (q->n_options == 0)
		return json_fail(&l->j, sub, "\"%s\" is a %s question; an "
		    "indicator needs one with options", q->id,
		    type_names[q->type]);
	json_path(sub, path, ".any_of");
	if ((r = def_load_option_set(l, sub, k[N_ANY_OF], q, 0,
	    &ind->any_of)) != GH_OK)
		return r;
	for (i = 0; i < q->n_options && i < 64; i++)
		if ((ind->any_of >> i & 1) &&
		    !def_option_is_substantive(&q->options[i]))
			return json_fail(&l->j, sub, "\"%s\" is not a "
			    "substantive answer; it cannot count as yes",
			    q->options[i].id);
	/* Its base names only questions asked before its own. */
	json_path(sub, path, ".among");
	if (k[N_AMONG] != NULL && (r = def_cond_parse(l, sub, k[N_AMONG],
	    ind->question, &ind->among)) != GH_OK)
		return r;
	json_path(sub, path, ".base_label");
	if (k[N_AMONG] != NULL && k[N_BASE_LABEL] == NULL)
		return json_fail(&l->j, sub, "missing: an indicator with "
		    "\"among\" says in words who its base is");
	if ((r = json_text(&l->j, sub, k[N_BASE_LABEL], 1, &ind->base_label)) !=
	    GH_OK)
		return r;
	json_path(sub, path, ".baseline");
	if (k[N_BASELINE] != NULL)
		return parse_baseline(l, sub, k[N_BASELINE], ind);
	return GH_OK;
}

int
def_load_indicators(struct def_loader *l, const cJSON *v)
{
	struct def *d = l->d;
	const cJSON *it;
	char path[JSON_PATH_MAX];
	int r;

	if (v == NULL)
		return GH_OK;
	if ((r = json_array(&l->j, "$.indicators", v, DEF_MAX_INDICATORS)) != GH_OK)
		return r;
	if ((d->indicators = calloc((size_t)cJSON_GetArraySize(v),
	    sizeof(*d->indicators))) == NULL)
		return json_nomem(&l->j);
	for (it = v->child; it != NULL; it = it->next) {
		json_path(path, "$.indicators", "[%zu]", d->n_indicators);
		d->n_indicators++;
		if ((r = parse_indicator(l, path, it, d->n_indicators - 1)) !=
		    GH_OK)
			return r;
	}
	return GH_OK;
}

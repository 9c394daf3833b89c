/*
 * def_page.c: the parts of a definition around its questions: response
 * scales, pages and the organisational unit (def_load.h).
 *
 * Entry points, in the order def_load.c calls them: def_load_response_scales
 * (read first, so questions can copy them), def_load_pages or
 * def_load_one_page (size questions[] once, then read each page and hand its
 * questions to def_question.c), def_load_unit (once every question is known).
 */
#include <stdlib.h>
#include <string.h>

#include "survey/def_cond.h"
#include "survey/def_load.h"
#include "survey/text.h"

static const char *const page_keys[] = {
	"id", "title", "intro", "show_if", "questions",
};
enum { P_ID, P_TITLE, P_INTRO, P_SHOW_IF, P_QUESTIONS, P_N };

static const char *const rs_option_keys[] = { "id", "label" };
enum { RO_ID, RO_LABEL, RO_N };

static const char *const unit_keys[] = { "source", "question" };
enum { U_SOURCE, U_QUESTION, U_N };

/* Reads the response scale v (its id checked) at path into s. */
static int
response_scale(struct def_loader *l, const char *path, const cJSON *v,
    struct def_load_scale *s)
{
	const cJSON *k[RO_N], *it;
	char sub[JSON_PATH_MAX], sub2[JSON_PATH_MAX];
	size_t j;
	int r;

	if (!cJSON_IsArray(v))
		return json_fail(&l->j, path, "must be an array");
	if (cJSON_GetArraySize(v) < 2 ||
	    cJSON_GetArraySize(v) > DEF_MAX_LIKERT)
		return json_fail(&l->j, path, "a response scale needs 2 to %d "
		    "options", DEF_MAX_LIKERT);
	if ((s->options = calloc((size_t)cJSON_GetArraySize(v),
	    sizeof(*s->options))) == NULL)
		return json_nomem(&l->j);
	for (it = v->child; it != NULL; it = it->next) {
		struct def_option *o = &s->options[s->n_options++];

		json_path(sub, path, "[%zu]", s->n_options - 1);
		if ((r = json_keys(&l->j, sub, it, rs_option_keys, RO_N, k)) !=
		    GH_OK)
			return r;
		json_path(sub2, sub, ".id");
		if ((r = json_id(&l->j, sub2, k[RO_ID], &o->id)) != GH_OK)
			return r;
		/* Earlier ids are set: each option is read whole in turn. */
		for (j = 0; j + 1 < s->n_options; j++)
			/* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
			if (strcmp(s->options[j].id, o->id) == 0)
				return json_fail(&l->j, sub2, "duplicate option "
				    "id \"%s\"", o->id);
		json_path(sub2, sub, ".label");
		if ((r = json_text(&l->j, sub2, k[RO_LABEL], 0, &o->label)) !=
		    GH_OK)
			return r;
	}
	return GH_OK;
}

int
def_load_response_scales(struct def_loader *l, const cJSON *v)
{
	const cJSON *it;
	char path[JSON_PATH_MAX];
	int r;

	if (v == NULL)
		return GH_OK;
	if (!cJSON_IsObject(v))
		return json_fail(&l->j, "$.response_scales", "must be an object");
	if ((l->scales = calloc((size_t)cJSON_GetArraySize(v) + 1,
	    sizeof(*l->scales))) == NULL)
		return json_nomem(&l->j);
	for (it = v->child; it != NULL; it = it->next) {
		struct def_load_scale *s = &l->scales[l->n_scales++];
		size_t i;

		/* Only a checked id goes into the path of a message. */
		if (!survey_id_is_valid(it->string))
			return json_fail(&l->j, "$.response_scales", "scale id "
			    "must match [a-z0-9_-]{1,%d}", DEF_MAX_ID);
		/* Earlier ids are set: each scale is read whole in turn. */
		for (i = 0; i + 1 < l->n_scales; i++)
			/* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
			if (strcmp(l->scales[i].id, it->string) == 0)
				return json_fail(&l->j, "$.response_scales",
				    "duplicate key \"%s\"", it->string);
		if ((s->id = strdup(it->string)) == NULL)
			return json_nomem(&l->j);
		json_path(path, "$.response_scales", ".%s", s->id);
		if ((r = response_scale(l, path, it, s)) != GH_OK)
			return r;
	}
	return GH_OK;
}

void
def_load_response_scales_free(struct def_loader *l)
{
	size_t i;

	for (i = 0; i < l->n_scales; i++) {
		free(l->scales[i].id);
		def_options_free(l->scales[i].options, l->scales[i].n_options);
	}
	free(l->scales);
	l->scales = NULL;
	l->n_scales = 0;
}

/* Allocates questions[] for n entries, refusing more than the limit. */
static int
make_room(struct def_loader *l, const char *path, size_t n)
{
	if (n > DEF_MAX_QUESTIONS)
		return json_fail(&l->j, path, "%zu questions (matrix items "
		    "included), over the limit of %d", n, DEF_MAX_QUESTIONS);
	/* n is 0 when no page has questions; that fails later. */
	if ((l->d->questions = calloc(n > 0 ? n : 1,
	    sizeof(*l->d->questions))) == NULL)
		return json_nomem(&l->j);
	l->cap = n;
	return GH_OK;
}

int
def_load_one_page(struct def_loader *l, const cJSON *v)
{
	struct def *d = l->d;
	size_t n;
	int r;

	if (!cJSON_IsArray(v))
		return json_fail(&l->j, "$.questions", "must be an array");
	n = (size_t)cJSON_GetArraySize(v);
	if (n < 1 || n > DEF_MAX_QUESTIONS)
		return json_fail(&l->j, "$.questions", "needs 1 to %d questions",
		    DEF_MAX_QUESTIONS);
	if ((d->pages = calloc(1, sizeof(*d->pages))) == NULL)
		return json_nomem(&l->j);
	d->n_pages = 1;
	if ((d->pages[0].id = strdup("page")) == NULL)
		return json_nomem(&l->j);
	if ((r = json_text(&l->j, "$", NULL, 1, &d->pages[0].title)) != GH_OK ||
	    (r = json_text(&l->j, "$", NULL, 1, &d->pages[0].intro)) != GH_OK ||
	    (r = make_room(l, "$.questions", def_load_questions_count(v))) != GH_OK ||
	    (r = def_load_questions(l, "$.questions", v, 0)) != GH_OK)
		return r;
	d->pages[0].n = d->n_questions;
	return GH_OK;
}

/* Reads page pi (v at path) and its questions. */
static int
parse_page(struct def_loader *l, const char *path, const cJSON *v, size_t pi)
{
	struct def *d = l->d;
	struct def_page *p = &d->pages[pi];
	const cJSON *k[P_N];
	char sub[JSON_PATH_MAX];
	size_t i;
	int r;

	if ((r = json_keys(&l->j, path, v, page_keys, P_N, k)) != GH_OK)
		return r;
	json_path(sub, path, ".id");
	if ((r = json_id(&l->j, sub, k[P_ID], &p->id)) != GH_OK)
		return r;
	for (i = 0; i < pi; i++)
		if (strcmp(d->pages[i].id, p->id) == 0)
			return json_fail(&l->j, sub, "duplicate page id \"%s\"",
			    p->id);
	json_path(sub, path, ".title");
	if ((r = json_text(&l->j, sub, k[P_TITLE], 1, &p->title)) != GH_OK)
		return r;
	json_path(sub, path, ".intro");
	if ((r = json_text(&l->j, sub, k[P_INTRO], 1, &p->intro)) != GH_OK)
		return r;
	p->first = d->n_questions;
	json_path(sub, path, ".show_if");
	if (k[P_SHOW_IF] != NULL && (r = def_cond_parse(l, sub, k[P_SHOW_IF],
	    d->n_questions, &p->show_if)) != GH_OK)
		return r;
	json_path(sub, path, ".questions");
	if (k[P_QUESTIONS] == NULL)
		return json_fail(&l->j, sub, "missing");
	if (!cJSON_IsArray(k[P_QUESTIONS]) ||
	    cJSON_GetArraySize(k[P_QUESTIONS]) < 1 ||
	    cJSON_GetArraySize(k[P_QUESTIONS]) > DEF_MAX_PAGE_QUESTIONS)
		return json_fail(&l->j, sub, "must be an array of 1 to %d "
		    "questions", DEF_MAX_PAGE_QUESTIONS);
	if ((r = def_load_questions(l, sub, k[P_QUESTIONS], pi)) != GH_OK)
		return r;
	p->n = d->n_questions - p->first;
	return GH_OK;
}

int
def_load_pages(struct def_loader *l, const cJSON *v)
{
	struct def *d = l->d;
	const cJSON *it;
	char path[JSON_PATH_MAX];
	size_t n = 0;
	int r;

	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) < 1 ||
	    cJSON_GetArraySize(v) > DEF_MAX_PAGES)
		return json_fail(&l->j, "$.pages", "must be an array of 1 to %d "
		    "pages", DEF_MAX_PAGES);
	for (it = v->child; it != NULL; it = it->next)
		n += def_load_questions_count(
		    cJSON_GetObjectItemCaseSensitive(it, "questions"));
	if ((r = make_room(l, "$.pages", n)) != GH_OK)
		return r;
	if ((d->pages = calloc((size_t)cJSON_GetArraySize(v),
	    sizeof(*d->pages))) == NULL)
		return json_nomem(&l->j);
	for (it = v->child; it != NULL; it = it->next) {
		json_path(path, "$.pages", "[%zu]", d->n_pages);
		/* Counted first, so that def_free frees a half-read page. */
		d->n_pages++;
		if ((r = parse_page(l, path, it, d->n_pages - 1)) != GH_OK)
			return r;
	}
	return GH_OK;
}

/* Refuses a question marked background "unit" if the unit is not it. */
static int
check_unit_background(struct def_loader *l, const char *path, const char *why)
{
	const struct def *d = l->d;
	size_t i;

	for (i = 0; i < d->n_questions; i++)
		if (d->questions[i].background == DEF_BG_UNIT &&
		    (d->unit_source != DEF_UNIT_QUESTION ||
		    d->unit_question != i))
			return json_fail(&l->j, path, "question \"%s\" has "
			    "background \"unit\", but %s", d->questions[i].id,
			    why);
	return GH_OK;
}

int
def_load_unit(struct def_loader *l, const cJSON *v)
{
	struct def *d = l->d;
	struct def_question *q;
	const cJSON *k[U_N];
	int r;

	if (v == NULL)
		return check_unit_background(l, "$.unit", "there is no unit "
		    "(add {\"source\": \"question\", \"question\": ...})");
	if ((r = json_keys(&l->j, "$.unit", v, unit_keys, U_N, k)) != GH_OK)
		return r;
	if (cJSON_IsString(k[U_SOURCE]) &&
	    strcmp(k[U_SOURCE]->valuestring, "batch") == 0) {
		d->unit_source = DEF_UNIT_BATCH;
		if (k[U_QUESTION] != NULL)
			return json_fail(&l->j, "$.unit.question", "not allowed "
			    "with source \"batch\"");
		return check_unit_background(l, "$.unit", "the unit comes "
		    "from the token batch");
	}
	if (!cJSON_IsString(k[U_SOURCE]) ||
	    strcmp(k[U_SOURCE]->valuestring, "question") != 0)
		return json_fail(&l->j, "$.unit.source", "must be \"batch\" or "
		    "\"question\"");
	if ((r = def_load_question_ref(l, "$.unit.question", k[U_QUESTION],
	    d->n_questions, &d->unit_question)) != GH_OK)
		return r;
	q = &d->questions[d->unit_question];
	if (q->type != DEF_SINGLE)
		return json_fail(&l->j, "$.unit.question", "\"%s\" must be a "
		    "single question", q->id);
	if (q->background != DEF_BG_NONE && q->background != DEF_BG_UNIT)
		return json_fail(&l->j, "$.unit.question", "\"%s\" has "
		    "background \"%s\"", q->id,
		    def_background_name(q->background));
	q->background = DEF_BG_UNIT;
	d->unit_source = DEF_UNIT_QUESTION;
	return check_unit_background(l, "$.unit", "the unit is another "
	    "question");
}

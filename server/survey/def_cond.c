/*
 * def_cond.c: reading conditions (def_cond.h), and the references to
 * questions and options that conditions, scales and indicators share
 * (def_load.h).
 *
 * Entry points: def_cond_parse, called as a page or question is read, so
 * that only questions read already can be named; def_load_question_ref and
 * def_load_option_set resolve ids; def_cond_count and def_cond_free_all. Every
 * node is linked into d->conds as soon as it exists, so that def_free
 * frees a half-read tree.
 */
#include <stdlib.h>
#include <string.h>

#include "survey/def_cond.h"
#include "survey/text.h"

static const char *const cond_keys[] = {
	"question", "any_of", "none_of", "answered", "at_least", "at_most",
	"all", "any", "not",
};
enum { C_QUESTION, C_ANY_OF, C_NONE_OF, C_ANSWERED, C_AT_LEAST, C_AT_MOST,
	C_ALL, C_ANY, C_NOT, C_N };
#define C_FIRST_TEST	C_ANY_OF	/* tests of one question: ... */
#define C_LAST_TEST	C_AT_MOST

/* Returns 1 if a question or matrix item of the file has this id. */
static int
is_id_in_file(const cJSON *root, const char *id)
{
	const cJSON *pages, *page, *q, *it;

	pages = cJSON_GetObjectItemCaseSensitive(root, "pages");
	page = cJSON_IsArray(pages) ? pages->child : root;
	for (; page != NULL; page = page == root ? NULL : page->next) {
		q = cJSON_GetObjectItemCaseSensitive(page, "questions");
		for (q = cJSON_IsArray(q) ? q->child : NULL; q != NULL;
		    q = q->next) {
			it = cJSON_GetObjectItemCaseSensitive(q, "id");
			if (cJSON_IsString(it) && strcmp(it->valuestring, id) == 0)
				return 1;
			it = cJSON_GetObjectItemCaseSensitive(q, "items");
			for (it = cJSON_IsArray(it) ? it->child : NULL;
			    it != NULL; it = it->next)
				if (cJSON_IsString(cJSON_GetObjectItem(it, "id")) &&
				    strcmp(cJSON_GetObjectItem(it, "id")->
				    valuestring, id) == 0)
					return 1;
		}
	}
	return 0;
}

int
def_load_question_ref(struct def_loader *l, const char *path, const cJSON *v,
    size_t n_before, size_t *qi)
{
	const struct def *d = l->d;
	size_t i;

	if (v == NULL)
		return json_fail(&l->j, path, "missing");
	if (!cJSON_IsString(v))
		return json_fail(&l->j, path, "must be a string");
	if (!survey_id_is_valid(v->valuestring))
		return json_fail(&l->j, path, "must match [a-z0-9_-]{1,%d}",
		    DEF_MAX_ID);
	for (i = 0; i < n_before; i++)
		if (strcmp(d->questions[i].id, v->valuestring) == 0)
			break;
	if (i == n_before && is_id_in_file(l->root, v->valuestring))
		return json_fail(&l->j, path, "\"%s\" is not an earlier question "
		    "(a condition can only use answers given before)",
		    v->valuestring);
	if (i == n_before)
		return json_fail(&l->j, path, "unknown question \"%s\"",
		    v->valuestring);
	if (d->questions[i].type == DEF_MATRIX)
		return json_fail(&l->j, path, "\"%s\" is a matrix; name one of "
		    "its items", v->valuestring);
	*qi = i;
	return GH_OK;
}

int
def_load_option_set(struct def_loader *l, const char *path, const cJSON *v,
    const struct def_question *q, int is_prefer_not_ok, uint64_t *out)
{
	const cJSON *it;
	char sub[JSON_PATH_MAX];
	size_t n = 0;
	int j;

	*out = 0;
	if (v == NULL)
		return json_fail(&l->j, path, "missing");
	if (!cJSON_IsArray(v) || v->child == NULL)
		return json_fail(&l->j, path, "must be an array of option ids");
	for (it = v->child; it != NULL; it = it->next) {
		json_path(sub, path, "[%zu]", n++);
		if (!cJSON_IsString(it))
			return json_fail(&l->j, sub, "must be a string");
		if (!survey_id_is_valid(it->valuestring))
			return json_fail(&l->j, sub, "must match "
			    "[a-z0-9_-]{1,%d}", DEF_MAX_ID);
		j = def_option_index(q, it->valuestring);
		if (j < 0 || (q->options[j].is_prefer_not && !is_prefer_not_ok))
			return json_fail(&l->j, sub, "no option \"%s\" in "
			    "question \"%s\"", it->valuestring, q->id);
		if (*out & (UINT64_C(1) << j))
			return json_fail(&l->j, sub, "option \"%s\" twice",
			    it->valuestring);
		*out |= UINT64_C(1) << j;
	}
	return GH_OK;
}

/* Makes a new node owned by d->conds. */
static struct def_cond *
cond_new(struct def_loader *l, enum def_cond_kind kind)
{
	struct def_cond *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->kind = kind;
	c->owned_next = l->d->conds;
	l->d->conds = c;
	return c;
}

/* The test of a question: any_of, none_of, answered, at_least, at_most. */
static int
parse_test(struct def_loader *l, const char *path, const cJSON **k, size_t t,
    struct def_cond *c)
{
	const struct def_question *q = &l->d->questions[c->question];
	const char *tname = q->type == DEF_NUMBER ? "number" : "text";
	char sub[JSON_PATH_MAX];
	long n;

	json_path(sub, path, ".%s", cond_keys[t]);
	switch (t) {
	case C_ANY_OF:
	case C_NONE_OF:
		c->kind = t == C_ANY_OF ? DC_ANY_OF : DC_NONE_OF;
		if (q->n_options == 0)
			return json_fail(&l->j, sub, "\"%s\" is a %s question "
			    "without options", q->id, tname);
		return def_load_option_set(l, sub, k[t], q, 1, &c->options);
	case C_ANSWERED:
		c->kind = DC_ANSWERED;
		if (!cJSON_IsBool(k[t]))
			return json_fail(&l->j, sub, "must be true or false");
		c->is_answered = cJSON_IsTrue(k[t]);
		return GH_OK;
	default:
		c->kind = t == C_AT_LEAST ? DC_AT_LEAST : DC_AT_MOST;
		if (q->type != DEF_NUMBER)
			return json_fail(&l->j, sub, "\"%s\" is not a number "
			    "question", q->id);
		if (json_int(&l->j, sub, k[t], -DEF_MAX_NUMBER, DEF_MAX_NUMBER,
		    &n) != GH_OK)
			return GH_ERR_INVALID;
		c->number = n;
		return GH_OK;
	}
}

/* {"question": q, TEST: value}: exactly one test. */
static int
parse_leaf(struct def_loader *l, const char *path, const cJSON **k,
    size_t n_before, struct def_cond *c)
{
	char sub[JSON_PATH_MAX];
	size_t i, t = C_N, n_tests = 0;
	int r;

	for (i = C_FIRST_TEST; i <= C_LAST_TEST; i++)
		if (k[i] != NULL) {
			t = i;
			n_tests++;
		}
	if (n_tests != 1)
		return json_fail(&l->j, path, "needs one of any_of, none_of, "
		    "answered, at_least or at_most%s", n_tests > 1 ? ", not "
		    "more" : "");
	json_path(sub, path, ".question");
	if ((r = def_load_question_ref(l, sub, k[C_QUESTION], n_before,
	    &c->question)) != GH_OK)
		return r;
	return parse_test(l, path, k, t, c);
}

/* Reads the condition v at path, nested depth all/any/not deep. */
static int	/* NOLINTNEXTLINE(misc-no-recursion) */
parse(struct def_loader *l, const char *path, const cJSON *v, size_t n_before,
    int depth, struct def_cond **out)
{
	const cJSON *k[C_N], *it, *arr;
	struct def_cond *c, **tail;
	char sub[JSON_PATH_MAX];
	size_t i, n = 0, n_keys = 0, t = C_N;
	int r;

	if ((r = json_keys(&l->j, path, v, cond_keys, C_N, k)) != GH_OK)
		return r;
	for (i = 0; i < C_N; i++)
		n_keys += k[i] != NULL;
	for (i = C_ALL; i <= C_NOT; i++)
		if (k[i] != NULL)
			t = i;
	if (t != C_N && n_keys != 1)
		return json_fail(&l->j, path, "\"%s\" must be the condition's "
		    "only key", cond_keys[t]);
	if (t != C_N && depth >= DEF_COND_MAX_DEPTH)
		return json_fail(&l->j, path, "conditions nested deeper than %d",
		    DEF_COND_MAX_DEPTH);
	if ((*out = c = cond_new(l, t == C_ALL ? DC_ALL : t == C_ANY ? DC_ANY :
	    DC_NOT)) == NULL)
		return json_nomem(&l->j);
	if (t == C_N)
		return parse_leaf(l, path, k, n_before, c);
	arr = k[t];
	json_path(sub, path, ".%s", cond_keys[t]);
	if (t == C_NOT)
		return parse(l, sub, arr, n_before, depth + 1, &c->sub);
	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) < 1 ||
	    cJSON_GetArraySize(arr) > DEF_COND_MAX_SUB)
		return json_fail(&l->j, sub, "must be an array of 1 to %d "
		    "conditions", DEF_COND_MAX_SUB);
	/* Each is linked in as it is made, so that the order is kept. */
	tail = &c->sub;
	for (it = arr->child; it != NULL; it = it->next) {
		json_path(sub, path, ".%s[%zu]", cond_keys[t], n++);
		if ((r = parse(l, sub, it, n_before, depth + 1, tail)) != GH_OK)
			return r;
		tail = &(*tail)->next;
	}
	return GH_OK;
}

int
def_cond_parse(struct def_loader *l, const char *path, const cJSON *v,
    size_t n_before, const struct def_cond **out)
{
	struct def_cond *c = NULL;
	int r;

	r = parse(l, path, v, n_before, 0, &c);
	*out = c;
	return r;
}

size_t
def_cond_count(const struct def *d)
{
	size_t i, n = 0;

	for (i = 0; i < d->n_pages; i++)
		n += d->pages[i].show_if != NULL;
	for (i = 0; i < d->n_questions; i++)
		n += d->questions[i].show_if != NULL &&
		    d->questions[i].matrix < 0;
	return n;
}

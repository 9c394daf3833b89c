/*
 * plan_table.c: the tables of a release plan (plan.h, plan_int.h).
 *
 * Entry point: plan_load_tables checks $.tables: each table's id, its one
 * variable (a choice question, a scale or an indicator of the
 * definition) and its 0 to 2 breakdowns (background questions with
 * options, or the unit). Values from the file are quoted into messages
 * as printable ASCII, cut short, as the definition loader does.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "release/plan_int.h"
#include "survey/answer.h"

static const char *const table_keys[] = {
	"id", "question", "scale", "indicator", "by",
};
enum { T_ID, T_QUESTION, T_SCALE, T_INDICATOR, T_BY, T_N };

#define QUOTE_MAX 40	/* characters of a value shown in a message */

/* Copies s into q as printable ASCII ('?' for anything else), cut short,
 * as the definition loader does: a message stays one printable line. */
static const char *
quote(char q[QUOTE_MAX + 4], const char *s)
{
	size_t i;

	for (i = 0; i < QUOTE_MAX && s[i] != '\0'; i++)
		q[i] = (char)((s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"' &&
		    s[i] != '\\') ? s[i] : '?');
	if (s[i] != '\0') {
		memcpy(q + i, "...", 3);
		i += 3;
	}
	q[i] = '\0';
	return q;
}

/* Reads one breakdown (v at path) into b. */
static int
parse_by(struct plan_loader *l, const char *path, const cJSON *v,
    struct plan_by *b)
{
	const struct def *d = l->d;
	const struct def_question *q;
	char q_[QUOTE_MAX + 4];
	int qi;

	if (!cJSON_IsString(v))
		return json_fail(&l->j, path, "must be a string");
	if (strcmp(v->valuestring, "unit") == 0) {
		if (d->unit_source == DEF_UNIT_NONE)
			return json_fail(&l->j, path, "the definition has no "
			    "unit");
		b->is_unit = d->unit_source == DEF_UNIT_BATCH;
		b->question = d->unit_question;
		return GH_OK;
	}
	if ((qi = def_question_index(d, v->valuestring)) < 0)
		return json_fail(&l->j, path, "unknown question \"%s\"",
		    quote(q_, v->valuestring));
	/* Any single-choice question may break a table down (a cross-table
	 * such as the forms of unwanted behaviour by doubt whether it was
	 * discrimination): every cell is protected and audited alike. */
	q = &d->questions[qi];
	if (q->type != DEF_SINGLE && q->type != DEF_LIKERT)
		return json_fail(&l->j, path, "\"%s\" is not a single choice "
		    "question; a breakdown needs one", q->id);
	b->is_unit = 0;
	b->question = (size_t)qi;
	return GH_OK;
}

static int
parse_bys(struct plan_loader *l, const char *path, const cJSON *v,
    struct plan_table *t)
{
	const cJSON *it;
	char sub[JSON_PATH_MAX];
	size_t i;
	int r;

	if (v == NULL)
		return GH_OK;
	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) > PLAN_MAX_BY)
		return json_fail(&l->j, path, "must be an array of 0 to %d "
		    "breakdowns", PLAN_MAX_BY);
	for (it = v->child; it != NULL; it = it->next) {
		json_path(sub, path, "[%zu]", t->n_by);
		if ((r = parse_by(l, sub, it, &t->by[t->n_by])) != GH_OK)
			return r;
		for (i = 0; i < t->n_by; i++)
			if (t->by[i].is_unit == t->by[t->n_by].is_unit &&
			    t->by[i].question == t->by[t->n_by].question)
				return json_fail(&l->j, sub, "the same "
				    "breakdown twice");
		if (t->var == PLAN_QUESTION && !t->by[t->n_by].is_unit &&
		    t->by[t->n_by].question == t->index)
			return json_fail(&l->j, sub, "the table's own question "
			    "cannot break it down");
		t->n_by++;
	}
	return GH_OK;
}

/* Reads which variable a table counts: exactly one of three keys. */
static int
parse_var(struct plan_loader *l, const char *path, const cJSON **k,
    struct plan_table *t)
{
	const struct def *d = l->d;
	const struct def_question *q;
	char sub[JSON_PATH_MAX], q_[QUOTE_MAX + 4];
	size_t i, n = 0;
	int qi;

	n = (k[T_QUESTION] != NULL) + (k[T_SCALE] != NULL) +
	    (k[T_INDICATOR] != NULL);
	if (n != 1)
		return json_fail(&l->j, path, "needs exactly one of "
		    "\"question\", \"scale\" and \"indicator\"");
	if (k[T_QUESTION] != NULL) {
		json_path(sub, path, ".question");
		if (!cJSON_IsString(k[T_QUESTION]))
			return json_fail(&l->j, sub, "must be a string");
		if ((qi = def_question_index(d,
		    k[T_QUESTION]->valuestring)) < 0)
			return json_fail(&l->j, sub, "unknown question \"%s\"",
			    quote(q_, k[T_QUESTION]->valuestring));
		q = &d->questions[qi];
		if (q->type != DEF_SINGLE && q->type != DEF_LIKERT &&
		    q->type != DEF_MULTI)
			return json_fail(&l->j, sub, "\"%s\" is not a choice "
			    "question (single, likert, multi or a matrix "
			    "item); free text and numbers are never "
			    "released", q->id);
		t->var = PLAN_QUESTION;
		t->index = (size_t)qi;
		return GH_OK;
	}
	if (k[T_SCALE] != NULL) {
		json_path(sub, path, ".scale");
		if (!cJSON_IsString(k[T_SCALE]))
			return json_fail(&l->j, sub, "must be a string");
		for (i = 0; i < d->n_scales; i++)
			if (strcmp(d->scales[i].id,
			    k[T_SCALE]->valuestring) == 0)
				break;
		if (i == d->n_scales)
			return json_fail(&l->j, sub, "unknown scale \"%s\"",
			    quote(q_, k[T_SCALE]->valuestring));
		t->var = PLAN_SCALE;
		t->index = i;
		return GH_OK;
	}
	json_path(sub, path, ".indicator");
	if (!cJSON_IsString(k[T_INDICATOR]))
		return json_fail(&l->j, sub, "must be a string");
	for (i = 0; i < d->n_indicators; i++)
		if (strcmp(d->indicators[i].id,
		    k[T_INDICATOR]->valuestring) == 0)
			break;
	if (i == d->n_indicators)
		return json_fail(&l->j, sub, "unknown indicator \"%s\"",
		    quote(q_, k[T_INDICATOR]->valuestring));
	t->var = PLAN_INDICATOR;
	t->index = i;
	return GH_OK;
}

static int
parse_table(struct plan_loader *l, const char *path, const cJSON *v, size_t ti)
{
	struct plan_table *t = &l->p->tables[ti];
	const cJSON *k[T_N];
	char sub[JSON_PATH_MAX];
	size_t i;
	int r;

	if ((r = json_keys(&l->j, path, v, table_keys, T_N, k)) != GH_OK)
		return r;
	json_path(sub, path, ".id");
	if ((r = json_id(&l->j, sub, k[T_ID], &t->id)) != GH_OK)
		return r;
	for (i = 0; i < ti; i++)
		if (strcmp(l->p->tables[i].id, t->id) == 0)
			return json_fail(&l->j, sub, "duplicate table id "
			    "\"%s\"", t->id);
	if ((r = parse_var(l, path, k, t)) != GH_OK)
		return r;
	json_path(sub, path, ".by");
	return parse_bys(l, sub, k[T_BY], t);
}

int
plan_load_tables(struct plan_loader *l, const cJSON *v)
{
	const cJSON *it;
	char path[JSON_PATH_MAX];
	int r;

	if ((r = json_array(&l->j, "$.tables", v, PLAN_MAX_TABLES)) != GH_OK)
		return r;
	if ((l->p->tables = calloc((size_t)cJSON_GetArraySize(v),
	    sizeof(*l->p->tables))) == NULL)
		return json_nomem(&l->j);
	for (it = v->child; it != NULL; it = it->next) {
		json_path(path, "$.tables", "[%zu]", l->p->n_tables);
		l->p->n_tables++;
		if ((r = parse_table(l, path, it, l->p->n_tables - 1)) !=
		    GH_OK)
			return r;
	}
	return GH_OK;
}


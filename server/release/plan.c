/*
 * plan.c: release plans (plan.h; survey-defs/README.md, "Release plans").
 *
 * Entry points: plan_load_file reads a file and calls plan_parse, which
 * parses the JSON with cJSON and checks it top down against the
 * definition with the definition loader's checked readers (def_json.h),
 * so that messages read the same: "NAME: $.tables[2].by[0]: ...": the
 * root, compare_with and unit_map here, the tables in plan_table.c. The
 * first problem ends the parse; the partly built plan is freed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "release/plan_int.h"
#include "survey/answer.h"
#include "survey/text.h"

static const char *const root_keys[] = {
	"format", "kind", "definition", "c", "tables", "compare_with",
	"unit_map", "baselines",
};
enum {
	R_FORMAT, R_KIND, R_DEF, R_C, R_TABLES, R_COMPARE, R_UNIT_MAP,
	R_BASELINES, R_N
};

static const char *const map_keys[] = { "from", "to" };
enum { M_FROM, M_TO, M_N };

/* A unit label or wave name: a string answer_unit_is_valid takes. */
static int
label(struct plan_loader *l, const char *path, const cJSON *v, char **out)
{
	if (v == NULL)
		return json_fail(&l->j, path, "missing");
	if (!cJSON_IsString(v) || !answer_unit_is_valid(v->valuestring))
		return json_fail(&l->j, path, "must be a string of 1 to %d "
		    "bytes of UTF-8 without control characters", DEF_MAX_UNIT);
	if ((*out = strdup(v->valuestring)) == NULL)
		return json_nomem(&l->j);
	return GH_OK;
}

static int
parse_compare(struct plan_loader *l, const cJSON *v)
{
	const cJSON *it;
	char path[JSON_PATH_MAX];
	size_t i;
	int r;

	if (v == NULL)
		return GH_OK;
	if ((r = json_array(&l->j, "$.compare_with", v, PLAN_MAX_COMPARE)) != GH_OK)
		return r;
	if ((l->p->compare_with = calloc((size_t)cJSON_GetArraySize(v),
	    sizeof(char *))) == NULL)
		return json_nomem(&l->j);
	for (it = v->child; it != NULL; it = it->next) {
		json_path(path, "$.compare_with", "[%zu]", l->p->n_compare);
		if ((r = label(l, path, it,
		    &l->p->compare_with[l->p->n_compare])) != GH_OK)
			return r;
		l->p->n_compare++;	/* owned by the plan from here */
		for (i = 0; i + 1 < l->p->n_compare; i++)
			if (strcmp(l->p->compare_with[i],
			    it->valuestring) == 0)
				return json_fail(&l->j, path, "listed twice");
	}
	return GH_OK;
}

static int
parse_map_entry(struct plan_loader *l, const char *path, const cJSON *v,
    struct plan_unit_map *m)
{
	const cJSON *k[M_N], *it;
	char sub[JSON_PATH_MAX];
	int r;

	if ((r = json_keys(&l->j, path, v, map_keys, M_N, k)) != GH_OK)
		return r;
	json_path(sub, path, ".from");
	if ((r = label(l, sub, k[M_FROM], &m->from)) != GH_OK)
		return r;
	json_path(sub, path, ".to");
	if ((r = json_array(&l->j, sub, k[M_TO], PLAN_MAX_UNIT_MAP)) != GH_OK)
		return r;
	if ((m->to = calloc((size_t)cJSON_GetArraySize(k[M_TO]),
	    sizeof(char *))) == NULL)
		return json_nomem(&l->j);
	for (it = k[M_TO]->child; it != NULL; it = it->next) {
		json_path(sub, path, ".to[%zu]", m->n_to);
		if ((r = label(l, sub, it, &m->to[m->n_to])) != GH_OK)
			return r;
		m->n_to++;
	}
	return GH_OK;
}

static int
parse_unit_map(struct plan_loader *l, const cJSON *v)
{
	const cJSON *it;
	char path[JSON_PATH_MAX];
	size_t i;
	int r;

	if (v == NULL)
		return GH_OK;
	if ((r = json_array(&l->j, "$.unit_map", v, PLAN_MAX_UNIT_MAP)) != GH_OK)
		return r;
	if (l->d->unit_source == DEF_UNIT_NONE)
		return json_fail(&l->j, "$.unit_map", "the definition has no "
		    "unit");
	if ((l->p->unit_map = calloc((size_t)cJSON_GetArraySize(v),
	    sizeof(*l->p->unit_map))) == NULL)
		return json_nomem(&l->j);
	for (it = v->child; it != NULL; it = it->next) {
		json_path(path, "$.unit_map", "[%zu]", l->p->n_unit_map);
		l->p->n_unit_map++;
		if ((r = parse_map_entry(l, path, it,
		    &l->p->unit_map[l->p->n_unit_map - 1])) != GH_OK)
			return r;
		for (i = 0; i + 1 < l->p->n_unit_map; i++)
			if (strcmp(l->p->unit_map[i].from,
			    l->p->unit_map[l->p->n_unit_map - 1].from) == 0)
				return json_fail(&l->j, path, "unit mapped "
				    "twice");
	}
	return GH_OK;
}

static int
parse_root(struct plan_loader *l, const cJSON *root)
{
	const cJSON *k[R_N];
	long c = PLAN_C_DEFAULT, format;
	int r;

	if (!cJSON_IsObject(root))
		return json_fail(&l->j, "$", "must be an object");
	if ((r = json_keys(&l->j, "$", root, root_keys, R_N, k)) != GH_OK ||
	    (r = json_int(&l->j, "$.format", k[R_FORMAT], PLAN_FORMAT,
	    PLAN_FORMAT, &format)) != GH_OK)
		return r;
	if (k[R_KIND] == NULL)
		return json_fail(&l->j, "$.kind", "missing");
	if (!cJSON_IsString(k[R_KIND]) ||
	    strcmp(k[R_KIND]->valuestring, "release_plan") != 0)
		return json_fail(&l->j, "$.kind", "must be \"release_plan\"");
	if ((r = json_id(&l->j, "$.definition", k[R_DEF],
	    &l->p->definition)) != GH_OK)
		return r;
	if (strcmp(l->p->definition, l->d->id) != 0)
		return json_fail(&l->j, "$.definition", "\"%s\" is not the "
		    "wave's definition \"%s\"", l->p->definition, l->d->id);
	if (k[R_C] != NULL && (r = json_int(&l->j, "$.c", k[R_C], PLAN_C_MIN,
	    PLAN_C_MAX, &c)) != GH_OK)
		return r;
	l->p->c = (int)c;
	if ((r = plan_load_tables(l, k[R_TABLES])) != GH_OK ||
	    (r = parse_compare(l, k[R_COMPARE])) != GH_OK)
		return r;
	if ((r = parse_unit_map(l, k[R_UNIT_MAP])) != GH_OK)
		return r;
	return plan_load_baselines(l, k[R_BASELINES]);
}

int
plan_parse(const char *json, size_t len, const char *name,
    const struct def *d, struct plan **out, char *err, size_t errsz)
{
	struct plan_loader l;
	cJSON *root = NULL;
	const char *end = NULL;
	size_t pos = 0;
	int r;

	*out = NULL;
	memset(&l, 0, sizeof(l));
	l.j.name = name;
	l.j.err = err;
	l.j.errsz = errsz;
	l.d = d;
	if (memchr(json, '\0', len) != NULL)
		return json_fail(&l.j, "$", "a NUL byte in the file");
	root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
	if (root != NULL)
		while (end < json + len && (*end == ' ' || *end == '\t' ||
		    *end == '\n' || *end == '\r'))
			end++;
	if (root == NULL || end != json + len) {
		snprintf(err, errsz, "%s: invalid JSON near byte %zu", name,
		    end != NULL && end >= json ? (size_t)(end - json) : 0);
		cJSON_Delete(root);
		return GH_ERR_INVALID;
	}
	if (survey_json_has_nul(json, len, &pos)) {
		snprintf(err, errsz, "%s: invalid JSON near byte %zu: \\u0000 "
		    "not allowed", name, pos);
		cJSON_Delete(root);
		return GH_ERR_INVALID;
	}
	if ((l.p = calloc(1, sizeof(*l.p))) == NULL) {
		cJSON_Delete(root);
		return json_nomem(&l.j);
	}
	r = parse_root(&l, root);
	cJSON_Delete(root);
	if (r != GH_OK) {
		plan_free(l.p);
		return r;
	}
	*out = l.p;
	return GH_OK;
}

int
plan_load_file(const char *path, const struct def *d, struct plan **out,
    char *err, size_t errsz)
{
	char *json = NULL;
	size_t len = 0;
	int r;

	*out = NULL;
	if ((r = json_read_file(path, DEF_MAX_FILE, &json, &len, err,
	    errsz)) != GH_OK)
		return r;
	r = plan_parse(json, len, path, d, out, err, errsz);
	free(json);
	return r;
}

void
plan_free(struct plan *p)
{
	size_t i, j;

	if (p == NULL)
		return;
	free(p->definition);
	for (i = 0; p->tables != NULL && i < p->n_tables; i++)
		free(p->tables[i].id);
	free(p->tables);
	for (i = 0; i < p->n_compare; i++)
		free(p->compare_with[i]);
	free(p->compare_with);
	for (i = 0; p->unit_map != NULL && i < p->n_unit_map; i++) {
		free(p->unit_map[i].from);
		for (j = 0; j < p->unit_map[i].n_to; j++)
			free(p->unit_map[i].to[j]);
		free(p->unit_map[i].to);
	}
	free(p->unit_map);
	for (i = 0; p->baselines != NULL && i < p->n_baselines; i++) {
		free(p->baselines[i].id);
		free(p->baselines[i].bind);
	}
	free(p->baselines);
	free(p);
}

const char *
plan_var_id(const struct def *d, const struct plan_table *t)
{
	switch (t->var) {
	case PLAN_SCALE:
		return d->scales[t->index].id;
	case PLAN_INDICATOR:
		return d->indicators[t->index].id;
	default:
		return d->questions[t->index].id;
	}
}

char *const *
plan_unit_map_find(const struct plan *p, const char *old, size_t *n_to)
{
	size_t i;

	for (i = 0; i < p->n_unit_map; i++)
		if (strcmp(p->unit_map[i].from, old) == 0) {
			*n_to = p->unit_map[i].n_to;
			return p->unit_map[i].to;
		}
	*n_to = 0;
	return NULL;
}

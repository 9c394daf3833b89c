/*
 * compare.c: comparisons of a release with earlier waves of the same
 * instrument and with the baselines of its indicators (release.h).
 *
 * Entry points: release_compare_load reads, for every wave named in the plan's
 * compare_with, the tables.json of its latest stored release (same
 * definition id only), and for "baseline" the baseline file of every
 * indicator that names one (survey-defs/baseline/ID.json, found next to
 * the plan's folder); release_compare_row adds to a published row the
 * difference in percentage points with Newcombe's hybrid score interval,
 * for every source whose matching row is published too. Units are matched
 * by label; a unit_map entry that maps one old label to exactly one new
 * one renames it; a split or merged unit is not compared.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "release/release.h"
#include "release/stats.h"
#include "store/store_release.h"

struct find {
	const char	*name;
	int64_t		 id;
	int64_t		 release;
};

static int
find_wave(void *arg, const struct store_wave *w)
{
	struct find *f = arg;

	if (strcmp(w->name, f->name) == 0)
		f->id = w->id;
	return 0;
}

static int
last_release(void *arg, const struct release_row *r)
{
	((struct find *)arg)->release = r->id;
	return 0;
}

static int64_t
num(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : -1;
}

static const char *
str(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Reads the published rows of tables.json text into src. */
static int
src_parse(struct release_src *src, const struct def *d, const char *text,
    size_t len)
{
	cJSON *root, *rows, *it;
	char key[1024];
	const char *def;
	size_t n;
	int rc = GH_ERR_INVALID;

	if ((root = cJSON_ParseWithLength(text, len)) == NULL)
		return GH_ERR_INVALID;
	rows = cJSON_GetObjectItemCaseSensitive(root, "rows");
	def = str(root, "definition");
	if (!cJSON_IsArray(rows) || def == NULL || strcmp(def, d->id) != 0)
		goto out;
	n = (size_t)cJSON_GetArraySize(rows);
	rc = GH_ERR_NOMEM;
	if ((src->rows = strmap_new()) == NULL ||
	    (src->count = calloc(n + 1, sizeof(int64_t))) == NULL ||
	    (src->group_n = calloc(n + 1, sizeof(int64_t))) == NULL)
		goto out;
	cJSON_ArrayForEach(it, rows) {
		if (str(it, "table") == NULL || str(it, "category") == NULL)
			continue;
		release_row_key(str(it, "table"), str(it, "category"),
		    str(it, "by1_value"), str(it, "by2_value"), key,
		    sizeof(key));
		src->count[src->n] = num(it, "count");
		/* The percent's base; releases made before bases were
		 * explicit divided by the group. */
		src->group_n[src->n] = cJSON_GetObjectItemCaseSensitive(it,
		    "base_n") != NULL ? num(it, "base_n") : num(it, "group_n");
		if (strmap_put(src->rows, key, src->n) != GH_OK)
			goto out;
		src->n++;
	}
	rc = GH_OK;
out:
	cJSON_Delete(root);
	return rc;
}

static int
load_wave(struct release *rl, const char *name)
{
	struct find f = { name, 0, 0 };
	struct release_src *src;
	uint8_t *data = NULL;
	size_t len = 0;
	int rc;

	if ((rc = store_wave_foreach(rl->s, find_wave, &f)) != GH_OK)
		return rc;
	if (f.id == 0 || f.id == rl->w->id ||
	    store_release_foreach(rl->s, f.id, last_release, &f) != GH_OK ||
	    f.release == 0 || store_release_file(rl->s, f.release,
	    "tables.json", &data, &len) != GH_OK) {
		fprintf(stderr, "gehoord release: compare_with: no earlier "
		    "release of a wave \"%s\" in this database; not compared\n",
		    name);
		return GH_OK;
	}
	src = &rl->srcs[rl->n_srcs];
	memset(src, 0, sizeof(*src));
	src->release = f.release;
	if ((src->wave = strdup(name)) == NULL)
		rc = GH_ERR_NOMEM;
	else
		rc = src_parse(src, rl->d, (const char *)data, len);
	free(data);
	rl->n_srcs++;
	if (rc == GH_ERR_INVALID)
		fprintf(stderr, "gehoord release: compare_with: the release of "
		    "\"%s\" is of another definition or unreadable; not "
		    "compared\n", name);
	return rc == GH_ERR_INVALID ? GH_OK : rc;
}

static int
load_baselines(struct release *rl)
{
	char path[4096], err[512];
	size_t i;

	if ((rl->baselines = calloc(rl->d->n_indicators + 1,
	    sizeof(struct baseline *))) == NULL)
		return GH_ERR_NOMEM;
	for (i = 0; i < rl->d->n_indicators; i++) {
		const char *id, *bind;

		plan_baseline_link(rl->plan, rl->d, i, &id, &bind);
		if (id == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/../baseline/%s.json",
		    rl->plan_dir, id);
		if (baseline_load_file(path, &rl->baselines[i], err,
		    sizeof(err)) != GH_OK)
			fprintf(stderr, "gehoord release: compare_with: "
			    "baseline: %s; not compared\n", err);
	}
	return GH_OK;
}

int
release_compare_load(struct release *rl)
{
	size_t i;
	int rc;

	if ((rl->srcs = calloc(rl->plan->n_compare + 1,
	    sizeof(*rl->srcs))) == NULL)
		return GH_ERR_NOMEM;
	for (i = 0; i < rl->plan->n_compare; i++) {
		if (strcmp(rl->plan->compare_with[i], PLAN_BASELINE) == 0)
			rc = load_baselines(rl);
		else
			rc = load_wave(rl, rl->plan->compare_with[i]);
		if (rc != GH_OK)
			return rc;
	}
	return GH_OK;
}

void
release_compare_free(struct release *rl)
{
	size_t i;

	cJSON_Delete(rl->references);
	rl->references = NULL;
	for (i = 0; rl->srcs != NULL && i < rl->n_srcs; i++) {
		free(rl->srcs[i].wave);
		strmap_free(rl->srcs[i].rows);
		free(rl->srcs[i].count);
		free(rl->srcs[i].group_n);
	}
	free(rl->srcs);
	for (i = 0; rl->baselines != NULL && i < rl->d->n_indicators; i++)
		baseline_free(rl->baselines[i]);
	free(rl->baselines);
}

/* The earlier wave's label of unit value v, or NULL if not comparable. */
static const char *
old_unit(const struct plan *p, const char *v)
{
	const char *old = v;
	size_t i, j, n_hits = 0;

	for (i = 0; i < p->n_unit_map; i++)
		for (j = 0; j < p->unit_map[i].n_to; j++)
			if (strcmp(p->unit_map[i].to[j], v) == 0) {
				if (p->unit_map[i].n_to != 1)
					return NULL;	/* split */
				old = p->unit_map[i].from;
				n_hits++;
			}
	if (n_hits > 1)
		return NULL;			/* merged */
	if (n_hits == 0 && plan_unit_map_find(p, v, &j) != NULL)
		return NULL;	/* the old label means something else now */
	return old;
}

static int
add_cmp(cJSON *arr, const char *with, const struct release_table_row *r,
    int64_t x2,
    int64_t n2, double pct2)
{
	double d, lo, hi;
	int sig;
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return GH_ERR_NOMEM;
	cJSON_AddItemToArray(arr, o);
	if (cJSON_AddStringToObject(o, "with", with) == NULL ||
	    cJSON_AddNumberToObject(o, "percent", round(pct2 * 1e4) / 1e4) ==
	    NULL)
		return GH_ERR_NOMEM;
	if (n2 <= 0) {
		/* Without the other side's n there is no interval to give. */
		d = r->pct - pct2;
		return cJSON_AddNumberToObject(o, "difference",
		    round(d * 1e4) / 1e4) == NULL || cJSON_AddNullToObject(o,
		    "ci_low") == NULL || cJSON_AddNullToObject(o, "ci_high") ==
		    NULL || cJSON_AddNullToObject(o, "significant") == NULL ||
		    cJSON_AddStringToObject(o, "note", "no interval: the "
		    "baseline publishes no number of respondents") == NULL ?
		    GH_ERR_NOMEM : GH_OK;
	}
	stats_diff(r->count, r->base_n, x2, n2, &d, &lo, &hi, &sig);
	if (cJSON_AddNumberToObject(o, "n", (double)n2) == NULL ||
	    cJSON_AddNumberToObject(o, "difference", round(d * 1e6) / 1e4) ==
	    NULL || cJSON_AddNumberToObject(o, "ci_low",
	    round(lo * 1e6) / 1e4) == NULL || cJSON_AddNumberToObject(o,
	    "ci_high", round(hi * 1e6) / 1e4) == NULL ||
	    cJSON_AddBoolToObject(o, "significant", sig) == NULL)
		return GH_ERR_NOMEM;
	return GH_OK;
}

static int
baseline_cmp(const struct release *rl, const struct release_table_row *r,
    cJSON *arr)
{
	const struct baseline_indicator *bi;
	const struct baseline *b;
	const char *id, *bind;
	int64_t n2;

	if (r->t->pt->var != PLAN_INDICATOR || rl->baselines == NULL ||
	    strcmp(r->category, "yes") != 0 || (r->by_value[0] != NULL &&
	    strcmp(r->by_value[0], TABLES_TOTAL) != 0) ||
	    (r->by_value[1] != NULL &&
	    strcmp(r->by_value[1], TABLES_TOTAL) != 0))
		return GH_OK;
	plan_baseline_link(rl->plan, rl->d, r->t->pt->index, &id, &bind);
	if ((b = rl->baselines[r->t->pt->index]) == NULL || bind == NULL ||
	    (bi = baseline_indicator(b, bind)) == NULL)
		return GH_OK;
	n2 = bi->n > 0 ? bi->n : b->n > 0 ? b->n : -1;
	return add_cmp(arr, b->id, r, n2 > 0 ? (int64_t)llround(bi->percent *
	    (double)n2 / 100) : 0, n2, bi->percent);
}

int
release_compare_row(const struct release *rl, const struct release_table_row *r,
    void *arg)
{
	cJSON *arr = arg;
	const char *v[PLAN_MAX_BY] = { NULL, NULL };
	char key[1024];
	size_t i, k;
	int rc;

	for (i = 0; i < PLAN_MAX_BY; i++) {
		v[i] = r->by_value[i];
		if (v[i] != NULL && r->by[i] != NULL &&
		    strcmp(r->by[i], "unit") == 0 &&
		    (v[i] = old_unit(rl->plan, v[i])) == NULL)
			return baseline_cmp(rl, r, arr);
	}
	release_row_key(r->table, r->category, v[0], v[1], key, sizeof(key));
	for (i = 0; i < rl->n_srcs; i++) {
		const struct release_src *s = &rl->srcs[i];

		if (s->rows == NULL || !strmap_get(s->rows, key, &k) ||
		    s->count[k] < 0 || s->group_n[k] <= 0)
			continue;
		if ((rc = add_cmp(arr, s->wave, r, s->count[k], s->group_n[k],
		    100.0 * (double)s->count[k] / (double)s->group_n[k])) !=
		    GH_OK)
			return rc;
	}
	return baseline_cmp(rl, r, arr);
}

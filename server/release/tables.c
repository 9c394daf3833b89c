/*
 * tables.c: the counters of a release (tables.h).
 *
 * Entry points: tables_new sizes a counter block per table from the plan,
 * the definition and the wave's batch labels; tables_add_answer adds one
 * opened answer to every table at its leaf (called by the tally's
 * workers, under the lock); tables_count and tables_scale sum leaves into the
 * shown values afterwards. Nothing of an answer is kept but the counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "release/tables.h"
#include "util/log.h"

/* Returns a new "q:QID=NAME". */
static char *
q_atom(const char *qid, const char *name)
{
	size_t n = strlen(qid) + strlen(name) + 4;
	char *s = malloc(n);

	if (s != NULL)
		snprintf(s, n, "q:%s=%s", qid, name);
	return s;
}

/* A question breakdown: its options (prefer-not too), then NOT_STATED. */
static int
qdim_build(const struct def *d, size_t qi, struct table_dim *dim)
{
	const struct def_question *q = &d->questions[qi];
	size_t j, n = q->n_options + 1;

	dim->question = qi;
	dim->n_leaves = n;
	if ((dim->vals = calloc(n, sizeof(*dim->vals))) == NULL ||
	    (dim->sums = calloc(1, sizeof(*dim->sums))) == NULL ||
	    (dim->sums[0].parts = calloc(n, sizeof(size_t))) == NULL)
		return GH_ERR_NOMEM;
	dim->n_sums = 1;
	dim->sums[0].total = TABLES_ALL;
	for (j = 0; j < n; j++) {
		struct table_val *v = &dim->vals[j];
		const char *name = j + 1 < n ? q->options[j].id :
		    TABLES_NOT_STATED;

		dim->n_vals++;
		if ((v->name = strdup(name)) == NULL ||
		    (v->atom = q_atom(q->id, name)) == NULL ||
		    (v->leaves = malloc(sizeof(size_t))) == NULL)
			return GH_ERR_NOMEM;
		v->leaves[0] = j;
		v->n_leaves = 1;
		dim->sums[0].parts[j] = j;
	}
	dim->sums[0].n_parts = n;
	return GH_OK;
}

void
tables_dim_clear(struct table_dim *dim)
{
	size_t i;

	for (i = 0; dim->vals != NULL && i < dim->n_vals; i++) {
		free(dim->vals[i].name);
		free(dim->vals[i].atom);
		free(dim->vals[i].leaves);
	}
	free(dim->vals);
	for (i = 0; dim->sums != NULL && i < dim->n_sums; i++)
		free(dim->sums[i].parts);
	free(dim->sums);
	dim->vals = NULL;
	dim->sums = NULL;
	dim->n_vals = dim->n_sums = 0;
}

/*
 * The categories of t: a question's options (prefer-not among them, its
 * own category), or an indicator's yes and no; then NOT_STATED (not
 * shown, or skipped; for an indicator also outside its base). None for a
 * scale.
 */
static int
cats_build(const struct def *d, struct table *t)
{
	const struct plan_table *pt = t->pt;
	const struct def_question *q = NULL;
	size_t j;

	if (pt->var == PLAN_SCALE)
		return GH_OK;
	if (pt->var == PLAN_INDICATOR) {
		q = &d->questions[d->indicators[pt->index].question];
		t->n_cats = 3;
	} else {
		q = &d->questions[pt->index];
		t->n_cats = q->n_options + 1;
		t->is_multi = q->type == DEF_MULTI;
	}
	t->is_sensitive = q->is_sensitive;
	if ((t->cat_names = calloc(t->n_cats, sizeof(char *))) == NULL ||
	    (t->cat_kind = calloc(t->n_cats, sizeof(*t->cat_kind))) == NULL)
		return GH_ERR_NOMEM;
	for (j = 0; j < t->n_cats; j++) {
		const char *name = j + 1 == t->n_cats ? TABLES_NOT_STATED :
		    pt->var == PLAN_INDICATOR ? (j == 0 ? "yes" : "no") :
		    q->options[j].id;

		t->cat_kind[j] = j + 1 == t->n_cats ? TABLE_CAT_NOT_STATED :
		    pt->var == PLAN_INDICATOR ||
		    def_option_is_substantive(&q->options[j]) ?
		    TABLE_CAT_SUBSTANTIVE : TABLE_CAT_OTHER;
		if ((t->cat_names[j] = strdup(name)) == NULL)
			return GH_ERR_NOMEM;
	}
	return GH_OK;
}

static size_t
leaves(const struct table *t, size_t i)
{
	return i < t->n_dims ? t->dim[i]->n_leaves : 1;
}

static int
table_build(struct tables *r, size_t ti)
{
	struct table *t = &r->tables[ti];
	const struct plan_table *pt = &r->plan->tables[ti];
	size_t i, n;
	int rc;

	t->pt = pt;
	if ((rc = cats_build(r->d, t)) != GH_OK)
		return rc;
	for (i = 0; i < pt->n_by; i++) {
		if (pt->by[i].is_unit) {
			t->dim[i] = &r->unit_dim;
		} else {
			t->dim[i] = &r->qdims[pt->by[i].question];
			if (t->dim[i]->vals == NULL && (rc = qdim_build(r->d,
			    pt->by[i].question, t->dim[i])) != GH_OK)
				return rc;
		}
		t->n_dims++;
	}
	n = leaves(t, 0) * leaves(t, 1);
	if ((t->gn = calloc(n, sizeof(*t->gn))) == NULL)
		return GH_ERR_NOMEM;
	if (pt->var == PLAN_SCALE)
		t->scale = calloc(n * 3, sizeof(*t->scale));
	else
		t->counts = calloc(n * t->n_cats, sizeof(*t->counts));
	if (t->scale == NULL && t->counts == NULL)
		return GH_ERR_NOMEM;
	return GH_OK;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
tables_new(const struct def *d, const struct plan *p, int k,
    const char *const *units, size_t n_units, struct tables **out)
{
	struct tables *r;
	size_t i;
	int rc = GH_ERR_NOMEM;

	*out = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return GH_ERR_NOMEM;
	pthread_mutex_init(&r->lock, NULL);
	r->d = d;
	r->plan = p;
	r->k = k;
	r->c = p->c;
	r->unit_dim.is_unit = 1;
	r->unit_dim.n_leaves = n_units + 1;
	if ((r->units = calloc(n_units + 1, sizeof(char *))) == NULL ||
	    (r->unit_n = calloc(n_units + 1, sizeof(int64_t))) == NULL ||
	    (r->qdims = calloc(d->n_questions, sizeof(*r->qdims))) == NULL ||
	    (r->tables = calloc(p->n_tables, sizeof(*r->tables))) == NULL)
		goto fail;
	for (i = 0; i < n_units; i++)
		if ((r->units[r->n_units++] = strdup(units[i])) == NULL)
			goto fail;
	qsort(r->units, r->n_units, sizeof(char *), cmp_str);
	for (i = 0; i < p->n_tables; i++) {
		r->n_tables++;
		if ((rc = table_build(r, i)) != GH_OK)
			goto fail;
	}
	*out = r;
	return GH_OK;
fail:
	tables_free(r);
	return rc;
}

void
tables_free(struct tables *r)
{
	size_t i, j;

	if (r == NULL)
		return;
	for (i = 0; r->tables != NULL && i < r->n_tables; i++) {
		struct table *t = &r->tables[i];

		for (j = 0; t->cat_names != NULL && j < t->n_cats; j++)
			free(t->cat_names[j]);
		free(t->cat_names);
		free(t->cat_kind);
		free(t->counts);
		free(t->gn);
		free(t->scale);
		free(t->cell);
	}
	free(r->tables);
	for (i = 0; r->qdims != NULL && i < r->d->n_questions; i++)
		tables_dim_clear(&r->qdims[i]);
	free(r->qdims);
	tables_dim_clear(&r->unit_dim);
	for (i = 0; i < r->n_units; i++)
		free(r->units[i]);
	free(r->units);
	free(r->unit_n);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

/* The option index of a single answer (prefer-not is the last option),
 * or NOT_STATED's (n_options). */
static size_t
single_leaf(const struct def *d, size_t qi, const struct def_answer *a)
{
	const struct def_question *q = &d->questions[qi];

	if (a[qi].is_answered && a[qi].is_prefer_not && q->has_prefer_not)
		return q->n_options - 1;
	if (!a[qi].is_answered || a[qi].chosen == 0)
		return q->n_options;
	return (size_t)__builtin_ctzll(a[qi].chosen);
}

static size_t
dim_leaf(const struct tables *r, const struct table_dim *dim,
    const struct def_answer *a, size_t unit_leaf)
{
	if (dim->is_unit)
		return unit_leaf;
	return single_leaf(r->d, dim->question, a);
}

static void
count_table(struct tables *r, struct table *t, const struct def_answer *a,
    size_t unit_leaf)
{
	const struct def *d = r->d;
	size_t l0 = 0, l1 = 0, g, j, ns = t->n_cats - 1;
	int64_t *c;
	double mean;
	int v;

	if (t->n_dims > 0)
		l0 = dim_leaf(r, t->dim[0], a, unit_leaf);
	if (t->n_dims > 1)
		l1 = dim_leaf(r, t->dim[1], a, unit_leaf);
	g = l0 * leaves(t, 1) + l1;
	t->gn[g]++;
	switch (t->pt->var) {
	case PLAN_SCALE:
		if (def_scale_score(d, &d->scales[t->pt->index], a, &mean)) {
			t->scale[g * 3] += 1;
			t->scale[g * 3 + 1] += mean;
			t->scale[g * 3 + 2] += mean * mean;
		}
		return;
	case PLAN_INDICATOR:
		v = def_indicator_value(d, &d->indicators[t->pt->index], a);
		t->counts[g * t->n_cats + (v == 1 ? 0 : v == 0 ? 1 : 2)]++;
		return;
	default:
		break;
	}
	c = t->counts + g * t->n_cats;
	v = (int)t->pt->index;
	/* Prefer-not is an option of its own (the last), chosen alone. */
	if (!t->is_multi || a[v].is_prefer_not) {
		c[single_leaf(d, t->pt->index, a)]++;
		return;
	}
	if (!a[v].is_answered || a[v].chosen == 0) {
		c[ns]++;	/* not shown, or skipped */
		return;
	}
	for (j = 0; j < ns; j++)
		if (a[v].chosen & ((uint64_t)1 << j))
			c[j]++;
}

int
tables_add_answer(struct tables *r, const struct def_answer *a,
    const char *unit)
{
	size_t leaf = r->n_units, i;
	char **hit;

	if (unit != NULL && unit[0] != '\0') {
		hit = bsearch(&unit, r->units, r->n_units, sizeof(char *),
		    cmp_str);
		if (hit == NULL) {
			log_error("an answer names a unit that no token batch "
			    "of the wave has: the database was altered");
			return GH_ERR_INVALID;
		}
		leaf = (size_t)(hit - r->units);
	}
	pthread_mutex_lock(&r->lock);
	r->n_answers++;
	r->unit_n[leaf]++;
	for (i = 0; i < r->n_tables; i++)
		count_table(r, &r->tables[i], a, leaf);
	pthread_mutex_unlock(&r->lock);
	return GH_OK;
}

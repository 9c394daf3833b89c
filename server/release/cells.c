/*
 * cells.c: the cells and relations of a release, with the primary rules,
 * as one disclosure-control problem (tables.h, sdc.h).
 *
 * Entry point: cellset_build. For every table, every group (a shown
 * value of each breakdown or TOTAL) gives a group-total cell and a cell
 * per category; a cell's key is the sorted set of the conditions it
 * counts, so a figure that two tables share is one cell. Relations: a
 * single-choice question's or an indicator's categories (NOT_STATED
 * included) add up to the group total; a multi-choice category is at
 * most the group total; along each breakdown the values add up to their
 * total (TOTAL, or a unit node). Primary rules, per group: (a) a group of
 * 1 to k-1 respondents: all its cells; (b) a count of 1 to c-1; (c) for a
 * sensitive question, a category whose group has 1 to c-1 others. A cell
 * keeps the first rule any table gives it. Relations are added once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "release/tables.h"

#define KEY_MAX	(4 * (DEF_MAX_UNIT + 3 * DEF_MAX_ID + 40))

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Writes the key of (v0, v1, cat) of t into out. */
static void
cell_key(const struct tables *r, const struct table *t, size_t v0,
    size_t v1, size_t cat, char *out, size_t outsz)
{
	const char *atoms[3];
	char catatom[3 * DEF_MAX_ID + 16];
	size_t n = 0, i, len = 0;
	const char *pre;

	if (v0 != TABLES_ALL)
		atoms[n++] = t->dim[0]->vals[v0].atom;
	if (v1 != TABLES_ALL)
		atoms[n++] = t->dim[1]->vals[v1].atom;
	if (cat != SIZE_MAX) {
		pre = t->pt->var == PLAN_INDICATOR ? "i" : t->is_multi ? "m" :
		    "q";
		snprintf(catatom, sizeof(catatom), "%s:%s=%s", pre,
		    plan_var_id(r->d, t->pt), t->cat_names[cat]);
		atoms[n++] = catatom;
	}
	qsort(atoms, n, sizeof(*atoms), cmp_str);
	out[0] = '\0';
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, len < outsz ? outsz - len :
		    0, "%s%s", i > 0 ? "&" : "", atoms[i]);
}

static void
rule(struct cell *c, enum cell_rule ru)
{
	if (c->rule == CELL_RULE_NONE)
		c->rule = ru;
}

static int
cell_get(struct cellset *cs, const char *key, int64_t value, size_t ti,
    size_t v0, size_t v1, size_t cat, size_t *out)
{
	struct cell *c;

	if (strmap_get(cs->keys, key, out))
		return cs->cells != NULL && *out < cs->n ? GH_OK :
		    GH_ERR_INVALID;
	if (cs->n == cs->cap) {
		size_t cap = cs->cap ? 2 * cs->cap : 1024;

		if ((c = realloc(cs->cells, cap * sizeof(*c))) == NULL)
			return GH_ERR_NOMEM;
		cs->cells = c;
		cs->cap = cap;
	}
	c = &cs->cells[cs->n];
	memset(c, 0, sizeof(*c));
	if ((c->key = strdup(key)) == NULL)
		return GH_ERR_NOMEM;
	c->value = value;
	c->table = ti;
	c->v0 = v0;
	c->v1 = v1;
	c->cat = cat;
	*out = cs->n++;
	return strmap_put(cs->keys, key, *out);
}

int
cellset_add(struct cellset *cs, const char *key, int64_t value,
    enum cell_rule ru, size_t *idx)
{
	int rc;

	if ((rc = cell_get(cs, key, value, SIZE_MAX, TABLES_ALL, TABLES_ALL,
	    SIZE_MAX, idx)) != GH_OK)
		return rc;
	rule(&cs->cells[*idx], ru);
	return GH_OK;
}

static int
cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* Adds a relation unless the same was added before. */
static int
add_relation(struct cellset *cs, size_t total, const size_t *parts, size_t n,
    int is_le)
{
	struct cell_relation *rr;
	char key[64], *sig = NULL;
	size_t i, len, dummy, *p = NULL;
	int rc = GH_ERR_NOMEM;

	/* No parts (a unit value no batch names): nothing to relate. */
	if (n == 0)
		return GH_OK;
	if ((p = malloc((n + 1) * sizeof(size_t))) == NULL ||
	    (sig = malloc(24 * (n + 2))) == NULL)
		goto out;
	memcpy(p, parts, n * sizeof(size_t));
	qsort(p, n, sizeof(size_t), cmp_size);
	len = (size_t)sprintf(sig, "%c%zu:", is_le ? 'l' : 's', total);
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "%zu,", p[i]);
		memcpy(sig + len, key, strlen(key) + 1);
		len += strlen(key);
	}
	if (strmap_get(cs->seen, sig, &dummy)) {
		rc = GH_OK;
		goto out;
	}
	if ((rc = strmap_put(cs->seen, sig, 0)) != GH_OK)
		goto out;
	if (cs->n_rels == cs->rels_cap) {
		size_t cap = cs->rels_cap ? 2 * cs->rels_cap : 1024;

		rc = GH_ERR_NOMEM;
		if ((rr = realloc(cs->rels, cap * sizeof(*rr))) == NULL)
			goto out;
		cs->rels = rr;
		cs->rels_cap = cap;
	}
	rr = &cs->rels[cs->n_rels++];
	rr->total = total;
	rr->parts = p;
	rr->n_parts = n;
	rr->is_le = is_le;
	p = NULL;
	rc = GH_OK;
out:
	free(p);
	free(sig);
	return rc;
}

static size_t *
cell_slot(const struct table *t, size_t v0, size_t v1, size_t cat)
{
	size_t n1 = tables_n_vals(t, 1), nc = t->n_cats + 1;

	return &t->cell[((v0 + 1) * n1 + (v1 + 1)) * nc + (cat + 1)];
}

static int
is_rolled(const struct table *t, size_t i, size_t v)
{
	return v != TABLES_ALL && i < t->n_dims && t->dim[i]->vals[v].is_rolled;
}

/* The group (v0, v1) of table ti: its cells, rules and own relations. */
static int
group(struct tables *r, struct cellset *cs, size_t ti, size_t v0, size_t v1)
{
	struct table *t = &r->tables[ti];
	char key[KEY_MAX];
	size_t cat, g, *parts = NULL;
	int64_t gn, x;
	int rc;

	cell_key(r, t, v0, v1, SIZE_MAX, key, sizeof(key));
	gn = tables_count(r, t, v0, v1, SIZE_MAX);
	if ((rc = cell_get(cs, key, gn, ti, v0, v1, SIZE_MAX, &g)) != GH_OK)
		return rc;
	*cell_slot(t, v0, v1, SIZE_MAX) = g;
	if (gn > 0 && gn < r->k)
		rule(&cs->cells[g], CELL_RULE_K);
	else if (gn > 0 && gn < r->c)
		rule(&cs->cells[g], CELL_RULE_C);
	if (t->n_cats == 0)
		return GH_OK;
	if ((parts = calloc(t->n_cats, sizeof(size_t))) == NULL)
		return GH_ERR_NOMEM;
	for (cat = 0; cat < t->n_cats; cat++) {
		cell_key(r, t, v0, v1, cat, key, sizeof(key));
		x = tables_count(r, t, v0, v1, cat);
		if ((rc = cell_get(cs, key, x, ti, v0, v1, cat,
		    &parts[cat])) != GH_OK)
			goto out;
		*cell_slot(t, v0, v1, cat) = parts[cat];
		if (gn > 0 && gn < r->k)
			rule(&cs->cells[parts[cat]], CELL_RULE_K);
		else if (x > 0 && x < r->c)
			rule(&cs->cells[parts[cat]], CELL_RULE_C);
		else if (t->is_sensitive && gn - x > 0 && gn - x < r->c)
			rule(&cs->cells[parts[cat]], CELL_RULE_DOMINANCE);
		if (t->is_multi &&
		    (rc = add_relation(cs, g, &parts[cat], 1, 1)) != GH_OK)
			goto out;
	}
	rc = t->is_multi ? GH_OK : add_relation(cs, g, parts, t->n_cats, 0);
out:
	free(parts);
	return rc;
}

/* Sum s of dim i of t at value o of the other dim, for the group total
 * and every category; parts has room for the sum's parts. */
static int
one_sum(struct cellset *cs, const struct table *t, size_t i,
    const struct table_sum *sum, size_t o, size_t *parts)
{
	size_t cat, p, v[2];
	int rc = GH_OK;

	for (cat = SIZE_MAX; rc == GH_OK && (cat == SIZE_MAX ||
	    cat < t->n_cats); cat++) {
		for (p = 0; p < sum->n_parts; p++) {
			v[i] = sum->parts[p];
			v[1 - i] = o;
			parts[p] = *cell_slot(t, v[0], v[1], cat);
		}
		v[i] = sum->total;
		v[1 - i] = o;
		rc = add_relation(cs, *cell_slot(t, v[0], v[1], cat), parts,
		    sum->n_parts, 0);
	}
	return rc;
}

/* The sums of dim i of t, for every value of the other dim and cat. */
static int
dim_sums(struct cellset *cs, const struct table *t, size_t i)
{
	const struct table_dim *dim = t->dim[i];
	size_t s, j, o, n_other = tables_n_vals(t, 1 - i), *parts;
	int rc = GH_OK;

	for (s = 0; s < dim->n_sums && rc == GH_OK; s++) {
		if ((parts = calloc(dim->sums[s].n_parts + 1,
		    sizeof(size_t))) == NULL)
			return GH_ERR_NOMEM;
		for (j = 0; j < n_other && rc == GH_OK; j++) {
			o = j == 0 ? TABLES_ALL : j - 1;
			if (!is_rolled(t, 1 - i, o))
				rc = one_sum(cs, t, i, &dim->sums[s], o, parts);
		}
		free(parts);
	}
	return rc;
}

static int
table_cells(struct tables *r, struct cellset *cs, size_t ti)
{
	struct table *t = &r->tables[ti];
	size_t n0 = tables_n_vals(t, 0), n1 = tables_n_vals(t, 1), j0, j1, i;
	size_t v0, v1;
	int rc;

	if ((t->cell = malloc(n0 * n1 * (t->n_cats + 1) *
	    sizeof(size_t))) == NULL)
		return GH_ERR_NOMEM;
	memset(t->cell, 0xff, n0 * n1 * (t->n_cats + 1) * sizeof(size_t));
	for (j0 = 0; j0 < n0; j0++)
		for (j1 = 0; j1 < n1; j1++) {
			v0 = j0 == 0 ? TABLES_ALL : j0 - 1;
			v1 = j1 == 0 ? TABLES_ALL : j1 - 1;
			if (is_rolled(t, 0, v0) || is_rolled(t, 1, v1))
				continue;
			if ((rc = group(r, cs, ti, v0, v1)) != GH_OK)
				return rc;
		}
	for (i = 0; i < t->n_dims; i++)
		if ((rc = dim_sums(cs, t, i)) != GH_OK)
			return rc;
	return GH_OK;
}

int
cellset_relate(struct cellset *cs, size_t total, const size_t *parts,
    size_t n, int is_le)
{
	return add_relation(cs, total, parts, n, is_le);
}

int
cellset_build(struct tables *r, struct cellset **out)
{
	struct cellset *cs;
	size_t ti;
	int rc = GH_ERR_NOMEM;

	*out = NULL;
	if ((cs = calloc(1, sizeof(*cs))) == NULL)
		return GH_ERR_NOMEM;
	if ((cs->keys = strmap_new()) == NULL ||
	    (cs->seen = strmap_new()) == NULL)
		goto fail;
	for (ti = 0; ti < r->n_tables; ti++)
		if ((rc = table_cells(r, cs, ti)) != GH_OK)
			goto fail;
	*out = cs;
	return GH_OK;
fail:
	cellset_free(cs);
	return rc;
}

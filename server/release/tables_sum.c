/*
 * tables_sum.c: the figures of shown values, summed from a table's leaf
 * counters (tables.h): tables_count (respondents or a category) and
 * tables_scale (n, sum and sum of squares of a scale) for a pair of values
 * of the table's breakdowns, TOTAL being every leaf.
 */
#include <stdlib.h>
#include <string.h>

#include "release/tables.h"

static size_t
leaves(const struct table *t, size_t i)
{
	return i < t->n_dims ? t->dim[i]->n_leaves : 1;
}

size_t
tables_n_vals(const struct table *t, size_t i)
{
	return i < t->n_dims ? 1 + t->dim[i]->n_vals : 1;
}

/* Calls the leaves of value v of dim i of t into out; returns how many. */
static size_t
val_leaves(const struct table *t, size_t i, size_t v, const size_t **out,
    size_t *all)
{
	size_t n = leaves(t, i), j;

	if (i >= t->n_dims || v == TABLES_ALL) {
		for (j = 0; j < n; j++)
			all[j] = j;
		*out = all;
		return n;
	}
	*out = t->dim[i]->vals[v].leaves;
	return t->dim[i]->vals[v].n_leaves;
}

static void
sum_leaves(const struct table *t, size_t v0, size_t v1,
    void (*fn)(const struct table *, size_t, void *), void *arg)
{
	size_t *all0, *all1, n0, n1, a, b, L1 = leaves(t, 1);
	const size_t *l0, *l1;

	all0 = malloc(leaves(t, 0) * sizeof(size_t));
	all1 = malloc(L1 * sizeof(size_t));
	if (all0 != NULL && all1 != NULL) {
		n0 = val_leaves(t, 0, v0, &l0, all0);
		n1 = val_leaves(t, 1, v1, &l1, all1);
		for (a = 0; a < n0; a++)
			for (b = 0; b < n1; b++)
				fn(t, l0[a] * L1 + l1[b], arg);
	}
	free(all0);
	free(all1);
}

struct sum_arg {
	size_t	 cat;
	int64_t	 n;
	double	 s[3];
};

static void
add_count(const struct table *t, size_t g, void *arg)
{
	struct sum_arg *s = arg;

	s->n += s->cat == SIZE_MAX ? t->gn[g] : t->counts[g * t->n_cats +
	    s->cat];
}

static void
add_scale(const struct table *t, size_t g, void *arg)
{
	struct sum_arg *s = arg;

	s->s[0] += t->scale[g * 3];
	s->s[1] += t->scale[g * 3 + 1];
	s->s[2] += t->scale[g * 3 + 2];
}

int64_t
tables_count(const struct tables *r, const struct table *t, size_t v0,
    size_t v1, size_t cat)
{
	struct sum_arg s = { cat, 0, { 0, 0, 0 } };

	(void)r;
	sum_leaves(t, v0, v1, add_count, &s);
	return s.n;
}

void
tables_scale(const struct tables *r, const struct table *t, size_t v0,
    size_t v1, double out[3])
{
	struct sum_arg s = { 0, 0, { 0, 0, 0 } };

	(void)r;
	sum_leaves(t, v0, v1, add_scale, &s);
	memcpy(out, s.s, sizeof(s.s));
}

/*
 * rows.c: the rows of a release's tables (release.h), in the order of
 * tables.csv: per table, per group (breakdown values, TOTAL first), the
 * categories and then the group's TOTAL; a scale has one row "mean"
 * (count: respondents with a score; percent: the mean; interval: the t
 * interval). Rolled-up units get one row each, without figures.
 *
 * A percent has an explicit base (struct release_table_row): a substantive
 * answer's share is of those shown the question who answered substantively
 * (an indicator's yes and no: of those in its base); prefer-not's and
 * other non-substantive answers' share is of all who answered; NOT_STATED
 * (not shown, skipped, outside an indicator's base) and TOTAL have none.
 * With C the group's categories (kind from tables.c), T its total, Z its
 * NOT_STATED and O its non-substantive answers (each answer in at most
 * one of them: they are exclusive in a multi question):
 *   substantive base = T - Z - sum(O)   (single choice: also sum(C subst.))
 *   answered base    = T - Z
 * A figure is shown only if its cell is published, and a percent only if
 * its base follows from published cells alone (else count / percent
 * would give a hidden cell away).
 */
#include <stdio.h>
#include <string.h>

#include "release/release.h"
#include "release/stats.h"

static const char *
flag_name(enum sdc_flag f)
{
	return f == SDC_PRIMARY ? "primary" : f == SDC_SECONDARY ?
	    "secondary" : "ok";
}

static const char *
by_name(const struct def *d, const struct table_dim *dim)
{
	return dim->is_unit ? "unit" : d->questions[dim->question].id;
}

static void
row_init(const struct release *rl, const struct table *t,
    struct release_table_row *row, size_t v0, size_t v1)
{
	const size_t v[PLAN_MAX_BY] = { v0, v1 };
	size_t i;

	memset(row, 0, sizeof(*row));
	row->t = t;
	row->table = t->pt->id;
	row->variable = plan_var_id(rl->d, t->pt);
	for (i = 0; i < t->n_dims && i < PLAN_MAX_BY; i++) {
		row->by[i] = by_name(rl->d, t->dim[i]);
		row->by_value[i] = v[i] == TABLES_ALL ? TABLES_TOTAL :
		    t->dim[i]->vals[v[i]].name;
	}
	row->count = row->group_n = row->base_n = -1;
}

static const struct cell *
cell_at(const struct release *rl, const struct table *t, size_t v0,
    size_t v1, size_t cat)
{
	size_t n1 = tables_n_vals(t, 1), nc = t->n_cats + 1;

	return &rl->cs->cells[t->cell[((v0 + 1) * n1 + (v1 + 1)) * nc +
	    (cat + 1)]];
}

static int
scale_row(const struct release *rl, struct release_table_row *row, size_t v0,
    size_t v1, const struct cell *g)
{
	double s[3];
	int is_hidden;

	tables_scale(rl->rel, row->t, v0, v1, s);
	row->category = "mean";
	row->is_scale = 1;
	row->cat = SIZE_MAX;
	is_hidden = (g->value > 0 && g->value < rl->rel->k) ||
	    (s[0] > 0 && s[0] < rl->rel->k);
	row->flag = is_hidden ? "primary" : "ok";
	if (is_hidden)
		return GH_OK;
	row->count = (int64_t)s[0];
	row->base_n = row->count;
	row->base = RELEASE_BASE_SCORED;
	if (s[0] >= 2) {
		stats_mean_ci(s[0], s[1], s[2], &row->pct, &row->lo, &row->hi);
		row->has_pct = 1;
	}
	return GH_OK;
}

/* The two bases of a group, -1 where published cells do not give one. */
struct bases {
	int64_t	 substantive, answered;
};

static int
is_pub(const struct release *rl, const struct cell *c)
{
	return sdc_cell_flag(rl->cs->sdc, c->sdc) == SDC_PUBLISHED;
}

static void
group_bases(const struct release *rl, const struct table *t, size_t v0,
    size_t v1, struct bases *b)
{
	const struct cell *g = cell_at(rl, t, v0, v1, SIZE_MAX), *c;
	int64_t z = 0, other = 0, subst = 0;
	int is_gz = is_pub(rl, g), is_other = 1, is_subst = !t->is_multi;
	size_t cat;

	for (cat = 0; cat < t->n_cats; cat++) {
		c = cell_at(rl, t, v0, v1, cat);
		switch (t->cat_kind[cat]) {
		case TABLE_CAT_SUBSTANTIVE:
			subst += c->value;
			is_subst = is_subst && is_pub(rl, c);
			break;
		case TABLE_CAT_OTHER:
			other += c->value;
			is_other = is_other && is_pub(rl, c);
			break;
		case TABLE_CAT_NOT_STATED:
			z = c->value;
			is_gz = is_gz && is_pub(rl, c);
			break;
		}
	}
	/* In a single-choice table the answers' cells add up as well. */
	b->answered = is_gz ? g->value - z : is_subst && is_other ?
	    subst + other : -1;
	b->substantive = is_gz && is_other ? g->value - z - other :
	    is_subst ? subst : -1;
}

static void
count_row(const struct release *rl, struct release_table_row *row,
    const struct cell *c, const struct cell *g,
    const struct bases *b)
{
	enum sdc_flag f = sdc_cell_flag(rl->cs->sdc, c->sdc);
	enum sdc_flag gf = sdc_cell_flag(rl->cs->sdc, g->sdc);
	const struct table *t = row->t;
	int64_t n = -1;

	row->flag = flag_name(f);
	row->cell = c->key;
	row->base_n = -1;
	if (gf == SDC_PUBLISHED)
		row->group_n = g->value;
	if (f != SDC_PUBLISHED)
		return;
	row->count = c->value;
	if (c == g || row->cat == SIZE_MAX)
		return;
	if (t->cat_kind[row->cat] == TABLE_CAT_SUBSTANTIVE) {
		n = b->substantive;
		row->base = RELEASE_BASE_SUBSTANTIVE;
	} else if (t->cat_kind[row->cat] == TABLE_CAT_OTHER) {
		n = b->answered;
		row->base = RELEASE_BASE_ANSWERED;
	}
	if (n <= 0) {
		row->base = NULL;
		return;
	}
	row->base_n = n;
	stats_wilson(c->value, n, &row->lo, &row->hi);
	row->pct = 100.0 * (double)c->value / (double)n;
	row->lo *= 100;
	row->hi *= 100;
	row->has_pct = 1;
}

static int
group_rows(const struct release *rl, const struct table *t, size_t v0,
    size_t v1, int (*fn)(void *, const struct release_table_row *), void *arg)
{
	const struct cell *g = cell_at(rl, t, v0, v1, SIZE_MAX);
	struct release_table_row row;
	struct bases b = { -1, -1 };
	size_t cat;
	int rc;

	if (t->pt->var == PLAN_SCALE) {
		row_init(rl, t, &row, v0, v1);
		if ((rc = scale_row(rl, &row, v0, v1, g)) != GH_OK ||
		    (rc = fn(arg, &row)) != GH_OK)
			return rc;
	}
	if (t->n_cats > 0)
		group_bases(rl, t, v0, v1, &b);
	for (cat = 0; cat < t->n_cats; cat++) {
		row_init(rl, t, &row, v0, v1);
		row.category = t->cat_names[cat];
		row.cat = cat;
		count_row(rl, &row, cell_at(rl, t, v0, v1, cat), g, &b);
		if ((rc = fn(arg, &row)) != GH_OK)
			return rc;
	}
	row_init(rl, t, &row, v0, v1);
	row.category = TABLES_TOTAL;
	row.cat = SIZE_MAX;
	count_row(rl, &row, g, g, &b);
	return fn(arg, &row);
}

static int
rolled_row(const struct release *rl, const struct table *t, size_t i,
    size_t v, int (*fn)(void *, const struct release_table_row *), void *arg)
{
	struct release_table_row row;

	row_init(rl, t, &row, TABLES_ALL, TABLES_ALL);
	row.by_value[i] = t->dim[i]->vals[v].name;
	row.category = "";
	row.cat = SIZE_MAX;
	row.flag = "rolled_up";
	return fn(arg, &row);
}

static int
table_rows(const struct release *rl, const struct table *t,
    int (*fn)(void *, const struct release_table_row *), void *arg)
{
	size_t n0 = tables_n_vals(t, 0), n1 = tables_n_vals(t, 1), j0, j1, v0, v1;
	int r0, r1, rc;

	for (j0 = 0; j0 < n0; j0++)
		for (j1 = 0; j1 < n1; j1++) {
			v0 = j0 == 0 ? TABLES_ALL : j0 - 1;
			v1 = j1 == 0 ? TABLES_ALL : j1 - 1;
			r0 = j0 > 0 && t->dim[0]->vals[v0].is_rolled;
			r1 = j1 > 0 && t->dim[1]->vals[v1].is_rolled;
			if (r0 && j1 == 0)
				rc = rolled_row(rl, t, 0, v0, fn, arg);
			else if (r1 && j0 == 0)
				rc = rolled_row(rl, t, 1, v1, fn, arg);
			else if (r0 || r1)
				continue;
			else
				rc = group_rows(rl, t, v0, v1, fn, arg);
			if (rc != GH_OK)
				return rc;
		}
	return GH_OK;
}

int
release_rows(const struct release *rl,
    int (*fn)(void *arg, const struct release_table_row *row), void *arg)
{
	size_t i;
	int rc;

	for (i = 0; i < rl->rel->n_tables; i++)
		if ((rc = table_rows(rl, &rl->rel->tables[i], fn, arg)) !=
		    GH_OK)
			return rc;
	return GH_OK;
}

void
release_row_key(const char *table, const char *cat, const char *v1,
    const char *v2, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s|%s|%s|%s", table, cat, v1 != NULL ? v1 : "",
	    v2 != NULL ? v2 : "");
}

/*
 * sdc.c: the disclosure-control problem (cells, relations) and secondary
 * suppression (see sdc.h; the method is in server/release/README.md).
 *
 * Entry points: sdc_new, sdc_add_cell, sdc_fix, sdc_no_secondary,
 * sdc_add_sum, sdc_add_le, sdc_protect, the accessors, sdc_free. Data
 * path of sdc_protect: check the relations against the true values
 * (sdc_index); close every sum relation that has exactly one suppressed
 * cell by hiding its best candidate, until none is left (no LP); audit
 * the primary cells, one LP per component (audit.c); then for each that
 * fails, hide the candidate the LP duals point at and close again, until
 * it passes; finally the full audit (sdc_audit), so every suppressed
 * cell has its interval. Nothing is printed but through the progress
 * callback.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "release/sdc_int.h"

/* Largest value a double holds exactly: the LP works in doubles. */
#define SDC_VALUE_MAX ((int64_t)1 << 53)

/* The greedy's state: a stack of sum relations to look at again (each
 * at most once on it), and how many hidden cells each relation has. */
struct worklist {
	size_t	*rels, n;
	uint8_t	*is_in;
	size_t	*n_hid;
	double	 need;		/* LP step: how far the failing cell must move */
};

int
sdc_new(struct sdc **out)
{
	if (out == NULL)
		return GH_ERR_INVALID;
	if ((*out = calloc(1, sizeof(**out))) == NULL)
		return GH_ERR_NOMEM;
	if (((*out)->relation_start = calloc(1, sizeof(size_t))) == NULL) {
		free(*out);
		*out = NULL;
		return GH_ERR_NOMEM;
	}
	(*out)->focus = SIZE_MAX;
	return GH_OK;
}

void
sdc_free(struct sdc *p)
{
	if (p == NULL)
		return;
	free(p->cells);
	free(p->relation_kind);
	free(p->relation_start);
	free(p->relation_cells);
	free(p->inc_start);
	free(p->inc_rel);
	free(p->cell_mark);
	free(p->relation_mark);
	free(p->local);
	free(p->comp.cells);
	free(p->comp.rels);
	free(p->grad);
	free(p);
}

/* Makes room for one more element of size sz in *arr (n used, *cap
 * allocated), doubling. */
static int
grow(void **arr, size_t n, size_t *cap, size_t sz, size_t more)
{
	size_t ncap;
	void *a;

	if (n + more <= *cap && *arr != NULL)
		return GH_OK;
	ncap = *cap < 16 ? 16 : *cap;
	while (ncap < n + more) {
		if (ncap > SIZE_MAX / 2 / sz)
			return GH_ERR_TOO_LARGE;
		ncap *= 2;
	}
	if ((a = realloc(*arr, ncap * sz)) == NULL)
		return GH_ERR_NOMEM;
	*arr = a;
	*cap = ncap;
	return GH_OK;
}

int
sdc_add_cell(struct sdc *p, int64_t value, enum sdc_flag flag, double cost,
    size_t *index)
{
	struct sdc_cell *c;
	int rc;

	if (p == NULL || value < 0 || value > SDC_VALUE_MAX ||
	    (flag != SDC_PUBLISHED && flag != SDC_PRIMARY) || !isfinite(cost))
		return GH_ERR_INVALID;
	if (p->n_cells >= (size_t)INT32_MAX)
		return GH_ERR_TOO_LARGE;
	if ((rc = grow((void **)&p->cells, p->n_cells, &p->cap_cells,
	    sizeof(*p->cells), 1)) != GH_OK)
		return rc;
	c = &p->cells[p->n_cells];
	memset(c, 0, sizeof(*c));
	c->value = value;
	c->cost = cost;
	c->flag = (uint8_t)flag;
	if (index != NULL)
		*index = p->n_cells;
	p->n_cells++;
	return GH_OK;
}

int
sdc_fix(struct sdc *p, size_t cell)
{
	if (p == NULL || cell >= p->n_cells ||
	    p->cells[cell].flag != SDC_PUBLISHED)
		return GH_ERR_INVALID;
	p->cells[cell].is_fixed = 1;
	return GH_OK;
}

int
sdc_no_secondary(struct sdc *p, size_t cell)
{
	if (p == NULL || cell >= p->n_cells ||
	    p->cells[cell].flag != SDC_PUBLISHED)
		return GH_ERR_INVALID;
	p->cells[cell].no_secondary = 1;
	return GH_OK;
}

/* Appends relation kind over first, then rest[0..n-1]. */
static int
add_rel(struct sdc *p, enum sdc_rel_kind kind, size_t first,
    const size_t *rest, size_t n)
{
	size_t i, *start;
	int rc;

	if (p == NULL || first >= p->n_cells || (n > 0 && rest == NULL))
		return GH_ERR_INVALID;
	for (i = 0; i < n; i++)
		if (rest[i] >= p->n_cells)
			return GH_ERR_INVALID;
	if (n >= SIZE_MAX - p->n_relation_cells - 1)
		return GH_ERR_TOO_LARGE;
	if ((rc = grow((void **)&p->relation_cells, p->n_relation_cells,
	    &p->cap_relation_cells, sizeof(*p->relation_cells), n + 1)) !=
	    GH_OK)
		return rc;
	if (p->n_rels + 2 > p->cap_rels) {
		size_t cap = p->cap_rels;

		if ((rc = grow((void **)&p->relation_kind, p->n_rels, &cap,
		    sizeof(*p->relation_kind), 2)) != GH_OK)
			return rc;
		if ((start = realloc(p->relation_start, cap *
		    sizeof(*start))) == NULL)
			return GH_ERR_NOMEM;
		p->relation_start = start;
		p->cap_rels = cap;
	}
	p->relation_cells[p->n_relation_cells] = first;
	if (n > 0)
		memcpy(p->relation_cells + p->n_relation_cells + 1, rest,
		    n * sizeof(*rest));
	p->n_relation_cells += n + 1;
	p->relation_kind[p->n_rels] = (uint8_t)kind;
	p->relation_start[++p->n_rels] = p->n_relation_cells;
	return GH_OK;
}

int
sdc_add_sum(struct sdc *p, size_t total, const size_t *parts, size_t n)
{
	if (n == 0)
		return GH_ERR_INVALID;
	return add_rel(p, SDC_REL_SUM, total, parts, n);
}

int
sdc_add_le(struct sdc *p, size_t part, size_t whole)
{
	return add_rel(p, SDC_REL_LE, part, &whole, 1);
}

size_t
sdc_n_cells(const struct sdc *p)
{
	return p == NULL ? 0 : p->n_cells;
}

enum sdc_flag
sdc_cell_flag(const struct sdc *p, size_t cell)
{
	if (p == NULL || cell >= p->n_cells)
		return SDC_PUBLISHED;
	return (enum sdc_flag)p->cells[cell].flag;
}

int64_t
sdc_cell_value(const struct sdc *p, size_t cell)
{
	if (p == NULL || cell >= p->n_cells)
		return -1;
	return p->cells[cell].value;
}

int
sdc_cell_interval(const struct sdc *p, size_t cell, struct sdc_interval *out)
{
	const struct sdc_cell *c;

	if (p == NULL || out == NULL || cell >= p->n_cells)
		return GH_ERR_INVALID;
	c = &p->cells[cell];
	if (c->flag == SDC_PUBLISHED || !c->has_iv)
		return GH_ERR_NOT_FOUND;
	out->lo = c->lo;
	out->hi = c->hi;
	out->is_protected = c->is_protected;
	return GH_OK;
}

/* How many sum relations hiding cell closes: those in which one cell is
 * hidden so far. One step of look-ahead: a cell that closes two lone
 * relations at once saves the cascade that closing them apart starts. */
static int
score(const struct sdc *p, const struct worklist *t, size_t cell)
{
	size_t j, r;
	int s = 0;

	for (j = p->inc_start[cell]; j < p->inc_start[cell + 1]; j++) {
		r = p->inc_rel[j];
		if (p->relation_kind[r] != SDC_REL_SUM)
			continue;
		s += t->n_hid[r] == 1;
	}
	return s;
}

/* Whether cell may be hidden now, and is better than the best so far:
 * higher score, then smaller cost, smaller value, lower index. */
static int
is_better(const struct sdc *p, const struct worklist *t, size_t cell,
    size_t best)
{
	const struct sdc_cell *c = &p->cells[cell], *b;
	int sc, sb;

	if (c->flag != SDC_PUBLISHED || c->is_fixed || c->no_secondary)
		return 0;
	if (best == SIZE_MAX)
		return 1;
	b = &p->cells[best];
	if (((double)c->value >= t->need) != ((double)b->value >= t->need))
		return (double)c->value >= t->need;
	if ((sc = score(p, t, cell)) != (sb = score(p, t, best)))
		return sc > sb;
	if (c->cost != b->cost)
		return c->cost < b->cost;
	if (c->value != b->value)
		return c->value < b->value;
	return cell < best;
}

static size_t
best_in_rel(const struct sdc *p, const struct worklist *t, size_t r,
    size_t best)
{
	size_t k;

	for (k = p->relation_start[r]; k < p->relation_start[r + 1];
	    k++)
		if (is_better(p, t, p->relation_cells[k], best))
			best = p->relation_cells[k];
	return best;
}

/* Hides cell as secondary and puts its sum relations on the stack. */
static void
hide(struct sdc *p, struct worklist *t, size_t cell)
{
	size_t j, r;

	p->cells[cell].flag = SDC_SECONDARY;
	for (j = p->inc_start[cell]; j < p->inc_start[cell + 1]; j++) {
		r = p->inc_rel[j];
		t->n_hid[r]++;
		if (t->is_in[r] || p->relation_kind[r] != SDC_REL_SUM)
			continue;
		t->is_in[r] = 1;
		t->rels[t->n++] = r;
	}
}

/* The closure: while some sum relation on the stack has exactly one
 * suppressed cell (which it would give away), hide its best candidate.
 * Relations without a candidate are left to the LP. */
static void
close_sums(struct sdc *p, struct worklist *t)
{
	size_t r, best;

	while (t->n > 0) {
		r = t->rels[--t->n];
		t->is_in[r] = 0;
		if (t->n_hid[r] != 1)
			continue;
		if ((best = best_in_rel(p, t, r, SIZE_MAX)) != SIZE_MAX)
			hide(p, t, best);
	}
}

static int
want_open_primary(const struct sdc *p, size_t cell)
{
	const struct sdc_cell *c = &p->cells[cell];

	return c->flag == SDC_PRIMARY && !(c->has_iv && c->is_protected);
}

static int
want_focus(const struct sdc *p, size_t cell)
{
	return cell == p->focus;
}

/* The LP step's choice for the failing cell p->focus: the best candidate
 * whose release the LP duals say moves the failing bound; failing that,
 * the best in the failing cell's relations, then in its component's. */
static size_t
lp_candidate(const struct sdc *p, struct worklist *t, size_t i)
{
	size_t best = SIZE_MAX, j, k, r;

	for (j = 0; j < p->comp.n_rels; j++) {
		r = p->comp.rels[j];
		for (k = p->relation_start[r]; k < p->relation_start[r + 1];
		    k++)
			if (fabs(p->grad[p->relation_cells[k]]) > SDC_TOL &&
			    is_better(p, t, p->relation_cells[k], best))
				best = p->relation_cells[k];
	}
	for (j = p->inc_start[i]; best == SIZE_MAX &&
	    j < p->inc_start[i + 1]; j++)
		best = best_in_rel(p, t, p->inc_rel[j], best);
	for (j = 0; best == SIZE_MAX && j < p->comp.n_rels; j++)
		best = best_in_rel(p, t, p->comp.rels[j], best);
	return best;
}

/* Protects primary cell i: unless it is known to pass, audits it until
 * it does, hiding one more candidate (and closing) each time it does
 * not. */
static int
protect_one(struct sdc *p, int64_t c, struct worklist *t, size_t i)
{
	size_t best;
	int rc = GH_OK;

	p->focus = i;
	while (!(p->cells[i].has_iv && p->cells[i].is_protected)) {
		sdc_component(p, i);
		if ((rc = sdc_comp_audit(p, c, want_focus)) != GH_OK)
			break;
		if (p->cells[i].is_protected)
			break;
		/* A partner can take over at most its own value: the cell
		 * must move lo down to 0, or hi up to c. */
		t->need = fmax(p->cells[i].lo, (double)c - p->cells[i].hi);
		best = lp_candidate(p, t, i);
		t->need = (double)c;
		if (best == SIZE_MAX) {
			rc = GH_ERR_PRIVACY;
			break;
		}
		hide(p, t, best);
		close_sums(p, t);
	}
	p->focus = SIZE_MAX;
	return rc;
}

static void
todo_free(struct worklist *t)
{
	free(t->rels);
	free(t->is_in);
	free(t->n_hid);
}

/* Counts the hidden cells of every relation and stacks every sum. */
static int
todo_init(const struct sdc *p, struct worklist *t)
{
	size_t r, k;

	t->n = 0;
	t->rels = calloc(p->n_rels + 1, sizeof(*t->rels));
	t->is_in = calloc(p->n_rels + 1, sizeof(*t->is_in));
	t->n_hid = calloc(p->n_rels + 1, sizeof(*t->n_hid));
	if (t->rels == NULL || t->is_in == NULL || t->n_hid == NULL)
		return GH_ERR_NOMEM;
	for (r = p->n_rels; r-- > 0;) {
		for (k = p->relation_start[r]; k < p->relation_start[r + 1];
		    k++)
			t->n_hid[r] += sdc_is_hidden(p, p->relation_cells[k]);
		if (p->relation_kind[r] == SDC_REL_SUM) {
			t->is_in[r] = 1;
			t->rels[t->n++] = r;
		}
	}
	return GH_OK;
}

/* Protects the primary cells in index order; *at gets the one that
 * could not be protected. */
static int
protect_all(struct sdc *p, int64_t c, struct worklist *t,
    sdc_progress_fn progress, void *arg, size_t *at)
{
	size_t i, n_primary = 0, done = 0, step;
	int rc;

	for (i = 0; i < p->n_cells; i++)
		n_primary += p->cells[i].flag == SDC_PRIMARY;
	step = n_primary / 50 > 0 ? n_primary / 50 : 1;
	if (progress != NULL)
		progress(arg, "secondary suppression", 0, n_primary);
	/* One LP per component first: most primary cells pass after the
	 * closure, and need no LP of their own. */
	for (i = 0; i < p->n_cells; i++) {
		if (p->cells[i].flag != SDC_PRIMARY || p->cells[i].has_iv)
			continue;
		sdc_component(p, i);
		if ((rc = sdc_comp_audit(p, c, want_open_primary)) != GH_OK) {
			*at = i;
			return rc;
		}
	}
	for (i = 0; i < p->n_cells; i++) {
		if (p->cells[i].flag != SDC_PRIMARY)
			continue;
		if ((rc = protect_one(p, c, t, i)) != GH_OK) {
			*at = i;
			return rc;
		}
		if (progress != NULL && (++done % step == 0 ||
		    done == n_primary))
			progress(arg, "secondary suppression", done,
			    n_primary);
	}
	return GH_OK;
}

int
sdc_protect(struct sdc *p, int64_t c, sdc_progress_fn progress, void *arg,
    size_t *failed)
{
	struct worklist t;
	size_t i, at = 0;
	int rc, rc2;

	memset(&t, 0, sizeof(t));
	if (p == NULL || c < 1)
		return GH_ERR_INVALID;
	if ((rc = sdc_index(p)) != GH_OK)
		return rc;
	if ((rc = todo_init(p, &t)) != GH_OK)
		goto out;
	for (i = 0; i < p->n_cells; i++)
		p->cells[i].has_iv = 0;
	t.need = (double)c;
	close_sums(p, &t);
	rc = protect_all(p, c, &t, progress, arg, &at);
	if (rc == GH_ERR_PRIVACY) {
		/* Still give every suppressed cell its interval. */
		rc2 = sdc_audit(p, c, progress, arg, NULL);
		if (rc2 != GH_OK && rc2 != GH_ERR_PRIVACY)
			rc = rc2;
		else if (failed != NULL)
			*failed = at;
	} else if (rc == GH_OK)
		rc = sdc_audit(p, c, progress, arg, failed);
out:
	todo_free(&t);
	return rc;
}

/*
 * audit.c: the LP audit of disclosure control (see sdc.h): how far an
 * attacker who knows every published cell and every relation can narrow
 * each suppressed cell.
 *
 * Entry points: sdc_audit, and for sdc.c sdc_index, sdc_component and
 * sdc_comp_audit. Data path: sdc_index checks the relations against the
 * true values and builds the cell -> relation lists; the suppressed cells
 * fall into components (cells suppressed together in some relation);
 * sdc_comp_audit builds one COIN-OR CLP model per component (published
 * cells are constants moved to the right-hand side, every variable >= 0)
 * and minimises and maximises each wanted cell in turn, changing only
 * the objective, so each solve is a warm-started primal simplex.
 * Nothing is printed: CLP runs at log level 0.
 */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <coin/Clp_C_Interface.h>

#include "release/sdc_int.h"

/* The arrays of one component's LP, column major as CLP loads it. */
struct lp_build {
	CoinBigIndex	*start;		/* n + 1 */
	int		*index;		/* nnz */
	double		*value;		/* nnz */
	double		*rowlb, *rowub;	/* m */
	double		*obj;		/* n, all 0 */
	int		*t_row, *t_col;	/* triplets, row by row */
	double		*t_val, *coef;
	int		*touched;
	size_t		 nnz;
};

static int
check_values(const struct sdc *p)
{
	size_t r, k;
	int64_t sum, v;

	for (r = 0; r < p->n_rels; r++) {
		const size_t *c = p->relation_cells + p->relation_start[r];
		size_t n = p->relation_start[r + 1] - p->relation_start[r];

		if (p->relation_kind[r] == SDC_REL_LE) {
			if (p->cells[c[0]].value > p->cells[c[1]].value)
				return GH_ERR_INVALID;
			continue;
		}
		sum = 0;
		for (k = 1; k < n; k++) {
			v = p->cells[c[k]].value;
			if (__builtin_add_overflow(sum, v, &sum))
				return GH_ERR_INVALID;
		}
		if (sum != p->cells[c[0]].value)
			return GH_ERR_INVALID;
	}
	return GH_OK;
}

int
sdc_index(struct sdc *p)
{
	size_t i, r, k, n = p->n_cells;
	size_t *fill = NULL;
	int rc;

	if ((rc = check_values(p)) != GH_OK)
		return rc;
	if (p->indexed_cells == n && p->indexed_rels == p->n_rels &&
	    p->inc_start != NULL)
		return GH_OK;
	free(p->inc_start);
	free(p->inc_rel);
	free(p->cell_mark);
	free(p->relation_mark);
	free(p->local);
	free(p->comp.cells);
	free(p->comp.rels);
	free(p->grad);
	p->indexed_cells = p->indexed_rels = 0;
	p->stamp = 0;
	p->inc_start = calloc(n + 1, sizeof(*p->inc_start));
	p->inc_rel = calloc(p->n_relation_cells + 1, sizeof(*p->inc_rel));
	p->cell_mark = calloc(n + 1, sizeof(*p->cell_mark));
	p->relation_mark = calloc(p->n_rels + 1, sizeof(*p->relation_mark));
	p->local = calloc(n + 1, sizeof(*p->local));
	p->comp.cells = calloc(n + 1, sizeof(*p->comp.cells));
	p->comp.rels = calloc(p->n_rels + 1, sizeof(*p->comp.rels));
	p->grad = calloc(n + 1, sizeof(*p->grad));
	fill = calloc(n + 1, sizeof(*fill));
	rc = GH_ERR_NOMEM;
	if (p->inc_start == NULL || p->inc_rel == NULL ||
	    p->cell_mark == NULL || p->relation_mark == NULL ||
	    p->local == NULL ||
	    p->comp.cells == NULL || p->comp.rels == NULL ||
	    p->grad == NULL || fill == NULL)
		goto out;
	for (k = 0; k < p->n_relation_cells; k++)
		p->inc_start[p->relation_cells[k] + 1]++;
	for (i = 0; i < n; i++)
		p->inc_start[i + 1] += p->inc_start[i];
	for (r = 0; r < p->n_rels; r++)
		for (k = p->relation_start[r]; k < p->relation_start[r + 1];
		    k++) {
			i = p->relation_cells[k];
			p->inc_rel[p->inc_start[i] + fill[i]++] = r;
		}
	p->indexed_cells = n;
	p->indexed_rels = p->n_rels;
	rc = GH_OK;
out:
	free(fill);
	return rc;
}

static void
new_stamp(struct sdc *p)
{
	if (++p->stamp == 0) {
		memset(p->cell_mark, 0, p->n_cells * sizeof(*p->cell_mark));
		memset(p->relation_mark, 0,
		    p->n_rels * sizeof(*p->relation_mark));
		p->stamp = 1;
	}
}

void
sdc_component(struct sdc *p, size_t cell)
{
	struct sdc_comp *cp = &p->comp;
	size_t q, j, k, r, c;

	new_stamp(p);
	cp->n_cells = cp->n_rels = 0;
	p->cell_mark[cell] = p->stamp;
	p->local[cell] = 0;
	cp->cells[cp->n_cells++] = cell;
	for (q = 0; q < cp->n_cells; q++) {
		c = cp->cells[q];
		for (j = p->inc_start[c]; j < p->inc_start[c + 1]; j++) {
			r = p->inc_rel[j];
			if (p->relation_mark[r] == p->stamp)
				continue;
			p->relation_mark[r] = p->stamp;
			cp->rels[cp->n_rels++] = r;
			for (k = p->relation_start[r]; k < p->relation_start[r + 1];
			    k++) {
				size_t o = p->relation_cells[k];

				if (!sdc_is_hidden(p, o) ||
				    p->cell_mark[o] == p->stamp)
					continue;
				p->cell_mark[o] = p->stamp;
				p->local[o] = (int)cp->n_cells;
				cp->cells[cp->n_cells++] = o;
			}
		}
	}
}

static void
lp_build_free(struct lp_build *b)
{
	free(b->start);
	free(b->index);
	free(b->value);
	free(b->rowlb);
	free(b->rowub);
	free(b->obj);
	free(b->t_row);
	free(b->t_col);
	free(b->t_val);
	free(b->coef);
	free(b->touched);
}

/* One relation as a row: hidden cells with merged coefficients, the
 * published ones summed into the bounds. */
static void
add_row(const struct sdc *p, struct lp_build *b, size_t r, int row)
{
	size_t k, n_touched = 0;
	double cst = 0, sign;
	int j;

	for (k = p->relation_start[r]; k < p->relation_start[r + 1];
	    k++) {
		size_t c = p->relation_cells[k];

		sign = k == p->relation_start[r] ? 1.0 : -1.0;
		if (!sdc_is_hidden(p, c)) {
			cst += sign * (double)p->cells[c].value;
			continue;
		}
		j = p->local[c];
		if (b->coef[j] == 0)
			b->touched[n_touched++] = j;
		b->coef[j] += sign;
	}
	for (k = 0; k < n_touched; k++) {
		j = b->touched[k];
		if (b->coef[j] != 0) {
			b->t_row[b->nnz] = row;
			b->t_col[b->nnz] = j;
			b->t_val[b->nnz++] = b->coef[j];
		}
		b->coef[j] = 0;
	}
	/* sum: total - parts = 0; le: part - whole <= 0 (cells[0] is the
	 * part, so the signs above fit both). */
	b->rowub[row] = -cst;
	b->rowlb[row] = p->relation_kind[r] == SDC_REL_SUM ? -cst : -DBL_MAX;
}

static int
lp_build(const struct sdc *p, struct lp_build *b)
{
	const struct sdc_comp *cp = &p->comp;
	size_t n = cp->n_cells, m = cp->n_rels, cap = 0, i, k;

	for (i = 0; i < m; i++)
		cap += p->relation_start[cp->rels[i] + 1] -
		    p->relation_start[cp->rels[i]];
	if (n > INT_MAX || m > INT_MAX || cap > INT_MAX)
		return GH_ERR_TOO_LARGE;
	b->start = calloc(n + 1, sizeof(*b->start));
	b->index = calloc(cap + 1, sizeof(*b->index));
	b->value = calloc(cap + 1, sizeof(*b->value));
	b->rowlb = calloc(m + 1, sizeof(*b->rowlb));
	b->rowub = calloc(m + 1, sizeof(*b->rowub));
	b->obj = calloc(n, sizeof(*b->obj));
	b->t_row = calloc(cap + 1, sizeof(*b->t_row));
	b->t_col = calloc(cap + 1, sizeof(*b->t_col));
	b->t_val = calloc(cap + 1, sizeof(*b->t_val));
	b->coef = calloc(n, sizeof(*b->coef));
	b->touched = calloc(n, sizeof(*b->touched));
	if (b->start == NULL || b->index == NULL || b->value == NULL ||
	    b->rowlb == NULL || b->rowub == NULL || b->obj == NULL ||
	    b->t_row == NULL || b->t_col == NULL || b->t_val == NULL ||
	    b->coef == NULL || b->touched == NULL)
		return GH_ERR_NOMEM;
	for (i = 0; i < m; i++)
		add_row(p, b, cp->rels[i], (int)i);
	/* Triplets to columns: count, prefix sums, place (rows stay
	 * ascending within each column); touched counts the placed. */
	for (k = 0; k < b->nnz; k++)
		b->start[b->t_col[k] + 1]++;
	for (i = 0; i < n; i++)
		b->start[i + 1] += b->start[i];
	memset(b->touched, 0, n * sizeof(*b->touched));
	for (k = 0; k < b->nnz; k++) {
		int j = b->t_col[k];
		CoinBigIndex at = b->start[j] + b->touched[j]++;

		b->index[at] = b->t_row[k];
		b->value[at] = b->t_val[k];
	}
	return GH_OK;
}

/* x to the nearest integer if CLP's answer is that integer but for
 * rounding, so reports read 17, not 16.9999999998. */
static double
snap(double x)
{
	double r = nearbyint(x);

	if (fabs(x - r) <= 1e-7 * fmax(1.0, fabs(x)))
		return r;
	return x;
}

/* Optimises column j in direction dir (1 min, -1 max); *x gets the
 * optimum, or HUGE_VAL if the max is unbounded. */
static int
solve_one(Clp_Simplex *m, double *obj, int j, double dir, double *x)
{
	int st, tries;

	obj[j] = 1;
	Clp_chgObjCoefficients(m, obj);
	obj[j] = 0;
	Clp_setOptimizationDirection(m, dir);
	for (tries = 0; tries < 2; tries++) {
		if (tries == 0)
			(void)Clp_primal(m, 0);
		else
			(void)Clp_initialSolve(m);
		st = Clp_status(m);
		if (st == 0) {
			*x = snap(Clp_getColSolution(m)[j]);
			return GH_OK;
		}
		if (st == 1)
			return GH_ERR_INVALID;
		if (st == 2 && dir < 0) {
			*x = HUGE_VAL;
			return GH_OK;
		}
	}
	return GH_ERR_INVALID;
}

/*
 * After a solve whose bound fails: the row duals say how fast the optimum
 * moves with each right-hand side, and a published cell sits in the
 * right-hand side of each of its relations (+ as cells[0], - as a part).
 * A cell with a non-zero sum, once hidden, lets the bound move.
 */
static void
add_grad(struct sdc *p, Clp_Simplex *m)
{
	const struct sdc_comp *cp = &p->comp;
	const double *y = Clp_getRowPrice(m);
	size_t i, k, r;

	for (i = 0; i < cp->n_rels; i++) {
		r = cp->rels[i];
		for (k = p->relation_start[r]; k < p->relation_start[r + 1];
		    k++) {
			size_t c = p->relation_cells[k];

			if (sdc_is_hidden(p, c))
				continue;
			p->grad[c] += (k == p->relation_start[r] ? -1.0 : 1.0) *
			    y[i];
		}
	}
}

static void
clear_grad(struct sdc *p)
{
	const struct sdc_comp *cp = &p->comp;
	size_t i, k, r;

	for (i = 0; i < cp->n_rels; i++) {
		r = cp->rels[i];
		for (k = p->relation_start[r]; k < p->relation_start[r + 1];
		    k++)
			p->grad[p->relation_cells[k]] = 0;
	}
}

static void
set_interval(struct sdc_cell *cell, int64_t c, double lo, double hi)
{
	cell->lo = lo < 0 ? 0 : lo;
	cell->hi = hi;
	cell->has_iv = 1;
	cell->is_protected = lo <= SDC_TOL && hi >= (double)c - SDC_TOL;
}

int
sdc_comp_audit(struct sdc *p, int64_t c,
    int (*want)(const struct sdc *, size_t))
{
	const struct sdc_comp *cp = &p->comp;
	struct lp_build b;
	Clp_Simplex *m = NULL;
	size_t i;
	double lo, hi;
	int rc;

	memset(&b, 0, sizeof(b));
	clear_grad(p);
	if (cp->n_rels == 0) {
		/* A cell in no relation: only value >= 0 is known. */
		set_interval(&p->cells[cp->cells[0]], c, 0, HUGE_VAL);
		return GH_OK;
	}
	if ((rc = lp_build(p, &b)) != GH_OK)
		goto out;
	rc = GH_ERR_NOMEM;
	if ((m = Clp_newModel()) == NULL)
		goto out;
	Clp_setLogLevel(m, 0);
	Clp_loadProblem(m, (int)cp->n_cells, (int)cp->n_rels, b.start,
	    b.index, b.value, NULL, NULL, b.obj, b.rowlb, b.rowub);
	/* A zero objective first: the dual simplex finds a feasible basis
	 * or proves the published figures inconsistent. */
	(void)Clp_dual(m, 0);
	rc = GH_ERR_INVALID;
	if (Clp_status(m) != 0)
		goto out;
	for (i = 0; i < cp->n_cells; i++) {
		struct sdc_cell *cell = &p->cells[cp->cells[i]];

		if (!want(p, cp->cells[i]))
			continue;
		if ((rc = solve_one(m, b.obj, (int)i, 1.0, &lo)) != GH_OK)
			goto out;
		if (cp->cells[i] == p->focus && lo > SDC_TOL)
			add_grad(p, m);
		if ((rc = solve_one(m, b.obj, (int)i, -1.0, &hi)) != GH_OK)
			goto out;
		if (cp->cells[i] == p->focus && hi < (double)c - SDC_TOL)
			add_grad(p, m);
		set_interval(cell, c, lo, hi);
	}
	rc = GH_OK;
out:
	if (m != NULL)
		Clp_deleteModel(m);
	lp_build_free(&b);
	return rc;
}

static int
want_all(const struct sdc *p, size_t cell)
{
	(void)p;
	(void)cell;
	return 1;
}

static void
report(sdc_progress_fn progress, void *arg, size_t done, size_t total,
    size_t *next)
{
	if (progress == NULL || (done < *next && done != total))
		return;
	progress(arg, "audit", done, total);
	*next = done + (total / 50 > 0 ? total / 50 : 1);
}

int
sdc_audit(struct sdc *p, int64_t c, sdc_progress_fn progress, void *arg,
    size_t *failed)
{
	size_t i, n_hidden = 0, done = 0, next = 0;
	int rc;

	if (p == NULL || c < 1)
		return GH_ERR_INVALID;
	for (i = 0; i < p->n_cells; i++) {
		p->cells[i].has_iv = 0;
		n_hidden += sdc_is_hidden(p, i);
	}
	if ((rc = sdc_index(p)) != GH_OK)
		return rc;
	report(progress, arg, 0, n_hidden, &next);
	for (i = 0; i < p->n_cells; i++) {
		if (!sdc_is_hidden(p, i) || p->cells[i].has_iv)
			continue;
		sdc_component(p, i);
		if ((rc = sdc_comp_audit(p, c, want_all)) != GH_OK)
			goto fail;
		done += p->comp.n_cells;
		report(progress, arg, done, n_hidden, &next);
	}
	for (i = 0; i < p->n_cells; i++)
		if (p->cells[i].flag == SDC_PRIMARY &&
		    !p->cells[i].is_protected) {
			if (failed != NULL)
				*failed = i;
			return GH_ERR_PRIVACY;
		}
	return GH_OK;
fail:
	for (i = 0; i < p->n_cells; i++)
		p->cells[i].has_iv = 0;
	return rc;
}

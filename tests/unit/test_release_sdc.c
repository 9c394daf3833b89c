/*
 * test_release_sdc.c: disclosure control of published counts (sdc.h):
 * secondary suppression on rows, hierarchies, 2-way tables, linked
 * tables and multiple-response bounds, each checked by the suppression
 * flags and by the LP audit's intervals worked out by hand; fixed cells,
 * unprotectable and inconsistent problems; and a seeded problem of 150
 * random tables checked cell by cell.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "release/sdc.h"

#define P SDC_PRIMARY
#define U SDC_PUBLISHED

static size_t
cell(struct sdc *p, int64_t v, enum sdc_flag f)
{
	size_t i;

	assert_int_equal(sdc_add_cell(p, v, f, (double)v, &i), GH_OK);
	return i;
}

static void
sum(struct sdc *p, size_t total, const size_t *parts, size_t n)
{
	assert_int_equal(sdc_add_sum(p, total, parts, n), GH_OK);
}

/* Asserts the audited interval of cell i; hi < 0 means unbounded. */
static void
assert_iv(const struct sdc *p, size_t i, double lo, double hi)
{
	struct sdc_interval iv;

	assert_int_equal(sdc_cell_interval(p, i, &iv), GH_OK);
	if (fabs(iv.lo - lo) > 1e-6 || (hi >= 0 && fabs(iv.hi - hi) > 1e-6) ||
	    (hi < 0 && iv.hi < 1e30))
		fail_msg("cell %zu: [%g, %g], expected [%g, %g]", i, iv.lo,
		    iv.hi, lo, hi);
}

static int
is_prot(const struct sdc *p, size_t i)
{
	struct sdc_interval iv;

	assert_int_equal(sdc_cell_interval(p, i, &iv), GH_OK);
	return iv.is_protected;
}

/* A row 2 + 15 + 20 = 37 with the 2 primary. */
static void
test_sdc_row_gets_partner(void **state)
{
	struct sdc *p;
	size_t a, b, c, t, parts[3], failed = 99;

	(void)state;
	assert_int_equal(sdc_new(&p), GH_OK);
	a = cell(p, 2, P);
	b = cell(p, 15, U);
	c = cell(p, 20, U);
	t = cell(p, 37, U);
	parts[0] = a, parts[1] = b, parts[2] = c;
	sum(p, t, parts, 3);
	/* Hidden alone, the 2 is the total minus the others. */
	assert_int_equal(sdc_audit(p, 3, NULL, NULL, &failed),
	    GH_ERR_PRIVACY);
	assert_int_equal(failed, a);
	assert_iv(p, a, 2, 2);
	assert_int_equal(is_prot(p, a), 0);
	assert_int_equal(sdc_protect(p, 3, NULL, NULL, &failed), GH_OK);
	assert_int_equal(sdc_cell_flag(p, a), SDC_PRIMARY);
	assert_int_equal(sdc_cell_flag(p, b), SDC_SECONDARY);
	assert_int_equal(sdc_cell_flag(p, c), SDC_PUBLISHED);
	assert_int_equal(sdc_cell_flag(p, t), SDC_PUBLISHED);
	assert_iv(p, a, 0, 17);
	assert_iv(p, b, 0, 17);
	assert_int_equal(is_prot(p, a), 1);
	/* The audit alone now agrees. */
	assert_int_equal(sdc_audit(p, 3, NULL, NULL, &failed), GH_OK);
	assert_iv(p, a, 0, 17);
	sdc_free(p);
}

/* 2 + 1 + 40 = 43 at c = 5: the 1 could not take over enough of the
 * 2 (the 2 could reach at most 3), so the partner is the 40. */
static void
test_sdc_partner_big_enough(void **state)
{
	struct sdc *p;
	size_t a, b, c, t, parts[3], failed;

	(void)state;
	assert_int_equal(sdc_new(&p), GH_OK);
	a = cell(p, 2, P);
	b = cell(p, 1, U);
	c = cell(p, 40, U);
	t = cell(p, 43, U);
	parts[0] = a, parts[1] = b, parts[2] = c;
	sum(p, t, parts, 3);
	assert_int_equal(sdc_protect(p, 5, NULL, NULL, &failed), GH_OK);
	assert_int_equal(sdc_cell_flag(p, b), SDC_PUBLISHED);
	assert_int_equal(sdc_cell_flag(p, c), SDC_SECONDARY);
	assert_int_equal(sdc_cell_flag(p, t), SDC_PUBLISHED);
	assert_iv(p, a, 0, 42);
	assert_iv(p, c, 0, 42);
	sdc_free(p);
}

/*
 * T1 = x + a (x = 2 primary, a = 1, T1 = 3) and T2 = a + b (b = 30,
 * T2 = 31), c = 5. The closure hides a (cheapest; nothing is big
 * enough) and then b (a was alone in T2), which leaves x in [0, 3]. The
 * LP step's duals point at T1: hidden, x is bounded by nothing.
 */
static void
test_sdc_lp_step_widens_interval(void **state)
{
	struct sdc *p;
	size_t x, a, t1, b, t2, parts[2], failed;

	(void)state;
	assert_int_equal(sdc_new(&p), GH_OK);
	x = cell(p, 2, P);
	a = cell(p, 1, U);
	t1 = cell(p, 3, U);
	b = cell(p, 30, U);
	t2 = cell(p, 31, U);
	parts[0] = x, parts[1] = a;
	sum(p, t1, parts, 2);
	parts[0] = a, parts[1] = b;
	sum(p, t2, parts, 2);
	assert_int_equal(sdc_protect(p, 5, NULL, NULL, &failed), GH_OK);
	assert_int_equal(sdc_cell_flag(p, a), SDC_SECONDARY);
	assert_int_equal(sdc_cell_flag(p, b), SDC_SECONDARY);
	assert_int_equal(sdc_cell_flag(p, t1), SDC_SECONDARY);
	assert_int_equal(sdc_cell_flag(p, t2), SDC_PUBLISHED);
	assert_iv(p, x, 0, -1);
	assert_iv(p, a, 0, 31);
	assert_iv(p, b, 0, 31);
	assert_iv(p, t1, 0, -1);
	sdc_free(p);
}

/*
 * Table A (category x gender) and table B (category x unit) share the
 * category totals T_k and the grand total G. M_0 = 1 is primary and its
 * only partner in A's row is T_0 (F_0 was published before): hiding T_0
 * alone would still pin it through B's row T_0 = U1_0 + U2_0, so B gets
 * a suppression too.
 */
static void
test_sdc_linked_tables_share_margin(void **state)
{
	static const int64_t mv[3] = { 1, 12, 25 }, fv[3] = { 9, 20, 13 };
	static const int64_t u1v[3] = { 4, 14, 21 }, u2v[3] = { 6, 18, 17 };
	struct sdc *p;
	size_t m[3], f[3], t[3], u1[3], u2[3], mt, ft, u1t, u2t, g, k;
	size_t v[3], failed;

	(void)state;
	assert_int_equal(sdc_new(&p), GH_OK);
	for (k = 0; k < 3; k++) {
		m[k] = cell(p, mv[k], k == 0 ? P : U);
		f[k] = cell(p, fv[k], U);
		t[k] = cell(p, mv[k] + fv[k], U);
		u1[k] = cell(p, u1v[k], U);
		u2[k] = cell(p, u2v[k], U);
	}
	assert_int_equal(sdc_fix(p, f[0]), GH_OK);
	mt = cell(p, 38, U);
	ft = cell(p, 42, U);
	u1t = cell(p, 39, U);
	u2t = cell(p, 41, U);
	g = cell(p, 80, U);
	for (k = 0; k < 3; k++) {
		v[0] = m[k], v[1] = f[k];
		sum(p, t[k], v, 2);
		v[0] = u1[k], v[1] = u2[k];
		sum(p, t[k], v, 2);
	}
	sum(p, mt, m, 3);
	sum(p, ft, f, 3);
	sum(p, u1t, u1, 3);
	sum(p, u2t, u2, 3);
	sum(p, g, t, 3);
	v[0] = mt, v[1] = ft;
	sum(p, g, v, 2);
	v[0] = u1t, v[1] = u2t;
	sum(p, g, v, 2);
	assert_int_equal(sdc_protect(p, 3, NULL, NULL, &failed), GH_OK);
	assert_int_equal(sdc_cell_flag(p, f[0]), SDC_PUBLISHED);
	assert_int_equal(sdc_cell_flag(p, t[0]), SDC_SECONDARY);
	assert_int_equal(sdc_cell_flag(p, u1[0]), SDC_SECONDARY);
	assert_int_equal(sdc_cell_flag(p, t[1]), SDC_SECONDARY);
	assert_int_equal(sdc_cell_flag(p, m[1]), SDC_SECONDARY);
	assert_int_equal(sdc_cell_flag(p, u1[1]), SDC_SECONDARY);
	for (k = 0; k < sdc_n_cells(p); k++)
		if (k != m[0] && k != t[0] && k != u1[0] && k != t[1] &&
		    k != m[1] && k != u1[1])
			assert_int_equal(sdc_cell_flag(p, k), SDC_PUBLISHED);
	/* With x = M_0: T_0 = x + 9, U1_0 = x + 3, T_1 = 33 - x,
	 * M_1 = 13 - x, U1_1 = 15 - x, all >= 0. */
	assert_iv(p, m[0], 0, 13);
	assert_int_equal(is_prot(p, m[0]), 1);
	assert_iv(p, t[0], 9, 22);
	assert_iv(p, u1[0], 3, 16);
	assert_iv(p, t[1], 20, 33);
	assert_iv(p, m[1], 0, 13);
	assert_iv(p, u1[1], 2, 15);
	sdc_free(p);
}

/* A parent 50 = 30 + 18 + 2 with the small child primary. */
static void
test_sdc_small_child_of_parent(void **state)
{
	struct sdc *p;
	size_t par, ch[3], failed;

	(void)state;
	assert_int_equal(sdc_new(&p), GH_OK);
	par = cell(p, 50, U);
	ch[0] = cell(p, 30, U);
	ch[1] = cell(p, 18, U);
	ch[2] = cell(p, 2, P);
	sum(p, par, ch, 3);
	assert_int_equal(sdc_protect(p, 3, NULL, NULL, &failed), GH_OK);
	assert_int_equal(sdc_cell_flag(p, ch[1]), SDC_SECONDARY);
	assert_int_equal(sdc_cell_flag(p, ch[0]), SDC_PUBLISHED);
	assert_int_equal(sdc_cell_flag(p, par), SDC_PUBLISHED);
	assert_iv(p, ch[2], 0, 20);
	assert_iv(p, ch[1], 0, 20);
	sdc_free(p);
}

/*
 * Two levels: P = C1 + C2 + C3, each child the sum of its categories.
 * C3 = 2 and its two non-zero categories are primary. C3 alone in the
 * parent's relation takes C2 (18) along, and C2 alone in its own
 * relation takes its smallest category (5).
 */
static void
test_sdc_two_level_hierarchy(void **state)
{
	static const int64_t cat[3][3] = { { 10, 12, 8 }, { 7, 6, 5 },
	    { 1, 1, 0 } };
	struct sdc *p;
	size_t par, ch[3], cc[3][3], i, j, failed;

	(void)state;
	assert_int_equal(sdc_new(&p), GH_OK);
	par = cell(p, 50, U);
	for (i = 0; i < 3; i++) {
		ch[i] = cell(p, cat[i][0] + cat[i][1] + cat[i][2],
		    i == 2 ? P : U);
		for (j = 0; j < 3; j++)
			cc[i][j] = cell(p, cat[i][j],
			    i == 2 && j < 2 ? P : U);
		sum(p, ch[i], cc[i], 3);
	}
	sum(p, par, ch, 3);
	assert_int_equal(sdc_protect(p, 3, NULL, NULL, &failed), GH_OK);
	assert_int_equal(sdc_cell_flag(p, ch[1]), SDC_SECONDARY);
	assert_int_equal(sdc_cell_flag(p, cc[1][2]), SDC_SECONDARY);
	assert_int_equal(sdc_cell_flag(p, cc[1][0]), SDC_PUBLISHED);
	assert_int_equal(sdc_cell_flag(p, cc[1][1]), SDC_PUBLISHED);
	assert_int_equal(sdc_cell_flag(p, cc[2][2]), SDC_PUBLISHED);
	assert_int_equal(sdc_cell_flag(p, ch[0]), SDC_PUBLISHED);
	/* C3 + C2 = 20, C2 = 13 + y: C3 + y = 7, a + b = C3. */
	assert_iv(p, cc[2][0], 0, 7);
	assert_iv(p, cc[2][1], 0, 7);
	assert_iv(p, ch[2], 0, 7);
	assert_iv(p, ch[1], 13, 20);
	assert_iv(p, cc[1][2], 0, 7);
	sdc_free(p);
}

/* A 3 x 3 table with margins and one primary cell gets the rectangle. */
static void
test_sdc_two_way_rectangle(void **state)
{
	static const int64_t v[3][3] = { { 1, 5, 9 }, { 6, 3, 8 },
	    { 7, 10, 4 } };
	struct sdc *p;
	size_t x[3][3], r[3], c[3], g, col[3], i, j, failed;
	int64_t rs, cs[3] = { 0, 0, 0 }, gs = 0;

	(void)state;
	assert_int_equal(sdc_new(&p), GH_OK);
	for (i = 0; i < 3; i++) {
		rs = 0;
		for (j = 0; j < 3; j++) {
			x[i][j] = cell(p, v[i][j], i + j == 0 ? P : U);
			rs += v[i][j];
			cs[j] += v[i][j];
		}
		r[i] = cell(p, rs, U);
		gs += rs;
		sum(p, r[i], x[i], 3);
	}
	for (j = 0; j < 3; j++) {
		c[j] = cell(p, cs[j], U);
		for (i = 0; i < 3; i++)
			col[i] = x[i][j];
		sum(p, c[j], col, 3);
	}
	g = cell(p, gs, U);
	sum(p, g, r, 3);
	sum(p, g, c, 3);
	assert_int_equal(sdc_protect(p, 3, NULL, NULL, &failed), GH_OK);
	for (i = 0; i < sdc_n_cells(p); i++) {
		int in_rect = i == x[0][0] || i == x[0][1] || i == x[1][0] ||
		    i == x[1][1];

		if (i == x[0][0])
			continue;
		assert_int_equal(sdc_cell_flag(p, i),
		    in_rect ? SDC_SECONDARY : SDC_PUBLISHED);
	}
	assert_iv(p, x[0][0], 0, 6);
	assert_iv(p, x[0][1], 0, 6);
	assert_iv(p, x[1][0], 1, 7);
	assert_iv(p, x[1][1], 2, 8);
	assert_int_equal(is_prot(p, x[0][0]), 1);
	sdc_free(p);
}

/* 2 + 3 + 20 = 25: the 3 would be chosen but is fixed; then a second
 * row whose every other cell is fixed cannot be protected. */
static void
test_sdc_fixed_cell_not_chosen(void **state)
{
	struct sdc *p;
	size_t a, b, c, t, a2, b2, t2, parts[3], failed = 99;

	(void)state;
	assert_int_equal(sdc_new(&p), GH_OK);
	a = cell(p, 2, P);
	b = cell(p, 3, U);
	c = cell(p, 20, U);
	t = cell(p, 25, U);
	assert_int_equal(sdc_fix(p, b), GH_OK);
	parts[0] = a, parts[1] = b, parts[2] = c;
	sum(p, t, parts, 3);
	assert_int_equal(sdc_protect(p, 3, NULL, NULL, &failed), GH_OK);
	assert_int_equal(failed, 99);
	assert_int_equal(sdc_cell_flag(p, b), SDC_PUBLISHED);
	assert_int_equal(sdc_cell_flag(p, c), SDC_SECONDARY);
	assert_int_equal(sdc_cell_flag(p, t), SDC_PUBLISHED);
	assert_iv(p, a, 0, 22);
	assert_iv(p, c, 0, 22);

	/* A second row 1 + 4 = 5 where 4 is fixed and 5 may not be hidden:
	 * nothing can protect the 1. */
	a2 = cell(p, 1, P);
	b2 = cell(p, 4, U);
	t2 = cell(p, 5, U);
	assert_int_equal(sdc_fix(p, b2), GH_OK);
	assert_int_equal(sdc_no_secondary(p, t2), GH_OK);
	parts[0] = a2, parts[1] = b2;
	sum(p, t2, parts, 2);
	assert_int_equal(sdc_protect(p, 3, NULL, NULL, &failed),
	    GH_ERR_PRIVACY);
	assert_int_equal(failed, a2);
	assert_int_equal(sdc_cell_flag(p, b2), SDC_PUBLISHED);
	assert_int_equal(sdc_cell_flag(p, t2), SDC_PUBLISHED);
	assert_iv(p, a2, 1, 1);
	assert_int_equal(is_prot(p, a2), 0);
	assert_iv(p, a, 0, 22);
	sdc_free(p);
}

/* Figures that contradict a relation are refused by both calls. */
static void
test_sdc_inconsistent_is_invalid(void **state)
{
	struct sdc *p;
	size_t a, b, c, t, parts[3], failed;
	struct sdc_interval iv;

	(void)state;
	assert_int_equal(sdc_new(&p), GH_OK);
	a = cell(p, 2, P);
	b = cell(p, 15, U);
	c = cell(p, 21, U);
	t = cell(p, 37, U);
	parts[0] = a, parts[1] = b, parts[2] = c;
	sum(p, t, parts, 3);
	assert_int_equal(sdc_audit(p, 3, NULL, NULL, &failed),
	    GH_ERR_INVALID);
	assert_int_equal(sdc_protect(p, 3, NULL, NULL, &failed),
	    GH_ERR_INVALID);
	assert_int_equal(sdc_cell_flag(p, b), SDC_PUBLISHED);
	assert_int_equal(sdc_cell_interval(p, a, &iv), GH_ERR_NOT_FOUND);
	sdc_free(p);

	/* A part above its whole. */
	assert_int_equal(sdc_new(&p), GH_OK);
	a = cell(p, 6, U);
	b = cell(p, 5, U);
	assert_int_equal(sdc_add_le(p, a, b), GH_OK);
	assert_int_equal(sdc_audit(p, 3, NULL, NULL, &failed),
	    GH_ERR_INVALID);
	sdc_free(p);
}

/*
 * Multiple response: options o1 = 1 (primary), o2 = 2 and o3 = 1, each
 * at most the group's respondents G = 2, and G + non-respondents 8 = 10.
 * o1 <= 2 is too narrow at c = 3, so G is hidden, and the closure hides
 * the 8 that would pin G.
 */
static void
test_sdc_le_relations(void **state)
{
	struct sdc *p;
	size_t o1, o2, o3, g, nr, n, parts[2], failed;

	(void)state;
	assert_int_equal(sdc_new(&p), GH_OK);
	o1 = cell(p, 1, P);
	o2 = cell(p, 2, U);
	o3 = cell(p, 1, U);
	g = cell(p, 2, U);
	nr = cell(p, 8, U);
	n = cell(p, 10, U);
	assert_int_equal(sdc_add_le(p, o1, g), GH_OK);
	assert_int_equal(sdc_add_le(p, o2, g), GH_OK);
	assert_int_equal(sdc_add_le(p, o3, g), GH_OK);
	assert_int_equal(sdc_audit(p, 3, NULL, NULL, &failed),
	    GH_ERR_PRIVACY);
	assert_iv(p, o1, 0, 2);
	parts[0] = g, parts[1] = nr;
	sum(p, n, parts, 2);
	assert_int_equal(sdc_protect(p, 3, NULL, NULL, &failed), GH_OK);
	assert_int_equal(sdc_cell_flag(p, g), SDC_SECONDARY);
	assert_int_equal(sdc_cell_flag(p, nr), SDC_SECONDARY);
	assert_int_equal(sdc_cell_flag(p, o2), SDC_PUBLISHED);
	assert_int_equal(sdc_cell_flag(p, o3), SDC_PUBLISHED);
	assert_int_equal(sdc_cell_flag(p, n), SDC_PUBLISHED);
	/* G >= o2 = 2 and G + nr = 10. */
	assert_iv(p, o1, 0, 10);
	assert_iv(p, g, 2, 10);
	assert_iv(p, nr, 0, 8);
	sdc_free(p);

	/* A wide enough whole needs nothing: o <= 20 at c = 3. */
	assert_int_equal(sdc_new(&p), GH_OK);
	o1 = cell(p, 2, P);
	g = cell(p, 20, U);
	assert_int_equal(sdc_add_le(p, o1, g), GH_OK);
	assert_int_equal(sdc_protect(p, 3, NULL, NULL, &failed), GH_OK);
	assert_int_equal(sdc_cell_flag(p, g), SDC_PUBLISHED);
	assert_iv(p, o1, 0, 20);
	sdc_free(p);

	/* Hiding the whole leaves the part unbounded above. */
	assert_int_equal(sdc_new(&p), GH_OK);
	o1 = cell(p, 1, P);
	g = cell(p, 2, U);
	assert_int_equal(sdc_add_le(p, o1, g), GH_OK);
	assert_int_equal(sdc_protect(p, 3, NULL, NULL, &failed), GH_OK);
	assert_int_equal(sdc_cell_flag(p, g), SDC_SECONDARY);
	assert_iv(p, o1, 0, -1);
	assert_iv(p, g, 0, -1);
	sdc_free(p);
}

static uint32_t
rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*s >> 33);
}

struct prog {
	size_t	n_supp, n_audit, last_done, last_total;
	int	is_bad;
};

static void
on_progress(void *arg, const char *what, size_t done, size_t total)
{
	struct prog *g = arg;

	if (done > total)
		g->is_bad = 1;
	if (strcmp(what, "secondary suppression") == 0)
		g->n_supp++;
	else if (strcmp(what, "audit") == 0)
		g->n_audit++;
	else
		g->is_bad = 1;
	g->last_done = done;
	g->last_total = total;
}

#define N_TAB 150
#define N_ROW 6
#define N_COL 5

/* Adds one random N_ROW x N_COL table with margins; about 8% of the
 * inner cells are small and primary. */
static void
random_table(struct sdc *p, uint64_t *s)
{
	size_t x[N_ROW][N_COL], r[N_ROW], c[N_COL], col[N_ROW], g, i, j;
	int64_t v[N_ROW][N_COL], rs, cs[N_COL] = { 0 }, gs = 0;

	for (i = 0; i < N_ROW; i++) {
		rs = 0;
		for (j = 0; j < N_COL; j++) {
			int is_small = rnd(s) % 100 < 8;

			v[i][j] = is_small ? 1 + rnd(s) % 4 : 5 + rnd(s) % 60;
			x[i][j] = cell(p, v[i][j], is_small ? P : U);
			rs += v[i][j];
			cs[j] += v[i][j];
		}
		r[i] = cell(p, rs, U);
		gs += rs;
		sum(p, r[i], x[i], N_COL);
	}
	for (j = 0; j < N_COL; j++) {
		c[j] = cell(p, cs[j], U);
		for (i = 0; i < N_ROW; i++)
			col[i] = x[i][j];
		sum(p, c[j], col, N_ROW);
	}
	g = cell(p, gs, U);
	sum(p, g, r, N_ROW);
	sum(p, g, c, N_COL);
}

/*
 * 150 random 6 x 5 tables with margins (6,300 cells, ~360 primary):
 * every primary cell ends protected, every suppressed cell's interval
 * holds its true value, no sum relation is left with a single hidden
 * cell, and the progress callback reports both phases.
 */
static void
test_sdc_random_tables(void **state)
{
	struct sdc *p;
	struct prog g;
	struct sdc_interval iv;
	size_t i, n_primary = 0, n_secondary = 0, failed;
	uint64_t s = 20261125;
	clock_t t0;

	(void)state;
	memset(&g, 0, sizeof(g));
	assert_int_equal(sdc_new(&p), GH_OK);
	for (i = 0; i < N_TAB; i++)
		random_table(p, &s);
	t0 = clock();
	assert_int_equal(sdc_protect(p, 5, on_progress, &g, &failed), GH_OK);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 60);
	for (i = 0; i < sdc_n_cells(p); i++) {
		enum sdc_flag f = sdc_cell_flag(p, i);

		if (f == SDC_PUBLISHED) {
			assert_int_equal(sdc_cell_interval(p, i, &iv),
			    GH_ERR_NOT_FOUND);
			continue;
		}
		n_primary += f == SDC_PRIMARY;
		n_secondary += f == SDC_SECONDARY;
		assert_int_equal(sdc_cell_interval(p, i, &iv), GH_OK);
		assert_true(iv.lo <= (double)sdc_cell_value(p, i) + 1e-6);
		assert_true(iv.hi >= (double)sdc_cell_value(p, i) - 1e-6);
		if (f == SDC_PRIMARY) {
			assert_true(iv.lo <= 1e-6);
			assert_true(iv.hi >= 5 - 1e-6);
			assert_int_equal(iv.is_protected, 1);
		}
	}
	assert_true(n_primary > 200);
	assert_true(n_secondary > 0);
	assert_int_equal(g.is_bad, 0);
	assert_true(g.n_supp >= 2);
	assert_true(g.n_audit >= 2);
	assert_int_equal(g.last_done, g.last_total);
	/* The audit alone agrees. */
	assert_int_equal(sdc_audit(p, 5, NULL, NULL, &failed), GH_OK);
	sdc_free(p);
}

/* A 3 x 3 table with margins for the brute-force check. */
struct small {
	int64_t	v[4][4];	/* [i][3] row totals, [3][j] column totals */
	size_t	id[4][4];
	double	lo[4][4], hi[4][4];	/* enumerated range */
};

static int
small_hidden(const struct sdc *p, const struct small *t, int i, int j)
{
	return sdc_cell_flag(p, t->id[i][j]) != SDC_PUBLISHED;
}

/* Every integer table that agrees with the published cells: try each
 * value of the hidden inner cells (bounded by a published margin), and
 * widen each hidden cell's range where the margins also agree. Returns
 * 0 (and does nothing) if that is more than 200,000 tables. */
static int
small_enumerate(const struct sdc *p, struct small *t)
{
	int hid[9][2], n = 0, i, j, k, bound[9], x[9];
	int64_t w[4][4];
	double work = 1;

	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			if (small_hidden(p, t, i, j)) {
				hid[n][0] = i, hid[n][1] = j;
				bound[n] = (int)(!small_hidden(p, t, i, 3) ?
				    t->v[i][3] : t->v[3][3]);
				if (!small_hidden(p, t, 3, j) &&
				    t->v[3][j] < bound[n])
					bound[n] = (int)t->v[3][j];
				work *= bound[n] + 1;
				n++;
			}
	if (work > 2e5)
		return 0;
	for (i = 0; i < 4; i++)
		for (j = 0; j < 4; j++)
			t->lo[i][j] = 1e9, t->hi[i][j] = -1;
	memset(x, 0, sizeof(x));
	for (;;) {
		int is_ok = 1;

		memcpy(w, t->v, sizeof(w));
		for (k = 0; k < n; k++)
			w[hid[k][0]][hid[k][1]] = x[k];
		for (i = 0; i < 3; i++)
			w[i][3] = w[i][0] + w[i][1] + w[i][2];
		for (j = 0; j < 4; j++)
			w[3][j] = w[0][j] + w[1][j] + w[2][j];
		for (i = 0; i < 4; i++)
			for (j = 0; j < 4; j++)
				if ((i == 3 || j == 3) &&
				    !small_hidden(p, t, i, j) &&
				    w[i][j] != t->v[i][j])
					is_ok = 0;
		for (i = 0; is_ok && i < 4; i++)
			for (j = 0; j < 4; j++) {
				t->lo[i][j] = fmin(t->lo[i][j], (double)w[i][j]);
				t->hi[i][j] = fmax(t->hi[i][j], (double)w[i][j]);
			}
		for (k = 0; k < n && ++x[k] > bound[k]; k++)
			x[k] = 0;
		if (k == n)
			break;
	}
	return 1;
}

/*
 * The independent check of the LP: small random 3 x 3 tables with
 * margins; after sdc_protect, the LP interval of every hidden cell must
 * equal the range found by enumerating every integer table consistent
 * with the published cells (a 2-way table's LP is integral).
 */
static void
test_sdc_random_small_tables_brute_force(void **state)
{
	struct small t;
	struct sdc *p;
	struct sdc_interval iv;
	uint64_t s = 7;
	size_t parts[3], failed;
	int round, i, j, n_checked = 0, n_cells_checked = 0;

	(void)state;
	for (round = 0; round < 100; round++) {
		memset(&t, 0, sizeof(t));
		assert_int_equal(sdc_new(&p), GH_OK);
		for (i = 0; i < 3; i++)
			for (j = 0; j < 3; j++) {
				t.v[i][j] = rnd(&s) % 6;
				t.v[i][3] += t.v[i][j];
				t.v[3][j] += t.v[i][j];
				t.v[3][3] += t.v[i][j];
			}
		for (i = 0; i < 4; i++)
			for (j = 0; j < 4; j++)
				t.id[i][j] = cell(p, t.v[i][j],
				    i < 3 && j < 3 && t.v[i][j] > 0 &&
				    t.v[i][j] < 3 && rnd(&s) % 2 ? P : U);
		for (i = 0; i < 4; i++) {
			for (j = 0; j < 3; j++)
				parts[j] = t.id[i][j];
			sum(p, t.id[i][3], parts, 3);
			for (j = 0; j < 3; j++)
				parts[j] = t.id[j][i];
			sum(p, t.id[3][i], parts, 3);
		}
		assert_int_equal(sdc_protect(p, 3, NULL, NULL, &failed),
		    GH_OK);
		if (small_hidden(p, &t, 3, 3) || !small_enumerate(p, &t)) {
			sdc_free(p);
			continue;
		}
		n_checked++;
		for (i = 0; i < 4; i++)
			for (j = 0; j < 4; j++) {
				if (!small_hidden(p, &t, i, j))
					continue;
				assert_iv(p, t.id[i][j], t.lo[i][j],
				    t.hi[i][j]);
				n_cells_checked++;
				if (sdc_cell_flag(p, t.id[i][j]) ==
				    SDC_PRIMARY) {
					assert_int_equal(sdc_cell_interval(p,
					    t.id[i][j], &iv), GH_OK);
					assert_int_equal(iv.is_protected, 1);
				}
			}
		sdc_free(p);
	}
	assert_true(n_checked >= 30);
	assert_true(n_cells_checked >= 100);
}

#define N_UNIT 12

/*
 * The unit hierarchy over 2-way tables, a three-way structure: 12 units
 * each with a 3 x 3 table with margins, and the parent's table the cell
 * by cell sum of theirs. Protection needs cells in several units at
 * once (the closure alone leaves cells pinned, the LP step finishes).
 */
static void
test_sdc_units_summed_to_parent(void **state)
{
	size_t id[N_UNIT + 1][4][4], parts[N_UNIT], i, j, u, failed;
	int64_t v[N_UNIT + 1][4][4];
	struct sdc_interval iv;
	struct sdc *p;
	uint64_t s = 99;
	int n_primary = 0;

	(void)state;
	memset(v, 0, sizeof(v));
	for (u = 0; u < N_UNIT; u++)
		for (i = 0; i < 3; i++)
			for (j = 0; j < 3; j++) {
				int64_t x = rnd(&s) % 10 < 2 ? 1 + rnd(&s) % 4 :
				    5 + rnd(&s) % 20;

				v[u][i][j] = x;
				v[u][i][3] += x;
				v[u][3][j] += x;
				v[u][3][3] += x;
			}
	for (u = 0; u < N_UNIT; u++)
		for (i = 0; i < 4; i++)
			for (j = 0; j < 4; j++)
				v[N_UNIT][i][j] += v[u][i][j];
	assert_int_equal(sdc_new(&p), GH_OK);
	for (u = 0; u <= N_UNIT; u++)
		for (i = 0; i < 4; i++)
			for (j = 0; j < 4; j++) {
				int is_p = u < N_UNIT && v[u][i][j] < 5;

				id[u][i][j] = cell(p, v[u][i][j], is_p ? P : U);
				n_primary += is_p;
			}
	for (u = 0; u <= N_UNIT; u++)
		for (i = 0; i < 4; i++) {
			size_t row[3], col[3];

			for (j = 0; j < 3; j++) {
				row[j] = id[u][i][j];
				col[j] = id[u][j][i];
			}
			sum(p, id[u][i][3], row, 3);
			sum(p, id[u][3][i], col, 3);
		}
	for (i = 0; i < 4; i++)
		for (j = 0; j < 4; j++) {
			for (u = 0; u < N_UNIT; u++)
				parts[u] = id[u][i][j];
			sum(p, id[N_UNIT][i][j], parts, N_UNIT);
		}
	assert_true(n_primary >= 10);
	assert_int_equal(sdc_protect(p, 5, NULL, NULL, &failed), GH_OK);
	for (i = 0; i < sdc_n_cells(p); i++) {
		if (sdc_cell_flag(p, i) == SDC_PUBLISHED)
			continue;
		assert_int_equal(sdc_cell_interval(p, i, &iv), GH_OK);
		assert_true(iv.lo <= (double)sdc_cell_value(p, i) + 1e-6);
		assert_true(iv.hi >= (double)sdc_cell_value(p, i) - 1e-6);
		if (sdc_cell_flag(p, i) == SDC_PRIMARY) {
			assert_true(iv.lo <= 1e-6);
			assert_true(iv.hi >= 5 - 1e-6);
		}
	}
	sdc_free(p);
}

/* Misuse is refused with GH_ERR_INVALID and changes nothing. */
static void
test_sdc_rejects_bad_input(void **state)
{
	struct sdc *p;
	size_t a, b, parts[2], failed;
	struct sdc_interval iv;

	(void)state;
	assert_int_equal(sdc_new(NULL), GH_ERR_INVALID);
	assert_int_equal(sdc_new(&p), GH_OK);
	assert_int_equal(sdc_add_cell(p, -1, U, 1, &a), GH_ERR_INVALID);
	assert_int_equal(sdc_add_cell(p, 1, SDC_SECONDARY, 1, &a),
	    GH_ERR_INVALID);
	assert_int_equal(sdc_add_cell(p, 1, U, NAN, &a), GH_ERR_INVALID);
	assert_int_equal(sdc_n_cells(p), 0);
	a = cell(p, 1, P);
	b = cell(p, 1, U);
	assert_int_equal(sdc_fix(p, a), GH_ERR_INVALID);
	assert_int_equal(sdc_fix(p, 7), GH_ERR_INVALID);
	assert_int_equal(sdc_no_secondary(p, a), GH_ERR_INVALID);
	parts[0] = a, parts[1] = 7;
	assert_int_equal(sdc_add_sum(p, b, parts, 2), GH_ERR_INVALID);
	assert_int_equal(sdc_add_sum(p, b, parts, 0), GH_ERR_INVALID);
	assert_int_equal(sdc_add_sum(p, b, NULL, 1), GH_ERR_INVALID);
	assert_int_equal(sdc_add_le(p, a, 9), GH_ERR_INVALID);
	assert_int_equal(sdc_protect(p, 0, NULL, NULL, &failed),
	    GH_ERR_INVALID);
	assert_int_equal(sdc_audit(p, 0, NULL, NULL, &failed),
	    GH_ERR_INVALID);
	assert_int_equal(sdc_cell_interval(p, b, &iv), GH_ERR_NOT_FOUND);
	assert_int_equal(sdc_cell_interval(p, a, &iv), GH_ERR_NOT_FOUND);
	assert_int_equal(sdc_cell_value(p, b), 1);
	/* A cell in no relation is bounded only by 0. */
	assert_int_equal(sdc_audit(p, 3, NULL, NULL, &failed), GH_OK);
	assert_iv(p, a, 0, -1);
	sdc_free(p);
	sdc_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sdc_row_gets_partner),
		cmocka_unit_test(test_sdc_partner_big_enough),
		cmocka_unit_test(test_sdc_lp_step_widens_interval),
		cmocka_unit_test(test_sdc_linked_tables_share_margin),
		cmocka_unit_test(test_sdc_small_child_of_parent),
		cmocka_unit_test(test_sdc_two_level_hierarchy),
		cmocka_unit_test(test_sdc_two_way_rectangle),
		cmocka_unit_test(test_sdc_fixed_cell_not_chosen),
		cmocka_unit_test(test_sdc_inconsistent_is_invalid),
		cmocka_unit_test(test_sdc_le_relations),
		cmocka_unit_test(test_sdc_random_tables),
		cmocka_unit_test(test_sdc_random_small_tables_brute_force),
		cmocka_unit_test(test_sdc_units_summed_to_parent),
		cmocka_unit_test(test_sdc_rejects_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

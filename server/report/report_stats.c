/*
 * report_stats.c: the council's yearly statistics of reports
 * (report_stats.h).
 *
 * Data path: store_report_foreach (clear rows only: days, status,
 * categories; no text is opened and no key is needed) -> each report's
 * forms, grounds and measures (report_cats_get: report_tags, several per
 * report) -> the reports received in the year counted into four tables
 * (form of behaviour, ground, status, measure taken on closing) and the
 * number that asked for a second opinion. A report with two grounds
 * counts once under each ground (intersectional cases count under every
 * ground they concern), so the form, ground and measure tables may add up
 * to more than their total, which counts each report once; a report
 * with none of a kind counts as not recorded. -> one disclosure-control
 * problem (release/sdc.h): the total of all reports is the sum of the
 * status table; in the form, ground and measure tables every cell is at
 * most the table's total (all reports; for measures the "closed" cell)
 * and their sum, a cell of its own that is not published, is at least
 * that total. That sum is modelled as known to an attacker (published to
 * the audit, never suppressed): the audit then protects as if the
 * tables added up exactly, which is the stricter case. Withdrawn is the
 * status cell,
 * second opinions lie between that status cell and the total -> every
 * count from 1 to k-1 is suppressed (primary), sdc_protect adds secondary
 * suppression until no suppressed cell can be narrowed below k, and
 * sdc_audit checks the result -> report_stats_cells hands out the cells.
 * The yearly report adds, in the same problem: the reports per unit (the
 * form's "cluster" list, each report once) and per quarter of receipt,
 * both adding up to the total; the signals, reports per unit and quarter,
 * adding up to both; the outcome of each closed report, adding up to
 * the "closed" cell; and the two deadlines of deadline.h as in time,
 * late (done late, or overdue on the day the figures are made) or other
 * (not yet due, or withdrawn first), each adding up to the total.
 * A zero is published: it says no report was of that kind, which points
 * to no one.
 *
 * Entry points: report_stats_count, report_stats_protect,
 * report_stats_cells, report_stats_years, report_stats_free.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/category.h"
#include "report/deadline.h"
#include "report/report_cats.h"
#include "report/report_stats.h"
#include "store/store_report.h"
#include "store/store_stats.h"

#define MAX_CATS	16
#define NOT_RECORDED	"not_recorded"

static const char *const status_ids[] = {
	"received", "acknowledged", "in_progress", "closed", "withdrawn",
	"second_opinion", NULL
};

/* A step of the clock as of the day the figures are made. */
static const char *const time_ids[] = { "in_time", "late", "other", NULL };
enum { TIME_IN, TIME_LATE, TIME_OTHER };

static const char *const quarter_ids[] = { "q1", "q2", "q3", "q4", NULL };
#define QUARTERS	4

struct table {
	const char	*name;
	const char	*cats[MAX_CATS];
	size_t		 n;
	int64_t		 count[MAX_CATS];
	size_t		 cell[MAX_CATS];
	size_t		 total;		/* cell of the table's total */
	int		 is_multi;	/* several values per report */
	int64_t		 n_tags;	/* the sum of its counts */
	size_t		 sum;		/* its cell (multi only) */
};

enum { T_FORM, T_GROUND, T_STATUS, T_MEASURE, T_UNIT, T_ACK, T_FEEDBACK,
	T_QUARTER, T_OUTCOME, T_N };

struct report_stats {
	struct table	 t[T_N];
	int64_t		 n_reports, n_second;
	size_t		 all_cell, second_cell;
	int64_t		 uq[MAX_CATS][QUARTERS];	/* unit x quarter */
	size_t		 uq_cell[MAX_CATS][QUARTERS];
	int64_t		 first, last;	/* the year's days */
	int64_t		 today;		/* the clock's day */
	struct store	*s;		/* while counting */
	struct sdc	*p;
};

static void
table_init(struct table *t, const char *name, const char *const *ids,
    int with_not_recorded)
{
	t->name = name;
	for (t->n = 0; ids[t->n] != NULL && t->n < MAX_CATS - 1; t->n++)
		t->cats[t->n] = ids[t->n];
	if (with_not_recorded)
		t->cats[t->n++] = NOT_RECORDED;
}

/* The cell of value in t (unknown or empty values: not recorded). */
static size_t
table_cell(const struct table *t, const char *value)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->cats[i], value) == 0)
			return i;
	for (i = 0; i < t->n; i++)
		if (strcmp(t->cats[i], NOT_RECORDED) == 0)
			return i;
	return t->n;
}

/*
 * Counts one report into t under each of its n values (none: not
 * recorded), once per cell however many of its values land there.
 */
static void
table_count_set(struct table *t, const char (*values)[REPORT_MAX_CATEGORY + 1],
    size_t n)
{
	int hit[MAX_CATS] = { 0 };
	size_t i, c;

	if (n == 0) {
		if ((c = table_cell(t, NOT_RECORDED)) < t->n)
			hit[c] = 1;
	}
	for (i = 0; i < n; i++)
		if ((c = table_cell(t, values[i])) < t->n)
			hit[c] = 1;
	for (c = 0; c < t->n; c++) {
		t->count[c] += hit[c];
		t->n_tags += hit[c];
	}
}

/*
 * Classifies a step due on due and done on done (-1: not done): in time,
 * late (done after due, or not done and overdue today), or other (not
 * yet due, or withdrawn before it was done).
 */
static int
time_class(int64_t due, int64_t done, int is_withdrawn, int64_t today)
{
	if (done >= 0)
		return done <= due ? TIME_IN : TIME_LATE;
	if (!is_withdrawn && today > due)
		return TIME_LATE;
	return TIME_OTHER;
}

/* The unit, the quarter and the two deadlines of one report. */
static void
count_clock(struct report_stats *st, const struct report_row *row)
{
	int w = row->status == REPORT_WITHDRAWN, y, m, d;
	size_t u = table_cell(&st->t[T_UNIT], row->unit);

	deadline_civil(row->received_day, &y, &m, &d);
	if (u < st->t[T_UNIT].n) {
		st->t[T_UNIT].count[u]++;
		st->uq[u][(m - 1) / 3]++;
	}
	st->t[T_QUARTER].count[(m - 1) / 3]++;
	st->t[T_ACK].count[time_class(row->received_day + DEADLINE_ACK_DAYS,
	    row->ack_day, w, st->today)]++;
	st->t[T_FEEDBACK].count[time_class(deadline_add_months(
	    row->received_day, DEADLINE_FEEDBACK_MONTHS), row->feedback_day,
	    w, st->today)]++;
}

static int
count_row(void *arg, const struct report_row *row)
{
	struct report_stats *st = arg;
	struct report_cats c;
	int r;

	if (row->received_day < st->first || row->received_day > st->last)
		return GH_OK;
	if ((r = report_cats_get(st->s, row, &c)) != GH_OK)
		return r;
	st->n_reports++;
	table_count_set(&st->t[T_FORM], c.v[REPORT_KIND_FORM],
	    c.n[REPORT_KIND_FORM]);
	table_count_set(&st->t[T_GROUND], c.v[REPORT_KIND_GROUND],
	    c.n[REPORT_KIND_GROUND]);
	if ((int)row->status >= 0 && (int)row->status <= 5)
		st->t[T_STATUS].count[row->status]++;
	if (row->status == REPORT_CLOSED) {
		char outcome[1][REPORT_MAX_CATEGORY + 1];

		table_count_set(&st->t[T_MEASURE], c.v[REPORT_KIND_MEASURE],
		    c.n[REPORT_KIND_MEASURE]);
		if ((r = store_stats_outcome(st->s, row->id, outcome[0])) !=
		    GH_OK)
			return r;
		table_count_set(&st->t[T_OUTCOME], outcome,
		    outcome[0][0] != '\0');
	}
	if (row->second_opinion_day >= 0)
		st->n_second++;
	count_clock(st, row);
	return GH_OK;
}

static int
add_cell(struct sdc *p, int64_t v, int k, size_t *idx)
{
	return sdc_add_cell(p, v, v > 0 && v < k ? SDC_PRIMARY : SDC_PUBLISHED,
	    (double)v, idx);
}

/*
 * The signals: reports per unit and quarter, each unit's row adding up
 * to its cell of the unit table, each quarter's column to its cell of
 * the quarter table.
 */
static int
build_uq(struct sdc *p, struct report_stats *st, int k)
{
	const struct table *tu = &st->t[T_UNIT], *tq = &st->t[T_QUARTER];
	size_t u, q, col[MAX_CATS];
	int r;

	for (u = 0; u < tu->n; u++) {
		for (q = 0; q < QUARTERS; q++)
			if ((r = add_cell(p, st->uq[u][q], k,
			    &st->uq_cell[u][q])) != GH_OK)
				return r;
		if ((r = sdc_add_sum(p, tu->cell[u], st->uq_cell[u],
		    QUARTERS)) != GH_OK)
			return r;
	}
	for (q = 0; q < QUARTERS; q++) {
		for (u = 0; u < tu->n; u++)
			col[u] = st->uq_cell[u][q];
		if ((r = sdc_add_sum(p, tq->cell[q], col, tu->n)) != GH_OK)
			return r;
	}
	return GH_OK;
}

/* Adds table t's cells and relations to its total. */
static int
build_table(struct sdc *p, struct table *t, size_t total, int k)
{
	size_t j;
	int r;

	for (j = 0; j < t->n; j++)
		if ((r = add_cell(p, t->count[j], k, &t->cell[j])) != GH_OK)
			return r;
	t->total = total;
	if (!t->is_multi)
		return sdc_add_sum(p, t->total, t->cell, t->n);
	/* Several values per report: each cell at most the total, their
	 * (unpublished, but assumed known) sum at least it. */
	if ((r = sdc_add_cell(p, t->n_tags, SDC_PUBLISHED, (double)t->n_tags,
	    &t->sum)) != GH_OK ||
	    (r = sdc_no_secondary(p, t->sum)) != GH_OK ||
	    (r = sdc_add_sum(p, t->sum, t->cell, t->n)) != GH_OK ||
	    (r = sdc_add_le(p, t->total, t->sum)) != GH_OK)
		return r;
	for (j = 0; j < t->n; j++)
		if ((r = sdc_add_le(p, t->cell[j], t->total)) != GH_OK)
			return r;
	return GH_OK;
}

/* Builds the problem: cells and relations (see the comment on top). */
static int
build(struct sdc *p, struct report_stats *st, int k)
{
	size_t i;
	int r;

	if ((r = add_cell(p, st->n_reports, k, &st->all_cell)) != GH_OK)
		return r;
	for (i = 0; i < T_N; i++)
		if ((r = build_table(p, &st->t[i], i == T_MEASURE ||
		    i == T_OUTCOME ? st->t[T_STATUS].cell[3] : st->all_cell,
		    k)) != GH_OK)
			return r;
	if ((r = build_uq(p, st, k)) != GH_OK)
		return r;
	if ((r = add_cell(p, st->n_second, k, &st->second_cell)) != GH_OK ||
	    (r = sdc_add_le(p, st->t[T_STATUS].cell[5], st->second_cell)) !=
	    GH_OK)
		return r;
	return sdc_add_le(p, st->second_cell, st->all_cell);
}

int
report_stats_count(struct store *s, int year, struct report_stats **out)
{
	struct report_stats *st;
	int r;

	*out = NULL;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return GH_ERR_NOMEM;
	table_init(&st->t[T_FORM], "form", report_cat_ids(REPORT_CAT_FORM), 1);
	table_init(&st->t[T_GROUND], "ground",
	    report_cat_ids(REPORT_CAT_GROUND), 1);
	table_init(&st->t[T_STATUS], "status", status_ids, 0);
	table_init(&st->t[T_MEASURE], "measure",
	    report_cat_ids(REPORT_CAT_MEASURE), 1);
	table_init(&st->t[T_UNIT], "unit", report_cat_ids(REPORT_CAT_UNIT),
	    1);
	table_init(&st->t[T_ACK], "acknowledgement", time_ids, 0);
	table_init(&st->t[T_FEEDBACK], "feedback", time_ids, 0);
	table_init(&st->t[T_QUARTER], "quarter", quarter_ids, 0);
	table_init(&st->t[T_OUTCOME], "outcome",
	    report_cat_ids(REPORT_CAT_OUTCOME), 1);
	st->t[T_FORM].is_multi = st->t[T_GROUND].is_multi =
	    st->t[T_MEASURE].is_multi = 1;
	st->today = store_today();
	st->first = deadline_from_civil(year, 1, 1);
	st->last = deadline_from_civil(year, 12, 31);
	st->s = s;
	r = store_report_foreach(s, count_row, st);
	st->s = NULL;
	if (r != GH_OK) {
		report_stats_free(st);
		return r;
	}
	*out = st;
	return GH_OK;
}

int64_t
report_stats_reports(const struct report_stats *st)
{
	return st->n_reports;
}

int
report_stats_protect(struct report_stats *st, int k,
    sdc_progress_fn progress, void *arg)
{
	size_t failed = 0;
	int r;

	sdc_free(st->p);
	st->p = NULL;
	if ((r = sdc_new(&st->p)) != GH_OK ||
	    (r = build(st->p, st, k)) != GH_OK)
		return r;
	if ((r = sdc_protect(st->p, k, progress, arg, &failed)) == GH_OK)
		r = sdc_audit(st->p, k, progress, arg, &failed);
	return r;
}

static void
put(const struct report_stats *st, const char *table, const char *cat,
    size_t cell, void (*fn)(void *, const char *, const char *,
    enum sdc_flag, int64_t), void *arg)
{
	fn(arg, table, cat, sdc_cell_flag(st->p, cell),
	    sdc_cell_value(st->p, cell));
}

void
report_stats_cells(const struct report_stats *st,
    void (*cell)(void *arg, const char *table, const char *category,
    enum sdc_flag flag, int64_t count), void *arg)
{
	size_t i, j;

	put(st, "all", "reports", st->all_cell, cell, arg);
	for (i = 0; i < T_N; i++)
		for (j = 0; j < st->t[i].n; j++)
			put(st, st->t[i].name, st->t[i].cats[j],
			    st->t[i].cell[j], cell, arg);
	for (i = 0; i < st->t[T_UNIT].n; i++)
		for (j = 0; j < QUARTERS; j++) {
			char cat[REPORT_MAX_UNIT + 8];

			snprintf(cat, sizeof(cat), "%s:%s", st->t[T_UNIT].cats[i],
			    quarter_ids[j]);
			put(st, "unit_quarter", cat, st->uq_cell[i][j], cell,
			    arg);
		}
	put(st, "summary", "withdrawn", st->t[T_STATUS].cell[4], cell, arg);
	put(st, "summary", "second_opinion_requested", st->second_cell, cell,
	    arg);
}

static int
year_row(void *arg, const struct report_row *row)
{
	struct report_stats_years *ys = arg;
	size_t i;
	int y, m, d;

	deadline_civil(row->received_day, &y, &m, &d);
	for (i = 0; i < ys->n && ys->y[i] < y; i++)
		;
	if (i < ys->n && ys->y[i] == y)
		return GH_OK;
	if (ys->n == REPORT_STATS_YEARS_MAX)
		return GH_ERR_TOO_LARGE;
	memmove(&ys->y[i + 1], &ys->y[i], (ys->n - i) * sizeof(ys->y[0]));
	ys->y[i] = y;
	ys->n++;
	return GH_OK;
}

int
report_stats_years(struct store *s, struct report_stats_years *out)
{
	memset(out, 0, sizeof(*out));
	return store_report_foreach(s, year_row, out);
}

void
report_stats_free(struct report_stats *st)
{
	if (st == NULL)
		return;
	sdc_free(st->p);
	free(st);
}

/*
 * test_report_stats.c: the council's statistics counted from report_tags
 * (report/report_stats.h): a report with two grounds counts once under
 * each ground and once in the total, a report without tags falls back to
 * its single columns, and the protected result still passes the audit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#include <sodium.h>

#include "report/deadline.h"
#include "report/report_stats.h"
#include "tmpdir.h"

struct fx {
	char		 dir[64];
	char		 path[128];
	struct store	*s;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_true(sodium_init() >= 0);
	assert_int_equal(tmpdir_make(f->dir, sizeof(f->dir), "rstats"), 0);
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), GH_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	store_close(f->s);
	assert_int_equal(tmpdir_remove(f->dir), 0);
	free(f);
	return 0;
}

/* Rows written beside the store, as a file of earlier versions holds
 * them (the store's own connection allows only its statements). */
static void
sql(struct fx *f, const char *q)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_exec(db, q, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void
report(struct fx *f, int n, const char *form, const char *ground)
{
	char q[512];

	snprintf(q, sizeof(q), "INSERT INTO reports (id, received_day, "
	    "status, status_day, form, ground) VALUES (x'%032x', %lld, 1, "
	    "%lld, %s%s%s, %s%s%s)", n,
	    (long long)deadline_from_civil(2026, 3, 1),
	    (long long)deadline_from_civil(2026, 3, 1),
	    form ? "'" : "", form ? form : "NULL", form ? "'" : "",
	    ground ? "'" : "", ground ? ground : "NULL", ground ? "'" : "");
	sql(f, q);
}

static void
tag(struct fx *f, int n, const char *kind, const char *value)
{
	char q[256];

	snprintf(q, sizeof(q), "INSERT INTO report_tags VALUES (x'%032x', "
	    "'%s', '%s')", n, kind, value);
	sql(f, q);
}

struct got {
	int64_t	all, herkomst, geloof, not_recorded, pesten;
};

static void
cell(void *arg, const char *table, const char *cat, enum sdc_flag flag,
    int64_t count)
{
	struct got *g = arg;

	assert_int_equal(flag, SDC_PUBLISHED);
	if (strcmp(table, "all") == 0)
		g->all = count;
	else if (strcmp(table, "ground") == 0 && strcmp(cat, "herkomst") == 0)
		g->herkomst = count;
	else if (strcmp(table, "ground") == 0 && strcmp(cat, "geloof") == 0)
		g->geloof = count;
	else if (strcmp(table, "ground") == 0 &&
	    strcmp(cat, "not_recorded") == 0)
		g->not_recorded = count;
	else if (strcmp(table, "form") == 0 && strcmp(cat, "pesten") == 0)
		g->pesten = count;
}

static void
test_report_stats_two_grounds_count_under_each(void **state)
{
	struct fx *f = *state;
	struct report_stats *st = NULL;
	struct got g = { 0 };
	int i;

	/* 12 reports on grounds of origin; 12 on religion; of those, 5 are
	 * on both (tags); 3 with no ground; one with its ground only in
	 * the old single column. */
	for (i = 0; i < 12; i++) {
		report(f, i, NULL, NULL);
		tag(f, i, "form", "pesten");
		tag(f, i, "ground", "herkomst");
	}
	for (i = 7; i < 19; i++) {
		if (i >= 12)
			report(f, i, NULL, NULL);
		tag(f, i, "ground", "geloof");
	}
	for (i = 19; i < 22; i++)
		report(f, i, "pesten", NULL);
	report(f, 22, NULL, "geloof");
	assert_int_equal(report_stats_count(f->s, 2026, &st), GH_OK);
	assert_int_equal(report_stats_reports(st), 23);
	assert_int_equal(report_stats_protect(st, 1, NULL, NULL), GH_OK);
	report_stats_cells(st, cell, &g);
	assert_int_equal(g.all, 23);
	assert_int_equal(g.herkomst, 12);
	assert_int_equal(g.geloof, 13);	/* 5 shared, 7 alone, 1 column */
	assert_int_equal(g.not_recorded, 3);
	assert_int_equal(g.pesten, 15);
	report_stats_free(st);
}

static void
test_report_stats_protect_passes_with_tags(void **state)
{
	struct fx *f = *state;
	struct report_stats *st = NULL;
	int i;

	for (i = 0; i < 30; i++) {
		report(f, i, "pesten", NULL);
		tag(f, i, "ground", i < 20 ? "herkomst" : "geloof");
		if (i < 3)
			tag(f, i, "ground", "leeftijd");
	}
	assert_int_equal(report_stats_count(f->s, 2026, &st), GH_OK);
	assert_int_equal(report_stats_protect(st, 10, NULL, NULL), GH_OK);
	report_stats_free(st);
}

/* A report received on day with its unit and clock days (-1: NULL). */
static void
report_at(struct fx *f, int n, int64_t day, const char *unit, int status,
    int64_t ack, int64_t feedback)
{
	char q[512], a[32] = "NULL", fb[32] = "NULL";

	if (ack >= 0)
		snprintf(a, sizeof(a), "%lld", (long long)ack);
	if (feedback >= 0)
		snprintf(fb, sizeof(fb), "%lld", (long long)feedback);
	snprintf(q, sizeof(q), "INSERT INTO reports (id, received_day, "
	    "status, status_day, unit, ack_day, feedback_day) VALUES "
	    "(x'%032x', %lld, %d, %lld, '%s', %s, %s)", n, (long long)day,
	    status, (long long)day, unit, a, fb);
	sql(f, q);
}

/* Every cell as "table/category" and its count. */
struct all_cells {
	char	name[64][128];
	int64_t	count[64];
	size_t	n;
};

static void
keep(void *arg, const char *table, const char *cat, enum sdc_flag flag,
    int64_t count)
{
	struct all_cells *a = arg;

	assert_int_equal(flag, SDC_PUBLISHED);
	if (count == 0 || a->n == 64)
		return;
	snprintf(a->name[a->n], sizeof(a->name[0]), "%s/%s", table, cat);
	a->count[a->n++] = count;
}

static int64_t
count_of(const struct all_cells *a, const char *name)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (strcmp(a->name[i], name) == 0)
			return a->count[i];
	return 0;
}

static void
test_report_stats_units_quarters_and_deadlines(void **state)
{
	struct fx *f = *state;
	struct report_stats *st = NULL;
	struct all_cells a = { 0 };
	int64_t jan = deadline_from_civil(2025, 1, 10),
	    may = deadline_from_civil(2025, 5, 31),
	    dec = deadline_from_civil(2025, 12, 31);

	/* In time: acknowledged on day 7, feedback on its due day. */
	report_at(f, 1, jan, "sociaal", 3, jan + 7,
	    deadline_add_months(jan, 3));
	/* Late: acknowledged on day 8, feedback a day after its due day. */
	report_at(f, 2, may, "staf", 3, may + 8,
	    deadline_add_months(may, 3) + 1);
	/* Never acknowledged, long overdue: late; withdrawn: other. */
	report_at(f, 3, may, "sociaal", 2, -1, -1);
	report_at(f, 4, dec, "none", 4, -1, -1);
	/* Another year: not counted. */
	report_at(f, 5, deadline_from_civil(2024, 12, 31), "staf", 2, -1, -1);
	assert_int_equal(report_stats_count(f->s, 2025, &st), GH_OK);
	assert_int_equal(report_stats_reports(st), 4);
	assert_int_equal(report_stats_protect(st, 1, NULL, NULL), GH_OK);
	report_stats_cells(st, keep, &a);
	assert_int_equal(count_of(&a, "unit/sociaal"), 2);
	assert_int_equal(count_of(&a, "unit/staf"), 1);
	assert_int_equal(count_of(&a, "unit/not_recorded"), 1);
	assert_int_equal(count_of(&a, "quarter/q1"), 1);
	assert_int_equal(count_of(&a, "quarter/q2"), 2);
	assert_int_equal(count_of(&a, "quarter/q4"), 1);
	assert_int_equal(count_of(&a, "unit_quarter/sociaal:q1"), 1);
	assert_int_equal(count_of(&a, "unit_quarter/sociaal:q2"), 1);
	assert_int_equal(count_of(&a, "unit_quarter/staf:q2"), 1);
	assert_int_equal(count_of(&a, "unit_quarter/not_recorded:q4"), 1);
	assert_int_equal(count_of(&a, "acknowledgement/in_time"), 1);
	assert_int_equal(count_of(&a, "acknowledgement/late"), 2);
	assert_int_equal(count_of(&a, "acknowledgement/other"), 1);
	assert_int_equal(count_of(&a, "feedback/in_time"), 1);
	assert_int_equal(count_of(&a, "feedback/late"), 2);
	assert_int_equal(count_of(&a, "feedback/other"), 1);
	report_stats_free(st);
}

static void
test_report_stats_years_ascending(void **state)
{
	struct fx *f = *state;
	struct report_stats_years ys;

	assert_int_equal(report_stats_years(f->s, &ys), GH_OK);
	assert_int_equal(ys.n, 0);
	report_at(f, 1, deadline_from_civil(2026, 2, 1), "staf", 1, -1, -1);
	report_at(f, 2, deadline_from_civil(2024, 2, 1), "staf", 1, -1, -1);
	report_at(f, 3, deadline_from_civil(2025, 2, 1), "staf", 1, -1, -1);
	report_at(f, 4, deadline_from_civil(2024, 12, 31), "staf", 4, -1, -1);
	assert_int_equal(report_stats_years(f->s, &ys), GH_OK);
	assert_int_equal(ys.n, 3);
	assert_int_equal(ys.y[0], 2024);
	assert_int_equal(ys.y[1], 2025);
	assert_int_equal(ys.y[2], 2026);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_report_stats_two_grounds_count_under_each),
		T(test_report_stats_protect_passes_with_tags),
		T(test_report_stats_units_quarters_and_deadlines),
		T(test_report_stats_years_ascending),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

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

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_report_stats_two_grounds_count_under_each),
		T(test_report_stats_protect_passes_with_tags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

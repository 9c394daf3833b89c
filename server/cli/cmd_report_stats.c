/*
 * cmd_report_stats.c: "gehoord report-stats": the yearly overview of
 * reports and measures for the council.
 *
 * Data path: store_report_foreach (clear rows only: days, status,
 * categories; no text is opened and no key is needed) -> the reports
 * received in the year counted into four tables (form of behaviour,
 * ground, status, measure taken on closing) and the number that asked for
 * a second opinion -> one disclosure-control problem (release/sdc.h): the
 * total of all reports is the sum of each of the first three tables, the
 * "closed" cell is the sum of the measures, withdrawn is the status cell,
 * second opinions lie between that status cell and the total -> every
 * count from 1 to k-1 is suppressed (primary), sdc_protect adds secondary
 * suppression until no suppressed cell can be narrowed below k, and
 * sdc_audit checks the result -> report_stats.csv and report_stats.json
 * in DIR, written only if the audit passes (else exit 3, nothing written).
 * A zero is published: it says no report was of that kind, which points
 * to no one.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "pages/desk.h"
#include "release/sdc.h"
#include "report/deadline.h"
#include "store/store_report.h"
#include "util/buf.h"

#define MAX_CATS	16
#define NOT_RECORDED	"not_recorded"

static const char *const status_ids[] = {
	"received", "acknowledged", "in_progress", "closed", "withdrawn",
	"second_opinion", NULL
};

struct table {
	const char	*name;
	const char	*cats[MAX_CATS];
	size_t		 n;
	int64_t		 count[MAX_CATS];
	size_t		 cell[MAX_CATS];
	size_t		 total;		/* cell of the table's total */
};

enum { T_FORM, T_GROUND, T_STATUS, T_MEASURE, T_N };

struct stats {
	struct table	 t[T_N];
	int64_t		 n_reports, n_second;
	size_t		 all_cell, second_cell;
	int64_t		 first, last;	/* the year's days */
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

/* Counts value into t (unknown or empty values as not recorded). */
static void
table_count(struct table *t, const char *value)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->cats[i], value) == 0)
			break;
	if (i == t->n)
		for (i = 0; i < t->n; i++)
			if (strcmp(t->cats[i], NOT_RECORDED) == 0)
				break;
	if (i < t->n)
		t->count[i]++;
}

static int
count_row(void *arg, const struct report_row *row)
{
	struct stats *st = arg;

	if (row->received_day < st->first || row->received_day > st->last)
		return GH_OK;
	st->n_reports++;
	table_count(&st->t[T_FORM], row->form);
	table_count(&st->t[T_GROUND], row->ground);
	if ((int)row->status >= 0 && (int)row->status <= 5)
		st->t[T_STATUS].count[row->status]++;
	if (row->status == REPORT_CLOSED)
		table_count(&st->t[T_MEASURE], row->measure);
	if (row->second_opinion_day >= 0)
		st->n_second++;
	return GH_OK;
}

static int
add_cell(struct sdc *p, int64_t v, int k, size_t *idx)
{
	return sdc_add_cell(p, v, v > 0 && v < k ? SDC_PRIMARY : SDC_PUBLISHED,
	    (double)v, idx);
}

/* Builds the problem: cells and relations (see the comment on top). */
static int
build(struct sdc *p, struct stats *st, int k)
{
	size_t i, j;
	int r;

	if ((r = add_cell(p, st->n_reports, k, &st->all_cell)) != GH_OK)
		return r;
	for (i = 0; i < T_N; i++) {
		struct table *t = &st->t[i];

		for (j = 0; j < t->n; j++)
			if ((r = add_cell(p, t->count[j], k, &t->cell[j])) !=
			    GH_OK)
				return r;
		t->total = i == T_MEASURE ? st->t[T_STATUS].cell[3] :
		    st->all_cell;
		if ((r = sdc_add_sum(p, t->total, t->cell, t->n)) != GH_OK)
			return r;
	}
	if ((r = add_cell(p, st->n_second, k, &st->second_cell)) != GH_OK ||
	    (r = sdc_add_le(p, st->t[T_STATUS].cell[5], st->second_cell)) !=
	    GH_OK)
		return r;
	return sdc_add_le(p, st->second_cell, st->all_cell);
}

static const char *
flag_name(enum sdc_flag f)
{
	return f == SDC_PRIMARY ? "suppressed_primary" :
	    f == SDC_SECONDARY ? "suppressed_secondary" : "published";
}

static void
put_csv(struct buf *csv, cJSON *arr, const struct sdc *p,
    const char *table, const char *cat, size_t cell)
{
	enum sdc_flag f = sdc_cell_flag(p, cell);
	cJSON *o = cJSON_CreateObject();

	if (f == SDC_PUBLISHED)
		buf_printf(csv, "%s,%s,%lld,%s\r\n", table, cat,
		    (long long)sdc_cell_value(p, cell), flag_name(f));
	else
		buf_printf(csv, "%s,%s,,%s\r\n", table, cat, flag_name(f));
	cJSON_AddStringToObject(o, "table", table);
	cJSON_AddStringToObject(o, "category", cat);
	if (f == SDC_PUBLISHED)
		cJSON_AddNumberToObject(o, "count",
		    (double)sdc_cell_value(p, cell));
	else
		cJSON_AddNullToObject(o, "count");
	cJSON_AddStringToObject(o, "flag", flag_name(f));
	cJSON_AddItemToArray(arr, o);
}

static int
write_new(const char *dir, const char *name, const char *data, size_t len)
{
	char path[4096];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "wx")) == NULL) {
		fprintf(stderr, "gehoord report-stats: %s: %s\n", path,
		    strerror(errno));
		return GH_ERR_IO;
	}
	ok = fwrite(data, 1, len, f) == len;
	ok = fclose(f) == 0 && ok;
	if (!ok)
		fprintf(stderr, "gehoord report-stats: %s: write failed\n",
		    path);
	return ok ? GH_OK : GH_ERR_IO;
}

static int
write_out(const char *dir, const struct sdc *p, const struct stats *st,
    int year, int k)
{
	struct buf csv = { 0 };
	cJSON *root = cJSON_CreateObject(), *cells;
	char *json = NULL;
	size_t i, j;
	int r = GH_ERR_NOMEM;

	buf_puts(&csv, "table,category,count,flag\r\n");
	cJSON_AddNumberToObject(root, "year", year);
	cJSON_AddNumberToObject(root, "k", k);
	cells = cJSON_AddArrayToObject(root, "cells");
	put_csv(&csv, cells, p, "all", "reports", st->all_cell);
	for (i = 0; i < T_N; i++)
		for (j = 0; j < st->t[i].n; j++)
			put_csv(&csv, cells, p, st->t[i].name, st->t[i].cats[j],
			    st->t[i].cell[j]);
	put_csv(&csv, cells, p, "summary", "withdrawn",
	    st->t[T_STATUS].cell[4]);
	put_csv(&csv, cells, p, "summary", "second_opinion_requested",
	    st->second_cell);
	if (buf_is_failed(&csv) || (json = cJSON_Print(root)) == NULL)
		goto out;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "gehoord report-stats: %s: %s\n", dir,
		    strerror(errno));
		r = GH_ERR_IO;
		goto out;
	}
	if ((r = write_new(dir, "report_stats.csv", csv.data, csv.len)) ==
	    GH_OK)
		r = write_new(dir, "report_stats.json", json, strlen(json));
out:
	buf_free(&csv);
	cJSON_free(json);
	cJSON_Delete(root);
	return r;
}

static void
progress(void *arg, const char *what, size_t done, size_t total)
{
	(void)arg;
	fprintf(stderr, "gehoord report-stats: %s %zu/%zu\n", what, done,
	    total);
}

static int
run(const char *db, int year, int k, const char *dir)
{
	struct store *s = NULL;
	struct sdc *p = NULL;
	struct stats st;
	size_t failed = 0;
	int r;

	memset(&st, 0, sizeof(st));
	table_init(&st.t[T_FORM], "form", desk_cat_ids(DESK_CAT_FORM), 1);
	table_init(&st.t[T_GROUND], "ground", desk_cat_ids(DESK_CAT_GROUND),
	    1);
	table_init(&st.t[T_STATUS], "status", status_ids, 0);
	table_init(&st.t[T_MEASURE], "measure",
	    desk_cat_ids(DESK_CAT_MEASURE), 1);
	st.first = deadline_from_civil(year, 1, 1);
	st.last = deadline_from_civil(year, 12, 31);
	if ((r = store_open(db, 0, &s)) != GH_OK) {
		fprintf(stderr, "gehoord report-stats: %s: cannot open the "
		    "database: %s\n", db, gh_err_str(r));
		return r;
	}
	r = store_report_foreach(s, count_row, &st);
	store_close(s);
	if (r != GH_OK || (r = sdc_new(&p)) != GH_OK ||
	    (r = build(p, &st, k)) != GH_OK)
		goto out;
	if ((r = sdc_protect(p, k, progress, NULL, &failed)) == GH_OK)
		r = sdc_audit(p, k, progress, NULL, &failed);
	if (r == GH_ERR_PRIVACY) {
		fprintf(stderr, "gehoord report-stats: the audit fails: a "
		    "suppressed count could be narrowed below %d; nothing was "
		    "written\n", k);
		goto out;
	}
	if (r != GH_OK)
		goto out;
	r = write_out(dir, p, &st, year, k);
	if (r == GH_OK)
		printf("%lld reports received in %d; report_stats.csv and "
		    "report_stats.json written to %s\n",
		    (long long)st.n_reports, year, dir);
out:
	if (r != GH_OK && r != GH_ERR_PRIVACY && r != GH_ERR_IO)
		fprintf(stderr, "gehoord report-stats: %s\n", gh_err_str(r));
	sdc_free(p);
	return r;
}

int
cmd_report_stats(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database", 0 },
		{ "year", "YYYY", 1, "count the reports received in this year",
		    0 },
		{ "out", "DIR", 1, "write report_stats.csv and "
		    "report_stats.json here (made if missing; existing files "
		    "are never overwritten)", 0 },
		{ "k", "N", 0, "no count from 1 to N-1 is published "
		    "(default 10, at least 5)", 0 },
		{ 0 }
	};
	long long year, k = STORE_K_DEFAULT;
	const char *kv;
	int is_help;

	if (args_parse(argc, argv, specs, "The yearly overview for the "
	    "council: reports received in YYYY by form of behaviour, ground, "
	    "status and measure taken, withdrawn and second-opinion counts; "
	    "counts below k suppressed, with secondary suppression and an "
	    "audit (exit 3 if it fails).", &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	if (args_int("report-stats", "year", args_get(specs, "year"), 2000,
	    9999, &year) != GH_OK)
		return CLI_USAGE;
	if ((kv = args_get(specs, "k")) != NULL &&
	    args_int("report-stats", "k", kv, -1000000, 1000000, &k) != GH_OK)
		return CLI_USAGE;
	if (k < STORE_K_MIN) {
		fprintf(stderr, "gehoord report-stats: --k: %lld is below the "
		    "minimum group size %d; refused\n", k, STORE_K_MIN);
		return CLI_PRIVACY;
	}
	return cli_exit_code(run(args_get(specs, "db"), (int)year, (int)k,
	    args_get(specs, "out")));
}

/*
 * cmd_report_stats.c: "gehoord report-stats": the yearly overview of
 * reports and measures for the council.
 *
 * Option parsing and output only: report/report_stats.c counts the
 * reports and protects the counts (primary and secondary suppression, then
 * the audit). Data path: --db, --year, --k -> report_stats_count ->
 * report_stats_protect -> report_stats_cells -> report_stats.csv and
 * report_stats.json (with a note that a report with two grounds counts
 * under each, the totals once) in DIR, written only if the audit passes (else exit 3,
 * nothing written).
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "report/report_stats.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/file.h"

static const char *
flag_name(enum sdc_flag f)
{
	return f == SDC_PRIMARY ? "suppressed_primary" :
	    f == SDC_SECONDARY ? "suppressed_secondary" : "published";
}

/* Where the cells go: the CSV text and the JSON array. */
struct out {
	struct buf	 csv;
	cJSON		*cells;
};

static void
put_csv(void *arg, const char *table, const char *cat, enum sdc_flag f,
    int64_t count)
{
	struct out *o = arg;
	cJSON *c = cJSON_CreateObject();

	if (f == SDC_PUBLISHED)
		buf_printf(&o->csv, "%s,%s,%lld,%s\r\n", table, cat,
		    (long long)count, flag_name(f));
	else
		buf_printf(&o->csv, "%s,%s,,%s\r\n", table, cat,
		    flag_name(f));
	cJSON_AddStringToObject(c, "table", table);
	cJSON_AddStringToObject(c, "category", cat);
	if (f == SDC_PUBLISHED)
		cJSON_AddNumberToObject(c, "count", (double)count);
	else
		cJSON_AddNullToObject(c, "count");
	cJSON_AddStringToObject(c, "flag", flag_name(f));
	cJSON_AddItemToArray(o->cells, c);
}

/* Writes dir/name new (never over a file), mode 0644, made durable. */
static int
write_new(const char *dir, const char *name, const char *data, size_t len)
{
	char path[4096];
	int r;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((r = file_write_new(path, data, len, 0644)) == GH_OK)
		return GH_OK;
	if (r == GH_ERR_EXISTS)
		fprintf(stderr, "gehoord report-stats: %s: exists already; "
		    "refusing to overwrite it\n", path);
	else
		fprintf(stderr, "gehoord report-stats: %s: write failed\n",
		    path);
	return GH_ERR_IO;
}

static int
write_out(const char *dir, const struct report_stats *st, int year, int k)
{
	struct out o = { { 0 }, NULL };
	cJSON *root = cJSON_CreateObject();
	char *json = NULL;
	int r = GH_ERR_NOMEM;

	buf_puts(&o.csv, "table,category,count,flag\r\n");
	cJSON_AddNumberToObject(root, "year", year);
	cJSON_AddNumberToObject(root, "k", k);
	cJSON_AddStringToObject(root, "note", "A report with several forms, "
	    "grounds or measures counts once under each of them, so the "
	    "form, ground and measure tables may add up to more than their "
	    "total; the totals (all, status, summary) count each report "
	    "once.");
	o.cells = cJSON_AddArrayToObject(root, "cells");
	report_stats_cells(st, put_csv, &o);
	if (buf_is_failed(&o.csv) || (json = cJSON_Print(root)) == NULL)
		goto out;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "gehoord report-stats: %s: %s\n", dir,
		    strerror(errno));
		r = GH_ERR_IO;
		goto out;
	}
	if ((r = write_new(dir, "report_stats.csv", o.csv.data, o.csv.len)) ==
	    GH_OK)
		r = write_new(dir, "report_stats.json", json, strlen(json));
out:
	buf_free(&o.csv);
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
	struct report_stats *st = NULL;
	int r;

	if ((r = store_open(db, 0, &s)) != GH_OK) {
		fprintf(stderr, "gehoord report-stats: %s: cannot open the "
		    "database: %s\n", db, gh_err_str(r));
		return r;
	}
	r = report_stats_count(s, year, &st);
	store_close(s);
	if (r != GH_OK)
		goto out;
	r = report_stats_protect(st, k, progress, NULL);
	if (r == GH_ERR_PRIVACY) {
		fprintf(stderr, "gehoord report-stats: the audit fails: a "
		    "suppressed count could be narrowed below %d; nothing was "
		    "written\n", k);
		goto out;
	}
	if (r != GH_OK)
		goto out;
	r = write_out(dir, st, year, k);
	if (r == GH_OK)
		printf("%lld reports received in %d; report_stats.csv and "
		    "report_stats.json written to %s\n",
		    (long long)report_stats_reports(st), year, dir);
out:
	if (r != GH_OK && r != GH_ERR_PRIVACY && r != GH_ERR_IO)
		fprintf(stderr, "gehoord report-stats: %s\n", gh_err_str(r));
	report_stats_free(st);
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

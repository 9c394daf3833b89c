/*
 * cmd_report_stats.c: "gehoord report-stats": the council's yearly report
 * on reports and measures.
 *
 * Option parsing and output only: report/report_stats.c counts the
 * reports and protects the counts (primary and secondary suppression, then
 * the audit), pages/page_council.c renders the report, cli/council_pdf.c
 * prints it. Data path: --db, --year, --k -> for the year and every
 * earlier year with reports: report_stats_count -> report_stats_protect
 * -> report_stats_cells (an audit that fails for the year: exit 3,
 * nothing written; for an earlier year: the trend hides all of that
 * year's figures) -> DIR made new (an existing DIR is refused) ->
 * report_stats.csv and report_stats.json of the year (with a note that a
 * report with two grounds counts under each, the totals once), report.html
 * (in --lang) and with --pdf report.pdf -> MANIFEST, MANIFEST.sig and
 * release-key.pub signed with the release signing key, as a release is
 * (release/manifest.h; gehoord verify and signify -V check it). Any
 * failure after DIR was made removes what was written.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/council_pdf.h"
#include "crypto/signkey.h"
#include "pages/council.h"
#include "pages/page.h"
#include "release/manifest.h"
#include "report/deadline.h"
#include "report/report_stats.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/file.h"

#define CMD		"gehoord report-stats"
#define MAX_YEARS	(REPORT_STATS_YEARS_MAX + 1)
#define MAX_FILES	4

static const char *const signed_files[] = {
	"MANIFEST", "MANIFEST.sig", "release-key.pub"
};

static const char *
flag_name(enum sdc_flag f)
{
	return f == SDC_PRIMARY ? "suppressed_primary" :
	    f == SDC_SECONDARY ? "suppressed_secondary" : "published";
}

/* The figures of one year as the report renders them. */
struct year_cells {
	struct council_cell	*cells;
	size_t			 n, cap;
	int			 is_failed;
};

/* Where the cells go: the CSV text, the JSON array and the report's. */
struct out {
	struct buf		 csv;
	cJSON			*cells;
	struct year_cells	*yc;
};

static void
put_year(struct year_cells *yc, const char *table, const char *cat,
    enum sdc_flag f, int64_t count)
{
	struct council_cell *c;

	if (yc->n == yc->cap) {
		size_t cap = yc->cap ? yc->cap * 2 : 128;

		if ((c = realloc(yc->cells, cap * sizeof(*c))) == NULL) {
			yc->is_failed = 1;
			return;
		}
		yc->cells = c;
		yc->cap = cap;
	}
	c = &yc->cells[yc->n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->table, sizeof(c->table), "%s", table);
	snprintf(c->cat, sizeof(c->cat), "%s", cat);
	c->is_published = f == SDC_PUBLISHED;
	c->count = c->is_published ? count : 0;
}

static void
put_cell(void *arg, const char *table, const char *cat, enum sdc_flag f,
    int64_t count)
{
	struct out *o = arg;
	cJSON *c;

	if (o->yc != NULL)
		put_year(o->yc, table, cat, f, count);
	if (o->cells == NULL)
		return;
	c = cJSON_CreateObject();
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
	char path[PATH_MAX];
	int r;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((r = file_write_new(path, data, len, 0644)) == GH_OK) {
		fprintf(stderr, CMD ": wrote %s\n", name);
		return GH_OK;
	}
	fprintf(stderr, CMD ": %s: %s\n", path, r == GH_ERR_EXISTS ?
	    "exists already; refusing to overwrite it" : "write failed");
	return GH_ERR_IO;
}

static void
progress(void *arg, const char *what, size_t done, size_t total)
{
	(void)arg;
	fprintf(stderr, CMD ": %s %zu/%zu\n", what, done, total);
}

/* Everything one run holds. */
struct run {
	const char		*db, *dir, *chromium;
	int			 year, k;
	enum def_lang		 lang;
	uint8_t			*sk;
	struct report_stats	*st;		/* the report's year */
	struct year_cells	 yc[MAX_YEARS];
	struct council_year	 years[MAX_YEARS];
	size_t			 n_years;
	const char		*files[MAX_FILES];
	size_t			 n_files;
	int			 is_dir_made;
};

/* Counts and protects year into x->yc[i]; the report's year is kept. */
static int
count_year(struct run *x, struct store *s, int year, size_t i)
{
	struct report_stats *st = NULL;
	struct out o = { { 0 }, NULL, &x->yc[i] };
	int r;

	fprintf(stderr, CMD ": counting %d\n", year);
	if ((r = report_stats_count(s, year, &st)) != GH_OK)
		goto out;
	r = report_stats_protect(st, x->k, progress, NULL);
	x->years[i].year = year;
	if (r == GH_ERR_PRIVACY && year != x->year) {
		/* Too few reports to protect: the trend hides the year. */
		fprintf(stderr, CMD ": the audit of %d fails (too few reports "
		    "to protect); the trend shows none of its figures\n",
		    year);
		r = GH_OK;
		goto out;
	}
	if (r == GH_ERR_PRIVACY) {
		fprintf(stderr, CMD ": the audit of %d fails: a suppressed "
		    "count could be narrowed below %d; nothing was written\n",
		    year, x->k);
		goto out;
	}
	if (r != GH_OK)
		goto out;
	report_stats_cells(st, put_cell, &o);
	if (x->yc[i].is_failed) {
		r = GH_ERR_NOMEM;
		goto out;
	}
	x->years[i].cells = x->yc[i].cells;
	x->years[i].n = x->yc[i].n;
	if (year == x->year) {
		x->st = st;
		st = NULL;
	}
out:
	report_stats_free(st);
	return r;
}

/* The report's year and every earlier year with reports, in order. */
static int
count_all(struct run *x)
{
	struct store *s = NULL;
	struct report_stats_years ys;
	size_t n, i;
	int r;

	if ((r = store_open(x->db, 0, &s)) != GH_OK) {
		fprintf(stderr, CMD ": %s: cannot open the database: %s\n",
		    x->db, gh_err_str(r));
		return r;
	}
	if ((r = report_stats_years(s, &ys)) != GH_OK) {
		if (r == GH_ERR_TOO_LARGE)
			fprintf(stderr, CMD ": reports in more than %d "
			    "years; not supported\n", REPORT_STATS_YEARS_MAX);
		goto out;
	}
	for (n = 0; n < ys.n && ys.y[n] < x->year; n++)
		;
	for (i = 0; i <= n && r == GH_OK; i++) {
		r = count_year(x, s, i < n ? ys.y[i] : x->year, i);
		x->n_years = i + 1;
	}
out:
	store_close(s);
	return r;
}

static int
write_tables(struct run *x)
{
	struct out o = { { 0 }, NULL, NULL };
	cJSON *root = cJSON_CreateObject();
	char *json = NULL;
	int r = GH_ERR_NOMEM;

	buf_puts(&o.csv, "table,category,count,flag\r\n");
	cJSON_AddNumberToObject(root, "year", x->year);
	cJSON_AddNumberToObject(root, "k", x->k);
	cJSON_AddStringToObject(root, "note", "A report with several forms, "
	    "grounds or measures counts once under each of them, so the "
	    "form, ground and measure tables may add up to more than their "
	    "total; the totals (all, status, summary) count each report "
	    "once.");
	o.cells = cJSON_AddArrayToObject(root, "cells");
	report_stats_cells(x->st, put_cell, &o);
	if (buf_is_failed(&o.csv) || (json = cJSON_Print(root)) == NULL)
		goto out;
	if ((r = write_new(x->dir, "report_stats.csv", o.csv.data,
	    o.csv.len)) != GH_OK)
		goto out;
	x->files[x->n_files++] = "report_stats.csv";
	if ((r = write_new(x->dir, "report_stats.json", json,
	    strlen(json))) == GH_OK)
		x->files[x->n_files++] = "report_stats.json";
out:
	buf_free(&o.csv);
	cJSON_free(json);
	cJSON_Delete(root);
	return r;
}

static int
write_report(struct run *x)
{
	struct council_view v;
	struct buf html = { 0 };
	int y, m, d, r;

	memset(&v, 0, sizeof(v));
	v.lang = x->lang;
	v.k = x->k;
	deadline_civil(store_today(), &y, &m, &d);
	snprintf(v.made, sizeof(v.made), "%04d-%02d-%02d", y, m, d);
	v.years = x->years;
	v.n_years = x->n_years;
	if ((r = page_init()) != GH_OK ||
	    (r = page_council(&html, &v)) != GH_OK) {
		fprintf(stderr, CMD ": cannot render report.html: %s\n",
		    gh_err_str(r));
		goto out;
	}
	if ((r = write_new(x->dir, "report.html", html.data, html.len)) ==
	    GH_OK)
		x->files[x->n_files++] = "report.html";
out:
	buf_free(&html);
	return r;
}

static int
write_pdf(struct run *x)
{
	char abs[PATH_MAX], html[PATH_MAX + 16], pdf[PATH_MAX + 16];
	int r;

	if (realpath(x->dir, abs) == NULL)
		return GH_ERR_IO;
	snprintf(html, sizeof(html), "%s/report.html", abs);
	snprintf(pdf, sizeof(pdf), "%s/report.pdf", abs);
	fprintf(stderr, CMD ": printing report.pdf with %s\n", x->chromium);
	if ((r = council_pdf_print(x->chromium, html, pdf)) == GH_OK) {
		x->files[x->n_files++] = "report.pdf";
		fprintf(stderr, CMD ": wrote report.pdf\n");
	}
	return r;
}

/* Removes what this run wrote into DIR, and DIR. */
static void
undo(struct run *x)
{
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < x->n_files; i++) {
		snprintf(path, sizeof(path), "%s/%s", x->dir, x->files[i]);
		unlink(path);
	}
	for (i = 0; i < sizeof(signed_files) / sizeof(signed_files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", x->dir, signed_files[i]);
		unlink(path);
	}
	if (x->is_dir_made && rmdir(x->dir) != 0)
		fprintf(stderr, CMD ": %s: could not remove it: %s\n", x->dir,
		    strerror(errno));
}

static int
load_key(struct run *x)
{
	char path[PATH_MAX];
	int r;

	if ((r = signkey_path(path, sizeof(path), x->db, "release")) !=
	    GH_OK || (r = signkey_load(path, &x->sk, NULL)) != GH_OK)
		fprintf(stderr, CMD ": %s: no release signing key to sign "
		    "the report (run gehoord init --db %s)\n", path, x->db);
	return r;
}

static int
run(struct run *x)
{
	struct stat sb;
	int r;

	if (lstat(x->dir, &sb) == 0 || errno != ENOENT) {
		fprintf(stderr, CMD ": --out: %s exists already; give a new "
		    "directory (a report is never written over another)\n",
		    x->dir);
		return GH_ERR_EXISTS;
	}
	if ((r = load_key(x)) != GH_OK || (r = count_all(x)) != GH_OK)
		return r;
	if (mkdir(x->dir, 0755) != 0) {
		fprintf(stderr, CMD ": %s: %s\n", x->dir, strerror(errno));
		return GH_ERR_IO;
	}
	x->is_dir_made = 1;
	if ((r = write_tables(x)) != GH_OK || (r = write_report(x)) != GH_OK ||
	    (x->chromium != NULL && (r = write_pdf(x)) != GH_OK))
		goto out;
	if ((r = manifest_write(x->dir, x->files, x->n_files, x->sk, NULL,
	    NULL)) != GH_OK)
		goto out;
	fprintf(stderr, CMD ": signed MANIFEST\n");
	printf("%lld reports received in %d; the report and its figures "
	    "are in %s, signed (check with gehoord verify %s)\n",
	    (long long)report_stats_reports(x->st), x->year, x->dir, x->dir);
out:
	if (r != GH_OK)
		undo(x);
	return r;
}

static void
run_free(struct run *x)
{
	size_t i;

	signkey_free(x->sk);
	report_stats_free(x->st);
	for (i = 0; i < MAX_YEARS; i++)
		free(x->yc[i].cells);
}

int
cmd_report_stats(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database", 0 },
		{ "year", "YYYY", 1, "report on the reports received in this "
		    "year", 0 },
		{ "out", "DIR", 1, "write the report here: DIR must not exist "
		    "yet (a report is never written over another)", 0 },
		{ "k", "N", 0, "no count from 1 to N-1 is published "
		    "(default 10, at least 5)", 0 },
		{ "lang", "nl|en", 0, "the language of report.html (default "
		    "nl)", 0 },
		{ "pdf", NULL, 0, "also print report.pdf with headless "
		    "Chromium ($GEHOORD_CHROMIUM or /usr/bin/chromium; exit 1 "
		    "before anything is written if it is missing)", 0 },
		{ 0 }
	};
	struct run *x;
	long long year, k = STORE_K_DEFAULT;
	const char *kv, *lang;
	int is_help, r;

	if (args_parse(argc, argv, specs, "The yearly report for the "
	    "council: report.html (printable, A4), report_stats.csv and "
	    "report_stats.json, and with --pdf report.pdf, signed with the "
	    "release signing key (MANIFEST, MANIFEST.sig, release-key.pub; "
	    "check with gehoord verify DIR). It counts the reports received "
	    "in YYYY by form, ground, unit, status and measure taken, the "
	    "deadlines kept, the signals per unit and quarter, and the trend "
	    "over the earlier years; counts below k suppressed, with "
	    "secondary suppression and an audit (exit 3 if it fails). Exit "
	    "0: written; 1: failed (nothing left behind); 2: usage; 3: "
	    "privacy.", &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	if (args_int("report-stats", "year", args_get(specs, "year"), 2000,
	    9999, &year) != GH_OK)
		return CLI_USAGE;
	if ((kv = args_get(specs, "k")) != NULL &&
	    args_int("report-stats", "k", kv, -1000000, 1000000, &k) != GH_OK)
		return CLI_USAGE;
	lang = args_get(specs, "lang");
	if (lang != NULL && strcmp(lang, "nl") != 0 && strcmp(lang, "en") != 0) {
		fprintf(stderr, CMD ": --lang: \"%s\" is not nl or en\n",
		    lang);
		return CLI_USAGE;
	}
	if (k < STORE_K_MIN) {
		fprintf(stderr, CMD ": --k: %lld is below the minimum group "
		    "size %d; refused\n", k, STORE_K_MIN);
		return CLI_PRIVACY;
	}
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return CLI_FAIL;
	x->db = args_get(specs, "db");
	x->dir = args_get(specs, "out");
	x->year = (int)year;
	x->k = (int)k;
	x->lang = lang != NULL && strcmp(lang, "en") == 0 ? DEF_EN : DEF_NL;
	if (args_get(specs, "pdf") != NULL &&
	    (x->chromium = council_pdf_chromium()) == NULL) {
		fprintf(stderr, CMD ": --pdf: no Chromium to print with "
		    "(install the Debian package chromium, or set "
		    "GEHOORD_CHROMIUM); nothing was written\n");
		free(x);
		return CLI_FAIL;
	}
	r = run(x);
	if (r != GH_OK && r != GH_ERR_PRIVACY && r != GH_ERR_IO &&
	    r != GH_ERR_EXISTS)
		fprintf(stderr, CMD ": %s\n", gh_err_str(r));
	run_free(x);
	free(x);
	return cli_exit_code(r);
}

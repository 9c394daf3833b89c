/*
 * cmd_console_units.c: "gehoord console units|participation"
 * (console_cli.h).
 *
 * units: --csv FILE read whole (at most UNITS_FILE_MAX bytes) ->
 * units_csv_parse (any problem: every problem shown as "FILE:LINE:
 * what" in English, exit 1, nothing stored) -> store_console_units_replace
 * (one transaction) -> the audit row (--by, "units_upload", how many).
 * The units are the organisation's, for every wave: --wave, if given,
 * must name an existing wave, so that a script for one wave fails on a
 * wrong one rather than seeming to upload for it.
 *
 * participation: for --wave, each unit with at least the wave's k links
 * used as of the last daily count (as /console/participation), as
 * tab-separated lines: unit, links issued, links used, head count (or
 * "-"), the share in percent of the head count (else of the links
 * issued), the day of the count; then how many units are left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/console_cli.h"
#include "crypto/fileio.h"
#include "pages/desk.h"
#include "pages/page.h"
#include "store/store.h"
#include "store/store_console.h"
#include "survey/units_csv.h"

#define UNITS_FILE_MAX		((size_t)1024 * 1024)
#define UNITS_ERRS_SHOWN	50
#define PERCENT			100.0

/* Prints each problem as "FILE:LINE: what" (the console's English). */
static void
print_problems(const char *path, const struct units_csv_error *errs,
    size_t n, size_t n_all)
{
	struct buf b = { 0 };
	char other[24];
	size_t i;

	for (i = 0; i < n; i++) {
		b.len = 0;
		snprintf(other, sizeof(other), "%zu", errs[i].other_line);
		page_desk_msg_d(&b, DEF_EN, errs[i].key, "{other}", other);
		fprintf(stderr, "gehoord console units: %s:%zu: %s\n", path,
		    errs[i].line, buf_is_failed(&b) || b.data == NULL ?
		    errs[i].key : b.data);
	}
	if (n_all > n)
		fprintf(stderr, "gehoord console units: and %zu more "
		    "problems\n", n_all - n);
	buf_free(&b);
}

/* Checks --wave if given; GH_OK, GH_ERR_USAGE or GH_ERR_NOT_FOUND. */
static int
check_wave(struct store *s, const char *cmd, const char *v,
    struct store_wave **w)
{
	long long id;

	if (args_int(cmd, "wave", v, 1, INT64_MAX, &id) != GH_OK)
		return GH_ERR_USAGE;
	if (store_wave_get(s, id, w) != GH_OK) {
		fprintf(stderr, "gehoord %s: --wave: no wave %lld\n", cmd, id);
		return GH_ERR_NOT_FOUND;
	}
	return GH_OK;
}

/* Stores the n parsed units and audits the upload by who. */
static int
units_store(struct store *s, const struct units_csv_unit *units, size_t n,
    const char *who)
{
	const char **names = NULL;
	int64_t *heads = NULL;
	char object[32];
	size_t i;
	int r = GH_ERR_NOMEM;

	if ((names = calloc(n, sizeof(*names))) == NULL ||
	    (heads = calloc(n, sizeof(*heads))) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		names[i] = units[i].name;
		heads[i] = units[i].head_count;
	}
	snprintf(object, sizeof(object), "%zu", n);
	if ((r = store_console_units_replace(s, names, heads, n)) == GH_OK)
		r = store_console_audit_add(s, who, "units_upload", object);
out:
	free(names);
	free(heads);
	return r;
}

int
console_units(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database", 0 },
		{ "csv", "FILE", 1, "the units, one a line: name,head count "
		    "(or ;), levels separated by /", 0 },
		{ "wave", "ID", 0, "a wave that must exist (the units are "
		    "the organisation's, for every wave)", 0 },
		{ "by", "NAME", 0, "who uploads, for the audit log (default "
		    "shell)", 0 },
		{ 0 }
	};
	struct units_csv_error errs[UNITS_ERRS_SHOWN];
	struct units_csv_unit *units = NULL;
	struct store_wave *w = NULL;
	struct store *s = NULL;
	const char *path, *by;
	uint8_t *text = NULL;
	size_t len = 0, n = 0, n_errs = 0;
	int r, is_help;

	if (args_parse(argc, argv, specs, "Replaces the organisation's units "
	    "(as the console's units page): a file with any problem stores "
	    "nothing, and every problem is named by its line.", &is_help) !=
	    GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	path = args_get(specs, "csv");
	by = args_get(specs, "by") != NULL ? args_get(specs, "by") : "shell";
	if ((text = malloc(UNITS_FILE_MAX)) == NULL)
		return CLI_FAIL;
	if ((r = fileio_read(path, text, UNITS_FILE_MAX, &len, NULL)) !=
	    GH_OK) {
		fprintf(stderr, "gehoord console units: --csv: %s: cannot "
		    "read: %s\n", path, gh_err_str(r));
		goto out;
	}
	if ((r = store_open(args_get(specs, "db"), 0, &s)) != GH_OK) {
		fprintf(stderr, "gehoord console units: %s: cannot open the "
		    "database: %s\n", args_get(specs, "db"), gh_err_str(r));
		goto out;
	}
	if (args_get(specs, "wave") != NULL && (r = check_wave(s,
	    "console units", args_get(specs, "wave"), &w)) != GH_OK)
		goto out;
	if ((r = page_init()) != GH_OK)
		goto out;
	r = units_csv_parse((const char *)text, len, &units, &n, errs,
	    UNITS_ERRS_SHOWN, &n_errs);
	if (r == GH_ERR_INVALID) {
		print_problems(path, errs, n_errs < UNITS_ERRS_SHOWN ? n_errs :
		    UNITS_ERRS_SHOWN, n_errs);
		goto out;
	}
	if (r != GH_OK || (r = units_store(s, units, n, by)) != GH_OK) {
		fprintf(stderr, "gehoord console units: storing the units "
		    "failed: %s\n", gh_err_str(r));
		goto out;
	}
	printf("%zu units stored\n", n);
out:
	free(units);
	free(text);
	store_wave_free(w);
	store_close(s);
	return cli_exit_code(r);
}

/* What participation prints, and how many it leaves out. */
struct part {
	int	 k;
	size_t	 n_hidden;
};

static int
print_unit(void *arg, const struct console_unit_row *row)
{
	struct part *p = arg;
	time_t t = (time_t)(row->day * 86400);
	int64_t of = row->head > 0 ? row->head : row->issued;
	char day[11] = "-", head[24] = "-";
	struct tm tm;

	if (row->spent < p->k) {
		p->n_hidden++;
		return GH_OK;
	}
	if (row->day > 0 && gmtime_r(&t, &tm) != NULL)
		(void)strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	if (row->head >= 0)
		snprintf(head, sizeof(head), "%lld", (long long)row->head);
	printf("%s\t%lld\t%lld\t%s\t%.0f%%\t%s\n", row->unit,
	    (long long)row->issued, (long long)row->spent, head, of > 0 ?
	    PERCENT * (double)row->spent / (double)of : 0.0, day);
	return GH_OK;
}

int
console_participation(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database", 0 },
		{ "wave", "ID", 1, "the wave's id", 0 },
		{ 0 }
	};
	struct store_wave *w = NULL;
	struct store *s = NULL;
	struct part p = { 0, 0 };
	int r, is_help;

	if (args_parse(argc, argv, specs, "Prints a wave's links used per "
	    "unit as of the last daily count (as the console's "
	    "participation page), tab-separated: unit, issued, used, head "
	    "count, share, day. Only units with at least the wave's k links "
	    "used are listed; how many are left out is said last.",
	    &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	if ((r = store_open(args_get(specs, "db"), 0, &s)) != GH_OK) {
		fprintf(stderr, "gehoord console participation: %s: cannot "
		    "open the database: %s\n", args_get(specs, "db"),
		    gh_err_str(r));
		goto out;
	}
	if ((r = check_wave(s, "console participation",
	    args_get(specs, "wave"), &w)) != GH_OK)
		goto out;
	p.k = w->k;
	if ((r = store_console_participation_foreach(s, w->id, print_unit,
	    &p)) == GH_OK)
		printf("%zu units left out: fewer than %d links used\n",
		    p.n_hidden, p.k);
out:
	store_wave_free(w);
	store_close(s);
	return cli_exit_code(r);
}

/*
 * cmd_report_expire.c: "gehoord report-expire": destroys, once, every
 * report past its retention, as gehoord serve does every day.
 *
 * Data path: the options -> the database -> report_expire_run (the
 * daemon's function: report/report_expire.h), which prints one line per
 * expired report here (its case reference and last day, never a text)
 * -> a summary line. With --dry-run it only lists them.
 */
#include <stdio.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "report/deadline.h"
#include "report/report_expire.h"
#include "store/store.h"

static void
print_expired(void *arg, const struct store_retain_row *r, int64_t last)
{
	const int *is_dry_run = arg;
	int y, m, d;

	deadline_civil(last, &y, &m, &d);
	printf("%s report %s (kept until %04d-%02d-%02d)\n", *is_dry_run ?
	    "would destroy" : "destroying", r->ref[0] != '\0' ? r->ref :
	    "without reference", y, m, d);
	(void)fflush(stdout);
}

int
cmd_report_expire(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database", 0 },
		{ "dry-run", NULL, 0, "only list the reports that would be "
		    "destroyed; change nothing", 0 },
		{ 0 }
	};
	struct report_expire_stats st;
	struct store *s = NULL;
	const char *db;
	int r, is_help, is_dry_run;

	if (args_parse(argc, argv, specs, "Destroys every report past its "
	    "retention (its texts, keys and receipt; the tombstone with "
	    "status, categories, unit and days stays for the statistics), "
	    "as gehoord serve does every day. Exit 0 also when none expired.",
	    &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	db = args_get(specs, "db");
	is_dry_run = args_get(specs, "dry-run") != NULL;
	if ((r = store_open(db, 0, &s)) != GH_OK) {
		fprintf(stderr, "gehoord report-expire: --db: %s: cannot open "
		    "the database: %s\n", db, gh_err_str(r));
		return CLI_FAIL;
	}
	printf("checking reports against their retention...\n");
	(void)fflush(stdout);
	r = report_expire_run(s, store_today(), is_dry_run, print_expired,
	    &is_dry_run, &st);
	store_close(s);
	if (r != GH_OK) {
		fprintf(stderr, "gehoord report-expire: %s: %zu of %zu expired "
		    "reports could not be destroyed: %s\n", db, st.failed,
		    st.expired, gh_err_str(r));
		return CLI_FAIL;
	}
	printf("%zu reports checked, %zu %s\n", st.checked, st.expired,
	    is_dry_run ? "would be destroyed (dry run: nothing changed)" :
	    "destroyed");
	return CLI_OK;
}

/*
 * cmd_backup.c: the database's upkeep while the server runs.
 * "gehoord backup": a consistent copy, every table in key order (answers
 * in the order of their random ids). The pepper is deliberately not
 * copied: a backup that is stolen must not let anyone test guessed tokens.
 * "gehoord relayout": the database itself rewritten in key order, so that
 * no page or cell position follows the arrival of answers since the last
 * rewrite (run daily: server/deploy/gehoord-relayout.timer).
 */
#include <stdio.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "store/store.h"

int
cmd_backup(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database to copy (may be in use)", 0 },
		{ "out", "FILE", 1, "the new copy (never overwritten; mode 0600)", 0 },
		{ 0 }
	};
	struct store *s = NULL;
	const char *out;
	int r, is_help;

	if (args_parse(argc, argv, specs, "Copies the database consistently "
	    "while the server keeps running (VACUUM INTO: every table in key "
	    "order, answers in the order of their random ids, no WAL). The "
	    "pepper file is not copied: back it up once, separately.",
	    &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	out = args_get(specs, "out");
	if ((r = store_open(args_get(specs, "db"), 0, &s)) != GH_OK) {
		fprintf(stderr, "gehoord backup: %s: cannot open the database: "
		    "%s\n", args_get(specs, "db"), gh_err_str(r));
		goto out;
	}
	if ((r = store_backup(s, out)) != GH_OK) {
		fprintf(stderr, "gehoord backup: --out: %s: %s\n", out,
		    r == GH_ERR_EXISTS ? "exists already; refusing to "
		    "overwrite" : "the copy failed; nothing was left behind");
		goto out;
	}
	printf("backup written to %s (the pepper is not in it)\n", out);
out:
	store_close(s);
	return cli_exit_code(r);
}

int
cmd_relayout(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database (may be in use)", 0 },
		{ 0 }
	};
	struct store *s = NULL;
	int r, is_help;

	if (args_parse(argc, argv, specs, "Rewrites the database in key "
	    "order (VACUUM), so that no page or cell position follows the "
	    "order in which answers, spends and reports arrived, and empties "
	    "the WAL. The server keeps running: submissions wait until it is "
	    "done (seconds per GiB). Run it daily at a fixed hour.",
	    &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	if ((r = store_open(args_get(specs, "db"), 0, &s)) != GH_OK) {
		fprintf(stderr, "gehoord relayout: %s: cannot open the "
		    "database: %s\n", args_get(specs, "db"), gh_err_str(r));
		goto out;
	}
	fprintf(stderr, "gehoord relayout: rewriting %s...\n",
	    args_get(specs, "db"));
	if ((r = store_relayout(s)) != GH_OK) {
		fprintf(stderr, "gehoord relayout: %s: the rewrite failed; the "
		    "database is as it was\n", args_get(specs, "db"));
		goto out;
	}
	printf("rewritten in key order: %s\n", args_get(specs, "db"));
out:
	store_close(s);
	return cli_exit_code(r);
}

/*
 * cmd_backup.c: "gehoord backup": a consistent copy of the database while
 * the server runs. The pepper is deliberately not copied: a backup that
 * is stolen must not let anyone test guessed tokens (SECURITY.md).
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
	    "with SQLite's online backup API while the server keeps running. "
	    "The pepper file is not copied: back it up once, separately.",
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

/*
 * cmd_wave_delete.c: "gehoord wave delete": once a wave's figures are
 * published, deletes its answers, tokens, saved answers and invitations,
 * keeping the wave's row and its releases.
 *
 * Data path: the options -> the database -> store_wave_delete (one
 * transaction under secure_delete; refused while the wave has no
 * release) -> store_checkpoint_wait, so the -wal file holds no old page
 * -> what was removed, one line each.
 */
#include <stdio.h>
#include <stdint.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "store/store.h"
#include "store/store_retain.h"

static void
print_deleted(long long wave, const struct store_wave_deleted *d)
{
	printf("wave %lld: removed %lld answer rows, %lld tokens, %lld saved "
	    "answers, %lld invitations in %lld invitation batches\n", wave,
	    (long long)d->answers, (long long)d->tokens,
	    (long long)d->resumes, (long long)d->invitations,
	    (long long)d->invitation_batches);
	printf("wave %lld: kept the wave, its batches and its releases; "
	    "spent-token marks name no wave and stay\n", wave);
}

int
cmd_wave_delete(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database", 0 },
		{ "wave", "ID", 1, "the wave's id", 0 },
		{ 0 }
	};
	struct store_wave_deleted d;
	struct store *s = NULL;
	char name[] = "wave delete";
	const char *db;
	long long wave;
	int r, is_help;

	argv[0] = name;
	if (args_parse(argc, argv, specs, "Deletes a wave's answers, tokens, "
	    "saved answers and invitations for good, once the wave has a "
	    "release; the wave and its releases stay readable. Exit 1 and "
	    "nothing changed when it has no release.", &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	if (args_int("wave delete", "wave", args_get(specs, "wave"), 1,
	    INT64_MAX, &wave) != GH_OK)
		return CLI_USAGE;
	db = args_get(specs, "db");
	if ((r = store_open(db, STORE_ERASE, &s)) != GH_OK) {
		fprintf(stderr, "gehoord wave delete: --db: %s: cannot open "
		    "the database: %s\n", db, gh_err_str(r));
		return CLI_FAIL;
	}
	printf("wave %lld: deleting answers, tokens and invitations...\n",
	    wave);
	(void)fflush(stdout);
	r = store_wave_delete(s, (int64_t)wave, &d);
	if (r == GH_ERR_CLOSED)
		fprintf(stderr, "gehoord wave delete: --wave: wave %lld has no "
		    "release yet; publish its figures (gehoord release) "
		    "before deleting its answers. Nothing was changed.\n",
		    wave);
	else if (r == GH_ERR_NOT_FOUND)
		fprintf(stderr, "gehoord wave delete: --wave: no wave %lld in "
		    "%s. Nothing was changed.\n", wave, db);
	else if (r != GH_OK)
		fprintf(stderr, "gehoord wave delete: %s: %s. Nothing was "
		    "changed.\n", db, gh_err_str(r));
	if (r == GH_OK) {
		if (store_checkpoint_wait(s) != GH_OK) {
			fprintf(stderr, "gehoord wave delete: %s: the rows are "
			    "deleted, but the WAL could not be emptied now "
			    "(the server's next checkpoint does it)\n", db);
			r = GH_ERR_BUSY;
		}
		print_deleted(wave, &d);
	}
	store_close(s);
	return r == GH_OK ? CLI_OK : CLI_FAIL;
}

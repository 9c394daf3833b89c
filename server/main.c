/*
 * main.c: the gehoord command. Dispatches to a subcommand (server/cli/),
 * after initialising libsodium. Exit codes are documented in cli/cli.h.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "cli/cli.h"

static const struct {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*what;
} commands[] = {
	{ "init", cmd_init, "create or migrate the database and its pepper" },
	{ "keygen", cmd_keygen, "make a wave key pair, wrapped with a passphrase" },
	{ "key", cmd_key, "reshare a wave key between its holders (key reshare)" },
	{ "def", cmd_def, "check a survey definition (def check FILE)" },
	{ "wave", cmd_wave, "create, list, open, close a wave; raise its k" },
	{ "tokens", cmd_tokens, "issue a batch of one-time links and QR cards" },
	{ "invitations", cmd_invitations, "issue personal invitations that make blind links" },
	{ "serve", cmd_serve, "serve the surveys over HTTP" },
	{ "tally", cmd_tally, "open and count a wave's answers (custodian)" },
	{ "backup", cmd_backup, "copy the database consistently while serving" },
	{ "relayout", cmd_relayout, "rewrite the database in key order (daily)" },
	{ "release", cmd_release, "publish a wave's tables: suppressed, audited, signed" },
	{ "verify", cmd_verify, "check a release directory: signature, hashes, no extra file" },
	{ "user", cmd_user, "add or list desk and researcher accounts" },
	{ "report-stats", cmd_report_stats, "yearly overview of reports and measures" },
	{ "report-links", cmd_report_links, "issue one-time report links and QR cards" },
	{ "clean", cmd_clean, "remove the metadata of a picture or PDF (confined)" },
	{ "report-expire", cmd_report_expire, "destroy reports past their retention (once)" },
	{ "console", cmd_console, "the coordinator's audit log and wave schedules" },
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: gehoord COMMAND [options]   (gehoord COMMAND "
	    "--help for its options)\n\n");
	for (i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-13s %s\n", commands[i].name, commands[i].what);
	fprintf(f, "\nExit codes: 0 success, 1 failed (nothing changed), "
	    "2 usage, 3 refused to weaken privacy.\n");
}

int
main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return CLI_OK;
	}
	if (sodium_init() < 0) {
		(void)fputs("gehoord: libsodium could not be initialised\n",
		    stderr);
		return CLI_FAIL;
	}
	for (i = 0; i < N_COMMANDS; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "gehoord: unknown command '%s' (try gehoord --help)\n",
	    argv[1]);
	return CLI_USAGE;
}

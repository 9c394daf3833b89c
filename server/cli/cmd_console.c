/*
 * cmd_console.c: "gehoord console audit|schedule", the coordinator's
 * console on the command line: the audit log of what coordinators did,
 * and a wave's scheduled opening and closing (carried out by a running
 * `gehoord serve`). units and participation are cmd_console_units.c.
 * The console's other actions are `gehoord wave create|open|close|list`.
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/console_cli.h"
#include "cli/console_release.h"
#include "store/store.h"
#include "store/store_console.h"
#include "util/localtime.h"

#define AUDIT_DEFAULT	100

static int
print_row(void *arg, const struct console_audit_row *row)
{
	time_t t = (time_t)(row->day * 86400);
	struct tm tm;
	char day[11] = "";

	(void)arg;
	if (gmtime_r(&t, &tm) != NULL)
		(void)strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	printf("%s\t%s\t%s\t%s\n", day, row->user, row->action, row->object);
	return GH_OK;
}

static int
console_audit(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database", 0 },
		{ "max", "N", 0, "at most N rows, newest first (default 100)",
		    0 },
		{ 0 }
	};
	struct store *s = NULL;
	long long max = AUDIT_DEFAULT;
	int r, is_help;

	if (args_parse(argc, argv, specs, "Prints what coordinators did in "
	    "the console, newest first: day, coordinator, action, object "
	    "(tab-separated). It holds nothing about respondents.",
	    &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	if (args_get(specs, "max") != NULL && args_int("console audit", "max",
	    args_get(specs, "max"), 1, 1000000, &max) != GH_OK)
		return CLI_USAGE;
	if ((r = store_open(args_get(specs, "db"), 0, &s)) != GH_OK) {
		fprintf(stderr, "gehoord console audit: %s: cannot open the "
		    "database: %s\n", args_get(specs, "db"), gh_err_str(r));
		return CLI_FAIL;
	}
	r = store_console_audit_foreach(s, (int)max, print_row, NULL);
	store_close(s);
	return cli_exit_code(r);
}

/* Reads flag name's time into *t (absent: 0); prints why not. */
static int
flag_time(const struct arg_spec *specs, const char *name, int64_t *t)
{
	const char *v = args_get(specs, name);

	*t = 0;
	if (v == NULL || localtime_parse(v, t) == GH_OK)
		return GH_OK;
	fprintf(stderr, "gehoord console schedule: --%s: '%s' is not a local "
	    "date and time such as 2027-03-01T09:00\n", name, v);
	return GH_ERR_USAGE;
}

static int
console_schedule(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database", 0 },
		{ "wave", "ID", 1, "the wave's id", 0 },
		{ "open-at", "TIME", 0, "open it then: YYYY-MM-DDTHH:MM, "
		    "local time", 0 },
		{ "close-at", "TIME", 0, "close it then (after --open-at)", 0 },
		{ "by", "NAME", 1, "who schedules it, for the audit log", 0 },
		{ 0 }
	};
	struct store *s = NULL;
	char object[64];
	long long wave;
	int64_t open_at, close_at;
	int r, is_help;

	if (args_parse(argc, argv, specs, "Sets when a running gehoord serve "
	    "opens and closes a wave (a time already past: at once). "
	    "Neither --open-at nor --close-at removes the schedule.",
	    &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	if (args_int("console schedule", "wave", args_get(specs, "wave"), 1,
	    INT64_MAX, &wave) != GH_OK ||
	    flag_time(specs, "open-at", &open_at) != GH_OK ||
	    flag_time(specs, "close-at", &close_at) != GH_OK)
		return CLI_USAGE;
	if (open_at > 0 && close_at > 0 && close_at <= open_at) {
		fprintf(stderr, "gehoord console schedule: --close-at must "
		    "come after --open-at\n");
		return CLI_USAGE;
	}
	if ((r = store_open(args_get(specs, "db"), 0, &s)) != GH_OK) {
		fprintf(stderr, "gehoord console schedule: %s: cannot open "
		    "the database: %s\n", args_get(specs, "db"),
		    gh_err_str(r));
		return CLI_FAIL;
	}
	snprintf(object, sizeof(object), "%lld", wave);
	if ((r = store_console_schedule_set(s, wave, open_at, close_at,
	    args_get(specs, "by"))) == GH_OK)
		r = store_console_audit_add(s, args_get(specs, "by"),
		    "wave_schedule", object);
	store_close(s);
	if (r == GH_ERR_NOT_FOUND)
		fprintf(stderr, "gehoord console schedule: --wave: no wave "
		    "%lld\n", wave);
	else if (r == GH_ERR_INVALID)
		fprintf(stderr, "gehoord console schedule: --by: 1 to 64 "
		    "characters\n");
	else if (r == GH_OK)
		printf("wave %lld: %s\n", wave, open_at || close_at ?
		    "scheduled" : "schedule removed");
	return cli_exit_code(r);
}

int
cmd_console(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (strcmp(sub, "audit") == 0) {
		argv[1] = "console audit";
		return console_audit(argc - 1, argv + 1);
	}
	if (strcmp(sub, "schedule") == 0) {
		argv[1] = "console schedule";
		return console_schedule(argc - 1, argv + 1);
	}
	if (strcmp(sub, "units") == 0) {
		argv[1] = "console units";
		return console_units(argc - 1, argv + 1);
	}
	if (strcmp(sub, "participation") == 0) {
		argv[1] = "console participation";
		return console_participation(argc - 1, argv + 1);
	}
	if (strcmp(sub, "release-upload") == 0) {
		argv[1] = "console release-upload";
		return console_release_upload(argc - 1, argv + 1);
	}
	if (strcmp(sub, "release-publish") == 0) {
		argv[1] = "console release-publish";
		return console_release_publish(argc - 1, argv + 1);
	}
	fprintf(argc > 1 && strcmp(sub, "--help") != 0 ? stderr : stdout,
	    "usage: gehoord console audit|schedule|units|participation|"
	    "release-upload|release-publish [options]\n"
	    "       gehoord console SUBCOMMAND --help for each one's "
	    "options\n");
	return argc > 1 && strcmp(sub, "--help") == 0 ? CLI_OK : CLI_USAGE;
}

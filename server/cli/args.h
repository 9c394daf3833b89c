/*
 * args.h: the flag parser every subcommand shares.
 *
 * Flags are long options, "--name VALUE" or "--name=VALUE", or "--name" for
 * a boolean. Each subcommand declares its flags in a table; an unknown flag,
 * a missing value or a missing required flag is one clear line on stderr
 * and exit code 2 (usage).
 */
#ifndef GH_ARGS_H
#define GH_ARGS_H

#include <stddef.h>

#include "util/err.h"

struct arg_spec {
	const char	*name;		/* without the leading "--" */
	const char	*metavar;	/* NULL for a boolean flag */
	int		 is_required;
	const char	*help;
	const char	*value;		/* out: the value, "1" if a boolean was given */
};

/*
 * Parses argv[1..argc-1] (argv[0] is the subcommand's name) into specs,
 * ended by an entry with name NULL. "--help" prints usage (with synopsis)
 * to stdout and returns GH_ERR_USAGE with *is_help set. Returns GH_OK, or
 * GH_ERR_USAGE after printing the problem and a hint to stderr.
 */
int args_parse(int argc, char **argv, struct arg_spec *specs,
    const char *synopsis, int *is_help) GH_WUR;

/* Returns the value of flag name, or NULL if it was not given. */
const char *args_get(const struct arg_spec *specs, const char *name);

/*
 * Collects every value of flag name, in the order given, for a flag that
 * may be repeated (args_get gives only the last). Call after args_parse
 * accepted argv with the same specs. Stores at most max pointers into argv
 * at out and their number at *n. Prints "gehoord CMD: --NAME given more
 * than MAX times" and returns GH_ERR_USAGE if there are more.
 */
int args_get_all(int argc, char **argv, const struct arg_spec *specs,
    const char *name, const char **out, size_t max, size_t *n) GH_WUR;

/* Prints the usage of a subcommand to f. */
void args_usage(void *f, const char *cmd, const char *synopsis,
    const struct arg_spec *specs);

/*
 * Parses a decimal integer in [min, max] from flag name's value s. Prints
 * "gehoord CMD: --NAME: ..." and returns GH_ERR_USAGE if it is not one.
 */
int args_int(const char *cmd, const char *name, const char *s, long long min,
    long long max, long long *out) GH_WUR;

#endif

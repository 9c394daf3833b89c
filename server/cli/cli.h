/*
 * cli.h: the subcommands of gehoord and their shared helpers.
 *
 * Each cmd_* takes the subcommand's own argv (argv[0] is its name) and
 * returns the process exit code:
 *   0  success
 *   1  failed: bad input or an operation that could not be done; nothing
 *      was changed; one line on stderr says what and where
 *   2  usage: unknown or missing option (see --help)
 *   3  refused: the request would weaken a privacy guarantee (k too low,
 *      a token batch smaller than k, lowering k once answers exist)
 */
#ifndef GH_CLI_H
#define GH_CLI_H

#include <stddef.h>

#include "util/err.h"

enum cli_exit {
	CLI_OK = 0,
	CLI_FAIL = 1,
	CLI_USAGE = 2,
	CLI_PRIVACY = 3,
};

int cmd_init(int argc, char **argv);
int cmd_keygen(int argc, char **argv);
int cmd_wave(int argc, char **argv);
int cmd_def(int argc, char **argv);
int cmd_tokens(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_tally(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_relayout(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_release(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_report_stats(int argc, char **argv);
int cmd_report_links(int argc, char **argv);

/*
 * Reads a passphrase: the first line of path, or, when path is NULL, from
 * the terminal without echo (asked twice when confirm is set). The result
 * is in sodium_malloc memory; free it with cli_pass_free. Returns GH_OK,
 * GH_ERR_IO or GH_ERR_PASSPHRASE (empty, or the two entries differ),
 * after printing why.
 */
int cli_pass_read(const char *cmd, const char *path, int confirm,
    char **pass, size_t *len) GH_WUR;

/* Wipes and frees a passphrase from cli_pass_read; accepts NULL. */
void cli_pass_free(char *pass);

/* Writes the pepper file's path for database db into out ("DB.pepper"). */
int cli_pepper_path(char *out, size_t outsz, const char *db) GH_WUR;

/* Maps an error code to an exit code. */
int cli_exit_code(int r);

#endif

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
#include <stdint.h>

#include "util/err.h"

struct arg_spec;
struct wave_key;

enum cli_exit {
	CLI_OK = 0,
	CLI_FAIL = 1,
	CLI_USAGE = 2,
	CLI_PRIVACY = 3,
};

int cmd_init(int argc, char **argv);
int cmd_keygen(int argc, char **argv);
int cmd_wave(int argc, char **argv);
int cmd_console(int argc, char **argv);
int cmd_def(int argc, char **argv);
int cmd_tokens(int argc, char **argv);
int cmd_invitations(int argc, char **argv);
/* gehoord invitations keys (cmd_invitation_keys.c). */
int cmd_invitation_keys(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_tally(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_relayout(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_release(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_report_stats(int argc, char **argv);
int cmd_report_links(int argc, char **argv);
int cmd_key(int argc, char **argv);
int cmd_clean(int argc, char **argv);
/* gehoord report-expire (cmd_report_expire.c). */
int cmd_report_expire(int argc, char **argv);
/* gehoord wave delete (cmd_wave_delete.c; argv[0] is "delete"). */
int cmd_wave_delete(int argc, char **argv);

/* gehoord wave test-link and test-links-remove (cmd_wave_test.c; argv[0]
 * is "test-link" or "test-links-remove"). */
int cmd_wave_test(int argc, char **argv);

/* The most key files one command takes: every share of a key. */
#define CLI_KEYS_MAX 255

/*
 * Collects the --key FILE options of argv (after args_parse with specs)
 * into paths and the --passphrase-file F options into pass_files, in the
 * order given: the first passphrase file is the first key's, and so on.
 * Sets *n to the number of keys and *n_pass to that of passphrase files.
 * There must be as many of each; with may_ask set there may also be no
 * passphrase file at all (each is then asked on the terminal). Prints the
 * problem and returns GH_ERR_USAGE otherwise.
 */
int cli_key_args(const char *cmd, int argc, char **argv,
    const struct arg_spec *specs, int may_ask,
    const char *paths[CLI_KEYS_MAX], const char *pass_files[CLI_KEYS_MAX],
    size_t *n, size_t *n_pass) GH_WUR;

/*
 * Opens the wave key a group of holders brings: the n key files at paths
 * (one wave key file from keygen, or at least the threshold of one set of
 * shares), each with the passphrase in pass_files at the same place, or
 * asked on the terminal when pass_files is NULL. Every file is checked
 * against pk (unless NULL) and against the others before any passphrase
 * is read or derived; the joined key is checked against its public key.
 * Returns GH_OK with *key (free with wave_key_free), or an error after
 * one line on stderr naming the file.
 */
int cli_key_open(const char *cmd, const char *const *paths,
    const char *const *pass_files, size_t n, const uint8_t *pk,
    struct wave_key **key) GH_WUR;

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

/*
 * linkbatch.h: a batch of one-time links: tokens, hashes, link texts, and
 * their files. Shared by gehoord tokens issue (BASE/s/TOKEN) and gehoord
 * report-links issue (BASE/melden/l/TOKEN).
 *
 * Data path: the pepper (DB.pepper) -> n fresh tokens (crypto/token.h) ->
 * their keyed hashes and the link texts BASE PREFIX TOKEN -> OUT.csv and
 * an optional sheet, written as OUT.tmp (O_EXCL, mode 0600), synced and
 * closed -> the caller's store call for the hashes -> the files renamed
 * into place (linkbatch_store). The links exist only in those files;
 * linkbatch_free wipes them from memory and, if the batch failed, removes
 * the temporary files.
 *
 * Every message goes to stderr as "gehoord CMD: ..." with the caller's
 * command name.
 */
#ifndef GH_LINKBATCH_H
#define GH_LINKBATCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "crypto/token.h"
#include "util/err.h"

struct store;

/* The longest --base-url accepted. */
#define LINKBATCH_BASE_URL_MAX	200

struct linkbatch {
	const char	*cmd;		/* "tokens issue", for messages */
	const char	*clash;		/* what an existing output would lose */
	const char	*batch;		/* how the rename failure names it */
	uint8_t		*pepper;	/* from DB.pepper; pepper_free'd */
	char		**links;	/* n link texts; wiped when freed */
	uint8_t		(*hashes)[TOKEN_HASH_BYTES];	/* n keyed hashes */
	size_t		 n;
	char		 csv_tmp[4200];	/* "" once renamed or never made */
	char		 html_tmp[4200];
};

/* Writes the sheet of links[0..n-1] to f; arg is the caller's. */
typedef int (*linkbatch_sheet_fn)(FILE *f, const char *const *links,
    size_t n, const void *arg);

struct arg_spec;

/* Issues a batch: parses argv (argv[0] is cmd) against specs; an exit code. */
typedef int (*linkbatch_issue_fn)(int argc, char **argv,
    struct arg_spec *specs);

/*
 * The front door of a command whose one subcommand issues a batch (gehoord
 * tokens issue): argv[1] "issue" runs issue with argv[0] set to cmd
 * ("tokens issue"), "--help" prints the usage with synopsis, anything else
 * a usage line. Returns the exit code.
 */
int linkbatch_cmd(int argc, char **argv, char *cmd, const char *synopsis,
    struct arg_spec *specs, linkbatch_issue_fn issue);

/* Stores hashes[0..n-1] as one batch (the command's store call). */
typedef int (*linkbatch_store_fn)(struct store *s,
    const uint8_t (*hashes)[TOKEN_HASH_BYTES], size_t n, const void *arg,
    int64_t *id);

/*
 * Sets up an empty batch for command cmd ("tokens issue"). Its messages
 * end the refusal to overwrite an existing file with clash ("another
 * batch") and call the stored batch batch ("the batch") if its files
 * cannot be renamed.
 */
void linkbatch_init(struct linkbatch *lb, const char *cmd,
    const char *clash, const char *batch);

/*
 * Checks a --base-url: http:// or https://, printable ASCII without
 * quotes, angle brackets or backslashes, at most LINKBATCH_BASE_URL_MAX
 * characters. Returns GH_OK, or GH_ERR_USAGE after saying why.
 */
int linkbatch_check_base_url(const struct linkbatch *lb, const char *url)
    GH_WUR;

/*
 * Loads database db's pepper into lb and opens db into *s (close it with
 * store_close, also on failure). Returns GH_OK or the error, after saying
 * which file failed.
 */
int linkbatch_open(struct linkbatch *lb, const char *db, struct store **s)
    GH_WUR;

struct store_wave;

/*
 * Checks that wave exists, is open, and that a batch of count links
 * holds at least its k (a smaller batch would make its unit
 * identifiable); says what is wrong, naming the option. Sets *out to the
 * wave (free with store_wave_free) when out is not NULL. Returns GH_OK,
 * GH_ERR_NOT_FOUND, GH_ERR_PRIVACY, GH_ERR_CLOSED or GH_ERR_DB.
 */
int linkbatch_wave(const struct linkbatch *lb, struct store *s,
    long long wave, long long count, struct store_wave **out) GH_WUR;

/*
 * Makes n tokens, their keyed hashes and their links base (without
 * trailing slashes) + prefix ("/s/") + token. Returns GH_OK or
 * GH_ERR_NOMEM.
 */
int linkbatch_make(struct linkbatch *lb, size_t n, const char *base,
    const char *prefix) GH_WUR;

/*
 * Writes the links to csv.tmp and, unless html is NULL, the sheet made by
 * sheet(f, links, n, arg) to html.tmp. Refuses an existing csv or html.
 * Returns GH_OK, GH_ERR_IO after saying why, or the sheet's error.
 */
int linkbatch_write(struct linkbatch *lb, const char *csv, const char *html,
    linkbatch_sheet_fn sheet, const void *arg) GH_WUR;

/*
 * Stores the hashes with store(s, hashes, n, arg, id) and then renames the
 * written files into place (html may be NULL). If the store call fails,
 * says no links were issued and returns its error (linkbatch_free removes
 * the files). If a rename fails, returns GH_ERR_IO and keeps the .tmp
 * files: the batch is stored, so they hold its only links; says so.
 */
int linkbatch_store(struct linkbatch *lb, struct store *s,
    linkbatch_store_fn store, const void *arg, const char *csv,
    const char *html, int64_t *id) GH_WUR;

/*
 * Wipes and frees the links, hashes and pepper; if r is not GH_OK, removes
 * the temporary files still there.
 */
void linkbatch_free(struct linkbatch *lb, int r);

#endif

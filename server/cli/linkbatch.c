/*
 * linkbatch.c: a batch of one-time links: tokens, hashes, link texts, and
 * their files (see linkbatch.h).
 *
 * Data path: DB.pepper -> n fresh tokens -> keyed hashes in lb->hashes
 * (stored by the caller) and links BASE PREFIX TOKEN in lb->links ->
 * OUT.tmp files (util/file.h: O_EXCL, mode 0600, synced) -> renamed into
 * place after the store call. The token texts are wiped from memory as soon as they
 * are copied into a link, and the links when the batch is freed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/linkbatch.h"
#include "pages/sheet.h"
#include "store/store.h"
#include "util/file.h"
#include "util/sbuf.h"
#include "util/util.h"

int
linkbatch_cmd(int argc, char **argv, char *cmd, const char *synopsis,
    struct arg_spec *specs, linkbatch_issue_fn issue)
{
	if (argc > 1 && strcmp(argv[1], "issue") == 0) {
		argv[1] = cmd;
		return issue(argc - 1, argv + 1, specs);
	}
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		args_usage(stdout, cmd, synopsis, specs);
		return CLI_OK;
	}
	fprintf(stderr, "usage: gehoord %s [options] (see gehoord %s "
	    "--help)\n", cmd, cmd);
	return CLI_USAGE;
}

void
linkbatch_init(struct linkbatch *lb, const char *cmd, const char *clash,
    const char *batch)
{
	memset(lb, 0, sizeof(*lb));
	lb->cmd = cmd;
	lb->clash = clash;
	lb->batch = batch;
}

int
linkbatch_check_base_url(const struct linkbatch *lb, const char *url)
{
	size_t i, n = strlen(url);

	if ((strncmp(url, "http://", 7) != 0 &&
	    strncmp(url, "https://", 8) != 0) || n > LINKBATCH_BASE_URL_MAX)
		goto bad;
	for (i = 0; i < n; i++)
		if ((unsigned char)url[i] <= ' ' || url[i] == '"' ||
		    url[i] == '<' || url[i] == '>' || url[i] == '\\' ||
		    (unsigned char)url[i] >= 0x7f)
			goto bad;
	return GH_OK;
bad:
	fprintf(stderr, "gehoord %s: --base-url: must be an http:// or "
	    "https:// URL of printable ASCII, at most %d characters\n",
	    lb->cmd, LINKBATCH_BASE_URL_MAX);
	return GH_ERR_USAGE;
}

int
linkbatch_open(struct linkbatch *lb, const char *db, struct store **s)
{
	char path[4096];
	int r;

	if ((r = cli_pepper_path(path, sizeof(path), db)) != GH_OK ||
	    (r = pepper_load(path, 0, &lb->pepper)) != GH_OK) {
		fprintf(stderr, "gehoord %s: %s: cannot read the pepper (%s); "
		    "run gehoord init first\n", lb->cmd, path, gh_err_str(r));
		return r;
	}
	if ((r = store_open(db, 0, s)) != GH_OK) {
		fprintf(stderr, "gehoord %s: %s: cannot open the database: "
		    "%s\n", lb->cmd, db, gh_err_str(r));
		return r;
	}
	return GH_OK;
}

int
linkbatch_wave(const struct linkbatch *lb, struct store *s, long long wave,
    long long count, struct store_wave **out)
{
	struct store_wave *w = NULL;
	int r;

	if (out != NULL)
		*out = NULL;
	if ((r = store_wave_get(s, wave, &w)) != GH_OK) {
		fprintf(stderr, "gehoord %s: --wave: no wave %lld\n", lb->cmd,
		    wave);
		goto out;
	}
	if (count < w->k) {
		fprintf(stderr, "gehoord %s: --count: %lld is below the "
		    "wave's k (%d): a smaller batch would make its unit "
		    "identifiable; refused\n", lb->cmd, count, w->k);
		r = GH_ERR_PRIVACY;
		goto out;
	}
	if (!w->is_open) {
		fprintf(stderr, "gehoord %s: --wave: wave %lld is closed\n",
		    lb->cmd, wave);
		r = GH_ERR_CLOSED;
		goto out;
	}
	if (out != NULL) {
		*out = w;
		w = NULL;
	}
	r = GH_OK;
out:
	store_wave_free(w);
	return r;
}

int
linkbatch_make(struct linkbatch *lb, size_t n, const char *base,
    const char *prefix)
{
	size_t blen = strlen(base), plen = strlen(prefix), i;
	uint8_t tok[TOKEN_BYTES];
	char text[TOKEN_TEXT_LEN + 1];
	int r = GH_OK;

	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	lb->n = n;
	lb->links = calloc(n, sizeof(*lb->links));
	lb->hashes = calloc(n, sizeof(*lb->hashes));
	if (lb->links == NULL || lb->hashes == NULL)
		return GH_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		token_new(tok);
		token_hash(lb->hashes[i], tok, lb->pepper);
		token_to_text(text, tok);
		if ((lb->links[i] = malloc(blen + plen + TOKEN_TEXT_LEN + 1)) ==
		    NULL) {
			r = GH_ERR_NOMEM;
			break;
		}
		memcpy(lb->links[i], base, blen);
		memcpy(lb->links[i] + blen, prefix, plen);
		memcpy(lb->links[i] + blen + plen, text, TOKEN_TEXT_LEN + 1);
		sodium_memzero(text, sizeof(text));
	}
	sodium_memzero(tok, sizeof(tok));
	sodium_memzero(text, sizeof(text));
	return r;
}

/* Opens path.tmp exclusively with mode 0600; the tokens in it are live. */
static FILE *
open_tmp(const struct linkbatch *lb, const char *path, char *tmp,
    size_t tmpsz)
{
	FILE *f = NULL;
	int r;

	if (access(path, F_OK) == 0) {
		fprintf(stderr, "gehoord %s: %s: exists already; refusing to "
		    "overwrite %s\n", lb->cmd, path, lb->clash);
		return NULL;
	}
	snprintf(tmp, tmpsz, "%s.tmp", path);
	if ((r = file_open_new(tmp, 0600, &f)) != GH_OK) {
		fprintf(stderr, "gehoord %s: %s: %s\n", lb->cmd, tmp,
		    r == GH_ERR_EXISTS ? "exists already" : gh_err_str(r));
		tmp[0] = '\0';
		return NULL;
	}
	return f;
}

/* Flushes, syncs and closes f, which is closed even if a step fails. */
static int
close_file(const struct linkbatch *lb, FILE *f, const char *path)
{
	if (file_close_new(f, path) != GH_OK) {
		fprintf(stderr, "gehoord %s: %s: write failed\n", lb->cmd,
		    path);
		return GH_ERR_IO;
	}
	return GH_OK;
}

int
linkbatch_write(struct linkbatch *lb, const char *csv, const char *html,
    linkbatch_sheet_fn sheet, const void *arg)
{
	const char *const *links = (const char *const *)lb->links;
	FILE *f;
	int r;

	if ((f = open_tmp(lb, csv, lb->csv_tmp, sizeof(lb->csv_tmp))) == NULL)
		return GH_ERR_IO;
	r = sheet_write_csv(f, links, lb->n);
	if (close_file(lb, f, lb->csv_tmp) != GH_OK || r != GH_OK)
		return GH_ERR_IO;
	if (html == NULL)
		return GH_OK;
	if ((f = open_tmp(lb, html, lb->html_tmp, sizeof(lb->html_tmp))) ==
	    NULL)
		return GH_ERR_IO;
	r = sheet(f, links, lb->n, arg);
	if (close_file(lb, f, lb->html_tmp) != GH_OK || r != GH_OK)
		return r != GH_OK ? r : GH_ERR_IO;
	return GH_OK;
}

int
linkbatch_store(struct linkbatch *lb, struct store *s,
    linkbatch_store_fn store, const void *arg, const char *csv,
    const char *html, int64_t *id)
{
	int r;

	if ((r = store(s, (const uint8_t (*)[TOKEN_HASH_BYTES])lb->hashes,
	    lb->n, arg, id)) != GH_OK) {
		fprintf(stderr, "gehoord %s: storing the batch failed: %s; no "
		    "links were issued\n", lb->cmd, gh_err_str(r));
		return r;
	}
	if (file_rename(lb->csv_tmp, csv) != GH_OK ||
	    (html != NULL && file_rename(lb->html_tmp, html) != GH_OK)) {
		fprintf(stderr, "gehoord %s: renaming the output failed "
		    "(%s %lld is stored; its links are in the .tmp files)\n",
		    lb->cmd, lb->batch, (long long)*id);
		lb->csv_tmp[0] = lb->html_tmp[0] = '\0';
		return GH_ERR_IO;
	}
	lb->csv_tmp[0] = lb->html_tmp[0] = '\0';
	return GH_OK;
}

void
linkbatch_free(struct linkbatch *lb, int r)
{
	size_t i;

	if (r != GH_OK) {
		if (lb->csv_tmp[0] != '\0')
			unlink(lb->csv_tmp);
		if (lb->html_tmp[0] != '\0')
			unlink(lb->html_tmp);
	}
	for (i = 0; lb->links != NULL && i < lb->n; i++)
		if (lb->links[i] != NULL)
			gh_freezero(lb->links[i], strlen(lb->links[i]));
	free(lb->links);
	free(lb->hashes);
	pepper_free(lb->pepper);
	lb->links = NULL;
	lb->hashes = NULL;
	lb->pepper = NULL;
	lb->n = 0;
}

/*
 * cmd_tokens.c: "gehoord tokens issue": a batch of one-time survey links.
 *
 * Data path: N fresh tokens -> links written to OUT.csv and OUT.html
 * (temporary names, mode 0600) -> keyed hashes stored in one transaction
 * -> files renamed into place. The plaintext tokens exist only in those
 * two files; the database holds only the hashes. If any step fails,
 * nothing is stored and no file is left behind.
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
#include "crypto/token.h"
#include "pages/sheet.h"
#include "store/store.h"
#include "survey/answer.h"

#define TOKENS_MAX	1000000
#define BASE_URL_MAX	200

struct issue {
	char		**links;
	uint8_t		(*hashes)[TOKEN_HASH_BYTES];
	size_t		 n;
	char		 csv_tmp[4200];
	char		 html_tmp[4200];
};

static int
check_base_url(const char *url)
{
	size_t i, n = strlen(url);

	if ((strncmp(url, "http://", 7) != 0 &&
	    strncmp(url, "https://", 8) != 0) || n > BASE_URL_MAX)
		return GH_ERR_INVALID;
	for (i = 0; i < n; i++)
		if ((unsigned char)url[i] <= ' ' || url[i] == '"' ||
		    url[i] == '<' || url[i] == '>' || url[i] == '\\' ||
		    (unsigned char)url[i] >= 0x7f)
			return GH_ERR_INVALID;
	return GH_OK;
}

static int
make_tokens(struct issue *is, const char *base, const uint8_t *pepper)
{
	size_t blen = strlen(base), i;
	uint8_t tok[TOKEN_BYTES];

	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	is->links = calloc(is->n, sizeof(*is->links));
	is->hashes = calloc(is->n, sizeof(*is->hashes));
	if (is->links == NULL || is->hashes == NULL)
		return GH_ERR_NOMEM;
	for (i = 0; i < is->n; i++) {
		char text[TOKEN_TEXT_LEN + 1];

		token_new(tok);
		token_hash(is->hashes[i], tok, pepper);
		token_to_text(text, tok);
		if ((is->links[i] = malloc(blen + 4 + TOKEN_TEXT_LEN)) == NULL)
			return GH_ERR_NOMEM;
		memcpy(is->links[i], base, blen);
		memcpy(is->links[i] + blen, "/s/", 3);
		memcpy(is->links[i] + blen + 3, text, TOKEN_TEXT_LEN + 1);
		sodium_memzero(text, sizeof(text));
	}
	sodium_memzero(tok, sizeof(tok));
	return GH_OK;
}

/* Opens path.tmp exclusively with mode 0600; the tokens in it are live. */
static FILE *
open_tmp(const char *path, char *tmp, size_t tmpsz)
{
	int fd;

	if (access(path, F_OK) == 0) {
		fprintf(stderr, "gehoord tokens issue: %s: exists already; "
		    "refusing to overwrite links of another batch\n", path);
		return NULL;
	}
	snprintf(tmp, tmpsz, "%s.tmp", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0) {
		fprintf(stderr, "gehoord tokens issue: %s: %s\n", tmp,
		    strerror(errno));
		tmp[0] = '\0';
		return NULL;
	}
	return fdopen(fd, "w");
}

/* Flushes, syncs and closes f, which is closed even if a step fails. */
static int
close_file(FILE *f, const char *path)
{
	int is_failed, e;

	is_failed = fflush(f) != 0 || fsync(fileno(f)) != 0;
	e = errno;
	if (fclose(f) != 0 && !is_failed) {
		is_failed = 1;
		e = errno;
	}
	if (is_failed) {
		fprintf(stderr, "gehoord tokens issue: %s: %s\n", path,
		    strerror(e));
		return GH_ERR_IO;
	}
	return GH_OK;
}

static int
write_files(struct issue *is, const char *csv, const char *html,
    const struct store_wave *w, const char *unit)
{
	FILE *f;
	int r;

	if ((f = open_tmp(csv, is->csv_tmp, sizeof(is->csv_tmp))) == NULL)
		return GH_ERR_IO;
	r = sheet_write_csv(f, (const char *const *)is->links, is->n);
	if (close_file(f, is->csv_tmp) != GH_OK || r != GH_OK)
		return GH_ERR_IO;
	if ((f = open_tmp(html, is->html_tmp, sizeof(is->html_tmp))) == NULL)
		return GH_ERR_IO;
	/* The cards state the wave's own k, as its welcome page does. */
	r = sheet_write_cards(f, (const char *const *)is->links, is->n,
	    w->name, unit, w->k);
	if (close_file(f, is->html_tmp) != GH_OK || r != GH_OK)
		return r != GH_OK ? r : GH_ERR_IO;
	return GH_OK;
}

static void
issue_free(struct issue *is, int r)
{
	size_t i;

	if (r != GH_OK) {
		if (is->csv_tmp[0] != '\0')
			unlink(is->csv_tmp);
		if (is->html_tmp[0] != '\0')
			unlink(is->html_tmp);
	}
	for (i = 0; is->links != NULL && i < is->n; i++) {
		if (is->links[i] != NULL)
			sodium_memzero(is->links[i], strlen(is->links[i]));
		free(is->links[i]);
	}
	free(is->links);
	free(is->hashes);
}

/* Checks the options that need no file; returns GH_OK or GH_ERR_USAGE. */
static int
issue_check_args(const struct arg_spec *specs, long long *wave,
    long long *count)
{
	const char *unit = args_get(specs, "unit");

	if (args_int("tokens issue", "wave", args_get(specs, "wave"), 1,
	    INT64_MAX, wave) != GH_OK || args_int("tokens issue", "count",
	    args_get(specs, "count"), 1, TOKENS_MAX, count) != GH_OK)
		return GH_ERR_USAGE;
	if (check_base_url(args_get(specs, "base-url")) != GH_OK) {
		fprintf(stderr, "gehoord tokens issue: --base-url: must be an "
		    "http:// or https:// URL of printable ASCII, at most %d "
		    "characters\n", BASE_URL_MAX);
		return GH_ERR_USAGE;
	}
	if (unit != NULL && !answer_unit_is_valid(unit)) {
		fprintf(stderr, "gehoord tokens issue: --unit: must be 1 to %d "
		    "bytes of UTF-8 without control characters\n",
		    DEF_MAX_UNIT);
		return GH_ERR_USAGE;
	}
	return GH_OK;
}

static int
tokens_issue(int argc, char **argv, struct arg_spec *specs)
{
	struct issue is = { 0 };
	struct store *s = NULL;
	struct store_wave *w = NULL;
	uint8_t *pepper = NULL;
	char pepper_path[4096];
	const char *db, *csv, *html, *unit;
	long long wave, count;
	int64_t batch;
	int r = GH_ERR_USAGE, is_help;

	if (args_parse(argc, argv, specs, "Issues a batch of one-time survey "
	    "links: OUT.csv for mail merge, OUT.html a printable sheet of QR "
	    "cards. Only keyed hashes of the tokens are stored; the links "
	    "exist only in these two files.", &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	db = args_get(specs, "db");
	csv = args_get(specs, "csv");
	html = args_get(specs, "sheet");
	unit = args_get(specs, "unit");
	if (issue_check_args(specs, &wave, &count) != GH_OK)
		return CLI_USAGE;
	if ((r = cli_pepper_path(pepper_path, sizeof(pepper_path), db)) !=
	    GH_OK || (r = pepper_load(pepper_path, 0, &pepper)) != GH_OK) {
		fprintf(stderr, "gehoord tokens issue: %s: cannot read the "
		    "pepper (%s); run gehoord init first\n", pepper_path,
		    gh_err_str(r));
		goto out;
	}
	if ((r = store_open(db, 0, &s)) != GH_OK) {
		fprintf(stderr, "gehoord tokens issue: %s: cannot open the "
		    "database: %s\n", db, gh_err_str(r));
		goto out;
	}
	if ((r = store_wave_get(s, wave, &w)) != GH_OK) {
		fprintf(stderr, "gehoord tokens issue: --wave: no wave %lld\n",
		    wave);
		goto out;
	}
	if (count < w->k) {
		fprintf(stderr, "gehoord tokens issue: --count: %lld is below "
		    "the wave's k (%d): a smaller batch would make its unit "
		    "identifiable; refused\n", count, w->k);
		r = GH_ERR_PRIVACY;
		goto out;
	}
	if (!w->is_open) {
		fprintf(stderr, "gehoord tokens issue: --wave: wave %lld is "
		    "closed\n", wave);
		r = GH_ERR_CLOSED;
		goto out;
	}
	is.n = (size_t)count;
	fprintf(stderr, "gehoord tokens issue: making %zu tokens...\n", is.n);
	if ((r = make_tokens(&is, args_get(specs, "base-url"), pepper)) !=
	    GH_OK)
		goto out;
	fprintf(stderr, "gehoord tokens issue: writing %s and the QR sheet "
	    "%s...\n", csv, html);
	if ((r = write_files(&is, csv, html, w, unit)) != GH_OK)
		goto out;
	fprintf(stderr, "gehoord tokens issue: storing %zu token hashes...\n",
	    is.n);
	if ((r = store_batch_create(s, wave, unit,
	    (const uint8_t (*)[STORE_HASH_BYTES])is.hashes, is.n, &batch)) !=
	    GH_OK) {
		fprintf(stderr, "gehoord tokens issue: storing the batch "
		    "failed: %s; no links were issued\n", gh_err_str(r));
		goto out;
	}
	if (rename(is.csv_tmp, csv) != 0 || rename(is.html_tmp, html) != 0) {
		fprintf(stderr, "gehoord tokens issue: renaming the output "
		    "failed: %s (the batch %lld is stored; its links are in the "
		    ".tmp files)\n", strerror(errno), (long long)batch);
		r = GH_ERR_IO;
		is.csv_tmp[0] = is.html_tmp[0] = '\0';
		goto out;
	}
	printf("batch %lld: %zu links for wave %lld%s%s\n", (long long)batch,
	    is.n, wave, unit ? ", unit " : "", unit ? unit : "");
	r = GH_OK;
out:
	issue_free(&is, r);
	store_wave_free(w);
	store_close(s);
	pepper_free(pepper);
	return cli_exit_code(r);
}

int
cmd_tokens(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database", 0 },
		{ "wave", "ID", 1, "the wave's id", 0 },
		{ "count", "N", 1, "how many links (at least the wave's k)", 0 },
		{ "unit", "LABEL", 0, "the organisational unit of this batch", 0 },
		{ "base-url", "URL", 1, "the server's address, e.g. "
		    "https://gehoord.example.org", 0 },
		{ "csv", "OUT.csv", 1, "the links, one per line", 0 },
		{ "sheet", "OUT.html", 1, "the printable QR sheet", 0 },
		{ 0 }
	};

	if (argc > 1 && strcmp(argv[1], "issue") == 0) {
		argv[1] = "tokens issue";
		return tokens_issue(argc - 1, argv + 1, specs);
	}
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		args_usage(stdout, "tokens issue", "Issues a batch of one-time "
		    "survey links.", specs);
		return CLI_OK;
	}
	fprintf(stderr, "usage: gehoord tokens issue [options] (see gehoord "
	    "tokens issue --help)\n");
	return CLI_USAGE;
}

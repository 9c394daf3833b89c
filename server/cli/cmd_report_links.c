/*
 * cmd_report_links.c: "gehoord report-links issue": a batch of one-time
 * report links, for when the desk makes reporting need a link (gehoord
 * serve --report-links-required).
 *
 * Data path: N fresh tokens (crypto/token.h, as survey links) -> links
 * BASE/melden/l/TOKEN written to OUT.csv and, with --sheet, a QR sheet
 * (temporary names, mode 0600) -> keyed hashes stored in one transaction
 * -> files renamed into place. The links exist only in those files. A
 * batch has at least STORE_K_MIN links: a spent link's day could
 * otherwise point from a report to the few people a small batch went to.
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
#include "pages/report.h"
#include "pages/sheet.h"
#include "store/store_report.h"

#define LINKS_MAX	100000
#define BASE_URL_MAX	200

struct batch {
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
make_links(struct batch *bt, const char *base, const uint8_t *pepper)
{
	size_t blen = strlen(base), i;
	uint8_t tok[TOKEN_BYTES];
	char text[TOKEN_TEXT_LEN + 1];

	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	bt->links = calloc(bt->n, sizeof(*bt->links));
	bt->hashes = calloc(bt->n, sizeof(*bt->hashes));
	if (bt->links == NULL || bt->hashes == NULL)
		return GH_ERR_NOMEM;
	for (i = 0; i < bt->n; i++) {
		token_new(tok);
		token_hash(bt->hashes[i], tok, pepper);
		token_to_text(text, tok);
		if ((bt->links[i] = malloc(blen + 11 + TOKEN_TEXT_LEN)) == NULL)
			return GH_ERR_NOMEM;
		memcpy(bt->links[i], base, blen);
		memcpy(bt->links[i] + blen, "/melden/l/", 10);
		memcpy(bt->links[i] + blen + 10, text, TOKEN_TEXT_LEN + 1);
	}
	sodium_memzero(tok, sizeof(tok));
	sodium_memzero(text, sizeof(text));
	return GH_OK;
}

static FILE *
open_tmp(const char *path, char *tmp, size_t tmpsz)
{
	int fd;

	if (access(path, F_OK) == 0) {
		fprintf(stderr, "gehoord report-links issue: %s: exists "
		    "already; refusing to overwrite another batch\n", path);
		return NULL;
	}
	snprintf(tmp, tmpsz, "%s.tmp", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0) {
		fprintf(stderr, "gehoord report-links issue: %s: %s\n", tmp,
		    strerror(errno));
		tmp[0] = '\0';
		return NULL;
	}
	return fdopen(fd, "w");
}

static int
close_file(FILE *f, const char *path)
{
	int is_failed = fflush(f) != 0 || fsync(fileno(f)) != 0;

	if (fclose(f) != 0)
		is_failed = 1;
	if (is_failed) {
		fprintf(stderr, "gehoord report-links issue: %s: %s\n", path,
		    strerror(errno));
		return GH_ERR_IO;
	}
	return GH_OK;
}

static int
write_files(struct batch *bt, const char *csv, const char *html)
{
	FILE *f;
	int r;

	if ((f = open_tmp(csv, bt->csv_tmp, sizeof(bt->csv_tmp))) == NULL)
		return GH_ERR_IO;
	r = sheet_write_csv(f, (const char *const *)bt->links, bt->n);
	if (close_file(f, bt->csv_tmp) != GH_OK || r != GH_OK)
		return GH_ERR_IO;
	if (html == NULL)
		return GH_OK;
	if ((f = open_tmp(html, bt->html_tmp, sizeof(bt->html_tmp))) == NULL)
		return GH_ERR_IO;
	r = page_report_sheet(f, (const char *const *)bt->links, bt->n);
	if (close_file(f, bt->html_tmp) != GH_OK || r != GH_OK)
		return r != GH_OK ? r : GH_ERR_IO;
	return GH_OK;
}

static void
batch_free(struct batch *bt, int r)
{
	size_t i;

	if (r != GH_OK) {
		if (bt->csv_tmp[0] != '\0')
			unlink(bt->csv_tmp);
		if (bt->html_tmp[0] != '\0')
			unlink(bt->html_tmp);
	}
	for (i = 0; bt->links != NULL && i < bt->n; i++) {
		if (bt->links[i] != NULL)
			sodium_memzero(bt->links[i], strlen(bt->links[i]));
		free(bt->links[i]);
	}
	free(bt->links);
	free(bt->hashes);
}

static int
links_issue(int argc, char **argv, struct arg_spec *specs)
{
	struct batch bt = { 0 };
	struct store *s = NULL;
	uint8_t *pepper = NULL;
	char pepper_path[4096];
	const char *db, *csv, *html;
	long long count;
	int64_t id;
	int r, is_help;

	if (args_parse(argc, argv, specs, "Issues a batch of one-time report "
	    "links (BASE/melden/l/TOKEN): OUT.csv, and with --sheet a "
	    "printable sheet of QR cards. Only keyed hashes are stored; the "
	    "links exist only in these files.", &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	db = args_get(specs, "db");
	csv = args_get(specs, "out");
	html = args_get(specs, "sheet");
	if (args_int("report-links issue", "count", args_get(specs, "count"),
	    1, LINKS_MAX, &count) != GH_OK)
		return CLI_USAGE;
	if (check_base_url(args_get(specs, "base-url")) != GH_OK) {
		fprintf(stderr, "gehoord report-links issue: --base-url: must "
		    "be an http:// or https:// URL of printable ASCII, at most "
		    "%d characters\n", BASE_URL_MAX);
		return CLI_USAGE;
	}
	if (count < STORE_K_MIN) {
		fprintf(stderr, "gehoord report-links issue: --count: %lld is "
		    "below %d: the day a link of a small batch is spent could "
		    "point to the few people it went to; refused\n", count,
		    STORE_K_MIN);
		return CLI_PRIVACY;
	}
	if ((r = cli_pepper_path(pepper_path, sizeof(pepper_path), db)) !=
	    GH_OK || (r = pepper_load(pepper_path, 0, &pepper)) != GH_OK) {
		fprintf(stderr, "gehoord report-links issue: %s: cannot read "
		    "the pepper (%s); run gehoord init first\n", pepper_path,
		    gh_err_str(r));
		goto out;
	}
	if ((r = store_open(db, 0, &s)) != GH_OK) {
		fprintf(stderr, "gehoord report-links issue: %s: cannot open "
		    "the database: %s\n", db, gh_err_str(r));
		goto out;
	}
	bt.n = (size_t)count;
	fprintf(stderr, "gehoord report-links issue: making %zu links...\n",
	    bt.n);
	if ((r = make_links(&bt, args_get(specs, "base-url"), pepper)) !=
	    GH_OK || (r = write_files(&bt, csv, html)) != GH_OK)
		goto out;
	if ((r = store_report_links_create(s,
	    (const uint8_t (*)[32])bt.hashes, bt.n, &id)) != GH_OK) {
		fprintf(stderr, "gehoord report-links issue: storing the batch "
		    "failed: %s; no links were issued\n", gh_err_str(r));
		goto out;
	}
	if (rename(bt.csv_tmp, csv) != 0 ||
	    (html != NULL && rename(bt.html_tmp, html) != 0)) {
		fprintf(stderr, "gehoord report-links issue: renaming the "
		    "output failed: %s (batch %lld is stored; its links are in "
		    "the .tmp files)\n", strerror(errno), (long long)id);
		r = GH_ERR_IO;
		bt.csv_tmp[0] = bt.html_tmp[0] = '\0';
		goto out;
	}
	printf("report link batch %lld: %zu links\n", (long long)id, bt.n);
	r = GH_OK;
out:
	batch_free(&bt, r);
	store_close(s);
	pepper_free(pepper);
	return cli_exit_code(r);
}

int
cmd_report_links(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database", 0 },
		{ "count", "N", 1, "how many links (at least 5)", 0 },
		{ "base-url", "URL", 1, "the server's address, e.g. "
		    "https://gehoord.example.org", 0 },
		{ "out", "OUT.csv", 1, "the links, one per line", 0 },
		{ "sheet", "OUT.html", 0, "also a printable sheet of QR cards",
		  0 },
		{ 0 }
	};

	if (argc > 1 && strcmp(argv[1], "issue") == 0) {
		argv[1] = "report-links issue";
		return links_issue(argc - 1, argv + 1, specs);
	}
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		args_usage(stdout, "report-links issue", "Issues a batch of "
		    "one-time report links.", specs);
		return CLI_OK;
	}
	fprintf(stderr, "usage: gehoord report-links issue [options] (see "
	    "gehoord report-links issue --help)\n");
	return CLI_USAGE;
}

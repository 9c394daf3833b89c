/*
 * cmd_report_links.c: "gehoord report-links issue": a batch of one-time
 * report links, for when the desk makes reporting need a link (gehoord
 * serve --report-links-required).
 *
 * Data path: N fresh tokens (crypto/token.h, as survey links) -> links
 * BASE/melden/l/TOKEN written to OUT.csv and, with --sheet, a QR sheet
 * (temporary names, mode 0600; each card also names BASE/melden/volg,
 * where the receipt code is entered later) -> keyed hashes stored in one transaction
 * -> files renamed into place. The batch itself is cli/linkbatch.h; here
 * are the options, the sheet, the store call and the messages. The links
 * exist only in those files. A batch has at least STORE_K_MIN links: a
 * spent link's day could otherwise point from a report to the few people
 * a small batch went to.
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/linkbatch.h"
#include "pages/report.h"
#include "store/store_report.h"

#define LINKS_MAX	100000

static int
write_sheet(FILE *f, const char *const *links, size_t n, const void *arg)
{
	return page_report_sheet(f, links, n, arg);
}

/* The follow-up address in full (base without trailing slashes). */
static void
follow_address(char *out, size_t outsz, const char *base)
{
	size_t len = strlen(base);

	while (len > 0 && base[len - 1] == '/')
		len--;
	snprintf(out, outsz, "%.*s/melden/volg", (int)len, base);
}

static int
store_links(struct store *s, const uint8_t (*hashes)[TOKEN_HASH_BYTES],
    size_t n, const void *arg, int64_t *id)
{
	(void)arg;
	return store_report_links_create(s, hashes, n, id);
}

static int
links_issue(int argc, char **argv, struct arg_spec *specs)
{
	struct linkbatch lb;
	struct store *s = NULL;
	char follow[LINKBATCH_BASE_URL_MAX + 16];
	const char *db, *csv, *html;
	long long count;
	int64_t id;
	int r, is_help;

	if (args_parse(argc, argv, specs, "Issues a batch of one-time report "
	    "links (BASE/melden/l/TOKEN): OUT.csv, and with --sheet a "
	    "printable sheet of QR cards. Only keyed hashes are stored; the "
	    "links exist only in these files.", &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	linkbatch_init(&lb, "report-links issue", "another batch", "batch");
	db = args_get(specs, "db");
	csv = args_get(specs, "out");
	html = args_get(specs, "sheet");
	if (args_int("report-links issue", "count", args_get(specs, "count"),
	    1, LINKS_MAX, &count) != GH_OK ||
	    linkbatch_check_base_url(&lb, args_get(specs, "base-url")) != GH_OK)
		return CLI_USAGE;
	if (count < STORE_K_MIN) {
		fprintf(stderr, "gehoord report-links issue: --count: %lld is "
		    "below %d: the day a link of a small batch is spent could "
		    "point to the few people it went to; refused\n", count,
		    STORE_K_MIN);
		return CLI_PRIVACY;
	}
	follow_address(follow, sizeof(follow), args_get(specs, "base-url"));
	if ((r = linkbatch_open(&lb, db, &s)) != GH_OK)
		goto out;
	fprintf(stderr, "gehoord report-links issue: making %zu links...\n",
	    (size_t)count);
	if ((r = linkbatch_make(&lb, (size_t)count,
	    args_get(specs, "base-url"), "/melden/l/")) != GH_OK ||
	    (r = linkbatch_write(&lb, csv, html, write_sheet, follow)) !=
	    GH_OK)
		goto out;
	if ((r = linkbatch_store(&lb, s, store_links, NULL, csv, html,
	    &id)) != GH_OK)
		goto out;
	printf("report link batch %lld: %zu links\n", (long long)id, lb.n);
out:
	linkbatch_free(&lb, r);
	store_close(s);
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

	return linkbatch_cmd(argc, argv, "report-links issue", "Issues a "
	    "batch of one-time report links.", specs, links_issue);
}

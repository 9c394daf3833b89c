/*
 * cmd_tokens.c: "gehoord tokens issue": a batch of one-time survey links.
 *
 * Data path: N fresh tokens -> links written to OUT.csv and OUT.html
 * (temporary names, mode 0600) -> keyed hashes stored in one transaction
 * -> files renamed into place. The batch itself is cli/linkbatch.h; here
 * are the options, the wave's checks, the cards and the store call. The
 * cards name --org-name (without it, the organisation's name of the
 * instance's settings, /console/settings) and the last day of the
 * wave's definition; --letters makes the sheet one A4 letter per link
 * instead, with --org-contact (the console's letters, pages/sheet.h). The
 * plaintext tokens exist only in those two files; the database holds only
 * the hashes. If any step fails, nothing is stored and no file is left
 * behind.
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/linkbatch.h"
#include "pages/sheet.h"
#include "store/store.h"
#include "store/store_account.h"
#include "survey/answer.h"

#define TOKENS_MAX	1000000

/* The batch's wave and unit: for its QR cards and its store call. */
struct cards {
	const struct store_wave	*w;
	const char		*unit;
	struct sheet_org	 org;
	int			 is_letters;
};

/* The cards state the wave's own k, as its welcome page does. */
static int
write_cards(FILE *f, const char *const *links, size_t n, const void *arg)
{
	const struct cards *c = arg;

	if (c->is_letters)
		return sheet_write_letters(f, links, n, c->w->name, c->unit,
		    c->w->k, &c->org);
	return sheet_write_cards_org(f, links, n, c->w->name, c->unit,
	    c->w->k, &c->org);
}

static int
store_tokens(struct store *s, const uint8_t (*hashes)[TOKEN_HASH_BYTES],
    size_t n, const void *arg, int64_t *id)
{
	const struct cards *c = arg;

	return store_batch_create(s, c->w->id, c->unit,
	    (const uint8_t (*)[STORE_HASH_BYTES])hashes, n, id);
}

/* Reads the wave's last day from its stored definition ("closes"). */
static int
wave_closes(const struct store_wave *w, struct def_date *out)
{
	struct def *d = NULL;
	char err[512];
	int r;

	if ((r = def_parse(w->def_json, strlen(w->def_json), w->name, &d,
	    err, sizeof(err))) != GH_OK) {
		fprintf(stderr, "gehoord tokens issue: %s\n", err);
		return r;
	}
	*out = d->closes;
	def_free(d);
	return GH_OK;
}

/* Checks the options that need no file; returns GH_OK or GH_ERR_USAGE. */
static int
issue_check_args(const struct linkbatch *lb, const struct arg_spec *specs,
    long long *wave, long long *count)
{
	const char *unit = args_get(specs, "unit");
	const char *org = args_get(specs, "org-name");
	const char *contact = args_get(specs, "org-contact");

	if (args_int("tokens issue", "wave", args_get(specs, "wave"), 1,
	    INT64_MAX, wave) != GH_OK || args_int("tokens issue", "count",
	    args_get(specs, "count"), 1, TOKENS_MAX, count) != GH_OK)
		return GH_ERR_USAGE;
	if (linkbatch_check_base_url(lb, args_get(specs, "base-url")) != GH_OK)
		return GH_ERR_USAGE;
	if (org != NULL && (org[0] == '\0' || !answer_unit_is_valid(org))) {
		fprintf(stderr, "gehoord tokens issue: --org-name: must be 1 "
		    "to %d bytes of UTF-8 without control characters\n",
		    DEF_MAX_UNIT);
		return GH_ERR_USAGE;
	}
	if (contact != NULL && (contact[0] == '\0' ||
	    !answer_unit_is_valid(contact))) {
		fprintf(stderr, "gehoord tokens issue: --org-contact: must be "
		    "1 to %d bytes of UTF-8 without control characters\n",
		    DEF_MAX_UNIT);
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

/*
 * The organisation's name of the instance's settings (the console's
 * /console/settings) into out, for the cards when --org-name is not
 * given; "" if none is stored or it does not fit a card.
 */
static int
stored_org_name(struct store *s, char *out, size_t outsz)
{
	struct store_settings st;
	int r;

	out[0] = '\0';
	r = store_settings_get(s, &st);
	if (r == GH_OK && st.org_name != NULL &&
	    strlen(st.org_name) < outsz && answer_unit_is_valid(st.org_name))
		snprintf(out, outsz, "%s", st.org_name);
	store_settings_clear(&st);
	return r == GH_ERR_NOT_FOUND ? GH_OK : r;
}

static int
tokens_issue(int argc, char **argv, struct arg_spec *specs)
{
	struct linkbatch lb;
	struct store *s = NULL;
	struct store_wave *w = NULL;
	struct cards c;
	const char *db, *csv, *html, *unit;
	char org[DEF_MAX_UNIT + 1];
	long long wave, count;
	int64_t batch;
	int r = GH_ERR_USAGE, is_help;

	if (args_parse(argc, argv, specs, "Issues a batch of one-time survey "
	    "links: OUT.csv for mail merge, OUT.html a printable sheet of QR "
	    "cards. Only keyed hashes of the tokens are stored; the links "
	    "exist only in these two files.", &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	linkbatch_init(&lb, "tokens issue", "links of another batch",
	    "the batch");
	db = args_get(specs, "db");
	csv = args_get(specs, "csv");
	html = args_get(specs, "sheet");
	unit = args_get(specs, "unit");
	if (issue_check_args(&lb, specs, &wave, &count) != GH_OK)
		return CLI_USAGE;
	if ((r = linkbatch_open(&lb, db, &s)) != GH_OK)
		goto out;
	if ((r = linkbatch_wave(&lb, s, wave, count, &w)) != GH_OK)
		goto out;
	fprintf(stderr, "gehoord tokens issue: making %zu tokens...\n",
	    (size_t)count);
	if ((r = linkbatch_make(&lb, (size_t)count,
	    args_get(specs, "base-url"), "/s/")) != GH_OK)
		goto out;
	fprintf(stderr, "gehoord tokens issue: writing %s and the QR sheet "
	    "%s...\n", csv, html);
	memset(&c, 0, sizeof(c));
	c.w = w;
	c.unit = unit;
	c.org.name = args_get(specs, "org-name");
	c.org.contact = args_get(specs, "org-contact");
	c.is_letters = args_get(specs, "letters") != NULL;
	if (c.org.name == NULL &&
	    (r = stored_org_name(s, org, sizeof(org))) != GH_OK)
		goto out;
	if (c.org.name == NULL && org[0] != '\0')
		c.org.name = org;
	if ((r = wave_closes(w, &c.org.closes)) != GH_OK)
		goto out;
	if ((r = linkbatch_write(&lb, csv, html, write_cards, &c)) != GH_OK)
		goto out;
	fprintf(stderr, "gehoord tokens issue: storing %zu token hashes...\n",
	    lb.n);
	if ((r = linkbatch_store(&lb, s, store_tokens, &c, csv, html,
	    &batch)) != GH_OK)
		goto out;
	printf("batch %lld: %zu links for wave %lld%s%s\n", (long long)batch,
	    lb.n, wave, unit ? ", unit " : "", unit ? unit : "");
out:
	linkbatch_free(&lb, r);
	store_wave_free(w);
	store_close(s);
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
		{ "org-name", "TEXT", 0, "the organisation that runs the "
		    "survey, on every card (default: the name of the "
		    "instance's settings, if set)", 0 },
		{ "base-url", "URL", 1, "the server's address, e.g. "
		    "https://gehoord.example.org", 0 },
		{ "csv", "OUT.csv", 1, "the links, one per line", 0 },
		{ "sheet", "OUT.html", 1, "the printable QR sheet", 0 },
		{ "letters", NULL, 0, "the sheet as letters: one A4 page per "
		    "link (as the console's letters)", 0 },
		{ "org-contact", "TEXT", 0, "who respondents can ask, on every "
		    "letter", 0 },
		{ 0 }
	};

	return linkbatch_cmd(argc, argv, "tokens issue", "Issues a batch of "
	    "one-time survey links.", specs, tokens_issue);
}

/*
 * cmd_wave_test.c: "gehoord wave test-link" and "gehoord wave
 * test-links-remove", the console's test links on the command line
 * (store_test_link.h): a link that walks the wave's survey with every
 * check, whose answers are discarded, never stored or counted; and
 * removing a wave's test links. Both are in the console's audit log as
 * done by "(shell)".
 *
 * Data path of test-link: DB.pepper -> a random token -> its keyed hash
 * -> store_test_link_add -> the audit row -> the link on stdout. The
 * token is wiped; only its hash is stored.
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "crypto/token.h"
#include "store/store.h"
#include "store/store_console.h"
#include "store/store_test_link.h"

#define SHELL_USER	"(shell)"

/* Opens db and reads wave's name into *w; prints why not. */
static int
open_wave(const char *cmd, const char *db, long long wave, struct store **s,
    struct store_wave **w)
{
	int r;

	if ((r = store_open(db, 0, s)) != GH_OK) {
		fprintf(stderr, "gehoord %s: --db: %s: cannot open the "
		    "database: %s\n", cmd, db, gh_err_str(r));
		return r;
	}
	if ((r = store_wave_get(*s, (int64_t)wave, w)) == GH_ERR_NOT_FOUND)
		fprintf(stderr, "gehoord %s: --wave: no wave %lld in %s. "
		    "Nothing was changed.\n", cmd, wave, db);
	else if (r != GH_OK)
		fprintf(stderr, "gehoord %s: %s: %s\n", cmd, db,
		    gh_err_str(r));
	return r;
}

static int
test_link(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database", 0 },
		{ "wave", "ID", 1, "the wave's id", 0 },
		{ "base-url", "URL", 0, "the server's address, e.g. "
		    "https://enquete.example.org (default: print the path)", 0 },
		{ 0 }
	};
	uint8_t tok[TOKEN_BYTES], hash[TOKEN_HASH_BYTES], *pepper = NULL;
	char text[TOKEN_TEXT_LEN + 1], path[4096], object[160];
	const char *db, *base;
	struct store_wave *w = NULL;
	struct store *s = NULL;
	long long wave;
	size_t blen;
	int r, is_help;

	if (args_parse(argc, argv, specs, "Makes a test link for a wave: it "
	    "walks the survey as a respondent's link does, with every check, "
	    "whether the wave is open or not, but what it sends is "
	    "discarded, never stored or counted. It works until the wave's "
	    "test links are removed (wave test-links-remove).", &is_help) !=
	    GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	if (args_int("wave test-link", "wave", args_get(specs, "wave"), 1,
	    INT64_MAX, &wave) != GH_OK)
		return CLI_USAGE;
	db = args_get(specs, "db");
	base = args_get(specs, "base-url") != NULL ?
	    args_get(specs, "base-url") : "";
	if (cli_pepper_path(path, sizeof(path), db) != GH_OK ||
	    pepper_load(path, 0, &pepper) != GH_OK) {
		fprintf(stderr, "gehoord wave test-link: %s: cannot read the "
		    "pepper file next to the database\n", db);
		return CLI_FAIL;
	}
	if ((r = open_wave("wave test-link", db, wave, &s, &w)) == GH_OK) {
		token_new(tok);
		token_hash(hash, tok, pepper);
		token_to_text(text, tok);
		sodium_memzero(tok, sizeof(tok));
		snprintf(object, sizeof(object), "%lld %s", wave, w->name);
		if ((r = store_test_link_add(s, (int64_t)wave, hash)) ==
		    GH_OK)
			r = store_console_audit_add(s, SHELL_USER,
			    "test_link", object);
		if (r == GH_OK) {
			blen = strlen(base);
			while (blen > 0 && base[blen - 1] == '/')
				blen--;
			printf("%.*s/s/%s\n", (int)blen, base, text);
		} else
			fprintf(stderr, "gehoord wave test-link: %s: %s\n",
			    db, gh_err_str(r));
		sodium_memzero(text, sizeof(text));
	}
	store_wave_free(w);
	store_close(s);
	pepper_free(pepper);
	return cli_exit_code(r);
}

static int
test_remove(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database", 0 },
		{ "wave", "ID", 1, "the wave's id", 0 },
		{ 0 }
	};
	struct store_wave *w = NULL;
	struct store *s = NULL;
	char object[180];
	long long wave;
	int64_t n = 0;
	int r, is_help;

	if (args_parse(argc, argv, specs, "Removes every test link of a "
	    "wave: they no longer open its survey.", &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	if (args_int("wave test-links-remove", "wave", args_get(specs,
	    "wave"), 1, INT64_MAX, &wave) != GH_OK)
		return CLI_USAGE;
	r = open_wave("wave test-links-remove", args_get(specs, "db"), wave,
	    &s, &w);
	if (r == GH_OK && (r = store_test_link_remove(s, (int64_t)wave,
	    &n)) == GH_OK) {
		snprintf(object, sizeof(object), "%lld %s (%lld)", wave,
		    w->name, (long long)n);
		r = store_console_audit_add(s, SHELL_USER,
		    "test_links_remove", object);
	}
	if (r == GH_OK)
		printf("wave %lld: removed %lld test link%s\n", wave,
		    (long long)n, n == 1 ? "" : "s");
	store_wave_free(w);
	store_close(s);
	return cli_exit_code(r);
}

int
cmd_wave_test(int argc, char **argv)
{
	char link[] = "wave test-link", rm[] = "wave test-links-remove";

	if (strcmp(argv[0], "test-link") == 0) {
		argv[0] = link;
		return test_link(argc, argv);
	}
	argv[0] = rm;
	return test_remove(argc, argv);
}

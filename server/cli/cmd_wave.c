/*
 * cmd_wave.c: "gehoord wave create|set-k|close|open|list" (and "delete",
 * in cmd_wave_delete.c; "test-link" and "test-links-remove" in
 * cmd_wave_test.c) and
 * "gehoord def check" (a definition or a baseline file).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "crypto/keyfile.h"
#include "store/store.h"
#include "survey/baseline.h"
#include "survey/def.h"

#define WAVE_NAME_MAX 100

static int
open_db(const char *cmd, const char *db, struct store **s)
{
	int r = store_open(db, 0, s);

	if (r != GH_OK)
		fprintf(stderr, "gehoord %s: %s: cannot open the database: "
		    "%s\n", cmd, db, gh_err_str(r));
	return r;
}

static int
wave_create(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database", 0 },
		{ "def", "DEF.json", 1, "the survey definition", 0 },
		{ "name", "NAME", 1, "a name for the wave, e.g. inclusie-2026", 0 },
		{ "public-key", "B64", 1, "the public key printed by keygen", 0 },
		{ "k", "N", 0, "minimum group size for any published figure "
		    "(default 10, at least 5)", 0 },
		{ 0 }
	};
	uint8_t pk[SEAL_PK_BYTES];
	struct store *s = NULL;
	struct def *d = NULL;
	char *json = NULL, err[1024];
	const char *name, *kv;
	long long k = STORE_K_DEFAULT;
	int64_t id;
	int r, is_help;

	if (args_parse(argc, argv, specs, "Stores a validated definition with "
	    "its public key as a new wave and prints the wave's id.",
	    &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	name = args_get(specs, "name");
	if ((kv = args_get(specs, "k")) != NULL &&
	    args_int("wave create", "k", kv, -1000000, 1000000, &k) != GH_OK)
		return CLI_USAGE;
	if (k < STORE_K_MIN) {
		fprintf(stderr, "gehoord wave create: --k: %lld is below the "
		    "minimum group size %d; refused\n", k, STORE_K_MIN);
		return CLI_PRIVACY;
	}
	if (name[0] == '\0' || strlen(name) > WAVE_NAME_MAX) {
		fprintf(stderr, "gehoord wave create: --name: must be 1 to %d "
		    "characters\n", WAVE_NAME_MAX);
		return CLI_USAGE;
	}
	if (pk_from_b64(pk, args_get(specs, "public-key")) != GH_OK) {
		fprintf(stderr, "gehoord wave create: --public-key: not a "
		    "base64 public key of 32 bytes (as keygen prints it)\n");
		return CLI_FAIL;
	}
	if ((r = def_load_file(args_get(specs, "def"), &d, &json, err,
	    sizeof(err))) != GH_OK) {
		fprintf(stderr, "gehoord wave create: %s\n", err);
		goto out;
	}
	if ((r = open_db("wave create", args_get(specs, "db"), &s)) != GH_OK)
		goto out;
	if ((r = store_wave_create(s, name, json, pk, (int)k, &id)) != GH_OK) {
		fprintf(stderr, "gehoord wave create: --name: %s\n",
		    r == GH_ERR_EXISTS ? "a wave of that name exists already" :
		    gh_err_str(r));
		goto out;
	}
	printf("%lld\n", (long long)id);
out:
	store_close(s);
	def_free(d);
	free(json);
	return cli_exit_code(r);
}

/* set-k, close and open share their shape: --db, --wave and one action. */
static int
wave_update(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database", 0 },
		{ "wave", "ID", 1, "the wave's id", 0 },
		{ "k", "N", 0, "the new minimum group size (set-k only)", 0 },
		{ 0 }
	};
	const char *cmd = argv[0];
	char name[32];
	struct store *s = NULL;
	long long wave, k = 0;
	int r, is_help;

	snprintf(name, sizeof(name), "wave %s", cmd);
	argv[0] = name;
	if (args_parse(argc, argv, specs, strcmp(cmd, "set-k") == 0 ?
	    "Sets a wave's k. Once a wave has answers, k can only be raised." :
	    "Opens or closes a wave for answers.", &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	if (args_int(name, "wave", args_get(specs, "wave"), 1, INT64_MAX,
	    &wave) != GH_OK)
		return CLI_USAGE;
	if (strcmp(cmd, "set-k") == 0) {
		if (args_get(specs, "k") == NULL) {
			fprintf(stderr, "gehoord wave set-k: --k N is required\n");
			return CLI_USAGE;
		}
		if (args_int(name, "k", args_get(specs, "k"), -1000000,
		    1000000, &k) != GH_OK)
			return CLI_USAGE;
	}
	if ((r = open_db(name, args_get(specs, "db"), &s)) != GH_OK)
		goto out;
	if (strcmp(cmd, "set-k") == 0)
		r = store_wave_set_k(s, wave, (int)k);
	else
		r = store_wave_set_open(s, wave, strcmp(cmd, "open") == 0);
	if (r == GH_ERR_NOT_FOUND)
		fprintf(stderr, "gehoord %s: --wave: no wave %lld\n", name, wave);
	else if (r == GH_ERR_INVALID)
		fprintf(stderr, "gehoord %s: --k: %lld is below the minimum "
		    "group size %d; refused\n", name, k, STORE_K_MIN);
	else if (r == GH_ERR_PRIVACY)
		fprintf(stderr, "gehoord %s: --k: wave %lld has answers; its k "
		    "can only be raised, not lowered; refused\n", name, wave);
	else if (r != GH_OK)
		fprintf(stderr, "gehoord %s: %s\n", name, gh_err_str(r));
	if (r == GH_ERR_INVALID)
		r = GH_ERR_PRIVACY;
out:
	store_close(s);
	return cli_exit_code(r);
}

static int
print_wave(void *arg, const struct store_wave *w)
{
	(void)arg;
	printf("%lld\t%s\t%s\tk=%d\t%lld answers\n", (long long)w->id,
	    w->name, w->is_open ? "open" : "closed", w->k,
	    (long long)w->n_answers);
	return 0;
}

static int
wave_list(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database", 0 },
		{ 0 }
	};
	struct store *s = NULL;
	int r, is_help;

	argv[0] = "wave list";
	if (args_parse(argc, argv, specs, "Lists the waves: id, name, state, "
	    "k and number of answers.", &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	if ((r = open_db("wave list", args_get(specs, "db"), &s)) == GH_OK)
		r = store_wave_foreach(s, print_wave, NULL);
	store_close(s);
	return cli_exit_code(r);
}

int
cmd_wave(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (strcmp(sub, "create") == 0) {
		argv[1] = "wave create";
		return wave_create(argc - 1, argv + 1);
	}
	if (strcmp(sub, "set-k") == 0 || strcmp(sub, "close") == 0 ||
	    strcmp(sub, "open") == 0)
		return wave_update(argc - 1, argv + 1);
	if (strcmp(sub, "list") == 0)
		return wave_list(argc - 1, argv + 1);
	if (strcmp(sub, "delete") == 0)
		return cmd_wave_delete(argc - 1, argv + 1);
	if (strcmp(sub, "test-link") == 0 ||
	    strcmp(sub, "test-links-remove") == 0)
		return cmd_wave_test(argc - 1, argv + 1);
	fprintf(argc > 1 && strcmp(sub, "--help") != 0 ? stderr : stdout,
	    "usage: gehoord wave create|set-k|close|open|list|delete|"
	    "test-link|test-links-remove [options]\n"
	    "       gehoord wave SUBCOMMAND --help for each one's options\n");
	return argc > 1 && strcmp(sub, "--help") == 0 ? CLI_OK : CLI_USAGE;
}

#define PLURAL(n)	((n) == 1 ? "" : "s")

/* Prints the summary of a loaded definition (one line). */
static void
def_summary(const char *path, const struct def *d)
{
	uint8_t seen[DEF_BG_OTHER + 1] = { 0 };
	const struct def_question *q;
	size_t i, n = 0, n_cond = 0;
	const char *sep = "";

	for (i = 0; i < d->n_questions; i++) {
		q = &d->questions[i];
		if (q->type == DEF_MATRIX)
			continue;
		n++;
		n_cond += q->show_if != NULL || d->pages[q->page].show_if != NULL;
	}
	printf("%s: ok: '%s', %zu page%s, %zu question%s (%zu shown only "
	    "under a condition), %zu scale%s, %zu indicator%s, background: ",
	    path, d->id, d->n_pages, PLURAL(d->n_pages), n, PLURAL(n), n_cond,
	    d->n_scales, PLURAL(d->n_scales), d->n_indicators,
	    PLURAL(d->n_indicators));
	for (i = 0; i < d->n_questions; i++) {
		q = &d->questions[i];
		if (q->background == DEF_BG_NONE || seen[q->background])
			continue;
		seen[q->background] = 1;
		printf("%s%s", sep, def_background_name(q->background));
		sep = ", ";
	}
	if (d->unit_source == DEF_UNIT_BATCH) {
		printf("%sunit (token batch)", sep);
		sep = ", ";
	}
	printf("%s; sealed answer size %zu bytes\n", *sep == '\0' ? "none" : "",
	    d->bucket);
}

/* Prints the summary of a loaded baseline (one line). */
static void
baseline_summary(const char *path, const struct baseline *b)
{
	size_t i;

	printf("%s: ok: baseline '%s' (%d), indicators:", path, b->id,
	    b->year);
	for (i = 0; i < b->n_indicators; i++)
		printf("%s %s %.1f%%", i > 0 ? "," : "", b->indicators[i].id,
		    b->indicators[i].percent);
	printf("\n");
}

/*
 * Checks the indicators of d that name baseline id against the file
 * DIR/baseline/ID.json next to path, if there is one. Returns CLI_OK or
 * CLI_FAIL (an indicator the baseline does not have).
 */
static int
check_baseline(const char *path, const struct def *d, const char *id)
{
	struct baseline *b = NULL;
	const char *slash = strrchr(path, '/');
	char file[4096], err[1024];
	size_t i, n = 0;
	int r = CLI_OK;

	snprintf(file, sizeof(file), "%.*sbaseline/%s.json",
	    slash != NULL ? (int)(slash - path + 1) : 0, path, id);
	if (baseline_load_file(file, &b, err, sizeof(err)) != GH_OK) {
		fprintf(stderr, "gehoord def check: %s: note: baseline '%s' "
		    "not checked: %s\n", path, id,
		    err[0] != '\0' ? err : "not a baseline file");
		goto out;
	}
	for (i = 0; i < d->n_indicators; i++) {
		const struct def_indicator *ind = &d->indicators[i];

		if (ind->baseline_id == NULL ||
		    strcmp(ind->baseline_id, id) != 0)
			continue;
		n++;
		if (baseline_indicator(b, ind->baseline_indicator) == NULL) {
			fprintf(stderr, "gehoord def check: %s: "
			    "$.indicators[%zu].baseline.indicator: no "
			    "indicator \"%s\" in %s\n", path, i,
			    ind->baseline_indicator, file);
			r = CLI_FAIL;
		}
	}
	if (r == CLI_OK)
		printf("%s: baseline '%s' (%d): %zu indicator%s linked, all "
		    "found\n", path, id, b->year, n, PLURAL(n));
out:
	baseline_free(b);
	return r;
}

/* Checks every baseline d's indicators name, each once. */
static int
check_baselines(const char *path, const struct def *d)
{
	size_t i, j;
	int r = CLI_OK;

	for (i = 0; i < d->n_indicators; i++) {
		const char *id = d->indicators[i].baseline_id;

		if (id == NULL)
			continue;
		for (j = 0; j < i; j++)
			if (d->indicators[j].baseline_id != NULL &&
			    strcmp(d->indicators[j].baseline_id, id) == 0)
				break;
		if (j == i && check_baseline(path, d, id) != CLI_OK)
			r = CLI_FAIL;
	}
	return r;
}

int
cmd_def(int argc, char **argv)
{
	struct def *d = NULL;
	struct baseline *b = NULL;
	char err[1024];
	int r;

	if (argc != 3 || strcmp(argv[1], "check") != 0 ||
	    strcmp(argv[2], "--help") == 0) {
		int is_help = argc >= 2 && strcmp(argv[argc - 1], "--help") == 0;

		fprintf(is_help ? stdout : stderr, "usage: gehoord def check "
		    "FILE\n\nValidates a survey definition (or a baseline "
		    "file) and prints a summary, without touching any "
		    "database.\n");
		return is_help ? CLI_OK : CLI_USAGE;
	}
	/* A baseline says "kind"; anything else is read as a definition. */
	r = baseline_load_file(argv[2], &b, err, sizeof(err));
	if (r == GH_OK) {
		baseline_summary(argv[2], b);
		baseline_free(b);
		return CLI_OK;
	}
	if (r == GH_ERR_NOT_FOUND)
		r = def_load_file(argv[2], &d, NULL, err, sizeof(err));
	if (r != GH_OK) {
		fprintf(stderr, "gehoord def check: %s\n", err);
		return CLI_FAIL;
	}
	def_summary(argv[2], d);
	r = check_baselines(argv[2], d);
	def_free(d);
	return r;
}

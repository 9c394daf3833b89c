/*
 * cmd_tally.c: "gehoord tally": the key custodian (or enough holders of
 * the key's shares, cmd_key.c) opens a wave's answers with the wave's
 * secret key and writes the counts, thresholded at k.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "crypto/keyfile.h"
#include "release/tally.h"
#include "store/store.h"
#include "survey/def.h"

static void
progress(void *arg, int64_t done)
{
	fprintf(stderr, "gehoord tally: %lld of %lld answers opened\n",
	    (long long)done, *(long long *)arg);
}

static int
load_wave(struct store *s, long long id, struct store_wave **w,
    struct def **d)
{
	char err[1024], name[32];
	int r;

	if ((r = store_wave_get(s, id, w)) != GH_OK) {
		fprintf(stderr, "gehoord tally: --wave: no wave %lld\n", id);
		return r;
	}
	snprintf(name, sizeof(name), "wave %lld", id);
	if ((r = def_parse((*w)->def_json, strlen((*w)->def_json), name, d,
	    err, sizeof(err))) != GH_OK)
		fprintf(stderr, "gehoord tally: %s\n", err);
	return r;
}

int
cmd_tally(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database", 0 },
		{ "wave", "ID", 1, "the wave to count", 0 },
		{ "key", "FILE", 1, "the wave's key file from keygen, or a "
		    "holder's share: once per holder, at least the threshold of "
		    "them", 0 },
		{ "passphrase-file", "F", 0, "that key file's passphrase, first "
		    "line: once per --key, in the same order (default: each "
		    "holder types it on the terminal)", 0 },
		{ "out", "DIR", 1, "where to write counts.csv and counts.json", 0 },
		{ "threads", "N", 0, "workers (default: one per core)", 0 },
		{ 0 }
	};
	struct store *s = NULL;
	struct store_wave *w = NULL;
	struct def *d = NULL;
	struct wave_key *key = NULL;
	struct tally_counts *c = NULL;
	const char *out, *tv, *keys[CLI_KEYS_MAX], *passes[CLI_KEYS_MAX];
	size_t n_keys, n_pass;
	long long wave, threads, total;
	int r, is_help;

	if (args_parse(argc, argv, specs, "Opens every answer of a wave with "
	    "its secret key, in locked memory, and writes the counts per "
	    "question and option; any count below the wave's k is written as "
	    "'suppressed'. The key is a wave key file, or the shares of its "
	    "holders (keygen --shares): any threshold of them.", &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	threads = sysconf(_SC_NPROCESSORS_ONLN);
	if (args_int("tally", "wave", args_get(specs, "wave"), 1, INT64_MAX,
	    &wave) != GH_OK || ((tv = args_get(specs, "threads")) != NULL &&
	    args_int("tally", "threads", tv, 1, 256, &threads) != GH_OK) ||
	    cli_key_args("tally", argc, argv, specs, 1, keys, passes, &n_keys,
	    &n_pass) != GH_OK)
		return CLI_USAGE;
	out = args_get(specs, "out");
	if ((r = store_open(args_get(specs, "db"), 0, &s)) != GH_OK) {
		fprintf(stderr, "gehoord tally: %s: cannot open the database: "
		    "%s\n", args_get(specs, "db"), gh_err_str(r));
		goto done;
	}
	if ((r = load_wave(s, wave, &w, &d)) != GH_OK ||
	    (r = cli_key_open("tally", keys, n_pass > 0 ? passes : NULL,
	    n_keys, w->pk, &key)) != GH_OK)
		goto done;
	if (mkdir(out, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "gehoord tally: --out: %s: %s\n", out,
		    strerror(errno));
		r = GH_ERR_IO;
		goto done;
	}
	total = w->n_answers;
	fprintf(stderr, "gehoord tally: opening %lld answers on %lld "
	    "threads...\n", total, threads);
	if ((r = tally_run(s, wave, d, key, (unsigned int)threads, progress,
	    &total, &c)) != GH_OK) {
		fprintf(stderr, "gehoord tally: %s; nothing was written\n",
		    r == GH_ERR_CRYPTO ? "an answer does not open with this "
		    "key: the database was altered" : r == GH_ERR_INVALID ?
		    "an opened answer does not match the definition" :
		    gh_err_str(r));
		goto done;
	}
	if ((r = tally_write(out, d, c, w->k)) != GH_OK) {
		fprintf(stderr, "gehoord tally: --out: %s: cannot write the "
		    "counts\n", out);
		goto done;
	}
	printf("%lld answers counted; %s/counts.csv and %s/counts.json "
	    "written (counts below k=%d suppressed)\n",
	    (long long)c->n_answers, out, out, w->k);
done:
	tally_counts_free(c);
	wave_key_free(key);
	def_free(d);
	store_wave_free(w);
	store_close(s);
	return cli_exit_code(r);
}

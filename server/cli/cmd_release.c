/*
 * cmd_release.c: "gehoord release": the key custodian opens a wave's
 * answers and writes the release of its plan: tables with primary and
 * secondary suppression, the LP audit, statistics, codebook, a signed
 * MANIFEST; the release is stored for the research pages. Nothing is
 * written unless every suppressed cell passes the audit (exit 3).
 * With --dry-run it computes the same but writes only the suppression
 * pattern (release_pattern.h) to --out FILE: no release, nothing stored.
 *
 * Order: the signing key, the wave, its definition and the plan are
 * checked before the (slow) passphrase unwrap and the opening of answers,
 * so that a wrong plan costs nothing.
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "crypto/keyfile.h"
#include "crypto/signkey.h"
#include "cli/release_pattern.h"
#include "release/release.h"

struct run {
	struct store		*s;
	struct store_wave	*w;
	struct def		*d;
	struct plan		*plan;
	struct wave_key		*key;
	uint8_t			*sk;
	struct release_freetext	*ft;
	char			*plan_copy;
	struct release		 rl;
};

static int
load(struct run *x, const char *db, long long wave, const char *plan)
{
	char err[1024], name[32], path[4096];
	int r;

	if ((r = signkey_path(path, sizeof(path), db, "release")) != GH_OK ||
	    (r = signkey_load(path, &x->sk, NULL)) != GH_OK) {
		fprintf(stderr, "gehoord release: %s: no release signing key "
		    "(run gehoord init --db %s)\n", path, db);
		return r;
	}
	if ((r = store_open(db, 0, &x->s)) != GH_OK) {
		fprintf(stderr, "gehoord release: %s: cannot open the "
		    "database: %s\n", db, gh_err_str(r));
		return r;
	}
	if ((r = store_wave_get(x->s, wave, &x->w)) != GH_OK) {
		fprintf(stderr, "gehoord release: --wave: no wave %lld\n",
		    wave);
		return r;
	}
	snprintf(name, sizeof(name), "wave %lld", wave);
	if ((r = def_parse(x->w->def_json, strlen(x->w->def_json), name,
	    &x->d, err, sizeof(err))) != GH_OK ||
	    (r = plan_load_file(plan, x->d, &x->plan, err, sizeof(err))) !=
	    GH_OK) {
		fprintf(stderr, "gehoord release: %s\n", err);
		return r;
	}
	return GH_OK;
}

/* Writes the group of cell c ("gender=man, unit=TOTAL") into out. */
static void
group_text(const struct release *rl, const struct cell *c, char *out,
    size_t outsz)
{
	const struct table *t = &rl->rel->tables[c->table];
	const size_t v[PLAN_MAX_BY] = { c->v0, c->v1 };
	size_t i, len = 0;

	snprintf(out, outsz, "everyone");
	for (i = 0; i < t->n_dims && i < PLAN_MAX_BY && len < outsz; i++)
		len += (size_t)snprintf(out + len, outsz - len, "%s%s=%s",
		    i > 0 ? ", " : "", t->dim[i]->is_unit ? "unit" :
		    rl->d->questions[t->dim[i]->question].id,
		    v[i] == TABLES_ALL ?
		    TABLES_TOTAL : t->dim[i]->vals[v[i]].name);
}

/* Says which cell failed the audit, where, and why. */
static void
say_failed(const struct release *rl, size_t failed, int r)
{
	const struct cell *c;
	const struct table *t;
	struct sdc_interval iv = { 0, 0, 0 };
	char group[512] = "-";

	if (failed == SIZE_MAX) {
		fprintf(stderr, "gehoord release: disclosure control failed: "
		    "%s; nothing was written\n", gh_err_str(r));
		return;
	}
	c = &rl->cs->cells[failed];
	t = c->table != SIZE_MAX ? &rl->rel->tables[c->table] : NULL;
	if (t != NULL)
		group_text(rl, c, group, sizeof(group));
	if (sdc_cell_interval(rl->cs->sdc, c->sdc, &iv) != GH_OK)
		iv.lo = iv.hi = -1;
	fprintf(stderr, "gehoord release: cell \"%s\" (table %s, category "
	    "%s, group %s, rule %s) %s: given everything published it lies "
	    "in [%g, %g], which does not cover 0 to c = %d; nothing was "
	    "written\n", c->key, t != NULL ? t->pt->id : "response",
	    t == NULL ? "-" : c->cat == SIZE_MAX ? TABLES_TOTAL :
	    t->cat_names[c->cat], group, cell_rule_name(c->rule),
	    r == GH_ERR_INVALID ? "makes the published figures inconsistent" :
	    "cannot be protected", iv.lo, iv.hi, rl->rel->c);
}

static int
free_text(struct run *x, const char *out)
{
	char dir[4096];
	size_t n;
	int r;

	snprintf(dir, sizeof(dir), "%s.free-text", out);
	if ((r = release_freetext_write(x->ft, dir, x->w->k, &n)) != GH_OK)
		return r;
	printf("free text of %zu question(s) in %s (not part of the "
	    "release; keep it with the key)\n", n, dir);
	return GH_OK;
}

static int
run(struct run *x, struct arg_spec *specs, unsigned int threads,
    const char *const *keys, const char *const *passes, size_t n_keys)
{
	const char *out = args_get(specs, "out");
	size_t failed;
	int64_t id = 0;
	int r;

	if ((x->plan_copy = strdup(args_get(specs, "plan"))) == NULL)
		return GH_ERR_NOMEM;
	x->rl.s = x->s;
	x->rl.w = x->w;
	x->rl.d = x->d;
	x->rl.plan = x->plan;
	x->rl.plan_dir = dirname(x->plan_copy);
	if (args_get(specs, "free-text") != NULL &&
	    (r = release_freetext_new(x->d, &x->ft)) != GH_OK)
		return r;
	if ((r = cli_key_open("release", keys, passes, n_keys, x->w->pk,
	    &x->key)) != GH_OK)
		return r;
	if ((r = release_count(&x->rl, x->key, threads, x->ft)) != GH_OK) {
		fprintf(stderr, "gehoord release: %s; nothing was written\n",
		    r == GH_ERR_CRYPTO ? "an answer does not open with this "
		    "key: the database was altered" : r == GH_ERR_INVALID ?
		    "an opened answer does not match the definition" :
		    gh_err_str(r));
		return r;
	}
	wave_key_free(x->key);
	x->key = NULL;
	if ((r = release_protect(&x->rl, &failed)) != GH_OK) {
		say_failed(&x->rl, failed, r);
		return r == GH_ERR_INVALID ? GH_ERR_PRIVACY : r;
	}
	if (args_get(specs, "dry-run") != NULL) {
		if ((r = release_pattern_write(&x->rl, out)) != GH_OK)
			return r;
		printf("suppression pattern of wave %lld written to %s (no "
		    "release was made or stored)\n", (long long)x->w->id, out);
		return GH_OK;
	}
	if ((r = release_compare_load(&x->rl)) != GH_OK ||
	    (r = release_references_load(&x->rl)) != GH_OK ||
	    (r = release_publish(&x->rl, out, x->sk, &id)) != GH_OK) {
		fprintf(stderr, "gehoord release: %s; nothing was written\n",
		    gh_err_str(r));
		return r;
	}
	printf("release %lld of wave %lld: %lld answers, %zu cells; %s "
	    "written and signed\n", (long long)id, (long long)x->w->id,
	    (long long)x->rl.rel->n_answers, x->rl.cs->n, out);
	return x->ft != NULL ? free_text(x, out) : GH_OK;
}

int
cmd_release(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database", 0 },
		{ "wave", "ID", 1, "the wave to release", 0 },
		{ "key", "FILE", 1, "the wave's key file from keygen, or a "
		    "holder's share: once per holder, at least the threshold of "
		    "them", 0 },
		{ "passphrase-file", "F", 0, "that key file's passphrase, first "
		    "line: once per --key, in the same order (default: each "
		    "holder types it on the terminal)", 0 },
		{ "out", "DIR", 1, "new (or empty) folder for the release; with "
		    "--dry-run the new file for the suppression pattern", 0 },
		{ "plan", "FILE", 1, "the release plan (survey-defs/plans/)",
		    0 },
		{ "free-text", NULL, 0, "also export free text, shuffled, to "
		    "DIR.free-text/ (not part of the release)", 0 },
		{ "threads", "N", 0, "workers (default: one per core)", 0 },
		{ "dry-run", NULL, 0, "compute the release, but write only "
		    "which cells would be suppressed (JSON, no counts) to --out "
		    "FILE, for the console's preview; nothing is stored", 0 },
		{ 0 }
	};
	struct run x;
	const char *tv, *keys[CLI_KEYS_MAX], *passes[CLI_KEYS_MAX];
	long long wave, threads;
	size_t i, n_keys, n_pass;
	int r, is_help;

	if (args_parse(argc, argv, specs, "Opens every answer of a wave and "
	    "writes the tables of its release plan with disclosure control "
	    "(threshold k, minimum count c, secondary suppression, LP audit), "
	    "confidence intervals, comparisons, a codebook and a signed "
	    "MANIFEST; stores the release for the research pages. The key is "
	    "a wave key file, or the shares of its holders (keygen --shares): "
	    "any threshold of them.",
	    &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	threads = sysconf(_SC_NPROCESSORS_ONLN);
	if (args_int("release", "wave", args_get(specs, "wave"), 1, INT64_MAX,
	    &wave) != GH_OK || ((tv = args_get(specs, "threads")) != NULL &&
	    args_int("release", "threads", tv, 1, 256, &threads) != GH_OK) ||
	    cli_key_args("release", argc, argv, specs, 1, keys, passes,
	    &n_keys, &n_pass) != GH_OK)
		return CLI_USAGE;
	if (args_get(specs, "dry-run") != NULL &&
	    args_get(specs, "free-text") != NULL) {
		fprintf(stderr, "gehoord release: --dry-run writes no free "
		    "text: leave out --free-text\n");
		return CLI_USAGE;
	}
	memset(&x, 0, sizeof(x));
	if ((r = load(&x, args_get(specs, "db"), wave,
	    args_get(specs, "plan"))) == GH_OK)
		r = run(&x, specs, (unsigned int)threads, keys,
		    n_pass > 0 ? passes : NULL, n_keys);
	release_compare_free(&x.rl);
	for (i = 0; i < x.rl.n_batches; i++)
		free(x.rl.batches[i].unit);
	free(x.rl.batches);
	cellset_free(x.rl.cs);
	tables_free(x.rl.rel);
	release_freetext_free(x.ft);
	free(x.plan_copy);
	wave_key_free(x.key);
	signkey_free(x.sk);
	plan_free(x.plan);
	def_free(x.d);
	store_wave_free(x.w);
	store_close(x.s);
	return cli_exit_code(r);
}

/*
 * cmd_key.c: "gehoord key reshare" (the holders of a wave key make a new
 * set of shares of it, for instance when a holder leaves) and the opening
 * of a wave key from its holders' files that tally, release and reshare
 * share (cli_key_args, cli_key_open; the checks and the joining are
 * crypto/keyshare.c's).
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "crypto/keyshare.h"

int
cli_key_args(const char *cmd, int argc, char **argv,
    const struct arg_spec *specs, int may_ask,
    const char *paths[CLI_KEYS_MAX], const char *pass_files[CLI_KEYS_MAX],
    size_t *n, size_t *n_pass)
{
	if (args_get_all(argc, argv, specs, "key", paths, CLI_KEYS_MAX, n) !=
	    GH_OK || args_get_all(argc, argv, specs, "passphrase-file",
	    pass_files, CLI_KEYS_MAX, n_pass) != GH_OK)
		return GH_ERR_USAGE;
	if (*n == 0) {
		fprintf(stderr, "gehoord %s: --key FILE is required (try "
		    "--help)\n", cmd);
		return GH_ERR_USAGE;
	}
	if (*n_pass != *n && !(may_ask && *n_pass == 0)) {
		fprintf(stderr, "gehoord %s: %zu --key but %zu "
		    "--passphrase-file: give one passphrase file per key file, "
		    "in the same order\n", cmd, *n, *n_pass);
		return GH_ERR_USAGE;
	}
	return GH_OK;
}

int
cli_key_open(const char *cmd, const char *const *paths,
    const char *const *pass_files, size_t n, const uint8_t *pk,
    struct wave_key **key)
{
	struct keyset *ks = NULL;
	char err[1024], *pass = NULL;
	size_t i, len = 0;
	int r;

	*key = NULL;
	if ((r = keyset_load(paths, n, pk, &ks, err, sizeof(err))) != GH_OK) {
		fprintf(stderr, "gehoord %s: --key: %s\n", cmd, err);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (pass_files == NULL)
			fprintf(stderr, "gehoord %s: the holder of %s types "
			    "its passphrase\n", cmd, paths[i]);
		if ((r = cli_pass_read(cmd, pass_files != NULL ?
		    pass_files[i] : NULL, 0, &pass, &len)) != GH_OK)
			goto out;
		fprintf(stderr, "gehoord %s: unwrapping %s (Argon2id)...\n",
		    cmd, paths[i]);
		r = keyset_open(ks, i, pass, len, err, sizeof(err));
		cli_pass_free(pass);
		pass = NULL;
		if (r != GH_OK) {
			fprintf(stderr, "gehoord %s: --key: %s\n", cmd, err);
			goto out;
		}
	}
	if ((r = keyset_join(ks, key, err, sizeof(err))) != GH_OK) {
		fprintf(stderr, "gehoord %s: --key: %s\n", cmd, err);
		goto out;
	}
	if (n > 1)
		fprintf(stderr, "gehoord %s: %zu shares joined (any %u were "
		    "needed); the key matches the wave's public key\n", cmd, n,
		    keyset_threshold(ks));
out:
	keyset_free(ks);
	return r;
}

/* Reads the n new holders' passphrases: files, or twice each on the tty. */
static int
read_new_passes(const char *cmd, const char *prefix, const char **files,
    size_t n_files, unsigned int n, char **pass, size_t *len)
{
	unsigned int i;
	int r;

	for (i = 0; i < n; i++) {
		if (n_files == 0)
			fprintf(stderr, "gehoord %s: the holder of share %u "
			    "(%s.%u.share) types a new passphrase, twice\n",
			    cmd, i + 1, prefix, i + 1);
		if ((r = cli_pass_read(cmd, n_files > 0 ? files[i] : NULL, 1,
		    &pass[i], &len[i])) != GH_OK)
			return r;
	}
	return GH_OK;
}

static void
progress(const char *path)
{
	fprintf(stderr, "gehoord key reshare: wrapping %s (Argon2id)...\n",
	    path);
}

static int
reshare(int argc, char **argv)
{
	const char *name = "key reshare";
	struct arg_spec specs[] = {
		{ "key", "FILE", 1, "a holder's share, or the wave key file; "
		    "once per holder, at least the threshold of them", 0 },
		{ "passphrase-file", "F", 0, "that holder's passphrase, first "
		    "line; once per --key, in the same order (default: asked "
		    "on the terminal)", 0 },
		{ "shares", "N", 1, "the number of new shares, 1 to 255", 0 },
		{ "threshold", "T", 0, "any T of them open the key, 1 to N, "
		    "at least 2 when N >= 2 (default 2, or 1 when N = 1)", 0 },
		{ "out", "PREFIX", 1, "write the new shares to "
		    "PREFIX.1.share ... PREFIX.N.share (never overwritten)", 0 },
		{ "new-passphrase-file", "G", 0, "a new holder's passphrase, "
		    "first line; N of them, in share order (default: each asked "
		    "twice on the terminal)", 0 },
		{ 0 }
	};
	const char *paths[CLI_KEYS_MAX], *pass_files[CLI_KEYS_MAX];
	const char *new_files[CLI_KEYS_MAX], *tv;
	char *pass[CLI_KEYS_MAX], err[1024], b64[SEAL_PK_B64_LEN + 1];
	size_t pass_len[CLI_KEYS_MAX], n_keys, n_pass, n_new, i;
	struct wave_key *key = NULL;
	long long shares, threshold;
	int r, is_help;

	memset(pass, 0, sizeof(pass));
	if (args_parse(argc, argv, specs, "Makes a new set of shares of a "
	    "wave key from the shares of at least the threshold of its "
	    "holders, for instance when a holder leaves: the old shares are "
	    "joined in locked memory only, checked against the wave's public "
	    "key, split anew (Shamir's secret sharing, libgfshare) and "
	    "wrapped with each new holder's passphrase. The old set keeps "
	    "working until its files are destroyed.", &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	if (args_int(name, "shares", args_get(specs, "shares"), 1,
	    KEYSHARE_MAX, &shares) != GH_OK)
		return CLI_USAGE;
	threshold = shares >= 2 ? 2 : 1;
	if ((tv = args_get(specs, "threshold")) != NULL &&
	    args_int(name, "threshold", tv, 1, KEYSHARE_MAX, &threshold) !=
	    GH_OK)
		return CLI_USAGE;
	if (keyshare_check_split(threshold, shares, err, sizeof(err)) !=
	    GH_OK) {
		fprintf(stderr, "gehoord %s: --threshold: %s\n", name, err);
		return CLI_USAGE;
	}
	if (cli_key_args(name, argc, argv, specs, 1, paths, pass_files,
	    &n_keys, &n_pass) != GH_OK ||
	    args_get_all(argc, argv, specs, "new-passphrase-file", new_files,
	    CLI_KEYS_MAX, &n_new) != GH_OK)
		return CLI_USAGE;
	if (n_new != 0 && n_new != (size_t)shares) {
		fprintf(stderr, "gehoord %s: %zu --new-passphrase-file for %lld "
		    "shares: give one per new share, or none to be asked\n",
		    name, n_new, shares);
		return CLI_USAGE;
	}
	if ((r = cli_key_open(name, paths, n_pass > 0 ? pass_files : NULL,
	    n_keys, NULL, &key)) != GH_OK)
		goto out;
	if ((r = read_new_passes(name, args_get(specs, "out"), new_files,
	    n_new, (unsigned int)shares, pass, pass_len)) != GH_OK)
		goto out;
	if ((r = keyshare_write(args_get(specs, "out"), key,
	    (unsigned int)threshold, (unsigned int)shares, pass, pass_len,
	    progress, err, sizeof(err))) != GH_OK) {
		fprintf(stderr, "gehoord %s: --out: %s\n", name, err);
		goto out;
	}
	fprintf(stderr, "gehoord %s: %lld new shares written, any %lld of "
	    "them open the key\n", name, shares, threshold);
	pk_to_b64(b64, key->pk);
	printf("%s\n", b64);
out:
	for (i = 0; i < CLI_KEYS_MAX; i++)
		cli_pass_free(pass[i]);
	wave_key_free(key);
	return cli_exit_code(r);
}

int
cmd_key(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (strcmp(sub, "reshare") == 0) {
		argv[1] = "key reshare";
		return reshare(argc - 1, argv + 1);
	}
	fprintf(argc > 1 && strcmp(sub, "--help") != 0 ? stderr : stdout,
	    "usage: gehoord key reshare [options]\n"
	    "       gehoord key reshare --help for its options\n");
	return argc > 1 && strcmp(sub, "--help") == 0 ? CLI_OK : CLI_USAGE;
}

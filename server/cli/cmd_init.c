/*
 * cmd_init.c: "gehoord init" (database and pepper) and "gehoord keygen"
 * (a wave's key pair, its secret half wrapped with a passphrase, or split
 * into shares, each wrapped with its own holder's passphrase).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "crypto/keyfile.h"
#include "crypto/keyshare.h"
#include "crypto/signkey.h"
#include "crypto/token.h"
#include "store/store.h"
#include "store/store_user.h"

/*
 * Stores the public half of DB.release.sign in the database (unless it
 * is there), so that serve can check an uploaded release and publish the
 * key without ever reading the secret key file.
 */
static int
store_release_pub(struct store *s, const char *db)
{
	uint8_t pk[SIGNKEY_PK_BYTES], *sk = NULL;
	char path[4096];
	int r;

	if ((r = signkey_path(path, sizeof(path), db, "release")) != GH_OK ||
	    (r = signkey_load(path, &sk, pk)) != GH_OK) {
		fprintf(stderr, "gehoord init: %s: cannot read the release "
		    "signing key: %s\n", path, gh_err_str(r));
		return r;
	}
	signkey_free(sk);
	r = store_key_set(s, "release", pk);
	if (r != GH_OK && r != GH_ERR_EXISTS) {
		fprintf(stderr, "gehoord init: %s: cannot store the release "
		    "key: %s\n", db, gh_err_str(r));
		return r;
	}
	return GH_OK;
}

/*
 * Makes the signing key DB.PURPOSE.sign unless it exists: "ack" signs the
 * acknowledgements reporters get, "release" signs releases.
 */
static int
make_sign_key(const char *db, const char *purpose)
{
	uint8_t pk[SIGNKEY_PK_BYTES];
	char path[4096];
	int r;

	if (signkey_path(path, sizeof(path), db, purpose) != GH_OK) {
		fprintf(stderr, "gehoord init: --db: path too long\n");
		return GH_ERR_USAGE;
	}
	r = signkey_create(path, pk);
	if (r == GH_ERR_EXISTS)
		return GH_OK;
	if (r != GH_OK) {
		fprintf(stderr, "gehoord init: %s: cannot make the %s signing "
		    "key: %s\n", path, purpose, gh_err_str(r));
		return r;
	}
	printf("made the %s signing key %s\n", purpose, path);
	return GH_OK;
}

int
cmd_init(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the SQLite database to create or migrate", 0 },
		{ 0 }
	};
	char pepper_path[4096];
	struct store *s = NULL;
	uint8_t *pepper = NULL;
	const char *db;
	int r, is_help;

	if (args_parse(argc, argv, specs, "Creates or migrates the "
	    "database and makes the server pepper file DB.pepper and the "
	    "signing keys DB.ack.sign and DB.release.sign (mode 0600) "
	    "beside it if they are missing.", &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	db = args_get(specs, "db");
	if (cli_pepper_path(pepper_path, sizeof(pepper_path), db) != GH_OK) {
		fprintf(stderr, "gehoord init: --db: path too long\n");
		return CLI_USAGE;
	}
	if ((r = store_open(db, STORE_CREATE, &s)) != GH_OK) {
		fprintf(stderr, "gehoord init: %s: cannot create or migrate the "
		    "database: %s\n", db, gh_err_str(r));
		goto out;
	}
	/* The database holds token hashes and sealed answers: ours alone. */
	if (chmod(db, 0600) != 0) {
		fprintf(stderr, "gehoord init: %s: cannot set mode 0600: %s\n",
		    db, strerror(errno));
		r = GH_ERR_IO;
		goto out;
	}
	if ((r = pepper_load(pepper_path, 1, &pepper)) != GH_OK) {
		fprintf(stderr, "gehoord init: %s: cannot make or read the "
		    "pepper: %s\n", pepper_path, gh_err_str(r));
		goto out;
	}
	if ((r = make_sign_key(db, "ack")) != GH_OK ||
	    (r = make_sign_key(db, "release")) != GH_OK ||
	    (r = store_release_pub(s, db)) != GH_OK)
		goto out;
	printf("database %s is at schema version %d; pepper in %s\n", db,
	    STORE_SCHEMA_VERSION, pepper_path);
out:
	pepper_free(pepper);
	store_close(s);
	return cli_exit_code(r);
}

static void
keygen_progress(const char *path)
{
	fprintf(stderr, "gehoord keygen: wrapping %s (Argon2id, takes a "
	    "moment)...\n", path);
}

/*
 * keygen --shares: a new key pair split into n shares any t of which
 * open it, share i wrapped with holder i's passphrase in PREFIX.i.share.
 */
static int
keygen_shares(const char *prefix, long long t, long long n,
    const char *const *files, size_t n_files, uint8_t pk[SEAL_PK_BYTES])
{
	char *pass[CLI_KEYS_MAX], err[1024];
	size_t len[CLI_KEYS_MAX];
	long long i;
	int r = GH_OK;

	memset(pass, 0, sizeof(pass));
	for (i = 0; i < n && r == GH_OK; i++) {
		if (n_files == 0)
			fprintf(stderr, "gehoord keygen: holder %lld of %lld "
			    "(%s.%lld.share) types a passphrase, twice\n",
			    i + 1, n, prefix, i + 1);
		r = cli_pass_read("keygen", n_files > 0 ? files[i] : NULL, 1,
		    &pass[i], &len[i]);
	}
	if (r == GH_OK && (r = keyshare_create(prefix, (unsigned int)t,
	    (unsigned int)n, pass, len, keygen_progress, pk, err,
	    sizeof(err))) != GH_OK)
		fprintf(stderr, "gehoord keygen: --out: %s\n", err);
	if (r == GH_OK)
		fprintf(stderr, "gehoord keygen: %s.1.share to %s.%lld.share "
		    "written; any %lld of the %lld open the key\n", prefix,
		    prefix, n, t, n);
	for (i = 0; i < n; i++)
		cli_pass_free(pass[i]);
	return r;
}

/*
 * Parses keygen's --shares sv and --threshold tv (default 2, or 1 for one
 * share) into *n and *t and checks them and the number of passphrase
 * files. Returns GH_OK or GH_ERR_USAGE after saying why.
 */
static int
keygen_split_args(const char *sv, const char *tv, size_t n_files,
    long long *t, long long *n)
{
	char err[256];

	if (args_int("keygen", "shares", sv, 1, KEYSHARE_MAX, n) != GH_OK)
		return GH_ERR_USAGE;
	*t = *n >= 2 ? 2 : 1;
	if (tv != NULL && args_int("keygen", "threshold", tv, 1, KEYSHARE_MAX,
	    t) != GH_OK)
		return GH_ERR_USAGE;
	if (keyshare_check_split(*t, *n, err, sizeof(err)) != GH_OK) {
		fprintf(stderr, "gehoord keygen: --threshold: %s\n", err);
		return GH_ERR_USAGE;
	}
	if (n_files != 0 && n_files != (size_t)*n) {
		fprintf(stderr, "gehoord keygen: %zu --passphrase-file for %lld "
		    "shares: give one per holder, or none to be asked\n",
		    n_files, *n);
		return GH_ERR_USAGE;
	}
	return GH_OK;
}

int
cmd_keygen(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "out", "FILE", 1, "where to write the wrapped key pair "
		    "(never overwritten); with --shares the prefix of "
		    "FILE.1.share ... FILE.N.share", 0 },
		{ "passphrase-file", "F", 0, "read the passphrase from the first "
		    "line of F instead of asking twice on the terminal; with "
		    "--shares once per holder, in share order", 0 },
		{ "shares", "N", 0, "split the key between N holders (1 to "
		    "255), one share file each", 0 },
		{ "threshold", "T", 0, "with --shares: any T shares open the "
		    "key, 1 <= T <= N, and T >= 2 when N >= 2 (default 2, or "
		    "1 when N = 1)", 0 },
		{ 0 }
	};
	const char *files[CLI_KEYS_MAX], *out, *sv, *tv;
	uint8_t pk[SEAL_PK_BYTES];
	char b64[SEAL_PK_B64_LEN + 1], *pass = NULL;
	size_t pass_len = 0, n_files = 0;
	long long n = 0, t = 0;
	int r, is_help;

	if (args_parse(argc, argv, specs, "Makes a wave key pair. The "
	    "secret key is written wrapped with the passphrase (Argon2id, "
	    "then XSalsa20-Poly1305); the public key is printed in base64 for "
	    "gehoord wave create. With --shares N the secret key is split "
	    "instead (Shamir's secret sharing, libgfshare) into N shares, each "
	    "wrapped with its own holder's passphrase; any T of them open "
	    "it, fewer reveal nothing about it.", &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	out = args_get(specs, "out");
	sv = args_get(specs, "shares");
	tv = args_get(specs, "threshold");
	if (args_get_all(argc, argv, specs, "passphrase-file", files,
	    CLI_KEYS_MAX, &n_files) != GH_OK)
		return CLI_USAGE;
	if (sv == NULL && (tv != NULL || n_files > 1)) {
		fprintf(stderr, "gehoord keygen: %s needs --shares N\n",
		    tv != NULL ? "--threshold" : "more than one "
		    "--passphrase-file");
		return CLI_USAGE;
	}
	if (sv != NULL) {
		if (keygen_split_args(sv, tv, n_files, &t, &n) != GH_OK)
			return CLI_USAGE;
		r = keygen_shares(out, t, n, files, n_files, pk);
		goto done;
	}
	if ((r = cli_pass_read("keygen", args_get(specs, "passphrase-file"),
	    1, &pass, &pass_len)) != GH_OK)
		goto done;
	fprintf(stderr, "gehoord keygen: deriving the wrapping key "
	    "(Argon2id, takes a moment)...\n");
	if ((r = keyfile_create(out, pass, pass_len, pk)) != GH_OK) {
		fprintf(stderr, "gehoord keygen: %s: %s\n", out,
		    r == GH_ERR_EXISTS ? "exists already; refusing to "
		    "overwrite a key" : gh_err_str(r));
		goto done;
	}
done:
	if (r == GH_OK) {
		pk_to_b64(b64, pk);
		printf("%s\n", b64);
	}
	cli_pass_free(pass);
	return cli_exit_code(r);
}

/*
 * cmd_init.c: "gehoord init" (database and pepper) and "gehoord keygen"
 * (a wave's key pair, its secret half wrapped with a passphrase).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "crypto/keyfile.h"
#include "crypto/signkey.h"
#include "crypto/token.h"
#include "store/store.h"

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
	    (r = make_sign_key(db, "release")) != GH_OK)
		goto out;
	printf("database %s is at schema version %d; pepper in %s\n", db,
	    STORE_SCHEMA_VERSION, pepper_path);
out:
	pepper_free(pepper);
	store_close(s);
	return cli_exit_code(r);
}

int
cmd_keygen(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "out", "FILE.key", 1, "where to write the wrapped key pair "
		    "(never overwritten)", 0 },
		{ "passphrase-file", "F", 0, "read the passphrase from the first "
		    "line of F instead of asking twice on the terminal", 0 },
		{ 0 }
	};
	uint8_t pk[SEAL_PK_BYTES];
	char b64[SEAL_PK_B64_LEN + 1], *pass = NULL;
	size_t pass_len = 0;
	const char *out;
	int r, is_help;

	if (args_parse(argc, argv, specs, "Makes a wave key pair. The "
	    "secret key is written wrapped with the passphrase (Argon2id, "
	    "then XSalsa20-Poly1305); the public key is printed in base64 for "
	    "gehoord wave create.", &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	out = args_get(specs, "out");
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
	pk_to_b64(b64, pk);
	printf("%s\n", b64);
done:
	cli_pass_free(pass);
	return cli_exit_code(r);
}

/*
 * cmd_invitation_keys.c: "gehoord invitations keys": a wave's invitation
 * batches and their VOPRF public keys, signed with the release key.
 *
 * An invitation page states the key its batch's evaluations are proved
 * under. A server that evaluated one person's invitation under a key of
 * their own could follow that person's survey link; a signed list of every
 * batch of the wave, published where invitees and the works council can
 * read it, shows such a key as one nobody published. The list is made
 * from the database by whoever holds DB.release.sign (the server never
 * reads that key), so the server cannot sign a key of its own into it.
 *
 * Data path: the wave's batches (store_invite_keys_foreach) -> FILE (JSON:
 * wave, and per batch its id, unit, size and public key in hex) ->
 * Ed25519 signature of FILE's bytes -> FILE.sig and FILE.pub in signify's
 * format. All three are created with O_EXCL and never overwritten.
 */
#include <sys/stat.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "crypto/signkey.h"
#include "store/store.h"
#include "store/store_invite.h"
#include "util/file.h"

#define CMD	"invitations keys"

/* Adds one batch to the JSON array arg. */
static int
add_batch(void *arg, const struct store_invite_key *k)
{
	cJSON *list = arg, *o;
	char hex[2 * STORE_INVITE_PK_BYTES + 1];

	sodium_bin2hex(hex, sizeof(hex), k->public_key,
	    sizeof(k->public_key));
	if ((o = cJSON_CreateObject()) == NULL)
		return GH_ERR_NOMEM;
	cJSON_AddItemToArray(list, o);
	if (cJSON_AddNumberToObject(o, "batch", (double)k->id) == NULL ||
	    (k->unit != NULL ? cJSON_AddStringToObject(o, "unit", k->unit) :
	    cJSON_AddNullToObject(o, "unit")) == NULL ||
	    cJSON_AddNumberToObject(o, "size", (double)k->size) == NULL ||
	    cJSON_AddStringToObject(o, "public_key", hex) == NULL)
		return GH_ERR_NOMEM;
	return GH_OK;
}

/* Builds the list's text into *text (cJSON's allocation). */
static int
build(struct store *s, long long wave, char **text)
{
	cJSON *root, *list;
	int r = GH_ERR_NOMEM;

	*text = NULL;
	if ((root = cJSON_CreateObject()) == NULL)
		return GH_ERR_NOMEM;
	if (cJSON_AddNumberToObject(root, "wave", (double)wave) == NULL ||
	    (list = cJSON_AddArrayToObject(root, "batches")) == NULL)
		goto out;
	if ((r = store_invite_keys_foreach(s, wave, add_batch, list)) !=
	    GH_OK)
		goto out;
	if (cJSON_GetArraySize(list) == 0) {
		fprintf(stderr, "gehoord " CMD ": --wave: wave %lld has no "
		    "invitation batches (no such wave, or gehoord "
		    "invitations issue made none for it)\n", wave);
		r = GH_ERR_NOT_FOUND;
		goto out;
	}
	r = (*text = cJSON_Print(root)) != NULL ? GH_OK : GH_ERR_NOMEM;
out:
	cJSON_Delete(root);
	return r;
}

/* Writes path, naming it on failure. */
static int
write_new(const char *path, const char *data, size_t len)
{
	int r;

	if ((r = file_write_new(path, data, len, 0644)) != GH_OK)
		fprintf(stderr, "gehoord " CMD ": %s: %s\n", path,
		    r == GH_ERR_EXISTS ? "exists already; refusing to "
		    "overwrite it" : gh_err_str(r));
	return r;
}

/* Refuses before any work if out, out.sig or out.pub exists. */
static int
check_free(const char *out)
{
	static const char *const ext[] = { "", ".sig", ".pub" };
	struct stat st;
	char path[4096];
	size_t i;

	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s%s", out,
		    ext[i]) >= sizeof(path)) {
			fprintf(stderr, "gehoord " CMD ": --out: the path is "
			    "too long\n");
			return GH_ERR_USAGE;
		}
		if (lstat(path, &st) == 0) {
			fprintf(stderr, "gehoord " CMD ": %s: exists already; "
			    "refusing to overwrite it\n", path);
			return GH_ERR_EXISTS;
		}
	}
	return GH_OK;
}

/* Signs text and writes out, out.sig and out.pub. */
static int
sign_and_write(const char *out, const char *text, const uint8_t *sk)
{
	uint8_t pk[SIGNKEY_PK_BYTES], sig[SIGNKEY_SIG_BYTES];
	char sigtext[SIGNKEY_SIGNIFY_MAX], pubtext[SIGNKEY_SIGNIFY_MAX];
	char path[4096];
	size_t len = strlen(text);
	int r;

	if ((r = check_free(out)) != GH_OK)
		return r;
	crypto_sign_ed25519_sk_to_pk(pk, sk);
	signkey_sign(sig, (const uint8_t *)text, len, sk);
	if ((r = signkey_signify_sig(sigtext, sizeof(sigtext),
	    "verify with the instance's release key", sig, pk)) != GH_OK ||
	    (r = signkey_signify_pub(pubtext, sizeof(pubtext),
	    "gehoord release public key", pk)) != GH_OK)
		return r;
	snprintf(path, sizeof(path), "%s.sig", out);
	if ((r = write_new(path, sigtext, strlen(sigtext))) != GH_OK)
		return r;
	snprintf(path, sizeof(path), "%s.pub", out);
	if ((r = write_new(path, pubtext, strlen(pubtext))) != GH_OK)
		return r;
	/* Last: a list on disk is always one with its signature. */
	return write_new(out, text, len);
}

int
cmd_invitation_keys(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database (its release signing key "
		    "DB.release.sign signs the list)", 0 },
		{ "wave", "ID", 1, "the wave's id", 0 },
		{ "out", "FILE.json", 1, "where the list goes; FILE.json.sig "
		    "and FILE.json.pub beside it (none is overwritten)", 0 },
		{ 0 }
	};
	struct store *s = NULL;
	uint8_t *sk = NULL;
	char *text = NULL, path[4096];
	const char *db;
	long long wave;
	int r = GH_ERR_USAGE, is_help;

	if (args_parse(argc, argv, specs, "Writes the wave's invitation "
	    "batches with their public keys, signed with the release key "
	    "(signify format), for publishing where invitees can compare "
	    "the key their invitation page states.", &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	db = args_get(specs, "db");
	if (args_int(CMD, "wave", args_get(specs, "wave"), 1, INT64_MAX,
	    &wave) != GH_OK)
		return CLI_USAGE;
	if ((r = signkey_path(path, sizeof(path), db, "release")) != GH_OK ||
	    (r = signkey_load(path, &sk, NULL)) != GH_OK) {
		fprintf(stderr, "gehoord " CMD ": %s: no release signing key "
		    "(run gehoord init --db %s)\n", path, db);
		goto out;
	}
	if ((r = store_open(db, 0, &s)) != GH_OK) {
		fprintf(stderr, "gehoord " CMD ": %s: cannot open the "
		    "database: %s\n", db, gh_err_str(r));
		goto out;
	}
	if ((r = build(s, wave, &text)) != GH_OK)
		goto out;
	if ((r = sign_and_write(args_get(specs, "out"), text, sk)) != GH_OK)
		goto out;
	printf("%s: the invitation keys of wave %lld, signed\n",
	    args_get(specs, "out"), wave);
out:
	cJSON_free(text);
	signkey_free(sk);
	store_close(s);
	return cli_exit_code(r);
}

/*
 * keyfile.c: a wave's X25519 key pair, the secret half passphrase-wrapped.
 *
 * Entry points: keyfile_create (gehoord wave keygen), keyfile_open and
 * wave_key_free (tally and release, never serve).
 * Data path when creating: crypto_box_keypair -> pwbox_seal of the secret
 * key (Argon2id, secretbox) with the public key in the clear -> a new 0600
 * file (file_write_new: O_EXCL, fsynced). When opening: file (exactly
 * KEYFILE_SIZE bytes) -> every field checked (keyfile_check_header, also
 * the entry point of tests/fuzz/fuzz_keyfile.c) -> pwbox_open into
 * sodium_malloc memory -> the secret key must give the stored public key.
 */
#include <sys/stat.h>

#include <string.h>

#include <sodium.h>

#include "fileio.h"
#include "keyfile.h"
#include "keyfile_int.h"
#include "pwbox.h"
#include "util/file.h"

/* The wave key file: the pwbox with the public key in the clear. */
static const struct pwbox_kind wave_kind = {
	.magic = "GHWAVEK1",
	.clear_len = SEAL_PK_BYTES,
	.secret_len = SEAL_SK_BYTES,
	.ops_min = crypto_pwhash_OPSLIMIT_MODERATE,
	.ops_max = crypto_pwhash_OPSLIMIT_SENSITIVE,
	.mem_min = crypto_pwhash_MEMLIMIT_MODERATE,
	.mem_max = crypto_pwhash_MEMLIMIT_SENSITIVE,
};

_Static_assert(SEAL_PK_BYTES == 32 && SEAL_SK_BYTES == 32, "key size");
_Static_assert(crypto_scalarmult_BYTES == SEAL_PK_BYTES, "scalarmult");
_Static_assert(PWBOX_LEN(SEAL_PK_BYTES, SEAL_SK_BYTES) == KEYFILE_SIZE,
    "layout");

int
keyfile_check_header(const uint8_t *buf, size_t len)
{
	return pwbox_check(buf, len, &wave_kind);
}

/*
 * Reads the key file at path into file and checks it with
 * keyfile_check_header. Returns GH_OK, GH_ERR_IO or GH_ERR_INVALID.
 */
static int
keyfile_read(const char *path, uint8_t file[KEYFILE_SIZE])
{
	size_t len = 0;
	int r;

	r = fileio_read(path, file, KEYFILE_SIZE, &len, NULL);
	if (r == GH_ERR_NOT_FOUND) {
		r = GH_ERR_IO;
		goto out;
	}
	if (r == GH_ERR_TOO_LARGE) {
		r = GH_ERR_INVALID;
		goto out;
	}
	if (r != GH_OK)
		goto out;
	r = keyfile_check_header(file, len);
out:
	return r;
}

int
keyfile_create(const char *path, const char *pass, size_t pass_len,
    uint8_t pk_out[SEAL_PK_BYTES])
{
	uint8_t file[KEYFILE_SIZE];
	uint8_t pk[SEAL_PK_BYTES];
	uint8_t *sk = NULL;
	struct stat st;
	int r = GH_ERR_PASSPHRASE;

	if (pass == NULL || pass_len == 0 ||
	    pass_len > crypto_pwhash_PASSWD_MAX) {
		goto out;
	}
	/* Fails fast, before the key derivation; O_EXCL below decides. */
	r = GH_ERR_EXISTS;
	if (lstat(path, &st) == 0)
		goto out;
	r = GH_ERR_NOMEM;
	if ((sk = sodium_malloc(SEAL_SK_BYTES)) == NULL)
		goto out;
	(void)crypto_box_keypair(pk, sk);
	if ((r = pwbox_seal(file, &wave_kind, pk, sk, pass, pass_len)) !=
	    GH_OK)
		goto out;
	if ((r = file_write_new(path, file, sizeof(file), 0600)) != GH_OK)
		goto out;
	memcpy(pk_out, pk, SEAL_PK_BYTES);
	r = GH_OK;
out:
	sodium_free(sk);
	sodium_memzero(file, sizeof(file));
	return r;
}

int
keyfile_open(const char *path, const char *pass, size_t pass_len,
    struct wave_key **out)
{
	uint8_t file[KEYFILE_SIZE];
	uint8_t derived_pk[SEAL_PK_BYTES];
	struct wave_key *k = NULL;
	int r;

	*out = NULL;
	if ((r = keyfile_read(path, file)) != GH_OK)
		goto out;
	r = GH_ERR_NOMEM;
	if ((k = sodium_malloc(sizeof(*k))) == NULL)
		goto out;
	if ((r = pwbox_open(k->sk, file, sizeof(file), &wave_kind, pass,
	    pass_len)) != GH_OK)
		goto out;
	/* The stored public key is not in the box; it must follow from sk. */
	r = GH_ERR_PASSPHRASE;
	if (crypto_scalarmult_base(derived_pk, k->sk) != 0 ||
	    sodium_memcmp(derived_pk, file + PWBOX_OFF_CLEAR,
	    SEAL_PK_BYTES) != 0) {
		goto out;
	}
	memcpy(k->pk, file + PWBOX_OFF_CLEAR, SEAL_PK_BYTES);
	*out = k;
	k = NULL;
	r = GH_OK;
out:
	wave_key_free(k);
	sodium_memzero(file, sizeof(file));
	return r;
}

void
wave_key_free(struct wave_key *key)
{
	sodium_free(key);
}

/*
 * keyfile.c: a wave's X25519 key pair, the secret half passphrase-wrapped.
 *
 * Entry points: keyfile_create (gehoord wave keygen), keyfile_open and
 * wave_key_free (tally and release, never serve), pk_to_b64 and
 * pk_from_b64 (the public key as it appears in wave definitions).
 * Data path when creating: crypto_box_keypair -> passphrase + fresh salt
 * -> Argon2id -> key in sodium_malloc memory -> secretbox of the secret
 * key -> a new 0600 file, fsynced. When opening: file (exactly
 * KEYFILE_SIZE bytes) -> every field checked (keyfile_check_header, also
 * the entry point of tests/fuzz/fuzz_keyfile.c) -> Argon2id with the stored
 * limits -> secretbox opened into sodium_malloc memory -> the secret key
 * must give the stored public key. Derived keys are wiped on every path.
 */
#include <sys/stat.h>

#include <string.h>

#include <sodium.h>

#include "fileio.h"
#include "keyfile.h"
#include "keyfile_int.h"
#include "util/log.h"

#define KEYFILE_MAGIC	"GHWAVEK1"
#define B64_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZ" \
			"abcdefghijklmnopqrstuvwxyz0123456789+/="

/* Field offsets of the layout in keyfile.h. */
#define OFF_MAGIC	0
#define OFF_SALT	(OFF_MAGIC + 8)
#define OFF_OPS		(OFF_SALT + crypto_pwhash_SALTBYTES)
#define OFF_MEM		(OFF_OPS + 8)
#define OFF_NONCE	(OFF_MEM + 8)
#define OFF_PK		(OFF_NONCE + crypto_secretbox_NONCEBYTES)
#define OFF_BOX		(OFF_PK + SEAL_PK_BYTES)
#define BOX_LEN		(crypto_secretbox_MACBYTES + SEAL_SK_BYTES)

_Static_assert(sizeof(KEYFILE_MAGIC) - 1 == 8, "magic size");
_Static_assert(crypto_pwhash_SALTBYTES == 16, "salt size");
_Static_assert(crypto_secretbox_NONCEBYTES == 24, "nonce size");
_Static_assert(crypto_secretbox_MACBYTES == 16, "mac size");
_Static_assert(SEAL_PK_BYTES == 32 && SEAL_SK_BYTES == 32, "key size");
_Static_assert(crypto_scalarmult_BYTES == SEAL_PK_BYTES, "scalarmult");
_Static_assert(OFF_BOX + BOX_LEN == KEYFILE_SIZE, "layout");
_Static_assert(sodium_base64_ENCODED_LEN(SEAL_PK_BYTES,
    sodium_base64_VARIANT_ORIGINAL) == SEAL_PK_B64_LEN + 1, "base64 size");

static void
store64_le(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t
load64_le(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/*
 * Derives the wrapping key from pass with the salt and limits stored in
 * file (already validated). Returns GH_OK or GH_ERR_NOMEM.
 */
static int
derive_key(uint8_t key[crypto_secretbox_KEYBYTES], const char *pass,
    size_t pass_len, const uint8_t file[KEYFILE_SIZE])
{
	if (crypto_pwhash(key, crypto_secretbox_KEYBYTES, pass, pass_len,
	    file + OFF_SALT, load64_le(file + OFF_OPS),
	    (size_t)load64_le(file + OFF_MEM),
	    crypto_pwhash_ALG_ARGON2ID13) != 0) {
		log_error("Argon2id could not get its memory");
		return GH_ERR_NOMEM;
	}
	return GH_OK;
}

int
keyfile_check_header(const uint8_t *buf, size_t len)
{
	uint64_t ops, mem;
	int r = GH_ERR_INVALID;

	if (len != KEYFILE_SIZE ||
	    memcmp(buf + OFF_MAGIC, KEYFILE_MAGIC, 8) != 0) {
		goto out;
	}
	ops = load64_le(buf + OFF_OPS);
	mem = load64_le(buf + OFF_MEM);
	/* Bounded above so a crafted file cannot make us spend without end. */
	if (ops < crypto_pwhash_OPSLIMIT_MODERATE ||
	    ops > crypto_pwhash_OPSLIMIT_SENSITIVE ||
	    mem < crypto_pwhash_MEMLIMIT_MODERATE ||
	    mem > crypto_pwhash_MEMLIMIT_SENSITIVE) {
		goto out;
	}
	r = GH_OK;
out:
	return r;
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
	uint8_t *sk = NULL, *key = NULL;
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
	if ((sk = sodium_malloc(SEAL_SK_BYTES)) == NULL ||
	    (key = sodium_malloc(crypto_secretbox_KEYBYTES)) == NULL)
		goto out;
	(void)crypto_box_keypair(pk, sk);
	memcpy(file + OFF_MAGIC, KEYFILE_MAGIC, 8);
	randombytes_buf(file + OFF_SALT, crypto_pwhash_SALTBYTES);
	store64_le(file + OFF_OPS, crypto_pwhash_OPSLIMIT_MODERATE);
	store64_le(file + OFF_MEM, crypto_pwhash_MEMLIMIT_MODERATE);
	randombytes_buf(file + OFF_NONCE, crypto_secretbox_NONCEBYTES);
	memcpy(file + OFF_PK, pk, SEAL_PK_BYTES);
	if ((r = derive_key(key, pass, pass_len, file)) != GH_OK)
		goto out;
	(void)crypto_secretbox_easy(file + OFF_BOX, sk, SEAL_SK_BYTES,
	    file + OFF_NONCE, key);
	if ((r = fileio_write_new(path, file, sizeof(file))) != GH_OK)
		goto out;
	memcpy(pk_out, pk, SEAL_PK_BYTES);
	r = GH_OK;
out:
	if (sk != NULL) {
		sodium_memzero(sk, SEAL_SK_BYTES);
		sodium_free(sk);
	}
	if (key != NULL) {
		sodium_memzero(key, crypto_secretbox_KEYBYTES);
		sodium_free(key);
	}
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
	uint8_t *key = NULL;
	int r;

	*out = NULL;
	if ((r = keyfile_read(path, file)) != GH_OK)
		goto out;
	/* keyfile_create never wraps with an empty passphrase. */
	r = GH_ERR_PASSPHRASE;
	if (pass == NULL || pass_len == 0 ||
	    pass_len > crypto_pwhash_PASSWD_MAX) {
		goto out;
	}
	r = GH_ERR_NOMEM;
	if ((key = sodium_malloc(crypto_secretbox_KEYBYTES)) == NULL ||
	    (k = sodium_malloc(sizeof(*k))) == NULL)
		goto out;
	if ((r = derive_key(key, pass, pass_len, file)) != GH_OK)
		goto out;
	r = GH_ERR_PASSPHRASE;
	if (crypto_secretbox_open_easy(k->sk, file + OFF_BOX, BOX_LEN,
	    file + OFF_NONCE, key) != 0) {
		goto out;
	}
	/* The stored public key is not in the box; it must follow from sk. */
	if (crypto_scalarmult_base(derived_pk, k->sk) != 0 ||
	    sodium_memcmp(derived_pk, file + OFF_PK, SEAL_PK_BYTES) != 0) {
		goto out;
	}
	memcpy(k->pk, file + OFF_PK, SEAL_PK_BYTES);
	*out = k;
	k = NULL;
	r = GH_OK;
out:
	if (key != NULL) {
		sodium_memzero(key, crypto_secretbox_KEYBYTES);
		sodium_free(key);
	}
	wave_key_free(k);
	sodium_memzero(file, sizeof(file));
	return r;
}

void
wave_key_free(struct wave_key *key)
{
	if (key == NULL)
		return;
	sodium_memzero(key, sizeof(*key));
	sodium_free(key);
}

void
pk_to_b64(char out[SEAL_PK_B64_LEN + 1], const uint8_t pk[SEAL_PK_BYTES])
{
	(void)sodium_bin2base64(out, SEAL_PK_B64_LEN + 1, pk, SEAL_PK_BYTES,
	    sodium_base64_VARIANT_ORIGINAL);
}

int
pk_from_b64(uint8_t pk[SEAL_PK_BYTES], const char *b64)
{
	const char *end = NULL;
	size_t len, bin_len = 0;
	int r = GH_ERR_INVALID;

	if (b64 == NULL || (len = strlen(b64)) != SEAL_PK_B64_LEN)
		goto out;
	/* libsodium 1.0.18 decodes any byte >= 0x80 as '/': refuse those. */
	if (strspn(b64, B64_CHARS) != len)
		goto out;
	/* No ignored characters, nothing after the padding, exactly 32. */
	if (sodium_base642bin(pk, SEAL_PK_BYTES, b64, len, NULL, &bin_len,
	    &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != b64 + len || bin_len != SEAL_PK_BYTES)
		goto out;
	r = GH_OK;
out:
	if (r != GH_OK)
		memset(pk, 0, SEAL_PK_BYTES);
	return r;
}

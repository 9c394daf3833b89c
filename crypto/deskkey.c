/*
 * deskkey.c: the desk key pair and its per-user wrapping (see deskkey.h).
 *
 * Entry points: deskkey_generate (the first desk user, gehoord user add),
 * deskkey_wrap (each desk user; a later one re-wraps the key another
 * desk user unwrapped), deskkey_unwrap (login), deskkey_pw_hash and
 * deskkey_pw_verify (every user). Data path of unwrapping: blob (exact
 * length) -> magic and limits checked -> Argon2id(password, salt) into
 * sodium_malloc memory -> secretbox opened into sodium_malloc memory ->
 * crypto_scalarmult_base must give the instance's public key. The derived
 * key is wiped on every path.
 */
#include <string.h>

#include <sodium.h>

#include "deskkey.h"

#define DK_MAGIC	"GHDESK1"	/* with its NUL: 8 bytes */
#define DK_OFF_SALT	8
#define DK_OFF_OPS	(DK_OFF_SALT + crypto_pwhash_SALTBYTES)
#define DK_OFF_MEM	(DK_OFF_OPS + 8)
#define DK_OFF_NONCE	(DK_OFF_MEM + 8)
#define DK_OFF_BOX	(DK_OFF_NONCE + crypto_secretbox_NONCEBYTES)
#define DK_BOX_LEN	(crypto_secretbox_MACBYTES + DESKKEY_SK_BYTES)

_Static_assert(sizeof(DK_MAGIC) == 8, "magic size");
_Static_assert(DK_OFF_BOX + DK_BOX_LEN == DESKKEY_WRAPPED_LEN, "layout");
_Static_assert(crypto_secretbox_KEYBYTES == 32, "key size");

static void
put64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t
get64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static int
pw_is_usable(size_t pw_len)
{
	return pw_len >= DESKKEY_PW_MIN && pw_len <= DESKKEY_PW_MAX;
}

int
deskkey_generate(uint8_t pk[DESKKEY_PK_BYTES], uint8_t **sk)
{
	if ((*sk = sodium_malloc(DESKKEY_SK_BYTES)) == NULL)
		return GH_ERR_NOMEM;
	crypto_box_keypair(pk, *sk);
	return GH_OK;
}

void
deskkey_free(uint8_t *sk)
{
	sodium_free(sk);
}

/* Derives the wrapping key of blob's salt and limits into new memory. */
static int
derive(uint8_t **key, const uint8_t *blob, const char *pw, size_t pw_len)
{
	if ((*key = sodium_malloc(crypto_secretbox_KEYBYTES)) == NULL)
		return GH_ERR_NOMEM;
	if (crypto_pwhash(*key, crypto_secretbox_KEYBYTES, pw, pw_len,
	    blob + DK_OFF_SALT, get64(blob + DK_OFF_OPS),
	    (size_t)get64(blob + DK_OFF_MEM),
	    crypto_pwhash_ALG_ARGON2ID13) != 0) {
		sodium_free(*key);
		*key = NULL;
		return GH_ERR_NOMEM;
	}
	return GH_OK;
}

int
deskkey_wrap(uint8_t out[DESKKEY_WRAPPED_LEN], const uint8_t *sk,
    const char *pw, size_t pw_len)
{
	uint8_t *key = NULL;
	int r;

	if (!pw_is_usable(pw_len))
		return GH_ERR_PASSPHRASE;
	memcpy(out, DK_MAGIC, sizeof(DK_MAGIC));
	randombytes_buf(out + DK_OFF_SALT, crypto_pwhash_SALTBYTES);
	put64(out + DK_OFF_OPS, DESKKEY_OPSLIMIT);
	put64(out + DK_OFF_MEM, DESKKEY_MEMLIMIT);
	randombytes_buf(out + DK_OFF_NONCE, crypto_secretbox_NONCEBYTES);
	if ((r = derive(&key, out, pw, pw_len)) != GH_OK)
		goto out;
	crypto_secretbox_easy(out + DK_OFF_BOX, sk, DESKKEY_SK_BYTES,
	    out + DK_OFF_NONCE, key);
	r = GH_OK;
out:
	sodium_free(key);
	if (r != GH_OK)
		sodium_memzero(out, DESKKEY_WRAPPED_LEN);
	return r;
}

int
deskkey_unwrap(uint8_t **sk, const uint8_t *blob, size_t len,
    const char *pw, size_t pw_len, const uint8_t pk[DESKKEY_PK_BYTES])
{
	uint8_t *key = NULL, *s = NULL, got[DESKKEY_PK_BYTES];
	uint64_t ops, mem;
	int r = GH_ERR_INVALID;

	*sk = NULL;
	if (len != DESKKEY_WRAPPED_LEN ||
	    memcmp(blob, DK_MAGIC, sizeof(DK_MAGIC)) != 0)
		goto out;
	ops = get64(blob + DK_OFF_OPS);
	mem = get64(blob + DK_OFF_MEM);
	if (ops < DESKKEY_OPSLIMIT || ops > crypto_pwhash_OPSLIMIT_SENSITIVE ||
	    mem < DESKKEY_MEMLIMIT || mem > crypto_pwhash_MEMLIMIT_SENSITIVE)
		goto out;
	r = GH_ERR_PASSPHRASE;
	if (pw_len == 0 || pw_len > DESKKEY_PW_MAX)
		goto out;
	if ((r = derive(&key, blob, pw, pw_len)) != GH_OK)
		goto out;
	r = GH_ERR_NOMEM;
	if ((s = sodium_malloc(DESKKEY_SK_BYTES)) == NULL)
		goto out;
	r = GH_ERR_PASSPHRASE;
	if (crypto_secretbox_open_easy(s, blob + DK_OFF_BOX, DK_BOX_LEN,
	    blob + DK_OFF_NONCE, key) != 0)
		goto out;
	r = GH_ERR_CRYPTO;
	if (crypto_scalarmult_base(got, s) != 0 ||
	    sodium_memcmp(got, pk, DESKKEY_PK_BYTES) != 0)
		goto out;
	*sk = s;
	s = NULL;
	r = GH_OK;
out:
	sodium_free(key);
	sodium_free(s);
	sodium_memzero(got, sizeof(got));
	return r;
}

int
deskkey_pw_hash(char out[crypto_pwhash_STRBYTES], const char *pw,
    size_t pw_len)
{
	if (!pw_is_usable(pw_len))
		return GH_ERR_PASSPHRASE;
	if (crypto_pwhash_str_alg(out, pw, pw_len, DESKKEY_OPSLIMIT,
	    DESKKEY_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return GH_ERR_NOMEM;
	return GH_OK;
}

int
deskkey_pw_verify(const char *hash, const char *pw, size_t pw_len)
{
	if (strncmp(hash, crypto_pwhash_argon2id_STRPREFIX,
	    strlen(crypto_pwhash_argon2id_STRPREFIX)) != 0 ||
	    crypto_pwhash_str_needs_rehash(hash,
	    crypto_pwhash_OPSLIMIT_SENSITIVE,
	    crypto_pwhash_MEMLIMIT_SENSITIVE) == -1)
		return GH_ERR_INVALID;
	if (pw_len == 0 || pw_len > DESKKEY_PW_MAX)
		return GH_ERR_PASSPHRASE;
	return crypto_pwhash_str_verify(hash, pw, pw_len) == 0 ? GH_OK :
	    GH_ERR_PASSPHRASE;
}

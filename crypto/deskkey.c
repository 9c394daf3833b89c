/*
 * deskkey.c: the desk key pair and its per-user wrapping (see deskkey.h).
 *
 * Entry points: deskkey_generate (the first desk user, gehoord user add),
 * deskkey_wrap (each desk user; a later one re-wraps the key another
 * desk user unwrapped), deskkey_unwrap (login), deskkey_pw_hash and
 * deskkey_pw_verify (every user). Data path of unwrapping: blob (exact
 * length) -> magic and limits checked (pwbox_check) -> pwbox_open
 * (Argon2id, secretbox) into sodium_malloc memory ->
 * crypto_scalarmult_base must give the instance's public key.
 */
#include <string.h>

#include <sodium.h>

#include "deskkey.h"
#include "pwbox.h"

/* The wrapped desk key: a pwbox with nothing in the clear. */
static const struct pwbox_kind desk_kind = {
	.magic = "GHDESK1",	/* with its NUL: 8 bytes */
	.clear_len = 0,
	.secret_len = DESKKEY_SK_BYTES,
	.ops_min = DESKKEY_OPSLIMIT,
	.ops_max = crypto_pwhash_OPSLIMIT_SENSITIVE,
	.mem_min = DESKKEY_MEMLIMIT,
	.mem_max = crypto_pwhash_MEMLIMIT_SENSITIVE,
};

_Static_assert(sizeof("GHDESK1") == PWBOX_MAGIC_BYTES, "magic size");
_Static_assert(PWBOX_LEN(0, DESKKEY_SK_BYTES) == DESKKEY_WRAPPED_LEN,
    "layout");

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

int
deskkey_wrap(uint8_t out[DESKKEY_WRAPPED_LEN], const uint8_t *sk,
    const char *pw, size_t pw_len)
{
	if (!pw_is_usable(pw_len))
		return GH_ERR_PASSPHRASE;
	return pwbox_seal(out, &desk_kind, NULL, sk, pw, pw_len);
}

int
deskkey_unwrap(uint8_t **sk, const uint8_t *blob, size_t len,
    const char *pw, size_t pw_len, const uint8_t pk[DESKKEY_PK_BYTES])
{
	uint8_t *s = NULL, got[DESKKEY_PK_BYTES];
	int r;

	*sk = NULL;
	/* A malformed blob says so whatever the password. */
	if ((r = pwbox_check(blob, len, &desk_kind)) != GH_OK)
		goto out;
	r = GH_ERR_PASSPHRASE;
	if (pw_len == 0 || pw_len > DESKKEY_PW_MAX)
		goto out;
	r = GH_ERR_NOMEM;
	if ((s = sodium_malloc(DESKKEY_SK_BYTES)) == NULL)
		goto out;
	if ((r = pwbox_open(s, blob, len, &desk_kind, pw, pw_len)) != GH_OK)
		goto out;
	r = GH_ERR_CRYPTO;
	if (crypto_scalarmult_base(got, s) != 0 ||
	    sodium_memcmp(got, pk, DESKKEY_PK_BYTES) != 0)
		goto out;
	*sk = s;
	s = NULL;
	r = GH_OK;
out:
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

/*
 * pwbox.c: a secret wrapped under a passphrase (see pwbox.h).
 *
 * Entry points: pwbox_seal (keyfile_create, deskkey_wrap), pwbox_check
 * (keyfile_check_header, and first thing in pwbox_open) and pwbox_open
 * (keyfile_open, deskkey_unwrap). Data path of opening: box (exact
 * length) -> magic and limits checked -> Argon2id(pass, salt, stored
 * limits) into sodium_malloc memory -> crypto_secretbox_open_easy into
 * the caller's memory. The derived key is freed (so wiped) on every path.
 */
#include <string.h>

#include <sodium.h>

#include "pwbox.h"
#include "util/log.h"
#include "util/util.h"

_Static_assert(crypto_pwhash_SALTBYTES == 16, "salt size");
_Static_assert(crypto_secretbox_NONCEBYTES == 24, "nonce size");
_Static_assert(crypto_secretbox_MACBYTES == 16, "mac size");
_Static_assert(PWBOX_OFF_CLEAR == 64, "header size");

static size_t
box_len(const struct pwbox_kind *k)
{
	return PWBOX_LEN(k->clear_len, k->secret_len);
}

static int
pass_is_usable(const char *pass, size_t pass_len)
{
	return pass != NULL && pass_len > 0 &&
	    pass_len <= crypto_pwhash_PASSWD_MAX;
}

/*
 * Derives the wrapping key of box's salt and limits (already checked)
 * into new sodium_malloc memory *key. Returns GH_OK or GH_ERR_NOMEM.
 */
static int
derive(uint8_t **key, const uint8_t *box, const char *pass, size_t pass_len)
{
	if ((*key = sodium_malloc(crypto_secretbox_KEYBYTES)) == NULL)
		return GH_ERR_NOMEM;
	if (crypto_pwhash(*key, crypto_secretbox_KEYBYTES, pass, pass_len,
	    box + PWBOX_OFF_SALT, gh_get_le64(box + PWBOX_OFF_OPS),
	    (size_t)gh_get_le64(box + PWBOX_OFF_MEM),
	    crypto_pwhash_ALG_ARGON2ID13) != 0) {
		log_error("Argon2id could not get its memory");
		sodium_free(*key);
		*key = NULL;
		return GH_ERR_NOMEM;
	}
	return GH_OK;
}

int
pwbox_seal(uint8_t *out, const struct pwbox_kind *k, const uint8_t *clear,
    const uint8_t *secret, const char *pass, size_t pass_len)
{
	uint8_t *key = NULL;
	int r = GH_ERR_PASSPHRASE;

	if (!pass_is_usable(pass, pass_len))
		goto out;
	memcpy(out, k->magic, PWBOX_MAGIC_BYTES);
	randombytes_buf(out + PWBOX_OFF_SALT, crypto_pwhash_SALTBYTES);
	gh_put_le64(out + PWBOX_OFF_OPS, k->ops_min);
	gh_put_le64(out + PWBOX_OFF_MEM, k->mem_min);
	randombytes_buf(out + PWBOX_OFF_NONCE, crypto_secretbox_NONCEBYTES);
	if (k->clear_len > 0)
		memcpy(out + PWBOX_OFF_CLEAR, clear, k->clear_len);
	if ((r = derive(&key, out, pass, pass_len)) != GH_OK)
		goto out;
	(void)crypto_secretbox_easy(out + PWBOX_OFF_CLEAR + k->clear_len,
	    secret, k->secret_len, out + PWBOX_OFF_NONCE, key);
	r = GH_OK;
out:
	sodium_free(key);
	if (r != GH_OK)
		sodium_memzero(out, box_len(k));
	return r;
}

int
pwbox_check(const uint8_t *box, size_t len, const struct pwbox_kind *k)
{
	uint64_t ops, mem;

	if (len != box_len(k) ||
	    memcmp(box, k->magic, PWBOX_MAGIC_BYTES) != 0)
		return GH_ERR_INVALID;
	ops = gh_get_le64(box + PWBOX_OFF_OPS);
	mem = gh_get_le64(box + PWBOX_OFF_MEM);
	/* Bounded above so a crafted box cannot make us spend without end. */
	if (ops < k->ops_min || ops > k->ops_max ||
	    mem < k->mem_min || mem > k->mem_max)
		return GH_ERR_INVALID;
	return GH_OK;
}

int
pwbox_open(uint8_t *secret, const uint8_t *box, size_t len,
    const struct pwbox_kind *k, const char *pass, size_t pass_len)
{
	uint8_t *key = NULL;
	int r;

	if ((r = pwbox_check(box, len, k)) != GH_OK)
		goto out;
	r = GH_ERR_PASSPHRASE;
	if (!pass_is_usable(pass, pass_len))
		goto out;
	if ((r = derive(&key, box, pass, pass_len)) != GH_OK)
		goto out;
	r = GH_ERR_PASSPHRASE;
	if (crypto_secretbox_open_easy(secret, box + PWBOX_OFF_CLEAR +
	    k->clear_len, crypto_secretbox_MACBYTES + k->secret_len,
	    box + PWBOX_OFF_NONCE, key) != 0)
		goto out;
	r = GH_OK;
out:
	sodium_free(key);
	if (r != GH_OK)
		sodium_memzero(secret, k->secret_len);
	return r;
}

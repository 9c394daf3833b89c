/*
 * pwbox.h: a secret wrapped under a passphrase, the one format of the
 * wave key files (keyfile.h) and the desk's wrapped key (deskkey.h).
 *
 * Argon2id (crypto_pwhash) derives a key from the passphrase and a fresh
 * salt; crypto_secretbox seals the secret under it with a fresh nonce.
 * Nothing else: libsodium's high-level calls, composed. Layout of a box
 * (PWBOX_LEN(clear_len, secret_len) bytes):
 *   magic[8] | salt[16] | opslimit u64le | memlimit u64le | nonce[24]
 *   | clear[clear_len] | secretbox(secret)[16 + secret_len]
 * The magic names what is wrapped; clear holds public bytes the caller
 * keeps next to the secret (a wave key file's public key), not
 * authenticated by the box: the caller checks them against the secret.
 * A kind (struct pwbox_kind) fixes the magic, both lengths and the
 * Argon2id limits a box may state, so a crafted box cannot make us
 * allocate or compute without bound.
 *
 * Memory: the secret and the derived key live in sodium_malloc memory.
 * sodium_free wipes before it frees, so nothing is wiped by hand before
 * sodium_free, here or in the callers; sodium_memzero is for the stack and
 * for memory that stays.
 */
#ifndef GH_PWBOX_H
#define GH_PWBOX_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "util/err.h"

#define PWBOX_MAGIC_BYTES	8
#define PWBOX_OFF_SALT		PWBOX_MAGIC_BYTES
#define PWBOX_OFF_OPS		(PWBOX_OFF_SALT + crypto_pwhash_SALTBYTES)
#define PWBOX_OFF_MEM		(PWBOX_OFF_OPS + 8)
#define PWBOX_OFF_NONCE		(PWBOX_OFF_MEM + 8)
#define PWBOX_OFF_CLEAR		(PWBOX_OFF_NONCE + crypto_secretbox_NONCEBYTES)
/* Bytes of a box with clear_len bytes in the clear and a secret_len secret. */
#define PWBOX_LEN(clear_len, secret_len)				\
	(PWBOX_OFF_CLEAR + (clear_len) + crypto_secretbox_MACBYTES +	\
	(secret_len))

/* What is wrapped, and the Argon2id limits a box of it may state. */
struct pwbox_kind {
	char		 magic[PWBOX_MAGIC_BYTES];	/* no NUL needed */
	size_t		 clear_len;
	size_t		 secret_len;
	unsigned long long ops_min, ops_max;	/* written with ops_min */
	size_t		 mem_min, mem_max;	/* written with mem_min */
};

/*
 * Wraps the kind's secret_len bytes of secret with pass into out
 * (PWBOX_LEN bytes), with a fresh salt and nonce, the kind's lowest
 * limits and the clear_len bytes of clear. The caller decides which
 * passphrases it accepts; pass_len must be 1 to crypto_pwhash_PASSWD_MAX.
 * Returns GH_OK, GH_ERR_PASSPHRASE or GH_ERR_NOMEM (out wiped).
 */
int pwbox_seal(uint8_t *out, const struct pwbox_kind *k, const uint8_t *clear,
    const uint8_t *secret, const char *pass, size_t pass_len) GH_WUR;

/*
 * Checks the len bytes at box before any key derivation: the length
 * (exactly PWBOX_LEN of the kind), the magic and the limits (within the
 * kind's). Returns GH_OK or GH_ERR_INVALID.
 */
int pwbox_check(const uint8_t *box, size_t len, const struct pwbox_kind *k)
    GH_WUR;

/*
 * Checks box (pwbox_check) and opens it with pass into secret (the kind's
 * secret_len bytes, normally sodium_malloc'd). Returns GH_OK,
 * GH_ERR_INVALID, GH_ERR_PASSPHRASE (empty or too long, wrong, or the box
 * tampered with) or GH_ERR_NOMEM; secret is wiped on failure.
 */
int pwbox_open(uint8_t *secret, const uint8_t *box, size_t len,
    const struct pwbox_kind *k, const char *pass, size_t pass_len) GH_WUR;

#endif

/*
 * deskkey.h: the reporting desk's X25519 key pair, its secret half
 * wrapped once per desk user with that user's password, and the users'
 * password hashes. Implemented in deskkey.c; no I/O.
 *
 * Every report's own secret key is sealed to the desk's public key
 * (store_report.h), so whoever holds the desk's secret key can read every
 * report. The server never stores it in the clear: each desk user's row
 * holds it wrapped (secretbox under Argon2id(password, per-user salt));
 * it is unwrapped at login into sodium_malloc memory and wiped at logout
 * or timeout (session.h).
 *
 * Wrapped blob (DESKKEY_WRAPPED_LEN bytes, users.wrapped_key), pwbox.h's
 * layout with nothing in the clear:
 *   "GHDESK1\0" | salt[16] | opslimit u64le | memlimit u64le | nonce[24]
 *   | secretbox(secret key)[16 + 32]
 * After opening, the secret key must give the instance's desk public key
 * (store_key_get "desk"), so a blob from another instance is refused.
 *
 * Argon2id limits, for both the password hash (crypto_pwhash_str) and the
 * wrapping key: OPSLIMIT_INTERACTIVE (2 passes) and MEMLIMIT_INTERACTIVE
 * (64 MiB), about 0.1 s each on a current core: a login costs two
 * derivations. Stored limits are accepted between INTERACTIVE and
 * SENSITIVE, so a crafted row cannot make the server allocate without
 * bound. Passwords must have at least DESKKEY_PW_MIN characters.
 */
#ifndef GH_DESKKEY_H
#define GH_DESKKEY_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "util/err.h"

#define DESKKEY_PK_BYTES	crypto_box_PUBLICKEYBYTES	/* 32 */
#define DESKKEY_SK_BYTES	crypto_box_SECRETKEYBYTES	/* 32 */
#define DESKKEY_WRAPPED_LEN	(8 + 16 + 8 + 8 + 24 + 16 + 32)
#define DESKKEY_PW_MIN		12	/* bytes in a password */
#define DESKKEY_PW_MAX		1024
#define DESKKEY_OPSLIMIT	crypto_pwhash_OPSLIMIT_INTERACTIVE
#define DESKKEY_MEMLIMIT	crypto_pwhash_MEMLIMIT_INTERACTIVE

/*
 * Makes a new desk key pair: pk gets the public key, *sk new sodium_malloc
 * memory with the secret key (free with deskkey_free). GH_OK or
 * GH_ERR_NOMEM.
 */
int deskkey_generate(uint8_t pk[DESKKEY_PK_BYTES], uint8_t **sk) GH_WUR;

/*
 * Wraps sk with pw (a fresh salt and nonce) into out. GH_OK,
 * GH_ERR_PASSPHRASE (shorter than DESKKEY_PW_MIN), GH_ERR_NOMEM.
 */
int deskkey_wrap(uint8_t out[DESKKEY_WRAPPED_LEN], const uint8_t *sk,
    const char *pw, size_t pw_len) GH_WUR;

/*
 * Unwraps blob (len bytes) with pw into new sodium_malloc memory *sk (free
 * with deskkey_free), checking that it gives pk. GH_OK, GH_ERR_INVALID
 * (not a wrapped desk key, limits out of range), GH_ERR_PASSPHRASE (wrong
 * password or tampered blob), GH_ERR_CRYPTO (a key of another instance),
 * GH_ERR_NOMEM. Nothing is left in *sk on failure.
 */
int deskkey_unwrap(uint8_t **sk, const uint8_t *blob, size_t len,
    const char *pw, size_t pw_len, const uint8_t pk[DESKKEY_PK_BYTES]) GH_WUR;

/* Wipes and frees a secret key of this module; accepts NULL. */
void deskkey_free(uint8_t *sk);

/*
 * Hashes a password (Argon2id string, the limits above) into out. GH_OK,
 * GH_ERR_PASSPHRASE (too short or too long), GH_ERR_NOMEM.
 */
int deskkey_pw_hash(char out[crypto_pwhash_STRBYTES], const char *pw,
    size_t pw_len) GH_WUR;

/*
 * Checks pw against a hash from deskkey_pw_hash, in constant time as
 * libsodium does. GH_OK, GH_ERR_PASSPHRASE (wrong), GH_ERR_INVALID (not
 * an Argon2id hash string).
 */
int deskkey_pw_verify(const char *hash, const char *pw, size_t pw_len) GH_WUR;

#endif

/*
 * signkey.h: the instance's Ed25519 signing keys, and signatures that
 * plain tools can check.
 *
 * Two key files live next to the database, each mode 0600 and holding the
 * 64-byte libsodium secret key: DB.ack.sign signs reporters'
 * acknowledgements of receipt (the server holds it), DB.release.sign signs
 * releases (only gehoord release reads it). Their public keys are kept in
 * the database (store_key_set) so the server can publish them.
 *
 * Signatures are also written in OpenBSD signify's format (base64 of "Ed",
 * an 8-byte key number and the 64-byte signature, after an "untrusted
 * comment:" line), so that `signify -V -p KEY.pub -m FILE` checks them.
 */
#ifndef GH_SIGNKEY_H
#define GH_SIGNKEY_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "util/err.h"

#define SIGNKEY_PK_BYTES	crypto_sign_PUBLICKEYBYTES	/* 32 */
#define SIGNKEY_SK_BYTES	crypto_sign_SECRETKEYBYTES	/* 64 */
#define SIGNKEY_SIG_BYTES	crypto_sign_BYTES		/* 64 */
/* A signify file: comment line, base64 line; generous. */
#define SIGNKEY_SIGNIFY_MAX	256

/*
 * Makes a key pair and writes the secret key to a new file at path (mode
 * 0600, never overwriting: GH_ERR_EXISTS); pk gets the public key.
 */
int signkey_create(const char *path, uint8_t pk[SIGNKEY_PK_BYTES]) GH_WUR;

/*
 * Reads the secret key file at path (exactly 64 bytes, no group or other
 * permissions) into new sodium_malloc memory *sk_out (free with signkey_free)
 * and its public key into pk (may be NULL). GH_ERR_NOT_FOUND, GH_ERR_IO,
 * GH_ERR_INVALID (logged).
 */
int signkey_load(const char *path, uint8_t **sk_out,
    uint8_t pk[SIGNKEY_PK_BYTES]) GH_WUR;

/* Wipes and frees a key from signkey_load; accepts NULL. */
void signkey_free(uint8_t *sk);

/* Signs msg (detached Ed25519). */
void signkey_sign(uint8_t sig[SIGNKEY_SIG_BYTES], const uint8_t *msg,
    size_t len, const uint8_t *sk);

/* Checks a detached signature: GH_OK or GH_ERR_CRYPTO. */
int signkey_verify(const uint8_t sig[SIGNKEY_SIG_BYTES], const uint8_t *msg,
    size_t len, const uint8_t pk[SIGNKEY_PK_BYTES]) GH_WUR;

/*
 * The signify form of a public key or a signature: writes "untrusted
 * comment: COMMENT\n" and the base64 line with its "\n" into out (NUL
 * terminated). The key number is the first 8 bytes of BLAKE2b(pk).
 */
int signkey_signify_pub(char *out, size_t outsz, const char *comment,
    const uint8_t pk[SIGNKEY_PK_BYTES]) GH_WUR;
int signkey_signify_sig(char *out, size_t outsz, const char *comment,
    const uint8_t sig[SIGNKEY_SIG_BYTES],
    const uint8_t pk[SIGNKEY_PK_BYTES]) GH_WUR;

/*
 * Parses a signify signature or public key file's text (the second line)
 * into sig or pk. GH_ERR_INVALID if it is not one.
 */
int signkey_signify_parse_sig(const char *text, size_t len,
    uint8_t sig[SIGNKEY_SIG_BYTES]) GH_WUR;
int signkey_signify_parse_pub(const char *text, size_t len,
    uint8_t pk[SIGNKEY_PK_BYTES]) GH_WUR;

/* Writes the path of a key file: "DB.ack.sign" or "DB.release.sign". */
int signkey_path(char *out, size_t outsz, const char *db,
    const char *purpose) GH_WUR;

#endif

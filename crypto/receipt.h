/*
 * receipt.h: the receipt code a reporter gets once, and what it unlocks.
 *
 * A receipt is 120 random bits, written as 24 Crockford base32 symbols and
 * one check symbol (Crockford's mod-37 check: * ~ $ = U after the 32
 * letters and digits), shown in five groups of five: "ABCDE-FGHJK-...".
 * Parsing forgives case, spaces, hyphens, I/L for 1 and O for 0, and the
 * check symbol turns most typing mistakes (one wrong symbol, two swapped
 * neighbours) into "this code has a typing mistake" instead of "unknown".
 *
 * The database holds only a keyed BLAKE2b hash of the 15 bytes under the
 * server pepper (as crypto/token.h; domain-separated from tokens), and the
 * public half of a key pair derived from the receipt with Argon2id: only
 * the receipt opens the desk's replies (report_crypto.h).
 */
#ifndef GH_RECEIPT_H
#define GH_RECEIPT_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "util/err.h"

#define RECEIPT_BYTES		15
#define RECEIPT_SYMBOLS		25	/* 24 data symbols and the check */
#define RECEIPT_TEXT_LEN	29	/* five groups of five, four hyphens */
#define RECEIPT_HASH_BYTES	32
#define RECEIPT_SALT_BYTES	crypto_pwhash_SALTBYTES		/* 16 */
#define RECEIPT_PEPPER_BYTES	32
/*
 * Argon2id for the reply key: libsodium's interactive operations limit
 * (2 passes) over 32 MiB. A guess costs an attacker with the database
 * that much per try, on top of the 120 bits; the server bounds how many
 * run at once (report_crypto.h) so a burst of logins cannot exhaust
 * memory.
 */
#define RECEIPT_KDF_OPSLIMIT	crypto_pwhash_OPSLIMIT_INTERACTIVE
#define RECEIPT_KDF_MEMLIMIT	(32u << 20)

/* Fills r with fresh random bytes. */
void receipt_new(uint8_t r[RECEIPT_BYTES]);

/* Writes the grouped text of r ("XXXXX-XXXXX-XXXXX-XXXXX-XXXXC") and a NUL. */
void receipt_to_text(char out[RECEIPT_TEXT_LEN + 1],
    const uint8_t r[RECEIPT_BYTES]);

/*
 * Parses a receipt as a person typed it. Returns GH_OK; GH_ERR_INVALID if
 * it is not a code's shape (a character outside the alphabet, or not 25
 * symbols); GH_ERR_CRYPTO if the check symbol does not match (a typing
 * mistake). r is wiped on failure.
 */
int receipt_from_text(uint8_t r[RECEIPT_BYTES], const char *text,
    size_t len) GH_WUR;

/* The keyed lookup hash of r under pepper. */
void receipt_hash(uint8_t out[RECEIPT_HASH_BYTES],
    const uint8_t r[RECEIPT_BYTES],
    const uint8_t pepper[RECEIPT_PEPPER_BYTES]);

/*
 * Derives the reply key pair of r and salt (Argon2id, then
 * crypto_box_seed_keypair): pk, and sk into caller's sodium_malloc memory
 * of crypto_box_SECRETKEYBYTES. Returns GH_OK or GH_ERR_NOMEM (Argon2id
 * could not get its memory); sk is wiped on failure.
 */
int receipt_reply_key(uint8_t pk[crypto_box_PUBLICKEYBYTES], uint8_t *sk,
    const uint8_t r[RECEIPT_BYTES],
    const uint8_t salt[RECEIPT_SALT_BYTES]) GH_WUR;

#endif

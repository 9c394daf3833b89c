/*
 * token.h: one-time survey tokens and the server pepper they are hashed with.
 *
 * A token is 128 random bits, written as 26 Crockford base32 characters in
 * the link BASE/s/TOKEN. The database holds only BLAKE2b(token) keyed with
 * the pepper, a 32-byte secret kept in a file beside the database (mode
 * 0600), never in it: a stolen database alone cannot test a guessed token.
 * A spent token is recorded under a second, independent keyed hash
 * (token_spend_hash), so that the issued row never changes.
 */
#ifndef GH_TOKEN_H
#define GH_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define TOKEN_BYTES	16
#define TOKEN_TEXT_LEN	26	/* b32_encoded_len(TOKEN_BYTES) */
#define TOKEN_HASH_BYTES 32
#define PEPPER_BYTES	32

/* Fills tok with fresh random bytes (randombytes_buf). */
void token_new(uint8_t tok[TOKEN_BYTES]);

/* Writes the 26-character upper-case text of tok and a NUL into out. */
void token_to_text(char out[TOKEN_TEXT_LEN + 1], const uint8_t tok[TOKEN_BYTES]);

/*
 * Parses a token typed or scanned by a person (typos tolerated as in
 * b32_decode). Returns GH_OK or GH_ERR_INVALID.
 */
int token_from_text(uint8_t tok[TOKEN_BYTES], const char *text, size_t len) GH_WUR;

/* Computes the keyed BLAKE2b-256 hash of tok under pepper. */
void token_hash(uint8_t out[TOKEN_HASH_BYTES], const uint8_t tok[TOKEN_BYTES],
    const uint8_t pepper[PEPPER_BYTES]);

/*
 * The spend hash: a second keyed BLAKE2b-256 of tok, under a subkey of
 * the pepper (crypto_kdf, context "gh-spend", subkey id = domain). A spend
 * is recorded under this hash as a new row, while the issued row keeps
 * token_hash: without the token itself nobody, pepper in hand, can tell
 * which issued row a spend belongs to. Domains keep survey tokens and
 * report links apart; TOKEN_SPEND_RESUME is not a spend but the lookup
 * of a respondent's saved answers (crypto/resume.h), so that row relates
 * neither to the issued row nor to the spend.
 */
enum token_domain {
	TOKEN_SPEND_SURVEY = 1,
	TOKEN_SPEND_REPORT_LINK = 2,
	TOKEN_SPEND_RESUME = 3,
	TOKEN_SPEND_INVITE = 4,	/* an invitation code (store_invite.h) */
};
void token_spend_hash(uint8_t out[TOKEN_HASH_BYTES],
    const uint8_t tok[TOKEN_BYTES], const uint8_t pepper[PEPPER_BYTES],
    enum token_domain domain);

/*
 * Loads the pepper at path into new sodium_malloc'd, read-only memory
 * (*out, free with pepper_free). If the file is missing and create is
 * non-zero, makes a new random pepper there with mode 0600 first. Returns
 * GH_OK, GH_ERR_NOT_FOUND (missing, create == 0), GH_ERR_INVALID (wrong
 * size or permissions wider than 0600), GH_ERR_IO or GH_ERR_NOMEM.
 */
int pepper_load(const char *path, int create, uint8_t **out) GH_WUR;

/* Wipes and frees a pepper from pepper_load; accepts NULL. */
void pepper_free(uint8_t *pepper);

#endif

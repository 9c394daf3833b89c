/*
 * resume.h: the key and the box of a respondent's saved, unfinished
 * answers ("save and continue later").
 *
 * The key needs both the survey link's token and a phrase the respondent
 * chose: whoever mailed the links knows every token, so the token alone
 * must not open a saved row. Construction:
 *   k1  = Argon2id(phrase, salt)  (RESUME_KDF_*: the receipts' limits)
 *   key = BLAKE2b-256 keyed with k1 over "gehoord resume v1" || token
 * with a fresh random salt per save, kept beside the box. The box is
 * XChaCha20-Poly1305 (nonce[24] || ciphertext || tag) over the plaintext
 * padded to RESUME_PAD bytes, with the row's lookup hash and wave as
 * additional data, so a box moved to another row does not open.
 * Nothing here logs.
 */
#ifndef GH_RESUME_H
#define GH_RESUME_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "token.h"
#include "receipt.h"
#include "util/err.h"

#define RESUME_KEY_BYTES	crypto_aead_xchacha20poly1305_ietf_KEYBYTES
#define RESUME_SALT_BYTES	crypto_pwhash_SALTBYTES		/* 16 */
#define RESUME_KDF_OPSLIMIT	RECEIPT_KDF_OPSLIMIT
#define RESUME_KDF_MEMLIMIT	RECEIPT_KDF_MEMLIMIT
#define RESUME_PAD		512	/* plaintext padded to a multiple */
#define RESUME_OVERHEAD		(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + \
	crypto_aead_xchacha20poly1305_ietf_ABYTES)
/* A phrase is at least RESUME_PHRASE_WORDS words or RESUME_PHRASE_CHARS
 * characters, and at most RESUME_PHRASE_MAX bytes. */
#define RESUME_PHRASE_WORDS	4
#define RESUME_PHRASE_CHARS	16
#define RESUME_PHRASE_MAX	256

/*
 * Returns GH_OK if phrase (len bytes, UTF-8) is strong enough: at least
 * RESUME_PHRASE_WORDS words or RESUME_PHRASE_CHARS characters;
 * GH_ERR_INVALID if weaker, GH_ERR_TOO_LARGE over RESUME_PHRASE_MAX.
 */
int resume_phrase_check(const char *phrase, size_t len) GH_WUR;

/*
 * Derives the key of tok and phrase (len bytes) with salt into key
 * (caller's sodium_malloc memory of RESUME_KEY_BYTES). GH_OK, or
 * GH_ERR_NOMEM (Argon2id could not get its memory); key is wiped on
 * failure.
 */
int resume_key(uint8_t *key, const uint8_t tok[TOKEN_BYTES],
    const char *phrase, size_t len,
    const uint8_t salt[RESUME_SALT_BYTES]) GH_WUR;

/* Returns the size of the box of a plaintext of plain_len bytes. */
size_t resume_sealed_len(size_t plain_len);

/*
 * Seals plain (plain_len bytes) under key for row hash and wave_id into
 * out (resume_sealed_len(plain_len) bytes). GH_OK or GH_ERR_INVALID.
 */
int resume_seal(uint8_t *out, size_t out_len, const uint8_t *key,
    const uint8_t hash[TOKEN_HASH_BYTES], int64_t wave_id,
    const uint8_t *plain, size_t plain_len) GH_WUR;

/*
 * Opens a box of len bytes made by resume_seal for the same key, hash and
 * wave_id into a new sodium_malloc'd buffer *plain of *plain_len bytes
 * (free with sodium_free; its end is the unpadded length). GH_OK,
 * GH_ERR_CRYPTO (another key: a wrong phrase, or tampered),
 * GH_ERR_INVALID (too short, bad padding) or GH_ERR_NOMEM.
 */
int resume_open(uint8_t **plain, size_t *plain_len, const uint8_t *key,
    const uint8_t hash[TOKEN_HASH_BYTES], int64_t wave_id,
    const uint8_t *box, size_t len) GH_WUR;

#endif

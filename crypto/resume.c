/*
 * resume.c: the key and box of saved, unfinished answers (resume.h).
 *
 * Entry points: resume_phrase_check (before any derivation),
 * resume_key (on a hashing worker: Argon2id), resume_seal, resume_open.
 * Data path: phrase + salt -> Argon2id -> k1 -> BLAKE2b keyed with k1
 * over the domain and the token -> key; plaintext -> padded ->
 * XChaCha20-Poly1305 with the row's hash and wave as additional data.
 * The intermediate k1 and every padded plaintext are wiped on all paths.
 */
#include <string.h>

#include <sodium.h>

#include "resume.h"

static const char domain[] = "gehoord resume v1";

int
resume_phrase_check(const char *phrase, size_t len)
{
	size_t i, chars = 0, words = 0;
	int is_in_word = 0, is_space;
	unsigned char c;

	if (len > RESUME_PHRASE_MAX)
		return GH_ERR_TOO_LARGE;
	for (i = 0; i < len; i++) {
		c = (unsigned char)phrase[i];
		is_space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
		if (!is_space && !is_in_word)
			words++;
		is_in_word = !is_space;
		/* UTF-8: count every byte that starts a character. */
		if (!is_space && (c & 0xc0) != 0x80)
			chars++;
	}
	return words >= RESUME_PHRASE_WORDS || chars >= RESUME_PHRASE_CHARS ?
	    GH_OK : GH_ERR_INVALID;
}

int
resume_key(uint8_t *key, const uint8_t tok[TOKEN_BYTES], const char *phrase,
    size_t len, const uint8_t salt[RESUME_SALT_BYTES])
{
	crypto_generichash_state st;
	uint8_t *k1;
	int r = GH_ERR_NOMEM;

	if ((k1 = sodium_malloc(crypto_generichash_KEYBYTES)) == NULL)
		goto out;
	if (crypto_pwhash(k1, crypto_generichash_KEYBYTES, phrase, len, salt,
	    RESUME_KDF_OPSLIMIT, RESUME_KDF_MEMLIMIT,
	    crypto_pwhash_ALG_ARGON2ID13) != 0)
		goto out;
	/* Sizes are within BLAKE2b's ranges: these cannot fail. */
	(void)crypto_generichash_init(&st, k1, crypto_generichash_KEYBYTES,
	    RESUME_KEY_BYTES);
	(void)crypto_generichash_update(&st, (const uint8_t *)domain,
	    sizeof(domain));
	(void)crypto_generichash_update(&st, tok, TOKEN_BYTES);
	(void)crypto_generichash_final(&st, key, RESUME_KEY_BYTES);
	r = GH_OK;
out:
	sodium_memzero(&st, sizeof(st));
	sodium_free(k1);
	if (r != GH_OK)
		sodium_memzero(key, RESUME_KEY_BYTES);
	return r;
}

/* The additional data: the row's hash, then the wave (little-endian). */
static void
resume_ad(uint8_t ad[TOKEN_HASH_BYTES + 8],
    const uint8_t hash[TOKEN_HASH_BYTES], int64_t wave_id)
{
	uint64_t w = (uint64_t)wave_id;
	size_t i;

	memcpy(ad, hash, TOKEN_HASH_BYTES);
	for (i = 0; i < 8; i++)
		ad[TOKEN_HASH_BYTES + i] = (uint8_t)(w >> (8 * i));
}

size_t
resume_sealed_len(size_t plain_len)
{
	return (plain_len / RESUME_PAD + 1) * RESUME_PAD + RESUME_OVERHEAD;
}

int
resume_seal(uint8_t *out, size_t out_len, const uint8_t *key,
    const uint8_t hash[TOKEN_HASH_BYTES], int64_t wave_id,
    const uint8_t *plain, size_t plain_len)
{
	uint8_t ad[TOKEN_HASH_BYTES + 8], *padded = NULL;
	size_t padded_cap = (plain_len / RESUME_PAD + 1) * RESUME_PAD,
	    padded_len = 0;
	const size_t npub = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
	int r = GH_ERR_INVALID;

	if (out_len != resume_sealed_len(plain_len))
		goto out;
	r = GH_ERR_NOMEM;
	if ((padded = sodium_malloc(padded_cap)) == NULL)
		goto out;
	memcpy(padded, plain, plain_len);
	r = GH_ERR_INVALID;
	if (sodium_pad(&padded_len, padded, plain_len, RESUME_PAD,
	    padded_cap) != 0 || padded_len != padded_cap)
		goto out;
	resume_ad(ad, hash, wave_id);
	randombytes_buf(out, npub);
	if (crypto_aead_xchacha20poly1305_ietf_encrypt(out + npub, NULL,
	    padded, padded_len, ad, sizeof(ad), NULL, out, key) != 0)
		goto out;
	r = GH_OK;
out:
	if (padded != NULL)
		sodium_free(padded);
	return r;
}

int
resume_open(uint8_t **plain, size_t *plain_len, const uint8_t *key,
    const uint8_t hash[TOKEN_HASH_BYTES], int64_t wave_id,
    const uint8_t *box, size_t len)
{
	uint8_t ad[TOKEN_HASH_BYTES + 8], *p = NULL;
	const size_t npub = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
	size_t p_len = 0;
	int r = GH_ERR_INVALID;

	*plain = NULL;
	*plain_len = 0;
	if (len < RESUME_OVERHEAD + RESUME_PAD ||
	    (len - RESUME_OVERHEAD) % RESUME_PAD != 0)
		goto out;
	r = GH_ERR_NOMEM;
	if ((p = sodium_malloc(len - RESUME_OVERHEAD)) == NULL)
		goto out;
	resume_ad(ad, hash, wave_id);
	r = GH_ERR_CRYPTO;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(p, NULL, NULL,
	    box + npub, len - npub, ad, sizeof(ad), box, key) != 0)
		goto out;
	r = GH_ERR_INVALID;
	if (sodium_unpad(&p_len, p, len - RESUME_OVERHEAD, RESUME_PAD) != 0)
		goto out;
	*plain = p;
	*plain_len = p_len;
	p = NULL;
	r = GH_OK;
out:
	if (p != NULL)
		sodium_free(p);
	return r;
}

/*
 * receipt.c: receipt codes (receipt.h).
 *
 * Entry points: receipt_new, receipt_to_text, receipt_from_text,
 * receipt_hash, receipt_reply_key.
 * Data path: randombytes -> 15 bytes -> 24 symbols + mod-37 check, shown
 * once; back from what a person typed -> normalised symbols -> 15 bytes
 * (b32_decode) -> check symbol compared -> keyed BLAKE2b for the lookup,
 * and Argon2id -> seed -> X25519 key pair for the replies.
 * Nothing here logs: the receipt is the reporter's only credential.
 */
#include <string.h>

#include <sodium.h>

#include "b32.h"
#include "receipt.h"

_Static_assert(RECEIPT_BYTES * 8 == (RECEIPT_SYMBOLS - 1) * 5,
    "a receipt fills its symbols exactly");
_Static_assert(crypto_box_SEEDBYTES == 32, "seed size");

/* The 32 symbols, then Crockford's five check-only symbols. */
static const char check_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";
static const char domain[] = "gehoord receipt v1";

/* The value of the 120-bit number r modulo 37. */
static unsigned int
mod37(const uint8_t r[RECEIPT_BYTES])
{
	unsigned int v = 0;
	size_t i;

	for (i = 0; i < RECEIPT_BYTES; i++)
		v = (v * 256 + r[i]) % 37;
	return v;
}

void
receipt_new(uint8_t r[RECEIPT_BYTES])
{
	randombytes_buf(r, RECEIPT_BYTES);
}

void
receipt_to_text(char out[RECEIPT_TEXT_LEN + 1], const uint8_t r[RECEIPT_BYTES])
{
	char sym[RECEIPT_SYMBOLS + 1];
	size_t i, o = 0;

	/* Cannot fail: sym holds 24 symbols and a NUL. */
	(void)b32_encode(sym, sizeof(sym), r, RECEIPT_BYTES);
	sym[RECEIPT_SYMBOLS - 1] = check_alphabet[mod37(r)];
	for (i = 0; i < RECEIPT_SYMBOLS; i++) {
		if (i > 0 && i % 5 == 0)
			out[o++] = '-';
		out[o++] = sym[i];
	}
	out[o] = '\0';
	sodium_memzero(sym, sizeof(sym));
}

/* Maps a typed check symbol to its value, or -1. */
static int
check_value(unsigned char c)
{
	const char *p;

	if (c >= 'a' && c <= 'z')
		c = (unsigned char)(c - 'a' + 'A');
	if (c == 'O')
		c = '0';
	else if (c == 'I' || c == 'L')
		c = '1';
	if (c == '\0' || (p = strchr(check_alphabet, c)) == NULL)
		return -1;
	return (int)(p - check_alphabet);
}

int
receipt_from_text(uint8_t r[RECEIPT_BYTES], const char *text, size_t len)
{
	char sym[RECEIPT_SYMBOLS];
	size_t i, n = 0;
	unsigned char c;
	int check, rc = GH_ERR_INVALID;

	for (i = 0; i < len; i++) {
		c = (unsigned char)text[i];
		if (c == '-' || c == ' ' || c == '\t' || c == '\r' ||
		    c == '\n')
			continue;
		if (n == RECEIPT_SYMBOLS)
			goto out;
		sym[n++] = (char)c;
	}
	if (n != RECEIPT_SYMBOLS ||
	    (check = check_value((unsigned char)sym[n - 1])) < 0 ||
	    b32_decode(r, RECEIPT_BYTES, sym, n - 1) != GH_OK)
		goto out;
	if ((unsigned int)check != mod37(r)) {
		rc = GH_ERR_CRYPTO;
		goto out;
	}
	rc = GH_OK;
out:
	if (rc != GH_OK)
		sodium_memzero(r, RECEIPT_BYTES);
	sodium_memzero(sym, sizeof(sym));
	return rc;
}

void
receipt_hash(uint8_t out[RECEIPT_HASH_BYTES], const uint8_t r[RECEIPT_BYTES],
    const uint8_t pepper[RECEIPT_PEPPER_BYTES])
{
	crypto_generichash_state st;

	/* Sizes are within BLAKE2b's ranges: these cannot fail. */
	(void)crypto_generichash_init(&st, pepper, RECEIPT_PEPPER_BYTES,
	    RECEIPT_HASH_BYTES);
	(void)crypto_generichash_update(&st, (const uint8_t *)domain,
	    sizeof(domain));
	(void)crypto_generichash_update(&st, r, RECEIPT_BYTES);
	(void)crypto_generichash_final(&st, out, RECEIPT_HASH_BYTES);
	sodium_memzero(&st, sizeof(st));
}

int
receipt_reply_key(uint8_t pk[crypto_box_PUBLICKEYBYTES], uint8_t *sk,
    const uint8_t r[RECEIPT_BYTES], const uint8_t salt[RECEIPT_SALT_BYTES])
{
	uint8_t *seed;
	int rc = GH_ERR_NOMEM;

	if ((seed = sodium_malloc(crypto_box_SEEDBYTES)) == NULL)
		goto out;
	if (crypto_pwhash(seed, crypto_box_SEEDBYTES, (const char *)r,
	    RECEIPT_BYTES, salt, RECEIPT_KDF_OPSLIMIT, RECEIPT_KDF_MEMLIMIT,
	    crypto_pwhash_ALG_ARGON2ID13) != 0)
		goto out;
	if (crypto_box_seed_keypair(pk, sk, seed) != 0) {
		rc = GH_ERR_CRYPTO;
		goto out;
	}
	rc = GH_OK;
out:
	sodium_free(seed);
	if (rc != GH_OK)
		sodium_memzero(sk, crypto_box_SECRETKEYBYTES);
	return rc;
}

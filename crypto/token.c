/*
 * token.c: one-time survey tokens, and the pepper that keys their hashes.
 *
 * Entry points: token_new and token_to_text when a batch is issued,
 * token_from_text and token_hash when a respondent arrives, pepper_load
 * and pepper_free around the life of the server.
 * Data path: randombytes -> 16 bytes -> Crockford text in a link; back
 * from a typed or scanned link -> 16 bytes -> BLAKE2b keyed with the
 * pepper -> the only form the database ever sees.
 * The pepper goes file -> sodium_malloc memory, read-only until freed.
 */
#include <sys/stat.h>

#include <string.h>

#include <sodium.h>

#include "b32.h"
#include "fileio.h"
#include "token.h"
#include "util/file.h"
#include "util/log.h"

_Static_assert(TOKEN_HASH_BYTES >= crypto_generichash_BYTES_MIN &&
    TOKEN_HASH_BYTES <= crypto_generichash_BYTES_MAX, "hash size");
_Static_assert(PEPPER_BYTES == crypto_kdf_KEYBYTES, "pepper as kdf key");
_Static_assert(PEPPER_BYTES >= crypto_generichash_KEYBYTES_MIN &&
    PEPPER_BYTES <= crypto_generichash_KEYBYTES_MAX, "pepper size");

void
token_new(uint8_t tok[TOKEN_BYTES])
{
	randombytes_buf(tok, TOKEN_BYTES);
}

void
token_to_text(char out[TOKEN_TEXT_LEN + 1], const uint8_t tok[TOKEN_BYTES])
{
	/* Cannot fail: out holds b32_encoded_len(TOKEN_BYTES) + 1 bytes. */
	(void)b32_encode(out, TOKEN_TEXT_LEN + 1, tok, TOKEN_BYTES);
}

int
token_from_text(uint8_t tok[TOKEN_BYTES], const char *text, size_t len)
{
	return b32_decode(tok, TOKEN_BYTES, text, len);
}

void
token_hash(uint8_t out[TOKEN_HASH_BYTES], const uint8_t tok[TOKEN_BYTES],
    const uint8_t pepper[PEPPER_BYTES])
{
	/* Only fails for sizes outside BLAKE2b's range; see the asserts. */
	(void)crypto_generichash(out, TOKEN_HASH_BYTES, tok, TOKEN_BYTES,
	    pepper, PEPPER_BYTES);
}

void
token_spend_hash(uint8_t out[TOKEN_HASH_BYTES], const uint8_t tok[TOKEN_BYTES],
    const uint8_t pepper[PEPPER_BYTES], enum token_domain domain)
{
	uint8_t key[crypto_kdf_KEYBYTES];

	/* Cannot fail: the sizes are in range (see the asserts). */
	(void)crypto_kdf_derive_from_key(key, sizeof(key), (uint64_t)domain,
	    "gh-spend", pepper);
	(void)crypto_generichash(out, TOKEN_HASH_BYTES, tok, TOKEN_BYTES, key,
	    sizeof(key));
	sodium_memzero(key, sizeof(key));
}

/* Writes a fresh random pepper to a new file at path (mode 0600). */
static int
pepper_create(const char *path)
{
	uint8_t *fresh = NULL;
	int r = GH_ERR_NOMEM;

	if ((fresh = sodium_malloc(PEPPER_BYTES)) == NULL)
		goto out;
	randombytes_buf(fresh, PEPPER_BYTES);
	if ((r = file_write_new(path, fresh, PEPPER_BYTES, 0600)) != GH_OK)
		goto out;
	log_info("created a new pepper in %s", path);
	r = GH_OK;
out:
	sodium_free(fresh);
	return r;
}

int
pepper_load(const char *path, int create, uint8_t **out)
{
	uint8_t *pepper = NULL;
	size_t len = 0;
	mode_t mode = 0;
	int r = GH_ERR_NOMEM;

	*out = NULL;
	if ((pepper = sodium_malloc(PEPPER_BYTES)) == NULL)
		goto out;
	r = fileio_read(path, pepper, PEPPER_BYTES, &len, &mode);
	if (r == GH_ERR_NOT_FOUND && create) {
		/* EXISTS: another process made one first; use that one. */
		r = pepper_create(path);
		if (r != GH_OK && r != GH_ERR_EXISTS)
			goto out;
		r = fileio_read(path, pepper, PEPPER_BYTES, &len, &mode);
	}
	if (r == GH_ERR_TOO_LARGE || (r == GH_OK && len != PEPPER_BYTES)) {
		log_error("%s: a pepper file holds exactly %d bytes", path,
		    PEPPER_BYTES);
		r = GH_ERR_INVALID;
		goto out;
	}
	if (r != GH_OK)
		goto out;
	if ((mode & (S_IRWXG | S_IRWXO)) != 0) {
		log_error("%s: mode %03o lets others read the pepper; "
		    "chmod 600 it", path, (unsigned int)(mode & 0777));
		r = GH_ERR_INVALID;
		goto out;
	}
	if (sodium_mprotect_readonly(pepper) != 0) {
		log_error("cannot make the pepper read-only");
		r = GH_ERR_NOMEM;
		goto out;
	}
	*out = pepper;
	pepper = NULL;
	r = GH_OK;
out:
	sodium_free(pepper);
	return r;
}

void
pepper_free(uint8_t *pepper)
{
	/* Read-only since pepper_load; sodium_free unprotects and wipes. */
	sodium_free(pepper);
}

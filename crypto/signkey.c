/*
 * signkey.c: Ed25519 signing key files and signify-compatible signatures.
 *
 * Entry points: signkey_create (gehoord init), signkey_load (serve for
 * acknowledgements, release for releases), signkey_sign/verify, and the
 * signify encoders and parsers (MANIFEST.sig, release-key.pub, the
 * reporter's acknowledgement).
 * Data path: randombytes -> crypto_sign_keypair -> 64-byte file, mode
 * 0600 -> sodium_malloc memory while in use -> wiped.
 *
 * signify's formats (OpenBSD signify(1)): a line "untrusted comment: ..."
 * and a line of base64 over "Ed", an 8-byte key number and the 32-byte
 * public key or the 64-byte signature. The key number here is the first
 * 8 bytes of BLAKE2b(pk), so a signature names the key that made it.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <string.h>

#include "fileio.h"
#include "signkey.h"
#include "util/file.h"
#include "util/log.h"

/* signify's algorithm tag: two bytes, no NUL. */
static const uint8_t signify_alg[2] = { 'E', 'd' };
#define KEYNUM_BYTES	8

int
signkey_create(const char *path, uint8_t pk[SIGNKEY_PK_BYTES])
{
	uint8_t *sk;
	int r;

	if ((sk = sodium_malloc(SIGNKEY_SK_BYTES)) == NULL)
		return GH_ERR_NOMEM;
	crypto_sign_keypair(pk, sk);
	r = file_write_new(path, sk, SIGNKEY_SK_BYTES, 0600);
	signkey_free(sk);
	return r;
}

int
signkey_load(const char *path, uint8_t **sk_out, uint8_t pk[SIGNKEY_PK_BYTES])
{
	uint8_t *sk;
	size_t len = 0;
	mode_t mode = 0;
	int r;

	*sk_out = NULL;
	if ((sk = sodium_malloc(SIGNKEY_SK_BYTES)) == NULL)
		return GH_ERR_NOMEM;
	r = fileio_read(path, sk, SIGNKEY_SK_BYTES, &len, &mode);
	if (r == GH_ERR_TOO_LARGE || (r == GH_OK && len != SIGNKEY_SK_BYTES)) {
		log_error("%s: a signing key file holds exactly %d bytes",
		    path, SIGNKEY_SK_BYTES);
		r = GH_ERR_INVALID;
	} else if (r == GH_OK && (mode & (S_IRWXG | S_IRWXO)) != 0) {
		log_error("%s: mode %03o lets others read the signing key; "
		    "chmod 600 it", path, (unsigned int)(mode & 0777));
		r = GH_ERR_INVALID;
	}
	if (r != GH_OK) {
		if (r == GH_ERR_NOT_FOUND)
			log_error("%s: no signing key (make it with gehoord "
			    "init)", path);
		signkey_free(sk);
		return r;
	}
	if (pk != NULL)
		crypto_sign_ed25519_sk_to_pk(pk, sk);
	*sk_out = sk;
	return GH_OK;
}

void
signkey_free(uint8_t *sk)
{
	sodium_free(sk);
}

void
signkey_sign(uint8_t sig[SIGNKEY_SIG_BYTES], const uint8_t *msg, size_t len,
    const uint8_t *sk)
{
	crypto_sign_detached(sig, NULL, msg, len, sk);
}

int
signkey_verify(const uint8_t sig[SIGNKEY_SIG_BYTES], const uint8_t *msg,
    size_t len, const uint8_t pk[SIGNKEY_PK_BYTES])
{
	return crypto_sign_verify_detached(sig, msg, len, pk) == 0 ? GH_OK :
	    GH_ERR_CRYPTO;
}

static void
keynum(uint8_t out[KEYNUM_BYTES], const uint8_t pk[SIGNKEY_PK_BYTES])
{
	crypto_generichash(out, KEYNUM_BYTES, pk, SIGNKEY_PK_BYTES, NULL, 0);
}

/* Writes the two lines of a signify file with body = alg || num || data. */
static int
signify_write(char *out, size_t outsz, const char *comment,
    const uint8_t num[KEYNUM_BYTES], const uint8_t *data, size_t len)
{
	uint8_t body[2 + KEYNUM_BYTES + SIGNKEY_SIG_BYTES];
	char b64[sodium_base64_ENCODED_LEN(sizeof(body),
	    sodium_base64_VARIANT_ORIGINAL)];
	size_t blen = 2 + KEYNUM_BYTES + len;
	int n;

	if (len > SIGNKEY_SIG_BYTES || strchr(comment, '\n') != NULL)
		return GH_ERR_INVALID;
	memcpy(body, signify_alg, sizeof(signify_alg));
	memcpy(body + 2, num, KEYNUM_BYTES);
	memcpy(body + 2 + KEYNUM_BYTES, data, len);
	sodium_bin2base64(b64, sizeof(b64), body, blen,
	    sodium_base64_VARIANT_ORIGINAL);
	n = snprintf(out, outsz, "untrusted comment: %s\n%s\n", comment, b64);
	return n < 0 || (size_t)n >= outsz ? GH_ERR_TOO_LARGE : GH_OK;
}

int
signkey_signify_pub(char *out, size_t outsz, const char *comment,
    const uint8_t pk[SIGNKEY_PK_BYTES])
{
	uint8_t num[KEYNUM_BYTES];

	keynum(num, pk);
	return signify_write(out, outsz, comment, num, pk, SIGNKEY_PK_BYTES);
}

int
signkey_signify_sig(char *out, size_t outsz, const char *comment,
    const uint8_t sig[SIGNKEY_SIG_BYTES], const uint8_t pk[SIGNKEY_PK_BYTES])
{
	uint8_t num[KEYNUM_BYTES];

	keynum(num, pk);
	return signify_write(out, outsz, comment, num, sig,
	    SIGNKEY_SIG_BYTES);
}

/*
 * Reads the base64 line of a signify file (the line after the comment)
 * into data (exactly len bytes after "Ed" and the key number).
 */
static int
signify_parse(const char *text, size_t tlen, uint8_t *data, size_t len)
{
	uint8_t body[2 + KEYNUM_BYTES + SIGNKEY_SIG_BYTES];
	const char *nl, *line, *end;
	size_t blen = 0;

	nl = memchr(text, '\n', tlen);
	if (tlen < 19 || memcmp(text, "untrusted comment: ", 19) != 0 ||
	    nl == NULL)
		return GH_ERR_INVALID;
	line = nl + 1;
	end = memchr(line, '\n', tlen - (size_t)(line - text));
	if (end == NULL)
		end = text + tlen;
	if (sodium_base642bin(body, sizeof(body), line, (size_t)(end - line),
	    NULL, &blen, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    blen != 2 + KEYNUM_BYTES + len || memcmp(body, signify_alg, sizeof(signify_alg)) != 0)
		return GH_ERR_INVALID;
	/* Nothing may follow but the final newline. */
	if (end < text + tlen && end + 1 != text + tlen)
		return GH_ERR_INVALID;
	memcpy(data, body + 2 + KEYNUM_BYTES, len);
	return GH_OK;
}

int
signkey_signify_parse_sig(const char *text, size_t len,
    uint8_t sig[SIGNKEY_SIG_BYTES])
{
	return signify_parse(text, len, sig, SIGNKEY_SIG_BYTES);
}

int
signkey_signify_parse_pub(const char *text, size_t len,
    uint8_t pk[SIGNKEY_PK_BYTES])
{
	return signify_parse(text, len, pk, SIGNKEY_PK_BYTES);
}

int
signkey_path(char *out, size_t outsz, const char *db, const char *purpose)
{
	int n = snprintf(out, outsz, "%s.%s.sign", db, purpose);

	return n < 0 || (size_t)n >= outsz ? GH_ERR_TOO_LARGE : GH_OK;
}

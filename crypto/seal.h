/*
 * seal.h: padding and sealing of answers to a wave's public key.
 *
 * Every answer of a wave is padded (ISO/IEC 7816-4, sodium_pad) to the
 * same bucket size before crypto_box_seal, so a sealed blob's length says
 * nothing about what was answered. Only the holder of the wave's secret
 * key can open it; the server that seals never has that key.
 */
#ifndef GH_SEAL_H
#define GH_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "util/err.h"

#define SEAL_PK_BYTES	crypto_box_PUBLICKEYBYTES
#define SEAL_SK_BYTES	crypto_box_SECRETKEYBYTES
#define SEAL_OVERHEAD	crypto_box_SEALBYTES
#define SEAL_BUCKET_MAX	(1u << 20)
#define SEAL_PK_B64_LEN	44	/* a public key in base64, without the NUL */

/* Returns the length of a sealed blob for the given bucket size. */
size_t seal_len(size_t bucket);

/*
 * Pads plain (plain_len < bucket) to bucket bytes and seals it to pk into
 * out, which must hold seal_len(bucket) bytes. The padded copy lives on
 * the heap, like the request's other plaintext, and is wiped. Returns GH_OK, GH_ERR_TOO_LARGE if
 * plain_len >= bucket (padding always needs one byte), GH_ERR_INVALID for a
 * bad bucket, GH_ERR_NOMEM or GH_ERR_CRYPTO.
 */
int seal_answer(uint8_t *out, size_t outsz, const uint8_t *plain,
    size_t plain_len, size_t bucket, const uint8_t pk[SEAL_PK_BYTES]) GH_WUR;

/*
 * Opens a sealed blob with the key pair into plain (caller's buffer,
 * normally sodium_malloc'd, of sealed_len - SEAL_OVERHEAD bytes) and removes
 * the padding; *plain_len is the answer's length. Returns GH_OK,
 * GH_ERR_CRYPTO if the blob is not authentic for this key, GH_ERR_INVALID
 * if the size or padding is wrong. plain is wiped on failure.
 */
int seal_open(uint8_t *plain, size_t plainsz, size_t *plain_len,
    const uint8_t *sealed, size_t sealed_len,
    const uint8_t pk[SEAL_PK_BYTES], const uint8_t sk[SEAL_SK_BYTES]) GH_WUR;

/*
 * Base64 (original alphabet, padded) of a public key, as it appears in
 * wave definitions and gehoord init's output, into out.
 */
void pk_to_b64(char out[SEAL_PK_B64_LEN + 1], const uint8_t pk[SEAL_PK_BYTES]);

/* Parses a base64 public key. Returns GH_OK or GH_ERR_INVALID. */
int pk_from_b64(uint8_t pk[SEAL_PK_BYTES], const char *b64) GH_WUR;

#endif

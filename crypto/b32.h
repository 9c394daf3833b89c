/*
 * b32.h: Crockford base32, the alphabet of tokens and receipts.
 *
 * Encoding writes upper case (0-9, A-Z without I, L, O, U), which QR codes
 * hold in their compact alphanumeric mode. Decoding forgives what people
 * get wrong when typing a code: lower case, O for 0, I or L for 1, and
 * hyphens or spaces anywhere.
 */
#ifndef GH_B32_H
#define GH_B32_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* Returns the number of characters that encode n bytes: ceil(8n / 5). */
size_t b32_encoded_len(size_t n);

/*
 * Encodes n bytes of in as upper-case Crockford base32 into out, which must
 * hold b32_encoded_len(n) + 1 bytes, and NUL-terminates it. Returns GH_OK,
 * or GH_ERR_TOO_LARGE if out is too small.
 */
int b32_encode(char *out, size_t outsz, const uint8_t *in, size_t n);

/*
 * Decodes exactly outlen bytes from the len characters of in, ignoring
 * hyphens and spaces and mapping the usual typing mistakes. Returns GH_OK;
 * GH_ERR_INVALID for a character outside the alphabet, a wrong number of
 * characters, or non-zero padding bits. out is wiped on failure.
 */
int b32_decode(uint8_t *out, size_t outlen, const char *in, size_t len) GH_WUR;

#endif

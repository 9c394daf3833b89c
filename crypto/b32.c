/*
 * b32.c: Crockford base32 for tokens and receipts.
 *
 * Entry points: b32_encoded_len, b32_encode (bytes -> upper-case text for
 * links and QR letters) and b32_decode (text a person typed -> bytes).
 * Data path: 8-bit bytes are shifted through a small bit accumulator five
 * bits at a time. Decoding is strict about what matters (the alphabet, the
 * exact number of symbols, zero padding bits, so each value has one text)
 * and lenient about what people get wrong (case, O/0, I/L/1, separators).
 * Nothing here logs: callers decode untrusted input and decide.
 */
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "b32.h"

static const char b32_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/*
 * Value + 1 of every character that decodes, 0 for all others (U among
 * them: Crockford leaves it out so that codes do not spell words).
 */
static const uint8_t b32_value1[256] = {
	['0'] = 1, ['O'] = 1, ['o'] = 1,
	['1'] = 2, ['I'] = 2, ['i'] = 2, ['L'] = 2, ['l'] = 2,
	['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
	['8'] = 9, ['9'] = 10,
	['A'] = 11, ['a'] = 11, ['B'] = 12, ['b'] = 12,
	['C'] = 13, ['c'] = 13, ['D'] = 14, ['d'] = 14,
	['E'] = 15, ['e'] = 15, ['F'] = 16, ['f'] = 16,
	['G'] = 17, ['g'] = 17, ['H'] = 18, ['h'] = 18,
	['J'] = 19, ['j'] = 19, ['K'] = 20, ['k'] = 20,
	['M'] = 21, ['m'] = 21, ['N'] = 22, ['n'] = 22,
	['P'] = 23, ['p'] = 23, ['Q'] = 24, ['q'] = 24,
	['R'] = 25, ['r'] = 25, ['S'] = 26, ['s'] = 26,
	['T'] = 27, ['t'] = 27, ['V'] = 28, ['v'] = 28,
	['W'] = 29, ['w'] = 29, ['X'] = 30, ['x'] = 30,
	['Y'] = 31, ['y'] = 31, ['Z'] = 32, ['z'] = 32,
};

size_t
b32_encoded_len(size_t n)
{
	/* ceil(8n / 5) without overflowing 8n. */
	return n / 5 * 8 + (n % 5 * 8 + 4) / 5;
}

int
b32_encode(char *out, size_t outsz, const uint8_t *in, size_t n)
{
	uint32_t acc = 0;
	unsigned int bits = 0;
	size_t i, o = 0;
	int r = GH_ERR_TOO_LARGE;

	if (n > SIZE_MAX / 8 || outsz < b32_encoded_len(n) + 1)
		goto out;
	for (i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[o++] = b32_alphabet[(acc >> bits) & 31];
		}
		acc &= (1U << bits) - 1;
	}
	if (bits > 0)
		out[o++] = b32_alphabet[(acc << (5 - bits)) & 31];
	out[o] = '\0';
	r = GH_OK;
out:
	return r;
}

int
b32_decode(uint8_t *out, size_t outlen, const char *in, size_t len)
{
	uint32_t acc = 0;
	unsigned int bits = 0;
	size_t i, want, nsym = 0, o = 0;
	unsigned char c;
	uint8_t v1;
	int r = GH_ERR_INVALID;

	if (outlen > SIZE_MAX / 8 || (in == NULL && len > 0))
		goto out;
	want = b32_encoded_len(outlen);
	for (i = 0; i < len; i++) {
		c = (unsigned char)in[i];
		if (c == '-' || c == ' ')
			continue;
		if ((v1 = b32_value1[c]) == 0 || ++nsym > want)
			goto out;
		acc = (acc << 5) | (uint32_t)(v1 - 1);
		bits += 5;
		if (bits >= 8) {
			/* Cannot happen with nsym <= want; a parser checks. */
			if (o == outlen)
				goto out;
			bits -= 8;
			out[o++] = (uint8_t)(acc >> bits);
			acc &= (1U << bits) - 1;
		}
	}
	/* acc now holds only the padding bits of the last symbol. */
	if (nsym != want || o != outlen || acc != 0)
		goto out;
	r = GH_OK;
out:
	if (r != GH_OK && outlen > 0)
		sodium_memzero(out, outlen);
	return r;
}

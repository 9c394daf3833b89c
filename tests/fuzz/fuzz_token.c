/*
 * fuzz_token.c: libFuzzer target for the token of a survey link.
 *
 * Any client can request /s/TOKEN; the server hands TOKEN to
 * token_from_text, which is b32_decode for 16 bytes. The input is that
 * text, raw. It is decoded as a token and again as however many bytes its
 * symbols would hold (receipts will use other lengths). Checked against a
 * model of the format written here: a text decodes exactly when its
 * canonical spelling (separators dropped, upper case, O as 0, I and L as
 * 1) has the right number of symbols and zero padding bits, and then
 * b32_encode gives back that canonical spelling; a failure leaves the
 * output zeroed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "b32.h"
#include "token.h"
#include "fuzz.h"

#define MAX_OUT 1024	/* bytes decoded at most; inputs are shorter */

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/*
 * Writes the canonical spelling of len bytes of in into out (len + 1
 * bytes). Returns the number of symbols, or -1 if a character is not in
 * the alphabet.
 */
static long
canonical(char *out, const uint8_t *in, size_t len)
{
	size_t i, n = 0;
	int c;

	for (i = 0; i < len; i++) {
		c = in[i];
		if (c == '-' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if (c == '\0' || c > 0x7f || strchr(alphabet, c) == NULL)
			return -1;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return (long)n;
}

/* Returns the 5-bit value of canonical symbol c. */
static unsigned int
symbol_value(char c)
{
	return (unsigned int)(strchr(alphabet, c) - alphabet);
}

/* Checks the result r of decoding outlen bytes into out against canon. */
static void
check_decode(int r, const uint8_t *out, size_t outlen, const char *canon,
    long nsym)
{
	char *again;
	size_t i, pad;
	int should_decode;

	FUZZ_CHECK(r == GH_OK || r == GH_ERR_INVALID);
	should_decode = nsym >= 0 &&
	    (size_t)nsym == b32_encoded_len(outlen);
	if (should_decode && nsym > 0) {
		pad = (size_t)nsym * 5 - outlen * 8;
		FUZZ_CHECK(pad < 5);
		should_decode = (symbol_value(canon[nsym - 1]) &
		    ((1u << pad) - 1)) == 0;
	}
	FUZZ_CHECK((r == GH_OK) == should_decode);
	if (r != GH_OK) {
		for (i = 0; i < outlen; i++)
			FUZZ_CHECK(out[i] == 0);
		return;
	}
	again = malloc(b32_encoded_len(outlen) + 1);
	FUZZ_CHECK(again != NULL);
	FUZZ_CHECK(b32_encode(again, b32_encoded_len(outlen) + 1, out,
	    outlen) == GH_OK);
	FUZZ_CHECK(strcmp(again, canon) == 0);
	free(again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t tok[TOKEN_BYTES], *out;
	char *canon;
	size_t outlen;
	long nsym;
	int r;

	if ((canon = malloc(size + 1)) == NULL)
		return 0;
	nsym = canonical(canon, data, size);

	r = token_from_text(tok, (const char *)data, size);
	check_decode(r, tok, sizeof(tok), canon, nsym);

	/* As many bytes as the symbols hold; for other counts of symbols. */
	outlen = nsym > 0 ? (size_t)nsym * 5 / 8 : 0;
	if (outlen <= MAX_OUT && (out = malloc(outlen + 1)) != NULL) {
		r = b32_decode(out, outlen, (const char *)data, size);
		check_decode(r, out, outlen, canon, nsym);
		free(out);
	}
	free(canon);
	return 0;
}

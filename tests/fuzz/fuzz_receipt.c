/*
 * fuzz_receipt.c: libFuzzer target for receipt codes as reporters type
 * them (POST /melden/volg hands the field to receipt_from_text).
 *
 * Checked against a model written here: separators (hyphen, space, tab,
 * CR, LF) are dropped; the rest must be exactly 25 symbols, the first 24
 * in the Crockford alphabet (case, O/0, I/L/1 forgiven) and the last a
 * check symbol; the text is accepted exactly when the check symbol is the
 * value mod 37, and then receipt_to_text gives back the canonical
 * spelling in groups. A shape error is GH_ERR_INVALID, a check mismatch
 * GH_ERR_CRYPTO, and any failure leaves the output zeroed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "receipt.h"
#include "fuzz.h"

static const char checks[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";

/* Canonical value of a typed character (as a check symbol), or -1. */
static int
value(uint8_t c, int is_check)
{
	const char *p;

	if (c >= 'a' && c <= 'z')
		c = (uint8_t)(c - 'a' + 'A');
	if (c == 'O')
		c = '0';
	else if (c == 'I' || c == 'L')
		c = '1';
	if (c == '\0' || c > 0x7f || (p = strchr(checks, c)) == NULL)
		return -1;
	if (!is_check && p - checks >= 32)
		return -1;
	return (int)(p - checks);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t r[RECEIPT_BYTES];
	char text[RECEIPT_TEXT_LEN + 1], canon[RECEIPT_TEXT_LEN + 1];
	int v[RECEIPT_SYMBOLS];
	size_t i, n = 0, o = 0;
	unsigned int m = 0;
	int shape = 1, rc, want;

	for (i = 0; i < size && shape; i++) {
		if (strchr("- \t\r\n", data[i]) != NULL && data[i] != '\0')
			continue;
		if (n == RECEIPT_SYMBOLS)
			shape = 0;
		else
			v[n++] = (int)data[i];
	}
	if (n != RECEIPT_SYMBOLS)
		shape = 0;
	for (i = 0; shape && i < RECEIPT_SYMBOLS; i++) {
		v[i] = value((uint8_t)v[i], i == RECEIPT_SYMBOLS - 1);
		if (v[i] < 0)
			shape = 0;
		else if (i < RECEIPT_SYMBOLS - 1)
			m = (m * 32 + (unsigned int)v[i]) % 37;
	}
	want = !shape ? GH_ERR_INVALID :
	    (unsigned int)v[RECEIPT_SYMBOLS - 1] == m ? GH_OK : GH_ERR_CRYPTO;

	rc = receipt_from_text(r, (const char *)data, size);
	FUZZ_CHECK(rc == want);
	if (rc != GH_OK) {
		FUZZ_CHECK(sodium_is_zero(r, sizeof(r)));
		return 0;
	}
	for (i = 0; i < RECEIPT_SYMBOLS; i++) {
		if (i > 0 && i % 5 == 0)
			canon[o++] = '-';
		canon[o++] = checks[v[i]];
	}
	canon[o] = '\0';
	receipt_to_text(text, r);
	FUZZ_CHECK(strcmp(text, canon) == 0);
	return 0;
}

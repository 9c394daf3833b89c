/*
 * fuzz_keyfile.c: libFuzzer target for wave key files and public keys.
 *
 * tally and release read a key file from wherever the custodian points
 * them, and keyfile_open must refuse a bad one before Argon2id runs with
 * the limits the file states. The input is the file's bytes, given to
 * keyfile_check_header (crypto/keyfile_int.h), the whole of that check,
 * so no key derivation runs per input. The same bytes, as a C string,
 * also go to pk_from_b64, which reads the base64 public key of a wave.
 * Checked: the header is accepted exactly when it has the right size, the
 * magic and limits between MODERATE and SENSITIVE (a model written here);
 * a public key that parses prints back as the same text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "keyfile.h"
#include "keyfile_int.h"
#include "fuzz.h"
#include "util/util.h"

/* Offsets of the layout in keyfile.h. */
#define T_OFF_OPS	24
#define T_OFF_MEM	32

/* Returns 1 if buf should pass keyfile_check_header. */
static int
is_good_header(const uint8_t *buf, size_t len)
{
	uint64_t ops, mem;

	if (len != KEYFILE_SIZE || memcmp(buf, "GHWAVEK1", 8) != 0)
		return 0;
	ops = gh_get_le64(buf + T_OFF_OPS);
	mem = gh_get_le64(buf + T_OFF_MEM);
	return ops >= crypto_pwhash_OPSLIMIT_MODERATE &&
	    ops <= crypto_pwhash_OPSLIMIT_SENSITIVE &&
	    mem >= crypto_pwhash_MEMLIMIT_MODERATE &&
	    mem <= crypto_pwhash_MEMLIMIT_SENSITIVE;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t pk[SEAL_PK_BYTES];
	char b64[SEAL_PK_B64_LEN + 1], *text;
	int r;

	r = keyfile_check_header(data, size);
	FUZZ_CHECK(r == GH_OK || r == GH_ERR_INVALID);
	FUZZ_CHECK((r == GH_OK) == is_good_header(data, size));

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (pk_from_b64(pk, text) == GH_OK) {
		pk_to_b64(b64, pk);
		FUZZ_CHECK(strcmp(b64, text) == 0);
	}
	free(text);
	return 0;
}

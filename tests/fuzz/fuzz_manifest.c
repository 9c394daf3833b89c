/*
 * fuzz_manifest.c: libFuzzer target for what gehoord verify reads from a
 * release directory that someone else made: the signify public key and
 * signature files and the MANIFEST's lines.
 *
 * The input goes three ways. As a signify signature and as a signify
 * public key (signkey_signify_parse_sig/_pub): whatever parses must carry
 * the "untrusted comment: " line, and the bytes it yields must come back
 * unchanged through the writer (signkey_signify_sig/_pub) and the parser.
 * As MANIFEST (manifest_verify): a scratch directory holds two data files
 * and the key; each input is written as MANIFEST and signed with that key,
 * so the check gets past the signature to the line parser. The model: the
 * release is good exactly when the input is the MANIFEST that
 * manifest_write made for the directory, byte for byte but for the case
 * of the hex digits (as sha256sum -c); anything else is refused as
 * GH_ERR_INVALID or GH_ERR_CRYPTO.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/signkey.h"
#include "release/manifest.h"
#define FUZZ_SETUP setup
#include "fuzz.h"

static char dir[64];
static uint8_t pk[SIGNKEY_PK_BYTES], sk[SIGNKEY_SK_BYTES];
static struct buf canon;	/* the directory's own MANIFEST */
static FILE *devnull;

static const char *const files[] = { "counts.csv", "tables.json" };
static const char *const bodies[] = { "table,count\r\nq1,12\r\n",
	"{\"tables\": []}\n" };

static void
put(const char *name, const void *data, size_t len)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL ||
	    fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "fuzz_manifest: cannot write %s\n", path);
		abort();
	}
}

static void
cleanup(void)
{
	static const char *const meta[] = { "MANIFEST", "MANIFEST.sig",
		"release-key.pub" };
	char path[128];
	size_t i;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, meta[i]);
		unlink(path);
	}
	rmdir(dir);
	buf_free(&canon);
}

/* Once, before the first input (fuzz.h's LLVMFuzzerInitialize). */
static void
setup(void)
{
	static const uint8_t seed[crypto_sign_SEEDBYTES] = { 42 };
	const char *tmp = getenv("TMPDIR");
	size_t i;

	snprintf(dir, sizeof(dir), "%s/gehoord-fuzz-manifest.XXXXXX",
	    tmp != NULL && strlen(tmp) < 30 ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL || (devnull = fopen("/dev/null", "w")) ==
	    NULL)
		abort();
	atexit(cleanup);
	crypto_sign_seed_keypair(pk, sk, seed);
	for (i = 0; i < 2; i++)
		put(files[i], bodies[i], strlen(bodies[i]));
	if (manifest_write(dir, files, 2, sk, &canon, NULL) != GH_OK ||
	    buf_is_failed(&canon))
		abort();
}

/* The signify forms: what parses is written and parsed back the same. */
static void
signify(const uint8_t *data, size_t size)
{
	uint8_t sig[SIGNKEY_SIG_BYTES], back[SIGNKEY_SIG_BYTES];
	char text[SIGNKEY_SIGNIFY_MAX];
	int rc;

	rc = signkey_signify_parse_sig((const char *)data, size, sig);
	FUZZ_CHECK(rc == GH_OK || rc == GH_ERR_INVALID);
	if (rc == GH_OK) {
		FUZZ_CHECK(size > 19 && memchr(data, '\n', size) != NULL &&
		    memcmp(data, "untrusted comment: ", 19) == 0);
		FUZZ_CHECK(signkey_signify_sig(text, sizeof(text), "c", sig,
		    pk) == GH_OK);
		FUZZ_CHECK(signkey_signify_parse_sig(text, strlen(text),
		    back) == GH_OK);
		FUZZ_CHECK(memcmp(sig, back, sizeof(sig)) == 0);
	}
	rc = signkey_signify_parse_pub((const char *)data, size, sig);
	FUZZ_CHECK(rc == GH_OK || rc == GH_ERR_INVALID);
	if (rc == GH_OK) {
		FUZZ_CHECK(size > 19 && memcmp(data, "untrusted comment: ",
		    19) == 0);
		FUZZ_CHECK(signkey_signify_pub(text, sizeof(text), "c", sig) ==
		    GH_OK);
		FUZZ_CHECK(signkey_signify_parse_pub(text, strlen(text),
		    back) == GH_OK);
		FUZZ_CHECK(memcmp(sig, back, SIGNKEY_PK_BYTES) == 0);
	}
}

/* Returns 1 if data is canon but for the case of the hash digits. */
static int
is_canon(const uint8_t *data, size_t size)
{
	size_t i, col = 0;

	if (size != canon.len)
		return 0;
	for (i = 0; i < size; i++) {
		uint8_t a = data[i], b = (uint8_t)canon.data[i];

		if (col < 64 && a >= 'A' && a <= 'F')
			a = (uint8_t)(a - 'A' + 'a');
		if (a != b)
			return 0;
		col = b == '\n' ? 0 : col + 1;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t sig[SIGNKEY_SIG_BYTES];
	char text[SIGNKEY_SIGNIFY_MAX];
	int rc;

	signify(data, size);
	/* MANIFEST is capped at 1 MiB when read; the fuzzer stays far below. */
	put("MANIFEST", data, size);
	signkey_sign(sig, data, size, sk);
	FUZZ_CHECK(signkey_signify_sig(text, sizeof(text), "fuzz", sig, pk) ==
	    GH_OK);
	put("MANIFEST.sig", text, strlen(text));
	rc = manifest_verify(dir, NULL, devnull);
	FUZZ_CHECK((rc == GH_OK) == is_canon(data, size));
	FUZZ_CHECK(rc == GH_OK || rc == GH_ERR_INVALID || rc == GH_ERR_CRYPTO);
	return 0;
}

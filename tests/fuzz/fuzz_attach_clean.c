/*
 * fuzz_attach_clean.c: libFuzzer target for the attachment cleaner
 * (report/attach_clean.h), in process, without the worker's confinement
 * (the fuzzer must see a crash, not a refusal).
 *
 * Checked: attach_clean either refuses with *out NULL and *outlen 0, or
 * gives a non-empty file of at most ATTACH_FILE_MAX bytes that starts as
 * its type says (JPEG's FF D8, PNG's signature, "%PDF-").
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/attach_clean.h"

#define FUZZ_SETUP setup
#include "fuzz.h"

static void
setup(void)
{
	FUZZ_CHECK(attach_clean_init() == GH_OK);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum attach_type type = 0;
	uint8_t *out = NULL;
	size_t len = 0;

	if (attach_clean(data, size, &out, &len, &type) != ATTACH_OK) {
		FUZZ_CHECK(out == NULL && len == 0);
		return 0;
	}
	FUZZ_CHECK(out != NULL && len > 0 && len <= ATTACH_FILE_MAX);
	if (type == ATTACH_JPEG)
		FUZZ_CHECK(len > 2 && out[0] == 0xff && out[1] == 0xd8);
	else if (type == ATTACH_PNG)
		FUZZ_CHECK(len > 8 && memcmp(out, "\x89PNG", 4) == 0);
	else
		FUZZ_CHECK(type == ATTACH_PDF && len > 5 &&
		    memcmp(out, "%PDF-", 5) == 0);
	free(out);
	return 0;
}

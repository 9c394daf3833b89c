/*
 * fuzz_state.c: libFuzzer target for the multi-page state field.
 *
 * Every page of a multi-page survey posts back a "state" field that the
 * server made; a client can send anything instead. The first input byte
 * chooses what the rest is: the field's text as posted (state_open with a
 * key the input cannot know: base64url, sizes and the MAC are what it
 * meets), or the JSON a box would hold after it opened (state_parse, the
 * checker that runs behind the MAC). Invariants: an accepted state names
 * the wave and token it was checked against (state_parse verifies them),
 * its page is below the limit and every answer is a NUL-free "q_" field.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "survey/form.h"
#include "survey/def.h"
#include "survey/state.h"
#include "survey/state_int.h"
#define FUZZ_SETUP setup
#include "fuzz.h"

#define WAVE 42

static struct state_key *key;
static uint8_t seed_hash[TOKEN_HASH_BYTES];

/* Once, before the first input (fuzz.h's LLVMFuzzerInitialize). */
static void
setup(void)
{
	FUZZ_CHECK(state_key_new(&key) == GH_OK);
	/* The hash of the seeds' token: "t" is 64 times the hex digit a. */
	memset(seed_hash, 0xaa, sizeof(seed_hash));
}

static void
check_answers(const struct form *f, size_t page)
{
	size_t i;

	FUZZ_CHECK(page < DEF_MAX_PAGES);
	for (i = 0; i < f->n; i++) {
		FUZZ_CHECK(strncmp(f->fields[i].name, "q_", 2) == 0);
		FUZZ_CHECK(strlen(f->fields[i].value) ==
		    f->fields[i].value_len);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct form *f = NULL;
	size_t page = 0;
	int r;

	if (size < 1)
		return 0;
	if (data[0] & 1) {
		r = state_open(key, seed_hash, WAVE, (const char *)data + 1,
		    size - 1, &page, &f);
		/* Nobody without the key can make a box that opens. */
		FUZZ_CHECK(r != GH_OK);
	} else {
		r = state_parse((const char *)data + 1, size - 1, seed_hash,
		    WAVE, &page, &f);
		if (r == GH_OK)
			check_answers(f, page);
	}
	FUZZ_CHECK(r == GH_OK || f == NULL);
	form_free(f);
	return 0;
}

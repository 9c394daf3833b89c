/*
 * test_crypto_resume.c: the key and box of saved, unfinished answers:
 * phrase strength, a seal/open round trip, and that nothing but the
 * token AND the phrase opens a box: the token alone (the key derived
 * without the phrase, or keyed by the token itself), another phrase,
 * another token, another row or wave, a flipped byte.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "resume.h"
#include "token.h"

static const char phrase[] = "paarse olifant danst morgen";
static const char plain[] = "{\"p\":2,\"a\":[[\"q_gemeld\",\"nee\"]]}";

struct fx {
	uint8_t	 tok[TOKEN_BYTES];
	uint8_t	 salt[RESUME_SALT_BYTES];
	uint8_t	 hash[TOKEN_HASH_BYTES];
	uint8_t	*key;
	uint8_t	*box;
	size_t	 box_len;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(sodium_init() >= 0, 1);
	token_new(f->tok);
	randombytes_buf(f->salt, sizeof(f->salt));
	randombytes_buf(f->hash, sizeof(f->hash));
	assert_non_null(f->key = sodium_malloc(RESUME_KEY_BYTES));
	assert_int_equal(resume_key(f->key, f->tok, phrase, strlen(phrase),
	    f->salt), GH_OK);
	f->box_len = resume_sealed_len(strlen(plain));
	assert_non_null(f->box = malloc(f->box_len));
	assert_int_equal(resume_seal(f->box, f->box_len, f->key, f->hash, 7,
	    (const uint8_t *)plain, strlen(plain)), GH_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	sodium_free(f->key);
	free(f->box);
	free(f);
	return 0;
}

/* Returns what resume_open says of f's box under key, hash and wave. */
static int
open_with(const struct fx *f, const uint8_t *key, const uint8_t *hash,
    int64_t wave)
{
	uint8_t *p = NULL;
	size_t n = 0;
	int r;

	r = resume_open(&p, &n, key, hash, wave, f->box, f->box_len);
	if (p != NULL)
		sodium_free(p);
	return r;
}

static void
test_crypto_resume_phrase_strength(void **state)
{
	char big[RESUME_PHRASE_MAX + 2];

	(void)state;
	assert_int_equal(resume_phrase_check("", 0), GH_ERR_INVALID);
	assert_int_equal(resume_phrase_check("kort", 4), GH_ERR_INVALID);
	assert_int_equal(resume_phrase_check("drie korte woorden", 18),
	    GH_OK);		/* 16 characters without the spaces */
	assert_int_equal(resume_phrase_check("a b c", 5), GH_ERR_INVALID);
	assert_int_equal(resume_phrase_check("a b c d", 7), GH_OK);
	assert_int_equal(resume_phrase_check("   a   b   c   ", 15),
	    GH_ERR_INVALID);
	assert_int_equal(resume_phrase_check("abcdefghijklmno", 15),
	    GH_ERR_INVALID);
	assert_int_equal(resume_phrase_check("abcdefghijklmnop", 16), GH_OK);
	/* Characters, not bytes: 15 two-byte letters are still 15. */
	assert_int_equal(resume_phrase_check(
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 30),
	    GH_ERR_INVALID);
	memset(big, 'x', sizeof(big));
	assert_int_equal(resume_phrase_check(big, RESUME_PHRASE_MAX), GH_OK);
	assert_int_equal(resume_phrase_check(big, RESUME_PHRASE_MAX + 1),
	    GH_ERR_TOO_LARGE);
}

static void
test_crypto_resume_round_trip(void **state)
{
	struct fx *f = *state;
	uint8_t *p = NULL, *again;
	size_t n = 0;

	assert_int_equal(f->box_len % RESUME_PAD, RESUME_OVERHEAD % RESUME_PAD);
	assert_int_equal(resume_open(&p, &n, f->key, f->hash, 7, f->box,
	    f->box_len), GH_OK);
	assert_int_equal(n, strlen(plain));
	assert_memory_equal(p, plain, n);
	sodium_free(p);
	/* The same token, phrase and salt derive the same key. */
	again = sodium_malloc(RESUME_KEY_BYTES);
	assert_non_null(again);
	assert_int_equal(resume_key(again, f->tok, phrase, strlen(phrase),
	    f->salt), GH_OK);
	assert_int_equal(open_with(f, again, f->hash, 7), GH_OK);
	sodium_free(again);
}

/*
 * Whoever mailed the links knows the token: a key made from the token
 * alone must not open the box. Derived here as the construction would
 * without a phrase (an empty one), and as the token's own keyed hash.
 */
static void
test_crypto_resume_token_alone_fails(void **state)
{
	struct fx *f = *state;
	uint8_t *k = sodium_malloc(RESUME_KEY_BYTES);

	assert_non_null(k);
	assert_int_equal(resume_key(k, f->tok, "", 0, f->salt), GH_OK);
	assert_int_equal(open_with(f, k, f->hash, 7), GH_ERR_CRYPTO);
	crypto_generichash(k, RESUME_KEY_BYTES, f->tok, TOKEN_BYTES, NULL, 0);
	assert_int_equal(open_with(f, k, f->hash, 7), GH_ERR_CRYPTO);
	crypto_generichash(k, RESUME_KEY_BYTES, f->tok, TOKEN_BYTES, f->tok,
	    TOKEN_BYTES);
	assert_int_equal(open_with(f, k, f->hash, 7), GH_ERR_CRYPTO);
	sodium_free(k);
}

static void
test_crypto_resume_other_phrase_token_or_salt_fails(void **state)
{
	struct fx *f = *state;
	uint8_t *k = sodium_malloc(RESUME_KEY_BYTES), tok[TOKEN_BYTES],
	    salt[RESUME_SALT_BYTES];

	assert_non_null(k);
	assert_int_equal(resume_key(k, f->tok, "paarse olifant danst morgen.",
	    strlen(phrase) + 1, f->salt), GH_OK);
	assert_int_equal(open_with(f, k, f->hash, 7), GH_ERR_CRYPTO);
	memcpy(tok, f->tok, sizeof(tok));
	tok[0] ^= 1;
	assert_int_equal(resume_key(k, tok, phrase, strlen(phrase), f->salt),
	    GH_OK);
	assert_int_equal(open_with(f, k, f->hash, 7), GH_ERR_CRYPTO);
	memcpy(salt, f->salt, sizeof(salt));
	salt[15] ^= 0x80;
	assert_int_equal(resume_key(k, f->tok, phrase, strlen(phrase), salt),
	    GH_OK);
	assert_int_equal(open_with(f, k, f->hash, 7), GH_ERR_CRYPTO);
	sodium_free(k);
}

static void
test_crypto_resume_bound_to_row_and_wave(void **state)
{
	struct fx *f = *state;
	uint8_t hash[TOKEN_HASH_BYTES];

	memcpy(hash, f->hash, sizeof(hash));
	hash[31] ^= 1;
	assert_int_equal(open_with(f, f->key, hash, 7), GH_ERR_CRYPTO);
	assert_int_equal(open_with(f, f->key, f->hash, 8), GH_ERR_CRYPTO);
}

static void
test_crypto_resume_tampered_or_short_fails(void **state)
{
	struct fx *f = *state;
	uint8_t *p = NULL;
	size_t n = 0, i;

	for (i = 0; i < f->box_len; i += 97) {
		f->box[i] ^= 0x01;
		assert_int_equal(open_with(f, f->key, f->hash, 7),
		    GH_ERR_CRYPTO);
		f->box[i] ^= 0x01;
	}
	f->box[f->box_len - 1] ^= 0x80;	/* the tag's last byte */
	assert_int_equal(open_with(f, f->key, f->hash, 7), GH_ERR_CRYPTO);
	f->box[f->box_len - 1] ^= 0x80;
	assert_int_equal(resume_open(&p, &n, f->key, f->hash, 7, f->box,
	    f->box_len - 1), GH_ERR_INVALID);
	assert_null(p);
	assert_int_equal(resume_open(&p, &n, f->key, f->hash, 7, f->box, 0),
	    GH_ERR_INVALID);
	assert_int_equal(open_with(f, f->key, f->hash, 7), GH_OK);
}

static void
test_crypto_resume_seal_checks_its_size(void **state)
{
	struct fx *f = *state;
	uint8_t out[RESUME_PAD + RESUME_OVERHEAD + 1];

	assert_int_equal(resume_seal(out, sizeof(out), f->key, f->hash, 7,
	    (const uint8_t *)"x", 1), GH_ERR_INVALID);
	assert_int_equal(resume_seal(out, sizeof(out) - 1, f->key, f->hash,
	    7, (const uint8_t *)"x", 1), GH_OK);
	/* A plaintext of exactly one block still gets its padding block. */
	assert_int_equal(resume_sealed_len(RESUME_PAD),
	    2 * RESUME_PAD + RESUME_OVERHEAD);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crypto_resume_phrase_strength),
		cmocka_unit_test(test_crypto_resume_round_trip),
		cmocka_unit_test(test_crypto_resume_token_alone_fails),
		cmocka_unit_test(
		    test_crypto_resume_other_phrase_token_or_salt_fails),
		cmocka_unit_test(test_crypto_resume_bound_to_row_and_wave),
		cmocka_unit_test(test_crypto_resume_tampered_or_short_fails),
		cmocka_unit_test(test_crypto_resume_seal_checks_its_size),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

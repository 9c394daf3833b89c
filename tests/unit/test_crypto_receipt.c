/*
 * test_crypto_receipt.c: receipt codes: text form and groups, Crockford's
 * mod-37 check symbol, tolerance of typing mistakes, the keyed lookup
 * hash and the Argon2id reply key.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <sodium.h>

#include "receipt.h"
#include "token.h"

static void
test_crypto_receipt_known_texts(void **state)
{
	uint8_t r[RECEIPT_BYTES] = { 0 };
	char t[RECEIPT_TEXT_LEN + 1];

	(void)state;
	receipt_to_text(t, r);
	assert_string_equal(t, "00000-00000-00000-00000-00000");
	r[14] = 1;
	receipt_to_text(t, r);
	assert_string_equal(t, "00000-00000-00000-00000-00011");
	r[14] = 36;	/* 36 = 1 * 32 + 4, and 36 mod 37 is the last symbol */
	receipt_to_text(t, r);
	assert_string_equal(t, "00000-00000-00000-00000-0014U");
	r[14] = 37;	/* 37 = 1 * 32 + 5, check 0 */
	receipt_to_text(t, r);
	assert_string_equal(t, "00000-00000-00000-00000-00150");
	memset(r, 0xff, sizeof(r));	/* 2^120 - 1 = 25 (mod 37): 'S' */
	receipt_to_text(t, r);
	assert_string_equal(t, "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZS");
}

static void
test_crypto_receipt_round_trip_and_typos(void **state)
{
	uint8_t r[RECEIPT_BYTES], back[RECEIPT_BYTES];
	char t[RECEIPT_TEXT_LEN + 1], typed[64];
	size_t i, j;
	int k;

	(void)state;
	for (k = 0; k < 200; k++) {
		receipt_new(r);
		receipt_to_text(t, r);
		assert_int_equal(strlen(t), RECEIPT_TEXT_LEN);
		assert_int_equal(receipt_from_text(back, t, strlen(t)), GH_OK);
		assert_memory_equal(back, r, sizeof(r));
		/* Lower case, spaces for hyphens, O for 0, L for 1. */
		for (i = j = 0; t[i] != '\0'; i++) {
			char c = t[i];

			if (c == '-')
				c = ' ';
			else if (c == '0')
				c = 'o';
			else if (c == '1')
				c = 'L';
			else if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			typed[j++] = c;
		}
		typed[j++] = '\n';
		assert_int_equal(receipt_from_text(back, typed, j), GH_OK);
		assert_memory_equal(back, r, sizeof(r));
	}
}

/* Every change of one symbol to another is caught by the check. */
static void
test_crypto_receipt_one_wrong_symbol_is_a_typo(void **state)
{
	static const char alpha[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	uint8_t r[RECEIPT_BYTES], back[RECEIPT_BYTES];
	char t[RECEIPT_TEXT_LEN + 1], bad[RECEIPT_TEXT_LEN + 1];
	size_t i, a;

	(void)state;
	receipt_new(r);
	receipt_to_text(t, r);
	for (i = 0; i < RECEIPT_TEXT_LEN - 1; i++) {
		if (t[i] == '-')
			continue;
		for (a = 0; a < 32; a++) {
			if (alpha[a] == t[i])
				continue;
			memcpy(bad, t, sizeof(bad));
			bad[i] = alpha[a];
			assert_int_equal(receipt_from_text(back, bad,
			    strlen(bad)), GH_ERR_CRYPTO);
			assert_int_equal(sodium_is_zero(back, sizeof(back)), 1);
		}
	}
}

static void
test_crypto_receipt_swapped_neighbours_are_a_typo(void **state)
{
	uint8_t r[RECEIPT_BYTES], back[RECEIPT_BYTES];
	char t[RECEIPT_TEXT_LEN + 1], bad[RECEIPT_TEXT_LEN + 1];
	size_t i;
	int k, tested = 0;

	(void)state;
	for (k = 0; k < 20; k++) {
		receipt_new(r);
		receipt_to_text(t, r);
		for (i = 0; i + 1 < RECEIPT_TEXT_LEN - 1; i++) {
			if (t[i] == '-' || t[i + 1] == '-' || t[i] == t[i + 1])
				continue;
			memcpy(bad, t, sizeof(bad));
			bad[i] = t[i + 1];
			bad[i + 1] = t[i];
			assert_int_equal(receipt_from_text(back, bad,
			    strlen(bad)), GH_ERR_CRYPTO);
			tested++;
		}
	}
	assert_true(tested > 100);
}

static void
test_crypto_receipt_not_a_code(void **state)
{
	uint8_t r[RECEIPT_BYTES], back[RECEIPT_BYTES];
	char t[RECEIPT_TEXT_LEN + 1], bad[RECEIPT_TEXT_LEN + 2];

	(void)state;
	receipt_new(r);
	receipt_to_text(t, r);
	/* One symbol short, one too many. */
	assert_int_equal(receipt_from_text(back, t, strlen(t) - 1),
	    GH_ERR_INVALID);
	snprintf(bad, sizeof(bad), "%sA", t);
	assert_int_equal(receipt_from_text(back, bad, strlen(bad)),
	    GH_ERR_INVALID);
	/* U and the other check-only symbols are not data symbols. */
	memcpy(bad, t, sizeof(t));
	bad[0] = 'U';
	assert_int_equal(receipt_from_text(back, bad, strlen(bad)),
	    GH_ERR_INVALID);
	bad[0] = '*';
	assert_int_equal(receipt_from_text(back, bad, strlen(bad)),
	    GH_ERR_INVALID);
	/* A NUL inside is not skipped. */
	memcpy(bad, t, sizeof(t));
	bad[3] = '\0';
	assert_int_equal(receipt_from_text(back, bad, RECEIPT_TEXT_LEN),
	    GH_ERR_INVALID);
	assert_int_equal(receipt_from_text(back, "", 0), GH_ERR_INVALID);
	assert_int_equal(sodium_is_zero(back, sizeof(back)), 1);
}

static void
test_crypto_receipt_hash_keyed_and_separated(void **state)
{
	uint8_t r[RECEIPT_BYTES] = { 1 }, tok[TOKEN_BYTES] = { 1 };
	uint8_t p1[32] = { 1 }, p2[32] = { 2 };
	uint8_t h1[32], h2[32], h3[32], ht[32];

	(void)state;
	receipt_hash(h1, r, p1);
	receipt_hash(h2, r, p1);
	receipt_hash(h3, r, p2);
	assert_memory_equal(h1, h2, 32);
	assert_memory_not_equal(h1, h3, 32);
	/* A token with the same leading bytes hashes otherwise. */
	token_hash(ht, tok, p1);
	assert_memory_not_equal(h1, ht, 32);
}

static void
test_crypto_receipt_reply_key(void **state)
{
	uint8_t r[RECEIPT_BYTES], salt[RECEIPT_SALT_BYTES] = { 7 };
	uint8_t salt2[RECEIPT_SALT_BYTES] = { 8 };
	uint8_t pk1[32], pk2[32], pk3[32], check[32];
	uint8_t *sk = sodium_malloc(crypto_box_SECRETKEYBYTES);

	(void)state;
	assert_non_null(sk);
	receipt_new(r);
	assert_int_equal(receipt_reply_key(pk1, sk, r, salt), GH_OK);
	crypto_scalarmult_base(check, sk);
	assert_memory_equal(check, pk1, 32);
	assert_int_equal(receipt_reply_key(pk2, sk, r, salt), GH_OK);
	assert_memory_equal(pk1, pk2, 32);
	assert_int_equal(receipt_reply_key(pk3, sk, r, salt2), GH_OK);
	assert_memory_not_equal(pk1, pk3, 32);
	sodium_free(sk);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crypto_receipt_known_texts),
		cmocka_unit_test(test_crypto_receipt_round_trip_and_typos),
		cmocka_unit_test(test_crypto_receipt_one_wrong_symbol_is_a_typo),
		cmocka_unit_test(
		    test_crypto_receipt_swapped_neighbours_are_a_typo),
		cmocka_unit_test(test_crypto_receipt_not_a_code),
		cmocka_unit_test(test_crypto_receipt_hash_keyed_and_separated),
		cmocka_unit_test(test_crypto_receipt_reply_key),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

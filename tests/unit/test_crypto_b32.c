/*
 * test_crypto_b32.c: Crockford base32 encoding and forgiving decoding.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <sodium.h>

#include "b32.h"

static int
group_setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

static void
test_b32_encoded_len(void **state)
{
	(void)state;
	assert_int_equal(b32_encoded_len(0), 0);
	assert_int_equal(b32_encoded_len(1), 2);
	assert_int_equal(b32_encoded_len(4), 7);
	assert_int_equal(b32_encoded_len(5), 8);
	assert_int_equal(b32_encoded_len(16), 26);
	assert_int_equal(b32_encoded_len(32), 52);
}

static void
test_b32_encodes_known_values(void **state)
{
	const uint8_t ff = 0xff, zero = 0x00;
	const uint8_t five[5] = { 0x08, 0x86, 0x42, 0x98, 0xe8 };
	char text[16];

	(void)state;
	assert_int_equal(b32_encode(text, sizeof(text), &ff, 1), GH_OK);
	assert_string_equal(text, "ZW");
	assert_int_equal(b32_encode(text, sizeof(text), &zero, 1), GH_OK);
	assert_string_equal(text, "00");
	/* 00001 00010 00011 00100 00101 00110 00111 01000 */
	assert_int_equal(b32_encode(text, sizeof(text), five, 5), GH_OK);
	assert_string_equal(text, "12345678");
	assert_int_equal(b32_encode(text, sizeof(text), NULL, 0), GH_OK);
	assert_string_equal(text, "");
}

static void
test_b32_round_trip_random(void **state)
{
	static const size_t lens[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15,
	    16, 17, 31, 32, 33, 64, 100 };
	uint8_t in[100], back[100];
	char text[200];
	size_t i, j, n, tl;
	int rep;

	(void)state;
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		n = lens[i];
		for (rep = 0; rep < 20; rep++) {
			randombytes_buf(in, n);
			assert_int_equal(b32_encode(text, sizeof(text), in, n),
			    GH_OK);
			tl = strlen(text);
			assert_int_equal(tl, b32_encoded_len(n));
			for (j = 0; j < tl; j++)
				assert_non_null(strchr(
				    "0123456789ABCDEFGHJKMNPQRSTVWXYZ",
				    text[j]));
			assert_int_equal(b32_decode(back, n, text, tl), GH_OK);
			assert_memory_equal(back, in, n);
		}
	}
}

static void
test_b32_encode_rejects_small_buffer(void **state)
{
	const uint8_t in[5] = { 1, 2, 3, 4, 5 };
	char text[9];

	(void)state;
	/* 8 characters need 9 bytes with the NUL. */
	assert_int_equal(b32_encode(text, 8, in, 5), GH_ERR_TOO_LARGE);
	assert_int_equal(b32_encode(text, 0, in, 5), GH_ERR_TOO_LARGE);
	assert_int_equal(b32_encode(text, 9, in, 5), GH_OK);
}

static void
test_b32_decode_forgives_typos(void **state)
{
	uint8_t out[5];
	const uint8_t want[5] = { 0x00, 0x44, 0x32, 0x14, 0xce };
	static const char *const texts[] = {
		"0123456E",		/* canonical */
		"0123456e",
		"O123456E", "o123456E",
		"0I23456E", "0i23456E", "0L23456E", "0l23456E",
		"01-23 45-6E", " 0123456E ", "--0123456E--",
		"o-i2 3-45 6e",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		memset(out, 0xaa, sizeof(out));
		assert_int_equal(b32_decode(out, sizeof(out), texts[i],
		    strlen(texts[i])), GH_OK);
		assert_memory_equal(out, want, sizeof(want));
	}
}

static void
test_b32_decode_rejects_bad_char(void **state)
{
	static const char *const texts[] = {
		"0123456U", "0123456u", "012345*E", "0123456=",
		"0123\n56E", "0123\t56E", "0123_56E",
		"0123\xc3\xa9\x36\x45",	/* an e-acute in UTF-8, then "6E" */
	};
	const uint8_t zero[5] = { 0 };
	uint8_t out[5];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		memset(out, 0xaa, sizeof(out));
		assert_int_equal(b32_decode(out, sizeof(out), texts[i],
		    strlen(texts[i])), GH_ERR_INVALID);
		assert_memory_equal(out, zero, sizeof(zero));
	}
	/* A NUL inside the given length is a bad character too. */
	assert_int_equal(b32_decode(out, sizeof(out), "0123\0" "56E", 8),
	    GH_ERR_INVALID);
}

static void
test_b32_decode_rejects_wrong_length(void **state)
{
	const uint8_t zero[5] = { 0 };
	uint8_t out[5];

	(void)state;
	memset(out, 0xaa, sizeof(out));
	assert_int_equal(b32_decode(out, 5, "0123456", 7), GH_ERR_INVALID);
	assert_memory_equal(out, zero, sizeof(zero));
	memset(out, 0xaa, sizeof(out));
	assert_int_equal(b32_decode(out, 5, "0123456E0", 9), GH_ERR_INVALID);
	assert_memory_equal(out, zero, sizeof(zero));
	assert_int_equal(b32_decode(out, 5, "", 0), GH_ERR_INVALID);
	assert_int_equal(b32_decode(out, 5, "- - -", 5), GH_ERR_INVALID);
	assert_int_equal(b32_decode(out, 0, "", 0), GH_OK);
	assert_int_equal(b32_decode(out, 0, "0", 1), GH_ERR_INVALID);
}

static void
test_b32_decode_rejects_pad_bits(void **state)
{
	uint8_t out[1];

	(void)state;
	/* 1 byte = 2 symbols = 10 bits: the last two must be zero. */
	assert_int_equal(b32_decode(out, 1, "ZW", 2), GH_OK);
	assert_int_equal(out[0], 0xff);
	assert_int_equal(b32_decode(out, 1, "ZX", 2), GH_ERR_INVALID);
	assert_int_equal(out[0], 0);
	assert_int_equal(b32_decode(out, 1, "ZY", 2), GH_ERR_INVALID);
	assert_int_equal(b32_decode(out, 1, "ZZ", 2), GH_ERR_INVALID);
	assert_int_equal(b32_decode(out, 1, "01", 2), GH_ERR_INVALID);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_b32_encoded_len),
		cmocka_unit_test(test_b32_encodes_known_values),
		cmocka_unit_test(test_b32_round_trip_random),
		cmocka_unit_test(test_b32_encode_rejects_small_buffer),
		cmocka_unit_test(test_b32_decode_forgives_typos),
		cmocka_unit_test(test_b32_decode_rejects_bad_char),
		cmocka_unit_test(test_b32_decode_rejects_wrong_length),
		cmocka_unit_test(test_b32_decode_rejects_pad_bits),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}

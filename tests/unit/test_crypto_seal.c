/*
 * test_crypto_seal.c: padding to a bucket, sealing and opening answers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "seal.h"

#define BUCKET 256

struct fixture {
	uint8_t pk[SEAL_PK_BYTES], sk[SEAL_SK_BYTES];
	uint8_t pk2[SEAL_PK_BYTES], sk2[SEAL_SK_BYTES];
};

static int
group_setup(void **state)
{
	struct fixture *f;

	if (sodium_init() < 0 || (f = sodium_malloc(sizeof(*f))) == NULL)
		return -1;
	if (crypto_box_keypair(f->pk, f->sk) != 0 ||
	    crypto_box_keypair(f->pk2, f->sk2) != 0) {
		sodium_free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int
group_teardown(void **state)
{
	struct fixture *f = *state;

	sodium_memzero(f, sizeof(*f));
	sodium_free(f);
	return 0;
}

static int
all_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

static void
test_seal_len(void **state)
{
	(void)state;
	assert_int_equal(seal_len(BUCKET), BUCKET + crypto_box_SEALBYTES);
	assert_int_equal(seal_len(1), 1 + SEAL_OVERHEAD);
}

static void
test_seal_round_trip(void **state)
{
	struct fixture *f = *state;
	static const size_t lens[] = { 0, 1, 2, 100, BUCKET - 2, BUCKET - 1 };
	uint8_t in[BUCKET], sealed[BUCKET + SEAL_OVERHEAD];
	uint8_t *plain;
	size_t i, plain_len;

	plain = sodium_malloc(BUCKET);
	assert_non_null(plain);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		randombytes_buf(in, lens[i]);
		/* A trailing 0x80 0x00 must survive: it looks like padding. */
		if (lens[i] >= 2) {
			in[lens[i] - 2] = 0x80;
			in[lens[i] - 1] = 0x00;
		}
		assert_int_equal(seal_answer(sealed, sizeof(sealed), in,
		    lens[i], BUCKET, f->pk), GH_OK);
		assert_int_equal(seal_open(plain, BUCKET, &plain_len, sealed,
		    sizeof(sealed), f->pk, f->sk), GH_OK);
		assert_int_equal(plain_len, lens[i]);
		assert_memory_equal(plain, in, lens[i]);
	}
	assert_int_equal(seal_answer(sealed, sizeof(sealed), NULL, 0, BUCKET,
	    f->pk), GH_OK);
	sodium_free(plain);
}

static void
test_seal_padding_hides_length(void **state)
{
	struct fixture *f = *state;
	uint8_t shortp[1] = { 'x' }, longp[BUCKET - 1];
	uint8_t a[BUCKET + SEAL_OVERHEAD], b[BUCKET + SEAL_OVERHEAD];
	uint8_t pa[BUCKET], pb[BUCKET];
	size_t la, lb;

	memset(longp, 'y', sizeof(longp));
	assert_int_equal(seal_answer(a, sizeof(a), shortp, sizeof(shortp),
	    BUCKET, f->pk), GH_OK);
	assert_int_equal(seal_answer(b, sizeof(b), longp, sizeof(longp),
	    BUCKET, f->pk), GH_OK);
	/*
	 * Both blobs authenticate as exactly seal_len(BUCKET) bytes, and no
	 * fewer: the ciphertext fills the whole blob for either answer.
	 */
	assert_int_equal(crypto_box_seal_open(pa, a, seal_len(BUCKET), f->pk,
	    f->sk), 0);
	assert_int_equal(crypto_box_seal_open(pb, b, seal_len(BUCKET), f->pk,
	    f->sk), 0);
	assert_int_not_equal(crypto_box_seal_open(pa, a,
	    seal_len(BUCKET) - 1, f->pk, f->sk), 0);
	assert_int_not_equal(crypto_box_seal_open(pb, b,
	    seal_len(BUCKET) - 1, f->pk, f->sk), 0);
	/* The padded plaintexts have the bucket's size too. */
	assert_int_equal(seal_open(pa, sizeof(pa), &la, a, sizeof(a), f->pk,
	    f->sk), GH_OK);
	assert_int_equal(seal_open(pb, sizeof(pb), &lb, b, sizeof(b), f->pk,
	    f->sk), GH_OK);
	assert_int_equal(la, 1);
	assert_int_equal(lb, BUCKET - 1);
	/* A buffer one byte short of seal_len is refused, for any answer. */
	assert_int_equal(seal_answer(a, sizeof(a) - 1, shortp, sizeof(shortp),
	    BUCKET, f->pk), GH_ERR_INVALID);
}

static void
test_seal_refuses_plain_at_bucket(void **state)
{
	struct fixture *f = *state;
	uint8_t in[BUCKET + 1] = { 0 };
	uint8_t sealed[BUCKET + 1 + SEAL_OVERHEAD];

	assert_int_equal(seal_answer(sealed, sizeof(sealed), in, BUCKET,
	    BUCKET, f->pk), GH_ERR_TOO_LARGE);
	assert_int_equal(seal_answer(sealed, sizeof(sealed), in, BUCKET + 1,
	    BUCKET, f->pk), GH_ERR_TOO_LARGE);
	assert_int_equal(seal_answer(sealed, sizeof(sealed), in, 1, 1,
	    f->pk), GH_ERR_TOO_LARGE);
	assert_int_equal(seal_answer(sealed, sizeof(sealed), in, 0, 1,
	    f->pk), GH_OK);
}

static void
test_seal_refuses_bad_bucket(void **state)
{
	struct fixture *f = *state;
	uint8_t in[1] = { 0 };
	uint8_t sealed[SEAL_OVERHEAD + 1];

	assert_int_equal(seal_answer(sealed, sizeof(sealed), in, 0, 0, f->pk),
	    GH_ERR_INVALID);
	assert_int_equal(seal_answer(sealed, SIZE_MAX, in, 1,
	    SEAL_BUCKET_MAX + 1, f->pk), GH_ERR_INVALID);
	assert_int_equal(seal_answer(sealed, sizeof(sealed), NULL, 1, 16,
	    f->pk), GH_ERR_INVALID);
}

static void
test_seal_open_flipped_byte_fails(void **state)
{
	struct fixture *f = *state;
	uint8_t in[10], sealed[BUCKET + SEAL_OVERHEAD], plain[BUCKET];
	static const size_t pos[] = { 0, 31, 32, 47, 48, 100,
	    BUCKET + SEAL_OVERHEAD - 1 };
	size_t i, plain_len;

	randombytes_buf(in, sizeof(in));
	assert_int_equal(seal_answer(sealed, sizeof(sealed), in, sizeof(in),
	    BUCKET, f->pk), GH_OK);
	/* Ephemeral key, MAC and ciphertext: each flip must be caught. */
	for (i = 0; i < sizeof(pos) / sizeof(pos[0]); i++) {
		sealed[pos[i]] ^= 0x01;
		memset(plain, 0xaa, sizeof(plain));
		plain_len = 99;
		assert_int_equal(seal_open(plain, sizeof(plain), &plain_len,
		    sealed, sizeof(sealed), f->pk, f->sk), GH_ERR_CRYPTO);
		assert_true(all_zero(plain, sizeof(plain)));
		assert_int_equal(plain_len, 0);
		sealed[pos[i]] ^= 0x01;
	}
	assert_int_equal(seal_open(plain, sizeof(plain), &plain_len, sealed,
	    sizeof(sealed), f->pk, f->sk), GH_OK);
	assert_memory_equal(plain, in, sizeof(in));
}

static void
test_seal_open_other_key_fails(void **state)
{
	struct fixture *f = *state;
	uint8_t in[10] = "an answer", sealed[BUCKET + SEAL_OVERHEAD];
	uint8_t plain[BUCKET];
	size_t plain_len;

	assert_int_equal(seal_answer(sealed, sizeof(sealed), in, sizeof(in),
	    BUCKET, f->pk), GH_OK);
	assert_int_equal(seal_open(plain, sizeof(plain), &plain_len, sealed,
	    sizeof(sealed), f->pk2, f->sk2), GH_ERR_CRYPTO);
	assert_true(all_zero(plain, sizeof(plain)));
	/* The right public key with another secret key fails too. */
	assert_int_equal(seal_open(plain, sizeof(plain), &plain_len, sealed,
	    sizeof(sealed), f->pk, f->sk2), GH_ERR_CRYPTO);
}

static void
test_seal_open_rejects_bad_sizes(void **state)
{
	struct fixture *f = *state;
	uint8_t in[10] = { 0 }, sealed[BUCKET + SEAL_OVERHEAD];
	uint8_t plain[BUCKET];
	size_t plain_len;

	assert_int_equal(seal_answer(sealed, sizeof(sealed), in, sizeof(in),
	    BUCKET, f->pk), GH_OK);
	assert_int_equal(seal_open(plain, sizeof(plain), &plain_len, sealed,
	    SEAL_OVERHEAD, f->pk, f->sk), GH_ERR_INVALID);
	assert_int_equal(seal_open(plain, sizeof(plain), &plain_len, sealed,
	    0, f->pk, f->sk), GH_ERR_INVALID);
	assert_int_equal(seal_open(plain, BUCKET - 1, &plain_len, sealed,
	    sizeof(sealed), f->pk, f->sk), GH_ERR_INVALID);
	assert_true(all_zero(plain, BUCKET - 1));
	assert_int_equal(seal_open(plain, sizeof(plain), &plain_len, sealed,
	    SEAL_BUCKET_MAX + SEAL_OVERHEAD + 1, f->pk, f->sk),
	    GH_ERR_INVALID);
	/* A truncated blob is the right size class but not authentic. */
	assert_int_equal(seal_open(plain, sizeof(plain), &plain_len, sealed,
	    sizeof(sealed) - 1, f->pk, f->sk), GH_ERR_CRYPTO);
}

static void
test_seal_open_rejects_bad_padding(void **state)
{
	struct fixture *f = *state;
	uint8_t padded[BUCKET], sealed[BUCKET + SEAL_OVERHEAD];
	uint8_t plain[BUCKET];
	size_t plain_len = 99;

	/* Authentic but unpadded: all zeros, no 0x80 marker. */
	memset(padded, 0, sizeof(padded));
	assert_int_equal(crypto_box_seal(sealed, padded, sizeof(padded),
	    f->pk), 0);
	memset(plain, 0xaa, sizeof(plain));
	assert_int_equal(seal_open(plain, sizeof(plain), &plain_len, sealed,
	    sizeof(sealed), f->pk, f->sk), GH_ERR_INVALID);
	assert_int_equal(plain_len, 0);
	assert_true(all_zero(plain, sizeof(plain)));
	/* A marker followed by a non-zero byte is no padding either. */
	padded[10] = 0x80;
	padded[BUCKET - 1] = 0x01;
	assert_int_equal(crypto_box_seal(sealed, padded, sizeof(padded),
	    f->pk), 0);
	assert_int_equal(seal_open(plain, sizeof(plain), &plain_len, sealed,
	    sizeof(sealed), f->pk, f->sk), GH_ERR_INVALID);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seal_len),
		cmocka_unit_test(test_seal_round_trip),
		cmocka_unit_test(test_seal_padding_hides_length),
		cmocka_unit_test(test_seal_refuses_plain_at_bucket),
		cmocka_unit_test(test_seal_refuses_bad_bucket),
		cmocka_unit_test(test_seal_open_flipped_byte_fails),
		cmocka_unit_test(test_seal_open_other_key_fails),
		cmocka_unit_test(test_seal_open_rejects_bad_sizes),
		cmocka_unit_test(test_seal_open_rejects_bad_padding),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

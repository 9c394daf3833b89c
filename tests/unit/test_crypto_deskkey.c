/*
 * test_crypto_deskkey.c: the desk key pair, its wrapping per user and the
 * password hashes (crypto/deskkey.h). Each case that derives a key costs
 * one Argon2id at the INTERACTIVE limits (~0.1 s); the group setup wraps
 * one key that the cases share.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "deskkey.h"

#define PW	"correct horse battery"
#define PW2	"another desk password"

struct fixture {
	uint8_t	 pk[DESKKEY_PK_BYTES];
	uint8_t	*sk;
	uint8_t	 blob[DESKKEY_WRAPPED_LEN];
};

static int
group_setup(void **state)
{
	struct fixture *f;

	if (sodium_init() < 0 || (f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	if (deskkey_generate(f->pk, &f->sk) != GH_OK ||
	    deskkey_wrap(f->blob, f->sk, PW, strlen(PW)) != GH_OK) {
		deskkey_free(f->sk);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int
group_teardown(void **state)
{
	struct fixture *f = *state;

	deskkey_free(f->sk);
	free(f);
	return 0;
}

static void
test_deskkey_round_trip(void **state)
{
	struct fixture *f = *state;
	uint8_t *sk = NULL;

	assert_int_equal(deskkey_unwrap(&sk, f->blob, sizeof(f->blob), PW,
	    strlen(PW), f->pk), GH_OK);
	assert_non_null(sk);
	assert_memory_equal(sk, f->sk, DESKKEY_SK_BYTES);
	deskkey_free(sk);
}

static void
test_deskkey_wrong_password_fails(void **state)
{
	struct fixture *f = *state;
	uint8_t *sk = (uint8_t *)1;

	assert_int_equal(deskkey_unwrap(&sk, f->blob, sizeof(f->blob), PW2,
	    strlen(PW2), f->pk), GH_ERR_PASSPHRASE);
	assert_null(sk);
	assert_int_equal(deskkey_unwrap(&sk, f->blob, sizeof(f->blob), PW,
	    strlen(PW) - 1, f->pk), GH_ERR_PASSPHRASE);
	assert_null(sk);
}

static void
test_deskkey_flipped_byte_fails(void **state)
{
	struct fixture *f = *state;
	uint8_t blob[DESKKEY_WRAPPED_LEN], *sk = NULL;

	memcpy(blob, f->blob, sizeof(blob));
	blob[sizeof(blob) - 1] ^= 1;		/* ciphertext */
	assert_int_equal(deskkey_unwrap(&sk, blob, sizeof(blob), PW,
	    strlen(PW), f->pk), GH_ERR_PASSPHRASE);
	memcpy(blob, f->blob, sizeof(blob));
	blob[8] ^= 1;				/* salt */
	assert_int_equal(deskkey_unwrap(&sk, blob, sizeof(blob), PW,
	    strlen(PW), f->pk), GH_ERR_PASSPHRASE);
	assert_null(sk);
}

static void
test_deskkey_other_instance_refused(void **state)
{
	struct fixture *f = *state;
	uint8_t pk[DESKKEY_PK_BYTES], *sk = NULL;

	memcpy(pk, f->pk, sizeof(pk));
	pk[0] ^= 1;
	assert_int_equal(deskkey_unwrap(&sk, f->blob, sizeof(f->blob), PW,
	    strlen(PW), pk), GH_ERR_CRYPTO);
	assert_null(sk);
}

static void
test_deskkey_bad_blob_refused_before_derivation(void **state)
{
	struct fixture *f = *state;
	uint8_t blob[DESKKEY_WRAPPED_LEN], *sk = NULL;

	assert_int_equal(deskkey_unwrap(&sk, f->blob, sizeof(f->blob) - 1,
	    PW, strlen(PW), f->pk), GH_ERR_INVALID);
	memcpy(blob, f->blob, sizeof(blob));
	blob[0] = 'X';
	assert_int_equal(deskkey_unwrap(&sk, blob, sizeof(blob), PW,
	    strlen(PW), f->pk), GH_ERR_INVALID);
	/* Limits below INTERACTIVE or far above SENSITIVE. */
	memcpy(blob, f->blob, sizeof(blob));
	memset(blob + 24, 0, 8);
	blob[24] = 1;
	assert_int_equal(deskkey_unwrap(&sk, blob, sizeof(blob), PW,
	    strlen(PW), f->pk), GH_ERR_INVALID);
	memcpy(blob, f->blob, sizeof(blob));
	memset(blob + 32, 0xff, 8);
	assert_int_equal(deskkey_unwrap(&sk, blob, sizeof(blob), PW,
	    strlen(PW), f->pk), GH_ERR_INVALID);
	assert_null(sk);
}

static void
test_deskkey_rewrap_for_second_user(void **state)
{
	struct fixture *f = *state;
	uint8_t blob[DESKKEY_WRAPPED_LEN], *sk = NULL, *sk2 = NULL;

	assert_int_equal(deskkey_unwrap(&sk, f->blob, sizeof(f->blob), PW,
	    strlen(PW), f->pk), GH_OK);
	assert_int_equal(deskkey_wrap(blob, sk, PW2, strlen(PW2)), GH_OK);
	/* A fresh salt and nonce: not the first user's blob. */
	assert_memory_not_equal(blob + 8, f->blob + 8, 16);
	assert_int_equal(deskkey_unwrap(&sk2, blob, sizeof(blob), PW2,
	    strlen(PW2), f->pk), GH_OK);
	assert_memory_equal(sk2, f->sk, DESKKEY_SK_BYTES);
	deskkey_free(sk);
	deskkey_free(sk2);
}

static void
test_deskkey_short_password_refused(void **state)
{
	struct fixture *f = *state;
	uint8_t blob[DESKKEY_WRAPPED_LEN];
	char hash[crypto_pwhash_STRBYTES];

	assert_int_equal(deskkey_wrap(blob, f->sk, "elevenchars", 11),
	    GH_ERR_PASSPHRASE);
	assert_int_equal(deskkey_pw_hash(hash, "elevenchars", 11),
	    GH_ERR_PASSPHRASE);
}

static void
test_deskkey_password_hash(void **state)
{
	char hash[crypto_pwhash_STRBYTES];

	(void)state;
	assert_int_equal(deskkey_pw_hash(hash, PW, strlen(PW)), GH_OK);
	assert_true(strncmp(hash, "$argon2id$", 10) == 0);
	assert_int_equal(deskkey_pw_verify(hash, PW, strlen(PW)), GH_OK);
	assert_int_equal(deskkey_pw_verify(hash, PW2, strlen(PW2)),
	    GH_ERR_PASSPHRASE);
	assert_int_equal(deskkey_pw_verify(hash, "", 0), GH_ERR_PASSPHRASE);
	assert_int_equal(deskkey_pw_verify("$argon2i$v=19$m=1,t=1,p=1$x$y",
	    PW, strlen(PW)), GH_ERR_INVALID);
	assert_int_equal(deskkey_pw_verify("plain", PW, strlen(PW)),
	    GH_ERR_INVALID);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deskkey_round_trip),
		cmocka_unit_test(test_deskkey_wrong_password_fails),
		cmocka_unit_test(test_deskkey_flipped_byte_fails),
		cmocka_unit_test(test_deskkey_other_instance_refused),
		cmocka_unit_test(test_deskkey_bad_blob_refused_before_derivation),
		cmocka_unit_test(test_deskkey_rewrap_for_second_user),
		cmocka_unit_test(test_deskkey_short_password_refused),
		cmocka_unit_test(test_deskkey_password_hash),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

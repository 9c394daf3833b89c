/*
 * test_crypto_pwbox.c: the passphrase box (crypto/pwbox.h) and the two
 * formats built on it: a wave key file and a wrapped desk key written by
 * the code before pwbox existed must still open.
 *
 * The pwbox cases use a kind with libsodium's lowest Argon2id limits, so
 * they cost next to nothing; the two old formats cost one derivation each
 * at their own limits (MODERATE for the wave key, INTERACTIVE for the desk).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "deskkey.h"
#include "keyfile.h"
#include "keyfile_int.h"
#include "pwbox.h"
#include "tmpdir.h"
#include "util/file.h"

#define PASS		"correct horse"
#define CLEAR_LEN	5
#define SECRET_LEN	32
#define BOX_LEN		PWBOX_LEN(CLEAR_LEN, SECRET_LEN)

static const struct pwbox_kind test_kind = {
	.magic = "GHTEST1",
	.clear_len = CLEAR_LEN,
	.secret_len = SECRET_LEN,
	.ops_min = crypto_pwhash_OPSLIMIT_MIN,
	.ops_max = crypto_pwhash_OPSLIMIT_MIN + 1,
	.mem_min = crypto_pwhash_MEMLIMIT_MIN,
	.mem_max = crypto_pwhash_MEMLIMIT_MIN * 2,
};

/*
 * Written by keyfile_create and deskkey_wrap as they were before pwbox.c
 * (passphrase "fixture passphrase", password "fixture password 1"), with
 * the public keys they gave.
 */
static const uint8_t old_wave_file[144] = {
	0x47, 0x48, 0x57, 0x41, 0x56, 0x45, 0x4b, 0x31, 0x24, 0x8e, 0xa1, 0x55,
	0x2b, 0x67, 0xc7, 0xa6, 0x25, 0x41, 0x51, 0xfb, 0x37, 0xa6, 0x06, 0x1d,
	0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
	0x00, 0x00, 0x00, 0x00, 0x4b, 0xcd, 0xd0, 0x8b, 0xf7, 0xa0, 0xc9, 0xf6,
	0x86, 0xa2, 0xe7, 0xe0, 0x3a, 0x57, 0x96, 0x32, 0xa2, 0x0f, 0x5d, 0x1b,
	0x15, 0x38, 0x0a, 0x30, 0x64, 0xe2, 0x3a, 0xcd, 0xd2, 0x76, 0x14, 0x0f,
	0xfa, 0xaa, 0xde, 0x53, 0xe8, 0x02, 0xe0, 0x9d, 0x69, 0xcc, 0x2f, 0xa5,
	0x37, 0x58, 0x47, 0xf8, 0x3b, 0x53, 0xe6, 0x44, 0xf8, 0x0f, 0x81, 0x37,
	0x2a, 0x29, 0x7b, 0x00, 0x86, 0x14, 0xae, 0x41, 0x0c, 0x17, 0xd3, 0x8f,
	0xcc, 0x62, 0xae, 0x2c, 0x69, 0x1b, 0x08, 0xb0, 0xbb, 0x60, 0x23, 0xd1,
	0xa8, 0x7c, 0x3f, 0xd3, 0x25, 0x22, 0x31, 0x3f, 0x54, 0x54, 0xac, 0x9a,
	0x02, 0x2d, 0xf9, 0xe9, 0x01, 0x77, 0x55, 0x80, 0x20, 0x1e, 0xc1, 0x19,
};
static const uint8_t old_wave_pk[32] = {
	0x64, 0xe2, 0x3a, 0xcd, 0xd2, 0x76, 0x14, 0x0f, 0xfa, 0xaa, 0xde, 0x53,
	0xe8, 0x02, 0xe0, 0x9d, 0x69, 0xcc, 0x2f, 0xa5, 0x37, 0x58, 0x47, 0xf8,
	0x3b, 0x53, 0xe6, 0x44, 0xf8, 0x0f, 0x81, 0x37,
};
static const uint8_t old_desk_blob[112] = {
	0x47, 0x48, 0x44, 0x45, 0x53, 0x4b, 0x31, 0x00, 0x57, 0x8e, 0x69, 0xa1,
	0xcf, 0x93, 0x2f, 0x94, 0x25, 0xd0, 0x26, 0xc7, 0xca, 0xce, 0x00, 0xa1,
	0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04,
	0x00, 0x00, 0x00, 0x00, 0x48, 0x5c, 0xa0, 0x16, 0xf4, 0x6c, 0x7a, 0x8b,
	0xb7, 0x48, 0x60, 0xf4, 0xb0, 0xcb, 0x24, 0xcd, 0x10, 0xf6, 0x7d, 0x6a,
	0xc9, 0x21, 0x67, 0xc6, 0x0c, 0x39, 0x35, 0x2c, 0x49, 0xc1, 0xf1, 0x7b,
	0x7f, 0xd6, 0x71, 0x70, 0x14, 0xfb, 0x62, 0x3b, 0x0c, 0x76, 0xee, 0x40,
	0x77, 0xe6, 0x7d, 0x83, 0x21, 0x98, 0x83, 0x8e, 0x58, 0x0e, 0x61, 0xd5,
	0xb4, 0xa4, 0xd8, 0x1c, 0x3f, 0xa2, 0xa1, 0x6b, 0x58, 0xf0, 0x56, 0x42,
	0x54, 0x4e, 0x86, 0x48,
};
static const uint8_t old_desk_pk[32] = {
	0x1e, 0xea, 0xf3, 0xc1, 0x4c, 0x6b, 0x2d, 0x3e, 0x18, 0x33, 0x06, 0x87,
	0x9f, 0x32, 0xba, 0xab, 0xa4, 0x95, 0x79, 0x07, 0x76, 0xe6, 0xcf, 0xdd,
	0xb2, 0xba, 0xd1, 0xb5, 0xef, 0xcb, 0x46, 0x6b,
};

static const uint8_t secret[SECRET_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t clear[CLEAR_LEN] = { 'c', 'l', 'e', 'a', 'r' };

static void
seal_test_box(uint8_t box[BOX_LEN])
{
	assert_int_equal(pwbox_seal(box, &test_kind, clear, secret, PASS,
	    strlen(PASS)), GH_OK);
}

/* Opens box (len bytes) with pass; the secret must be wiped on failure. */
static int
open_test_box(const uint8_t *box, size_t len, const char *pass)
{
	static const uint8_t zero[SECRET_LEN];
	uint8_t got[SECRET_LEN];
	int r;

	memset(got, 0xa5, sizeof(got));
	r = pwbox_open(got, box, len, &test_kind, pass, strlen(pass));
	if (r == GH_OK)
		assert_memory_equal(got, secret, SECRET_LEN);
	else
		assert_memory_equal(got, zero, SECRET_LEN);
	return r;
}

static void
put64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void
test_pwbox_round_trip(void **state)
{
	uint8_t box[BOX_LEN];

	(void)state;
	seal_test_box(box);
	assert_memory_equal(box, "GHTEST1", PWBOX_MAGIC_BYTES);
	assert_memory_equal(box + PWBOX_OFF_CLEAR, clear, CLEAR_LEN);
	assert_int_equal(pwbox_check(box, sizeof(box), &test_kind), GH_OK);
	assert_int_equal(open_test_box(box, sizeof(box), PASS), GH_OK);
}

static void
test_pwbox_wrong_passphrase(void **state)
{
	uint8_t box[BOX_LEN];

	(void)state;
	seal_test_box(box);
	assert_int_equal(open_test_box(box, sizeof(box), "correct horsE"),
	    GH_ERR_PASSPHRASE);
	assert_int_equal(open_test_box(box, sizeof(box), ""),
	    GH_ERR_PASSPHRASE);
	assert_int_equal(pwbox_seal(box, &test_kind, clear, secret, "", 0),
	    GH_ERR_PASSPHRASE);
}

static void
test_pwbox_truncated(void **state)
{
	uint8_t box[BOX_LEN + 1];

	(void)state;
	seal_test_box(box);
	box[BOX_LEN] = 0;
	assert_int_equal(open_test_box(box, BOX_LEN - 1, PASS),
	    GH_ERR_INVALID);
	assert_int_equal(open_test_box(box, BOX_LEN + 1, PASS),
	    GH_ERR_INVALID);
	assert_int_equal(open_test_box(box, 0, PASS), GH_ERR_INVALID);
}

/* Every byte of the magic, salt, nonce and secretbox is covered. */
static void
test_pwbox_tampered(void **state)
{
	uint8_t box[BOX_LEN], bad[BOX_LEN];
	size_t i;
	int want;

	(void)state;
	seal_test_box(box);
	for (i = 0; i < BOX_LEN; i++) {
		/* The limits have their own case; clear is the caller's. */
		if ((i >= PWBOX_OFF_OPS && i < PWBOX_OFF_NONCE) ||
		    (i >= PWBOX_OFF_CLEAR && i < PWBOX_OFF_CLEAR + CLEAR_LEN))
			continue;
		memcpy(bad, box, sizeof(bad));
		bad[i] ^= 0x01;
		want = i < PWBOX_MAGIC_BYTES ? GH_ERR_INVALID :
		    GH_ERR_PASSPHRASE;
		assert_int_equal(open_test_box(bad, sizeof(bad), PASS), want);
	}
}

static void
test_pwbox_limits_out_of_range(void **state)
{
	uint8_t box[BOX_LEN], bad[BOX_LEN];

	(void)state;
	seal_test_box(box);
	memcpy(bad, box, sizeof(bad));
	put64(bad + PWBOX_OFF_OPS, test_kind.ops_min - 1);
	assert_int_equal(open_test_box(bad, sizeof(bad), PASS),
	    GH_ERR_INVALID);
	put64(bad + PWBOX_OFF_OPS, test_kind.ops_max + 1);
	assert_int_equal(open_test_box(bad, sizeof(bad), PASS),
	    GH_ERR_INVALID);
	put64(bad + PWBOX_OFF_OPS, UINT64_MAX);
	assert_int_equal(pwbox_check(bad, sizeof(bad), &test_kind),
	    GH_ERR_INVALID);
	memcpy(bad, box, sizeof(bad));
	put64(bad + PWBOX_OFF_MEM, test_kind.mem_min - 1);
	assert_int_equal(open_test_box(bad, sizeof(bad), PASS),
	    GH_ERR_INVALID);
	put64(bad + PWBOX_OFF_MEM, test_kind.mem_max + 1);
	assert_int_equal(open_test_box(bad, sizeof(bad), PASS),
	    GH_ERR_INVALID);
	/* Within the limits but not those it was sealed with: another key. */
	memcpy(bad, box, sizeof(bad));
	put64(bad + PWBOX_OFF_OPS, test_kind.ops_max);
	assert_int_equal(open_test_box(bad, sizeof(bad), PASS),
	    GH_ERR_PASSPHRASE);
}

/* A wave key file from before pwbox opens, and keeps its layout. */
static void
test_pwbox_old_wave_key_file_opens(void **state)
{
	char dir[64], path[PATH_MAX];
	struct wave_key *k = NULL;

	(void)state;
	assert_int_equal(sizeof(old_wave_file), KEYFILE_SIZE);
	assert_int_equal(keyfile_check_header(old_wave_file,
	    sizeof(old_wave_file)), GH_OK);
	assert_int_equal(tmpdir_make(dir, sizeof(dir), "pwbox"), 0);
	snprintf(path, sizeof(path), "%s/wave.key", dir);
	assert_int_equal(file_write_new(path, old_wave_file,
	    sizeof(old_wave_file), 0600), GH_OK);
	assert_int_equal(keyfile_open(path, "fixture passphrase", 18, &k),
	    GH_OK);
	assert_memory_equal(k->pk, old_wave_pk, SEAL_PK_BYTES);
	assert_memory_equal(old_wave_file + PWBOX_OFF_CLEAR, old_wave_pk,
	    SEAL_PK_BYTES);
	wave_key_free(k);
	assert_int_equal(keyfile_open(path, "fixture passphrasE", 18, &k),
	    GH_ERR_PASSPHRASE);
	assert_null(k);
	assert_int_equal(tmpdir_remove(dir), 0);
}

/* A desk key wrapped before pwbox unwraps, and a new wrap has its layout. */
static void
test_pwbox_old_desk_key_opens(void **state)
{
	const char *pw = "fixture password 1";
	uint8_t *sk = NULL, *again = NULL, blob[DESKKEY_WRAPPED_LEN];

	(void)state;
	assert_int_equal(sizeof(old_desk_blob), DESKKEY_WRAPPED_LEN);
	assert_int_equal(deskkey_unwrap(&sk, old_desk_blob,
	    sizeof(old_desk_blob), pw, strlen(pw), old_desk_pk), GH_OK);
	assert_non_null(sk);
	assert_int_equal(deskkey_wrap(blob, sk, pw, strlen(pw)), GH_OK);
	/* Magic and limits as before; salt and nonce fresh. */
	assert_memory_equal(blob, old_desk_blob, PWBOX_OFF_SALT);
	assert_memory_equal(blob + PWBOX_OFF_OPS, old_desk_blob +
	    PWBOX_OFF_OPS, PWBOX_OFF_NONCE - PWBOX_OFF_OPS);
	assert_memory_not_equal(blob + PWBOX_OFF_SALT, old_desk_blob +
	    PWBOX_OFF_SALT, crypto_pwhash_SALTBYTES);
	assert_int_equal(deskkey_unwrap(&again, blob, sizeof(blob), pw,
	    strlen(pw), old_desk_pk), GH_OK);
	assert_memory_equal(again, sk, DESKKEY_SK_BYTES);
	deskkey_free(again);
	deskkey_free(sk);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pwbox_round_trip),
		cmocka_unit_test(test_pwbox_wrong_passphrase),
		cmocka_unit_test(test_pwbox_truncated),
		cmocka_unit_test(test_pwbox_tampered),
		cmocka_unit_test(test_pwbox_limits_out_of_range),
		cmocka_unit_test(test_pwbox_old_wave_key_file_opens),
		cmocka_unit_test(test_pwbox_old_desk_key_opens),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

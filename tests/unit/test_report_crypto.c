/*
 * test_report_crypto.c: report keys and messages: the report key opens
 * only with the desk's key, messages round-trip with their exact time,
 * blobs are padded to three sizes, a wrong key or a flipped byte fails,
 * the receipt-derived key opens what was sealed to its public key, the
 * acknowledgement verifies with signify's
 * embedded form, and day numbers become dates across leap years.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/signkey.h"
#include "report/report_crypto.h"

static void
test_report_crypto_key_sealed_to_desk(void **state)
{
	uint8_t desk_pk[32], desk_sk[32], other_pk[32], other_sk[32];
	uint8_t pk[32], sealed[REPORT_SEALED_KEY_BYTES], check[32];
	uint8_t *sk = sodium_malloc(REPORT_SK_BYTES);

	(void)state;
	crypto_box_keypair(desk_pk, desk_sk);
	crypto_box_keypair(other_pk, other_sk);
	assert_int_equal(report_key_new(desk_pk, pk, sealed), GH_OK);
	assert_int_equal(report_key_open(sk, sealed, sizeof(sealed), desk_pk,
	    desk_sk), GH_OK);
	crypto_scalarmult_base(check, sk);
	assert_memory_equal(check, pk, 32);
	assert_int_equal(report_key_open(sk, sealed, sizeof(sealed), other_pk,
	    other_sk), GH_ERR_CRYPTO);
	assert_int_equal(sodium_is_zero(sk, REPORT_SK_BYTES), 1);
	assert_int_equal(report_key_open(sk, sealed, sizeof(sealed) - 1,
	    desk_pk, desk_sk), GH_ERR_INVALID);
	sodium_free(sk);
}

static void
test_report_crypto_seal_open_and_buckets(void **state)
{
	static const size_t lens[] = { 0, 1014, 1015, 4086, 4087,
	    REPORT_TEXT_MAX };
	static const size_t want[] = { 1024, 1024, 4096, 4096, 16384, 16384 };
	uint8_t pk[32], sk[32], opk[32], osk[32], *blob;
	struct report_plain p;
	char *text = malloc(REPORT_TEXT_MAX + 1);
	size_t i, n;

	(void)state;
	assert_non_null(text);
	memset(text, 'a', REPORT_TEXT_MAX);
	crypto_box_keypair(pk, sk);
	crypto_box_keypair(opk, osk);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		assert_int_equal(report_seal(&blob, &n, text, lens[i],
		    1764095400, pk), GH_OK);
		assert_int_equal(n, want[i] + crypto_box_SEALBYTES);
		assert_int_equal(report_open(&p, blob, n, pk, sk), GH_OK);
		assert_int_equal(p.len, lens[i]);
		assert_int_equal(p.time, 1764095400);
		assert_int_equal(p.text[p.len], '\0');
		assert_memory_equal(p.text, text, lens[i]);
		report_plain_clear(&p);
		assert_null(p.text);
		assert_int_equal(report_open(&p, blob, n, opk, osk),
		    GH_ERR_CRYPTO);
		blob[n / 2] ^= 1;
		assert_int_equal(report_open(&p, blob, n, pk, sk),
		    GH_ERR_CRYPTO);
		free(blob);
	}
	assert_int_equal(report_seal(&blob, &n, text, REPORT_TEXT_MAX + 1, 0,
	    pk), GH_ERR_TOO_LARGE);
	assert_null(blob);
	free(text);
}

static void
test_report_crypto_reply_key_opens_for_reporter(void **state)
{
	uint8_t r[RECEIPT_BYTES], salt[RECEIPT_SALT_BYTES], rpk[32], dpk[32];
	uint8_t dsk[32], pk2[32];
	uint8_t *sk = sodium_malloc(REPORT_SK_BYTES);
	struct report_msg m = { 0 };
	struct report_plain p;

	(void)state;
	receipt_new(r);
	randombytes_buf(salt, sizeof(salt));
	crypto_box_keypair(dpk, dsk);
	assert_int_equal(receipt_reply_key(rpk, sk, r, salt), GH_OK);
	assert_int_equal(report_seal_both(&m, "reply", 5, 42, dpk, rpk),
	    GH_OK);
	/* Later, only the receipt: derive again and open. */
	assert_int_equal(receipt_reply_key(pk2, sk, r, salt), GH_OK);
	assert_memory_equal(pk2, rpk, 32);
	assert_int_equal(report_open(&p, m.for_reporter, m.for_reporter_len,
	    rpk, sk), GH_OK);
	assert_string_equal(p.text, "reply");
	report_plain_clear(&p);
	assert_int_equal(report_open(&p, m.for_desk, m.for_desk_len, dpk, dsk),
	    GH_OK);
	assert_int_equal(p.time, 42);
	report_plain_clear(&p);
	assert_int_equal(report_open(&p, m.for_desk, m.for_desk_len, rpk, sk),
	    GH_ERR_CRYPTO);
	report_msg_free(&m);
	sodium_free(sk);
}

static void
test_report_crypto_ack_verifies(void **state)
{
	uint8_t pk[32], sk[64], digest[32] = { 1, 2, 3 }, sig[64];
	char ack[REPORT_ACK_MAX];
	const char *nl;

	(void)state;
	crypto_sign_keypair(pk, sk);
	assert_int_equal(report_ack(ack, sizeof(ack), 20417, digest, sk, pk),
	    GH_OK);
	assert_non_null(strstr(ack, "2025-11-25"));
	assert_non_null(strstr(ack, "sha256: 010203000000"));
	nl = strchr(strchr(ack, '\n') + 1, '\n') + 1;
	assert_int_equal(signkey_signify_parse_sig(ack, (size_t)(nl - ack),
	    sig), GH_OK);
	assert_int_equal(signkey_verify(sig, (const uint8_t *)nl, strlen(nl),
	    pk), GH_OK);
	ack[strlen(ack) - 2] ^= 1;
	assert_int_equal(signkey_verify(sig, (const uint8_t *)nl, strlen(nl),
	    pk), GH_ERR_CRYPTO);
	assert_int_equal(report_ack(ack, 100, 20417, digest, sk, pk),
	    GH_ERR_TOO_LARGE);
}

static void
test_report_crypto_day_text(void **state)
{
	char d[11];

	(void)state;
	report_day_text(d, 0);
	assert_string_equal(d, "1970-01-01");
	report_day_text(d, 11016);	/* 2000-02-29: a leap day of a 400 */
	assert_string_equal(d, "2000-02-29");
	report_day_text(d, 11017);
	assert_string_equal(d, "2000-03-01");
	report_day_text(d, 19782);	/* 2024-02-29 */
	assert_string_equal(d, "2024-02-29");
	report_day_text(d, 20453);	/* 2025-12-31 */
	assert_string_equal(d, "2025-12-31");
	report_day_text(d, 20454);
	assert_string_equal(d, "2026-01-01");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_crypto_key_sealed_to_desk),
		cmocka_unit_test(test_report_crypto_seal_open_and_buckets),
		cmocka_unit_test(test_report_crypto_reply_key_opens_for_reporter),
		cmocka_unit_test(test_report_crypto_ack_verifies),
		cmocka_unit_test(test_report_crypto_day_text),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

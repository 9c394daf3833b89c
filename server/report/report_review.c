/*
 * report_review.c: sending a report to a reviewer and opening it as one
 * (report_review.h).
 *
 * Entry points: report_review_send (the report must be live and have
 * asked for a second opinion; the name must be an enabled reviewer ->
 * report_review_seal: crypto_box_seal of the report key to the
 * reviewer's public key -> store_review_add), report_review_open (a
 * sealed key the caller read for this reviewer only ->
 * crypto_box_seal_open with the reviewer's key pair -> the opened key
 * must give the report's public key), report_review_seal. The report key is the caller's, in locked
 * memory; nothing here keeps or logs it.
 */
#include <string.h>

#include <sodium.h>

#include "report/report_review.h"

_Static_assert(REVIEW_SEALED_KEY_BYTES == REPORT_SEALED_KEY_BYTES,
    "a reviewer's sealed key is a report key sealed once");

int
report_review_seal(uint8_t out[REVIEW_SEALED_KEY_BYTES],
    const uint8_t *report_sk, const uint8_t reviewer_pk[32])
{
	if (crypto_box_seal(out, report_sk, REPORT_SK_BYTES, reviewer_pk) != 0)
		return GH_ERR_CRYPTO;
	return GH_OK;
}

int
report_review_send(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const char *name, const uint8_t *report_sk)
{
	uint8_t sealed[REVIEW_SEALED_KEY_BYTES];
	struct report_row row;
	struct user_row u;
	int r;

	memset(&row, 0, sizeof(row));
	memset(&u, 0, sizeof(u));
	if ((r = store_report_get(s, id, &row)) != GH_OK)
		goto out;
	if (row.status == REPORT_WITHDRAWN || row.second_opinion_day < 0) {
		r = GH_ERR_CLOSED;
		goto out;
	}
	if (name == NULL || strlen(name) > USER_MAX_NAME ||
	    (r = store_user_get(s, name, &u)) == GH_ERR_NOT_FOUND ||
	    (r == GH_OK && (u.role != USER_REVIEWER || u.is_disabled ||
	    !u.has_public_key))) {
		r = GH_ERR_INVALID;
		goto out;
	}
	if (r != GH_OK)
		goto out;
	if ((r = report_review_seal(sealed, report_sk, u.public_key)) ==
	    GH_OK)
		r = store_review_add(s, id, u.id, store_today(), sealed,
		    sizeof(sealed));
out:
	sodium_memzero(&u, sizeof(u));
	store_report_row_clear(&row);
	return r;
}

int
report_review_open(const uint8_t sealed[REVIEW_SEALED_KEY_BYTES],
    const uint8_t report_pk[REPORT_PK_BYTES], const uint8_t *reviewer_sk,
    uint8_t *report_sk)
{
	uint8_t pk[REPORT_PK_BYTES], got[REPORT_PK_BYTES];
	int r = GH_ERR_CRYPTO;

	if (crypto_scalarmult_base(pk, reviewer_sk) != 0 ||
	    crypto_box_seal_open(report_sk, sealed, REVIEW_SEALED_KEY_BYTES,
	    pk, reviewer_sk) != 0)
		goto out;
	if (crypto_scalarmult_base(got, report_sk) != 0 ||
	    sodium_memcmp(got, report_pk, sizeof(got)) != 0) {
		sodium_memzero(report_sk, REPORT_SK_BYTES);
		goto out;
	}
	r = GH_OK;
out:
	sodium_memzero(got, sizeof(got));
	return r;
}

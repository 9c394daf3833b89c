/*
 * report_login.c: the receipt login (report_login.h). The receipt is the
 * reporter's only credential; no HTTP here (route_report_follow.c calls
 * these and renders).
 *
 * Entry points, in call order: report_login_find (on the request thread:
 * the code parsed, a typo told apart from a wrong shape -> keyed hash
 * with the pepper -> store_report_by_receipt; the lookup costs the same
 * whether or not a report exists), report_login_open (on a hashing
 * worker, only for a code that matched: Argon2id -> reply secret key in
 * sodium_malloc memory, checked against the stored public key),
 * report_login_clear (the key, receipt and code wiped). Nothing logs a
 * receipt or a code.
 */
#include <string.h>

#include <sodium.h>

#include "report/report_crypto.h"
#include "report/report_login.h"
#include "util/log.h"

int
report_login_find(struct store *s, const uint8_t *pepper, const char *typed,
    struct report_login *l)
{
	uint8_t hash[RECEIPT_HASH_BYTES];
	int rc;

	if ((rc = receipt_from_text(l->receipt, typed, strlen(typed))) !=
	    GH_OK)
		return rc;
	receipt_hash(hash, l->receipt, pepper);
	rc = store_report_by_receipt(s, hash, &l->row);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

int
report_login_open(struct report_login *l)
{
	uint8_t pk[32];

	if ((l->sk = sodium_malloc(REPORT_SK_BYTES)) == NULL ||
	    receipt_reply_key(pk, l->sk, l->receipt, l->row.reply_salt) !=
	    GH_OK)
		return GH_ERR_NOMEM;
	if (sodium_memcmp(pk, l->row.reply_pk, sizeof(pk)) != 0) {
		log_error("a report's reply key does not match its receipt");
		return GH_ERR_CRYPTO;
	}
	receipt_to_text(l->code, l->receipt);
	return GH_OK;
}

void
report_login_clear(struct report_login *l)
{
	if (l->sk != NULL)
		sodium_free(l->sk);
	l->sk = NULL;
	store_report_row_clear(&l->row);
	sodium_memzero(l->receipt, sizeof(l->receipt));
	sodium_memzero(l->code, sizeof(l->code));
}

/*
 * report_login.h: a reporter's login with their receipt code, without
 * HTTP: finding the report by the code's keyed hash (cheap, on the
 * request thread), then deriving and checking the reply key (Argon2id,
 * on a hashing worker). Implemented in report_login.c.
 */
#ifndef GH_REPORT_LOGIN_H
#define GH_REPORT_LOGIN_H

#include <stdint.h>

#include "crypto/receipt.h"
#include "store/store_report.h"

/* A reporter logged in with their receipt; report_login_clear wipes it. */
struct report_login {
	struct report_row	 row;
	uint8_t			 receipt[RECEIPT_BYTES];
	char			 code[RECEIPT_TEXT_LEN + 1]; /* once opened */
	uint8_t			*sk;	/* reply secret key, sodium_malloc */
};

/*
 * Parses the typed code and finds its report into l->row. Returns GH_OK;
 * GH_ERR_CRYPTO (a typo: the check symbol fails), GH_ERR_INVALID or
 * another parse error (not a code's shape), GH_ERR_NOT_FOUND (no such
 * report), or a store error.
 */
int report_login_find(struct store *s, const uint8_t *pepper,
    const char *typed, struct report_login *l) GH_WUR;

/*
 * Derives the reply key from the receipt (Argon2id) into l->sk and checks
 * it against the stored public key; fills l->code. Returns GH_OK,
 * GH_ERR_NOMEM, or GH_ERR_CRYPTO (the key does not match: logged).
 */
int report_login_open(struct report_login *l) GH_WUR;

/* Wipes and frees what l holds (not l itself); accepts a zeroed l. */
void report_login_clear(struct report_login *l);

#endif

/*
 * report_fx.h: the report domain's unit tests' fixture: a scratch SQLite
 * file with a desk key pair and one report filed through report_create,
 * found again by its receipt (found, not opened: only rekeying needs the
 * reporter's key, an Argon2id derivation).
 */
#ifndef GH_TEST_REPORT_FX_H
#define GH_TEST_REPORT_FX_H

#include <stdint.h>

#include <sodium.h>

#include "crypto/receipt.h"
#include "report/report_login.h"
#include "store/store.h"

struct report_fx {
	char			 dir[64];
	char			 path[128];
	struct store		*s;
	uint8_t			 pepper[RECEIPT_PEPPER_BYTES];
	uint8_t			*ack_sk;	/* sodium_malloc */
	uint8_t			 ack_pk[crypto_sign_PUBLICKEYBYTES];
	uint8_t			 desk_pk[32], desk_sk[32];
	uint8_t			 r[RECEIPT_BYTES];	/* the receipt */
	struct report_login	 l;			/* found by it */
};

/* Sets up f (zeroed by the caller) in a scratch folder named after name;
 * fails the test on any error. */
void report_fx_open(struct report_fx *f, const char *name);

/* Closes and removes what report_fx_open made. */
void report_fx_close(struct report_fx *f);

#endif

/*
 * report_create.h: storing a new anonymous report, without HTTP. The
 * caller has checked the form (report_form.h) and rendered its text; this
 * module makes the receipt and the keys, seals the text and stores the
 * report in one durable transaction. Implemented in report_create.c.
 */
#ifndef GH_REPORT_CREATE_H
#define GH_REPORT_CREATE_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/receipt.h"
#include "store/store_report.h"

/* The keys a new report needs from the server (none of them owned). */
struct report_create_keys {
	const uint8_t	*pepper;	/* RECEIPT_PEPPER_BYTES */
	const uint8_t	*ack_sk;	/* the acknowledgement signing key */
	const uint8_t	*ack_pk;	/* its public half (32 bytes) */
};

/*
 * Stores report text (len bytes) with unit (NULL: none), spending link
 * (NULL: none); runs Argon2id once (call it off the request thread).
 * Fills r with the new receipt (wipe it after showing it) and ack (acksz
 * bytes, REPORT_ACK_MAX is enough) with the signed acknowledgement.
 * Returns GH_OK; GH_ERR_CLOSED (no desk key yet), GH_ERR_SPENT or
 * GH_ERR_NOT_FOUND (the link), or another error.
 */
int report_create(struct store *s, const struct report_create_keys *k,
    const char *text, size_t len, const char *unit,
    const struct store_token_key *link, uint8_t r[RECEIPT_BYTES],
    char *ack, size_t acksz) GH_WUR;

#endif

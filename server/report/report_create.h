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
#include "report/attach_seal.h"
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

/*
 * As report_create, with n cleaned files (name, type and data set; time
 * is set here) sealed to the report key and the reply key and stored in
 * the same transaction. GH_ERR_INVALID for a name that cannot be kept.
 */
int report_create_files(struct store *s, const struct report_create_keys *k,
    const char *text, size_t len, const char *unit,
    const struct store_token_key *link, struct attach_plain *files,
    size_t n, uint8_t r[RECEIPT_BYTES], char *ack, size_t acksz) GH_WUR;

/*
 * Seals the n cleaned files (their time set to now) to report_pk and
 * reply_pk into *out, a calloc'd array of n (free with
 * report_create_files_free). GH_OK (*out NULL when n is 0) or an error.
 */
int report_create_seal_files(struct attach_plain *files, size_t n,
    const uint8_t report_pk[32], const uint8_t reply_pk[32],
    struct store_attach **out) GH_WUR;

/* Frees what report_create_seal_files made; accepts NULL. */
void report_create_files_free(struct store_attach *a, size_t n);

/*
 * Seals the n cleaned files to row's report key and reply key and stores
 * them with the report in one durable transaction (a reporter's
 * follow-up). GH_OK, GH_ERR_NOT_FOUND (a withdrawn report) or an error.
 */
int report_add_files(struct store *s, const struct report_row *row,
    struct attach_plain *files, size_t n) GH_WUR;

/* Sealed files for report_new's in_tx (report_create_add_files). */
struct report_create_sealed {
	const struct store_attach	*a;
	size_t				 n;
};

/* A report_new in_tx (arg: struct report_create_sealed): stores the
 * sealed files for report id. */
int report_create_add_files(struct store *s,
    const uint8_t id[REPORT_ID_BYTES], void *arg) GH_WUR;

#endif

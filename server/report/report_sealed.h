/*
 * report_sealed.h: a report sealed in the reporter's browser (the report
 * form's script, web/seal/seal.js). The browser makes the receipt, the
 * salt, the reply key pair (Argon2id, as crypto/receipt.h) and the
 * report's key pair, seals the report key's secret to the desk's key and
 * the padded text to both public keys, and hashes the text; the server
 * receives only those values and never the text. Implemented in
 * report_sealed.c; no HTTP here (route_report_sealed.c posts them).
 *
 * Entry points: report_sealed_parse (the posted fields, checked for
 * their sizes and encodings: a malformed one names itself),
 * report_sealed_create (checks that the reply key belongs to the receipt
 * and salt, then stores and signs as report_create does), and
 * report_sealed_free.
 */
#ifndef GH_REPORT_SEALED_H
#define GH_REPORT_SEALED_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "crypto/receipt.h"
#include "report/report_create.h"
#include "report/report_crypto.h"
#include "survey/form.h"

#define REPORT_SEALED_VERSION	"1"	/* the "sealed" field's value */

/* What was wrong with a posted sealed report. */
enum report_sealed_problem {
	REPORT_SEALED_OK,
	REPORT_SEALED_MISSING,	/* a field is not there */
	REPORT_SEALED_ENCODING,	/* not hex or base64url */
	REPORT_SEALED_SIZE,	/* the wrong number of bytes */
	REPORT_SEALED_VERSION_BAD,	/* a format this server does not know */
	REPORT_SEALED_MISMATCH,	/* reply_pk is not the receipt's key */
};

/* The values a browser posts for a sealed report. */
struct report_sealed {
	uint8_t		 receipt[RECEIPT_BYTES];
	uint8_t		 salt[RECEIPT_SALT_BYTES];
	uint8_t		 reply_pk[REPORT_PK_BYTES];
	uint8_t		 report_pk[REPORT_PK_BYTES];
	uint8_t		 sealed_key[REPORT_SEALED_KEY_BYTES];
	uint8_t		 sha256[crypto_hash_sha256_BYTES];
	uint8_t		*for_desk;	/* malloc'd, msg_len bytes */
	uint8_t		*for_reporter;	/* malloc'd, msg_len bytes */
	size_t		 msg_len;	/* seal_len of 1, 4 or 16 KiB */
	/* Cleaned files to seal to report_pk and reply_pk and store with
	 * the report (set by the caller; not owned). */
	struct attach_plain *files;
	size_t		 n_files;
};

/*
 * Reads the sealed fields of f into *rs. Returns GH_OK; GH_ERR_INVALID
 * with *field the field's name and *why what is wrong with it;
 * GH_ERR_NOMEM. Free *rs with report_sealed_free either way.
 */
int report_sealed_parse(struct report_sealed *rs, const struct form *f,
    const char **field, enum report_sealed_problem *why) GH_WUR;

/*
 * Stores a parsed sealed report as report_create stores a text (unit
 * and link as there); runs Argon2id once to check that reply_pk belongs
 * to the receipt and salt (call it off the request thread). Fills ack
 * with the acknowledgement signed over the browser's SHA-256. Returns
 * GH_OK; GH_ERR_INVALID (*why REPORT_SEALED_MISMATCH); GH_ERR_CLOSED,
 * GH_ERR_SPENT, GH_ERR_NOT_FOUND as report_create; another error.
 */
int report_sealed_create(struct store *s, const struct report_create_keys *k,
    const struct report_sealed *rs, const char *unit,
    const struct store_token_key *link, char *ack, size_t acksz) GH_WUR;

/* Wipes and frees what report_sealed_parse filled in. */
void report_sealed_free(struct report_sealed *rs);

#endif

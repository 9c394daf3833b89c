/*
 * report_crypto.h: sealing and opening the texts of anonymous reports,
 * the per-report keys, and the
 * signed acknowledgement of receipt. Implemented in report_crypto.c and
 * report_ack.c.
 *
 * Keys: each report has its own X25519 key pair; its secret key is sealed
 * to the desk's public key (sealed_key). The reply key pair is derived
 * from the receipt (receipt_reply_key in crypto/receipt.h, Argon2id: the
 * server runs it on its hashing pool); its secret exists only during a
 * reporter's request. Every message is sealed twice: for_desk to
 * the report key, for_reporter to the reply key.
 *
 * A message's plaintext: one version byte (1), the exact time as 8 bytes
 * (big-endian Unix seconds), then the UTF-8 text. It is padded to 1, 4 or
 * 16 KiB before sealing, so a blob's length tells only which of three
 * sizes the text had. Only day numbers are stored in the clear.
 */
#ifndef GH_REPORT_CRYPTO_H
#define GH_REPORT_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "crypto/receipt.h"
#include "store/store_report.h"
#include "util/err.h"

#define REPORT_PK_BYTES		crypto_box_PUBLICKEYBYTES	/* 32 */
#define REPORT_SK_BYTES		crypto_box_SECRETKEYBYTES	/* 32 */
#define REPORT_SEALED_KEY_BYTES	(REPORT_SK_BYTES + crypto_box_SEALBYTES)
#define REPORT_PLAIN_HEAD	9	/* version and time */
#define REPORT_TEXT_MAX		16000	/* bytes of one message's text */
#define REPORT_ACK_MAX		1024	/* bytes of an acknowledgement */

/* An opened message. text is sodium_malloc'd and NUL-terminated. */
struct report_plain {
	int64_t	 time;		/* Unix seconds */
	char	*text;
	size_t	 len;
};

/*
 * Makes a report's key pair: its public key into pk and its secret key
 * sealed to desk_pk into sealed_key. The secret key is wiped.
 */
int report_key_new(const uint8_t desk_pk[REPORT_PK_BYTES],
    uint8_t pk[REPORT_PK_BYTES],
    uint8_t sealed_key[REPORT_SEALED_KEY_BYTES]) GH_WUR;

/* Opens a report's sealed_key with the desk's key pair into report_sk
 * (caller's sodium_malloc memory). GH_ERR_CRYPTO, GH_ERR_INVALID. */
int report_key_open(uint8_t *report_sk, const uint8_t *sealed_key,
    size_t len, const uint8_t desk_pk[REPORT_PK_BYTES],
    const uint8_t *desk_sk) GH_WUR;

/* Seals text (len <= REPORT_TEXT_MAX) with time to pk into a new
 * malloc'd blob *out of *outlen bytes. GH_ERR_TOO_LARGE. */
int report_seal(uint8_t **out, size_t *outlen, const char *text, size_t len,
    int64_t time, const uint8_t pk[REPORT_PK_BYTES]) GH_WUR;

/* Seals text twice into m->for_desk (report_pk) and m->for_reporter
 * (reply_pk); free them with report_msg_free. */
int report_seal_both(struct report_msg *m, const char *text, size_t len,
    int64_t time, const uint8_t report_pk[REPORT_PK_BYTES],
    const uint8_t reply_pk[REPORT_PK_BYTES]) GH_WUR;

/* Opens a blob with a key pair into *p (clear with report_plain_clear).
 * GH_ERR_CRYPTO (not for this key), GH_ERR_INVALID (malformed). */
int report_open(struct report_plain *p, const uint8_t *blob, size_t len,
    const uint8_t pk[REPORT_PK_BYTES], const uint8_t *sk) GH_WUR;

/* Wipes and frees what report_open filled in; accepts an empty one. */
void report_plain_clear(struct report_plain *p);

/*
 * The signed acknowledgement of receipt, as signify's embedded form (the
 * comment and signature lines, then the signed text: the day as
 * YYYY-MM-DD and the SHA-256 of the report's text in hex), NUL
 * terminated, into out. `signify -V -e -p KEY.pub -x FILE -m -` checks it
 * with the key of GET /melden/key.
 */
int report_ack(char *out, size_t outsz, int64_t day,
    const uint8_t sha256[crypto_hash_sha256_BYTES], const uint8_t *ack_sk,
    const uint8_t ack_pk[crypto_sign_PUBLICKEYBYTES]) GH_WUR;

/* Writes day (days since 1970-01-01) as YYYY-MM-DD into out (11 bytes). */
void report_day_text(char out[11], int64_t day);

#endif

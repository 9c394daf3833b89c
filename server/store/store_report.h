/*
 * store_report.h: anonymous reports, their conversation, and the one-time
 * report links. Implemented in store_report.c.
 *
 * A report row holds day numbers, a status, the desk's coarse categories
 * and keys; every text lives in messages, sealed twice: for_desk to the
 * report's own public key (its secret key is sealed to the desk's key in
 * sealed_key), for_reporter to the reply key derived from the receipt
 * (Argon2id, reply_salt). Withdrawal deletes every message, internal
 * note, reviewer's key and every key and the receipt hash (secure_delete
 * overwrites them), leaving a tombstone: status, categories and days.
 */
#ifndef GH_STORE_REPORT_H
#define GH_STORE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define REPORT_ID_BYTES		16
#define REPORT_MAX_CATEGORY	64	/* bytes of form, ground, measure */
#define REPORT_MAX_UNIT		100	/* bytes of a unit (as DEF_MAX_UNIT) */
#define REPORT_REF_LEN		8	/* the case reference: 8 hex digits */

/* Stored as integers; the order is the inbox's. */
enum report_status {
	REPORT_RECEIVED = 0,
	REPORT_ACKNOWLEDGED = 1,
	REPORT_IN_PROGRESS = 2,
	REPORT_CLOSED = 3,
	REPORT_WITHDRAWN = 4,
	REPORT_SECOND_OPINION = 5,
};

enum report_author { REPORT_BY_REPORTER = 0, REPORT_BY_DESK = 1 };

enum report_msg_kind {
	REPORT_MSG_TEXT = 0,		/* the report itself, or information */
	REPORT_MSG_QUESTION = 1,	/* desk asks the reporter */
	REPORT_MSG_CONSENT_ASK = 2,	/* desk proposes a step */
	REPORT_MSG_CONSENT_YES = 3,	/* reporter agrees (text: which step) */
	REPORT_MSG_CONSENT_NO = 4,	/* reporter refuses */
	REPORT_MSG_SECOND_OPINION = 5,	/* reporter asks for one (text: why) */
	REPORT_MSG_NOTE = 6,		/* a status change, as the reporter sees it */
	REPORT_MSG_OPINION = 7,		/* a reviewer's second opinion (desk) */
};

/* A report's clear row (no text). Absent days are -1, absent text "". */
struct report_row {
	uint8_t		 id[REPORT_ID_BYTES];
	int64_t		 received_day;
	enum report_status status;
	int64_t		 status_day;
	int64_t		 ack_day, feedback_day, closed_day;
	int64_t		 aftercare1_day, aftercare3_day, second_opinion_day;
	char		 form[REPORT_MAX_CATEGORY + 1];
	char		 ground[REPORT_MAX_CATEGORY + 1];
	char		 unit[REPORT_MAX_UNIT + 1];
	char		 measure[REPORT_MAX_CATEGORY + 1];
	uint8_t		 report_pk[32];		/* zero after withdrawal */
	uint8_t		 reply_pk[32];		/* zero after withdrawal */
	uint8_t		 reply_salt[16];	/* zero after withdrawal */
	uint8_t		*sealed_key;		/* malloc'd, or NULL */
	size_t		 sealed_key_len;
	int64_t		 n_messages;
	char		 ref[REPORT_REF_LEN + 1];	/* "" if none */
};

/* One message as stored (blobs are malloc'd; free with report_msg_free). */
struct report_msg {
	int64_t		 seq;
	enum report_author author;
	enum report_msg_kind kind;
	int64_t		 day;
	uint8_t		*for_desk;
	size_t		 for_desk_len;
	uint8_t		*for_reporter;
	size_t		 for_reporter_len;
};

/* What store_report_create stores: the first message is the report. */
struct report_new {
	const uint8_t	*receipt_hash;		/* 32 bytes */
	const uint8_t	*report_pk;		/* 32 */
	const uint8_t	*sealed_key;
	size_t		 sealed_key_len;
	const uint8_t	*reply_salt;		/* 16 */
	const uint8_t	*reply_pk;		/* 32 */
	const char	*unit;			/* NULL or given by the reporter */
	const struct store_token_key *link;	/* NULL, or a link to spend */
	const struct report_msg *first;		/* seq, day are set here */
	/* Run inside the transaction once the report row exists (the
	 * attachments: report_create.c), or NULL; not GH_OK rolls back. */
	int		(*in_tx)(struct store *s,
			    const uint8_t id[REPORT_ID_BYTES], void *arg);
	void		*in_tx_arg;
};

/*
 * Creates a report with a fresh random id (written into id), its first
 * message and what rn->in_tx adds in one durable transaction, spending link_hash when
 * given. GH_ERR_EXISTS (receipt hash collides), GH_ERR_SPENT or
 * GH_ERR_NOT_FOUND (the link), GH_ERR_DB.
 */
int store_report_create(struct store *s, const struct report_new *rn,
    int64_t day, uint8_t id[REPORT_ID_BYTES]) GH_WUR;

/* Finds the report of a receipt hash into *row. GH_ERR_NOT_FOUND. */
int store_report_by_receipt(struct store *s, const uint8_t hash[32],
    struct report_row *row) GH_WUR;

/* Reads a report by id into *row. GH_ERR_NOT_FOUND. */
int store_report_get(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    struct report_row *row) GH_WUR;

/* Frees what a report_row holds (not the row itself). */
void store_report_row_clear(struct report_row *row);

/* Calls fn for every report (withdrawn ones too), newest first. */
int store_report_foreach(struct store *s,
    int (*fn)(void *arg, const struct report_row *row), void *arg) GH_WUR;

/* Calls fn for every message of a report in seq order. */
int store_report_messages(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int (*fn)(void *arg, const struct report_msg *m), void *arg) GH_WUR;

/* Appends a message (its seq is chosen here, the next one). */
int store_report_add_message(struct store *s,
    const uint8_t id[REPORT_ID_BYTES], const struct report_msg *m,
    int64_t day) GH_WUR;

/*
 * Sets the status (and status_day = day); REPORT_ACKNOWLEDGED also sets
 * ack_day, REPORT_CLOSED closed_day, REPORT_SECOND_OPINION
 * second_opinion_day (if not yet set). Refused (GH_ERR_CLOSED) on a
 * withdrawn report.
 */
int store_report_set_status(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    enum report_status st, int64_t day) GH_WUR;

/* Records the day a step of the desk's clock was taken: which = 7 the
 * acknowledgement, 0 the feedback (both kept if already set), 1 and 3
 * the aftercare contacts one and three months after closing. */
int store_report_set_day(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int which, int64_t day) GH_WUR;

/* Sets the desk's categories; NULL leaves a field as it is. */
int store_report_set_category(struct store *s,
    const uint8_t id[REPORT_ID_BYTES], const char *form, const char *ground,
    const char *unit, const char *measure) GH_WUR;

/*
 * Replaces the receipt: new hash, salt and reply key, and every message's
 * for_reporter blob (msgs[i].for_reporter for seq msgs[i].seq), in one
 * transaction. GH_ERR_EXISTS if the new hash collides.
 */
int store_report_rekey(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const uint8_t hash[32], const uint8_t salt[16], const uint8_t pk[32],
    const struct report_msg *msgs, size_t n) GH_WUR;

/*
 * Withdraws: deletes every message, the keys and the receipt hash, unit
 * and measure; keeps status REPORT_WITHDRAWN, form, ground and days.
 */
int store_report_withdraw(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t day) GH_WUR;

/* Report links: stores a batch of n hashes; *batch gets its id. */
int store_report_links_create(struct store *s,
    const uint8_t (*hashes)[32], size_t n, int64_t *batch) GH_WUR;

/* STORE_TOKEN_FRESH, _SPENT or _UNKNOWN for a report link hash. */
int store_report_link_state(struct store *s,
    const struct store_token_key *link,
    enum store_token_state *state) GH_WUR;

/* Frees a message's blobs. */
void report_msg_free(struct report_msg *m);

#endif

/*
 * report_read.h: a report's conversation opened for one reader, without
 * HTTP. The desk reads each message's desk copy with the report's secret
 * key; the reporter reads the reporter's copy with the reply key that the
 * receipt opens (report_login.h). Implemented in report_read.c.
 *
 * The plaintexts are on the ordinary heap and wiped by report_read_free;
 * a message that does not open has no text (the desk's reading logs that
 * it happened, never which message or what).
 */
#ifndef GH_REPORT_READ_H
#define GH_REPORT_READ_H

#include <stddef.h>
#include <stdint.h>

#include "report/report_crypto.h"
#include "store/store_report.h"

/* Who reads, and so which sealed copy of each message opens. */
enum report_reader {
	REPORT_READER_DESK,
	REPORT_READER_REPORTER,
};

/* One message as its reader sees it. */
struct report_read_msg {
	int64_t			 seq;
	enum report_author	 author;
	enum report_msg_kind	 kind;
	int64_t			 day;		/* the day it was stored */
	struct report_plain	 plain;		/* text NULL: did not open */
	int			 is_open;	/* a question, or a proposal
						 * no reply has answered */
};

/* The conversation in seq order. */
struct report_read {
	struct report_read_msg	*msgs;
	size_t			 n, cap;
};

/*
 * Reads every message of report id into out (zeroed by the caller) for
 * who, opening its copy with pk and sk (the report key pair for the desk,
 * the reply key pair for the reporter), and marks the desk's open
 * questions and proposals. Returns GH_OK, GH_ERR_NOMEM or the store's
 * error; out is filled as far as it got either way, and
 * report_read_free frees it.
 */
int report_read(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    enum report_reader who, const uint8_t pk[REPORT_PK_BYTES],
    const uint8_t *sk, struct report_read *out) GH_WUR;

/* Wipes and frees every plaintext and the list; accepts a zeroed one. */
void report_read_free(struct report_read *rd);

#endif

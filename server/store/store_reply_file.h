/*
 * store_reply_file.h: files in a report's conversation. A message (a
 * reporter's follow-up, the desk's reply) and the files sent with it are
 * stored in one durable transaction, each file naming its message by
 * seq (report_attachments.seq); a file's sender is its message's author.
 * Files of the report itself have no message (seq 0 here).
 */
#ifndef GH_STORE_REPLY_FILE_H
#define GH_STORE_REPLY_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store_attach.h"
#include "store/store_report.h"

/*
 * Appends message m (its seq the next one) to live report id and the n
 * attachments a (ids chosen randomly by the caller) with it, in one
 * durable transaction: all or nothing. Returns GH_OK, GH_ERR_NOT_FOUND
 * (no such report), GH_ERR_CLOSED (withdrawn), GH_ERR_EXISTS (an id is
 * taken), GH_ERR_INVALID (an empty blob), GH_ERR_DB or GH_ERR_NOMEM.
 */
int store_report_add_message_files(struct store *s,
    const uint8_t id[REPORT_ID_BYTES], const struct report_msg *m,
    int64_t day, const struct store_attach *a, size_t n) GH_WUR;

/* An attachment with the message it came with. */
struct store_attach_from {
	int64_t			seq;	/* its message; 0: the report's */
	enum report_author	author;	/* its sender */
};

/*
 * Calls fn for every attachment of report_id with its message, in id
 * order; stops at and returns fn's first non-GH_OK return. The blobs
 * are valid during the call only. Returns GH_OK or GH_ERR_DB.
 */
int store_attach_each_from(struct store *s,
    const uint8_t report_id[REPORT_ID_BYTES],
    int (*fn)(const struct store_attach *a,
    const struct store_attach_from *from, void *arg), void *arg) GH_WUR;

#endif

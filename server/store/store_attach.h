/*
 * store_attach.h: the attachments of reports (table report_attachments):
 * per file a random 16-byte id, the day it came, and two sealed blobs
 * (report/attach_seal.h): for_desk, to the report key, and for_reporter,
 * to the reporter's reply key. Name, type and content are inside the
 * blobs only; the blobs' lengths are size classes.
 */
#ifndef GH_STORE_ATTACH_H
#define GH_STORE_ATTACH_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "store/store_report.h"

#define ATTACH_ID_BYTES	16

/* One attachment as stored. The blobs are malloc'd. */
struct store_attach {
	uint8_t		 id[ATTACH_ID_BYTES];
	int64_t		 day;
	uint8_t		*for_desk;
	size_t		 for_desk_len;
	uint8_t		*for_reporter;
	size_t		 for_reporter_len;
};

/*
 * Stores a (its id chosen by the caller, randomly) for report
 * report_id. Returns GH_OK, GH_ERR_EXISTS (the id is taken),
 * GH_ERR_NOT_FOUND (no such report) or GH_ERR_DB.
 */
int store_attach_add(struct store *s, const uint8_t report_id[REPORT_ID_BYTES],
    const struct store_attach *a) GH_WUR;

/*
 * Stores the n attachments a (ids chosen randomly by the caller) for
 * report_id in one durable transaction: all or none. Returns as
 * store_attach_add.
 */
int store_attach_add_all(struct store *s,
    const uint8_t report_id[REPORT_ID_BYTES], const struct store_attach *a,
    size_t n) GH_WUR;

/*
 * Reads attachment id of report_id into *a (free with
 * store_attach_clear). Returns GH_OK, GH_ERR_NOT_FOUND or GH_ERR_DB.
 */
int store_attach_get(struct store *s, const uint8_t report_id[REPORT_ID_BYTES],
    const uint8_t id[ATTACH_ID_BYTES], struct store_attach *a) GH_WUR;

/*
 * Calls fn for every attachment of report_id, in id order (random, not
 * the order of arrival); stops at and returns fn's first non-GH_OK
 * return. The blobs passed are valid during the call only. Returns
 * GH_OK or GH_ERR_DB.
 */
int store_attach_each(struct store *s,
    const uint8_t report_id[REPORT_ID_BYTES],
    int (*fn)(const struct store_attach *a, void *arg), void *arg) GH_WUR;

/* Counts the attachments of report_id into *n. GH_OK or GH_ERR_DB. */
int store_attach_count(struct store *s,
    const uint8_t report_id[REPORT_ID_BYTES], int64_t *n) GH_WUR;

/* Frees the blobs of a and zeroes it; accepts an empty one. */
void store_attach_clear(struct store_attach *a);

#endif

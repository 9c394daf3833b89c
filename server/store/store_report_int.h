/*
 * store_report_int.h: what store_report.c, store_report_msg.c and
 * store_report_link.c share: their statement slots (STORE_EXT_REPORT..+39)
 * and small helpers. Not for use outside server/store/.
 */
#ifndef GH_STORE_REPORT_INT_H
#define GH_STORE_REPORT_INT_H

#include "store/store_int.h"
#include "store/store_report.h"

enum report_slot {
	ST_REPORT_INSERT,
	ST_REPORT_MSG_INSERT,
	ST_REPORT_BY_RECEIPT,
	ST_REPORT_GET,
	ST_REPORT_ALL,
	ST_REPORT_MSGS,
	ST_REPORT_STATUS,
	ST_REPORT_FEEDBACK,
	ST_REPORT_ACK,
	ST_REPORT_AFTER1,
	ST_REPORT_AFTER3,
	ST_REPORT_CATEGORY,
	ST_REPORT_REKEY,
	ST_REPORT_MSG_REKEY,
	ST_REPORT_COUNT_MSGS,
	ST_REPORT_WD_MSGS,
	ST_REPORT_WD_NOTES,
	ST_REPORT_WD_REVIEWS,
	ST_REPORT_WD_FILES,
	ST_REPORT_WD_REPORT,
	ST_REPORT_STATUS_OF,
	ST_REPORT_LINK_BATCH,
	ST_REPORT_LINK_INSERT,
	ST_REPORT_LINK_STATE,
	ST_REPORT_LINK_SPEND,
	ST_REPORT_COUNT	/* at most 40 */
};

/* The statement of a slot before ST_REPORT_LINK_BATCH (store_report.c's SQL),
 * prepared at first use; NULL (logged) on error. store_report_link.c
 * prepares the link slots itself. */
sqlite3_stmt *report_stmt(struct store *s, enum report_slot which);

/* Binds :id to a report id (static: it must outlive the step). */
void report_bind_id(sqlite3_stmt *st, const uint8_t id[REPORT_ID_BYTES]);

struct store_attach;

/* Binds attachment a of report report_id to st (an INSERT into
 * report_attachments with :id, :aid, :day, :desk, :reporter; NULL:
 * GH_ERR_DB) and runs it: GH_OK, GH_ERR_INVALID (an empty copy),
 * GH_ERR_EXISTS, GH_ERR_NOT_FOUND (no such report) or GH_ERR_DB (what
 * names it in the log). store_attach.c. */
int store_attach_insert(struct store *s, sqlite3_stmt *st,
    const uint8_t report_id[REPORT_ID_BYTES], const struct store_attach *a,
    const char *what);

/* Spends a report link inside the caller's transaction: GH_OK,
 * GH_ERR_SPENT, GH_ERR_NOT_FOUND or GH_ERR_DB. */
int report_link_spend(struct store *s,
    const struct store_token_key *link) GH_WUR;

/* Inserts message m of report id inside the caller's transaction. */
int report_insert_message(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const struct report_msg *m, int64_t day) GH_WUR;

/* The status of report id into *st: GH_OK or GH_ERR_NOT_FOUND. */
int report_status_of(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    enum report_status *st) GH_WUR;

/*
 * The destruction of withdrawal and of retention: in one transaction on
 * a live report (GH_ERR_NOT_FOUND, GH_ERR_CLOSED), deletes every message,
 * internal note and reviewer's key of report id, then steps tomb (its
 * parameters but :id bound by the caller; :id is bound here), which
 * clears the keys and receipt hash of the row. tomb is reset and its
 * bindings cleared on every path.
 */
int report_destroy(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    sqlite3_stmt *tomb) GH_WUR;

#endif

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
	RS_INSERT,
	RS_MSG_INSERT,
	RS_BY_RECEIPT,
	RS_GET,
	RS_ALL,
	RS_MSGS,
	RS_STATUS,
	RS_FEEDBACK,
	RS_AFTER1,
	RS_AFTER3,
	RS_CATEGORY,
	RS_REKEY,
	RS_MSG_REKEY,
	RS_COUNT_MSGS,
	RS_WD_MSGS,
	RS_WD_REPORT,
	RS_STATUS_OF,
	RS_LINK_BATCH,
	RS_LINK_INSERT,
	RS_LINK_STATE,
	RS_LINK_SPEND,
	RS_COUNT	/* at most 40 */
};

/* The statement of a slot, prepared at first use; NULL (logged) on error. */
sqlite3_stmt *report_stmt(struct store *s, enum report_slot which);

/* Steps st once, resets it and clears its bindings; returns the step's rc. */
int report_step_once(sqlite3_stmt *st);

/* Binds :id to a report id (static: it must outlive the step). */
void report_bind_id(sqlite3_stmt *st, const uint8_t id[REPORT_ID_BYTES]);

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

#endif

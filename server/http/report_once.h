/*
 * report_once.h: the one-time submission keys of the reporter's forms,
 * kept in memory, so that a reload, Back or a double click never files a
 * report or a message twice. Implemented in report_once.c.
 *
 * Every reporter form carries a random key in the hidden field "once"
 * (made by the page: pages/report.h). The first POST with a key claims
 * it; a POST with a key already claimed is a repeat and does nothing but
 * show what the first one did. A POST that changed nothing (a refusal,
 * a full queue, an error) gives its key back, so that the same form can
 * be sent again.
 *
 * A new receipt (a new report, a replaced receipt) is kept with its key
 * for ONCE_SHOW_S at most, so that the GET after the redirect (and a
 * repeat of the POST) shows it: it goes when the reporter says it is
 * written down, when it is ONCE_SHOW_S old, or at a restart. A key is
 * remembered ONCE_KEEP_S. Keys are kept as keyed BLAKE2b hashes under a
 * key drawn at start-up; nothing here is written to disk or logged. The
 * table has ONCE_SLOTS slots: when full, the oldest entry makes way.
 * Thread-safe (one mutex).
 *
 * A view is what a reporter's POST to /melden/volg redirects to (303),
 * so that Reload and Back repeat a GET, never the POST: a new random key
 * the server makes, kept with the receipt that logged in and what to
 * show (a notice, or a note when no receipt goes with it), for
 * ONCE_SHOW_S at most, like a new receipt. It is never a receipt to show.
 */
#ifndef GH_HTTP_REPORT_ONCE_H
#define GH_HTTP_REPORT_ONCE_H

#include <stdint.h>
#include <time.h>

#include "util/err.h"

#define ONCE_KEY_BYTES	16
#define ONCE_KEY_TEXT	22	/* base64url, no padding */
#define ONCE_SLOTS	4096
#define ONCE_KEEP_S	((time_t)12 * 60 * 60)
#define ONCE_SHOW_S	((time_t)10 * 60)
#define ONCE_RECEIPT_MAX 64
#define ONCE_ACK_MAX	1024
#define ONCE_WHAT_MAX	24

struct onces;

enum once_state {
	ONCE_FRESH,		/* claimed by this call */
	ONCE_PENDING,		/* claimed earlier, not finished yet */
	ONCE_DONE,		/* claimed and finished earlier */
};

/* Makes an empty table; GH_OK or GH_ERR_NOMEM. */
int onces_new(struct onces **out) GH_WUR;

/* Frees the table, wiping what it holds; accepts NULL. */
void onces_free(struct onces *os);

/*
 * Claims the key text (a POST's "once" field) at time now: sets *state
 * to ONCE_FRESH if it was not known (it is now, pending), or to what
 * became of it. GH_OK, or GH_ERR_INVALID if text is not a key.
 */
int once_claim(struct onces *os, const char *text, time_t now,
    enum once_state *state) GH_WUR;

/* Gives a claimed key back (nothing was done with it). */
void once_release(struct onces *os, const char *text);

/*
 * Marks the key done at now, with the receipt and acknowledgement to
 * show (either may be NULL: nothing to show).
 */
void once_done(struct onces *os, const char *text, time_t now,
    const char *receipt, const char *ack);

/*
 * Copies the receipt (and acknowledgement, "" if none) kept with key
 * text into receipt and ack, if it is not older than ONCE_SHOW_S at
 * now. GH_OK, GH_ERR_BUSY (claimed, not finished yet), or
 * GH_ERR_NOT_FOUND (nothing kept: never, gone, or not a key).
 */
int once_receipt(struct onces *os, const char *text, time_t now,
    char receipt[ONCE_RECEIPT_MAX], char ack[ONCE_ACK_MAX]) GH_WUR;

/*
 * Makes a view: a new key, written into key, kept done at now with
 * receipt ("" for none) and what (a notice or note name, shorter than
 * ONCE_WHAT_MAX). GH_OK, or GH_ERR_INVALID if either does not fit.
 */
int once_view_new(struct onces *os, time_t now, const char *receipt,
    const char *what, char key[ONCE_KEY_TEXT + 1]) GH_WUR;

/*
 * Copies the receipt and what of view key text into receipt and what,
 * if it is not older than ONCE_SHOW_S at now. GH_OK, or
 * GH_ERR_NOT_FOUND (no such view: never, gone, or not a key).
 */
int once_view(struct onces *os, const char *text, time_t now,
    char receipt[ONCE_RECEIPT_MAX], char what[ONCE_WHAT_MAX]) GH_WUR;

/* Wipes the receipt kept with key text (the reporter has it). */
void once_forget_receipt(struct onces *os, const char *text);

/* Marks key text's report as sealed in the browser (report_sealed.h). */
void once_set_browser(struct onces *os, const char *text);

/* Returns 1 if key text's report was sealed in the browser, 0 if by
 * the server, -1 if the key is not (or no longer) known. */
int once_is_browser(struct onces *os, const char *text);

#endif

/*
 * reporter.h: the response helpers the reporter's routes share
 * (route_report.c: intake, links, the receipt step; route_report_follow.c:
 * receipt login and the conversation). Implemented in reporter.c, which
 * calls no route. Internal to server/http/.
 */
#ifndef GH_HTTP_REPORTER_H
#define GH_HTTP_REPORTER_H

#include <stdint.h>

#include "crypto/receipt.h"
#include "http/http_int.h"
#include "survey/form.h"

/* Sends a rendered page with status (or the error page if r failed). */
enum MHD_Result reporter_send(struct req *rq, unsigned int status,
    struct buf *b, int r);

/* Takes the page language from a form's "lang" field, if it names one. */
void reporter_set_lang(struct req *rq, const struct form *f);

/* Sends a note page (pages/report.h page_report_note) with status. */
enum MHD_Result reporter_send_note(struct req *rq, unsigned int status,
    const char *which, const char *href, const char *link_key);

/*
 * Shows the receipt page for a new code r (is_replacement: for an
 * existing report), with ack (NULL: none) and the text sent (or NULL).
 */
enum MHD_Result reporter_send_receipt(struct req *rq,
    const uint8_t r[RECEIPT_BYTES], const char *ack, const char *sent,
    int is_replacement);

/*
 * A new code r for the one-time key once (http/report_once.h): keeps it
 * with the key (ack: the acknowledgement; NULL for a replaced receipt)
 * and answers 303 to GET /melden/ontvangen, which shows it.
 */
enum MHD_Result reporter_keep_receipt(struct req *rq, const char *once,
    const uint8_t r[RECEIPT_BYTES], const char *ack);

/* 303 to GET /melden/ontvangen for the one-time key once. */
enum MHD_Result reporter_redirect_receipt(struct req *rq, const char *once);

#endif

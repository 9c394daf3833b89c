/*
 * route_report.h: what route_report.c (intake, links, the receipt step,
 * the acknowledgement) and route_report_follow.c (receipt login and the
 * conversation) share. Internal to server/http/.
 */
#ifndef GH_ROUTE_REPORT_H
#define GH_ROUTE_REPORT_H

#include <stdint.h>

#include "crypto/receipt.h"
#include "http/form.h"
#include "pages/page.h"
#include "http/http_int.h"
#include "pages/report.h"
#include "store/store_report.h"

/*
 * One request of a reporter logged in with their receipt: found on the
 * request thread, finished on a hashing worker (route_report_follow.c).
 */
struct report_follow {
	struct req		*rq;
	struct store		*s;
	struct form		*f;
	struct report_row	 row;
	uint8_t			 receipt[RECEIPT_BYTES];
	char			 code[RECEIPT_TEXT_LEN + 1];
	uint8_t			*sk;		/* reply secret key */
};

/* Replaces the receipt of fw's report and shows the new one once. */
enum MHD_Result report_rekey(struct report_follow *fw);

/* Sends a rendered page with status (or the error page if r failed). */
enum MHD_Result report_send(struct req *rq, unsigned int status,
    struct buf *b, int r);

/* Takes the page language from a form's "lang" field, if it names one. */
void report_set_lang(struct req *rq, const struct form *f);

/* Formats a Unix time as "YYYY-MM-DD HH:MM UTC" into out (24 bytes). */
void report_time_text(char out[24], int64_t t);

/*
 * Shows the receipt page for a new code r (is_replacement: for an
 * existing report), with ack (NULL: none) and the text sent (or NULL).
 */
enum MHD_Result report_send_receipt(struct req *rq,
    const uint8_t r[RECEIPT_BYTES], const char *ack, const char *sent,
    int is_replacement);

/* POST /melden/volg: the receipt login and every action after it. */
enum MHD_Result route_report_follow(struct req *rq);

#endif

/*
 * reporter.c: rendering and sending the reporter's pages (reporter.h),
 * below route_report.c and route_report_follow.c, which both call it.
 *
 * Entry points: reporter_send (a rendered page, or the error page with
 * the half-rendered one wiped: it may hold a report's text),
 * reporter_set_lang, reporter_send_note, reporter_send_receipt (the
 * receipt code rendered and wiped from the stack), reporter_keep_receipt
 * and reporter_redirect_receipt (the code kept in memory with the form's
 * one-time key, report_once.h; the redirect carries the key, never the
 * code). Nothing is logged.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "http/report_once.h"
#include "http/reporter.h"
#include "pages/page.h"
#include "pages/report.h"
#include "util/sbuf.h"

enum MHD_Result
reporter_send(struct req *rq, unsigned int status, struct buf *b, int r)
{
	if (r != GH_OK) {
		gh_freezero(b->data, b->cap);
		memset(b, 0, sizeof(*b));
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, status, b);
}

void
reporter_set_lang(struct req *rq, const struct form *f)
{
	const char *v = f != NULL ? form_get(f, "lang") : NULL;
	enum def_lang lang;

	if (v != NULL && def_lang_parse(v, &lang) == GH_OK)
		rq->lang = lang;
}

enum MHD_Result
reporter_send_note(struct req *rq, unsigned int status, const char *which,
    const char *href, const char *link_key)
{
	struct buf b = { 0 };
	int r = page_report_note(&b, rq->lang, which, href, link_key);

	return reporter_send(rq, status, &b, r);
}

enum MHD_Result
reporter_send_receipt(struct req *rq, const uint8_t r[RECEIPT_BYTES],
    const char *ack, const char *sent, int is_replacement)
{
	char code[RECEIPT_TEXT_LEN + 1];
	struct buf b = { 0 };
	int rc;

	receipt_to_text(code, r);
	/* Here only the server seals: a new report's text came in clear. */
	rc = page_report_receipt_where(&b, rq->lang, code, ack, sent,
	    is_replacement, 0, NULL, is_replacement ? PAGE_SEALED_NONE :
	    PAGE_SEALED_SERVER);
	sodium_memzero(code, sizeof(code));
	return reporter_send(rq, MHD_HTTP_OK, &b, rc);
}

enum MHD_Result
reporter_redirect_receipt(struct req *rq, const char *once)
{
	char loc[96];

	snprintf(loc, sizeof(loc), "/melden/ontvangen?k=%s&lang=%s", once,
	    def_lang_code(rq->lang));
	return http_send_redirect(rq, loc, NULL);
}

enum MHD_Result
reporter_keep_receipt(struct req *rq, const char *once,
    const uint8_t r[RECEIPT_BYTES], const char *ack)
{
	char code[RECEIPT_TEXT_LEN + 1];

	receipt_to_text(code, r);
	/* No acknowledgement kept ("") marks a replaced receipt. */
	once_done(rq->ctx->report_once, once, time(NULL), code,
	    ack != NULL ? ack : "");
	sodium_memzero(code, sizeof(code));
	return reporter_redirect_receipt(rq, once);
}

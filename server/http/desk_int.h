/*
 * desk_int.h: what route_desk.c (authorisation, inbox, signals) and
 * route_desk_report.c (one report and its forms) share. Internal to
 * server/http/.
 */
#ifndef GH_HTTP_DESK_INT_H
#define GH_HTTP_DESK_INT_H

#include "http/form.h"
#include "http/http_int.h"
#include "http/session.h"
#include "pages/desk.h"
#include "pages/page.h"
#include "store/store_report.h"

/* A desk request that passed the checks: its session and (POST) form. */
struct desk_req {
	struct req		*rq;
	const char		*cookie;
	struct session_view	 view;
	struct form		*form;		/* POST only */
	uint8_t			 id[REPORT_ID_BYTES];
	char			 id_hex[DESK_ID_LEN + 1];
};

/* Fills a page item from a report row as of today. */
void desk_item_fill(struct desk_item *it, const struct report_row *row,
    int64_t today, int64_t *urgency);

/* The common part of every desk page. */
void desk_page_init(struct desk_page *p, const struct desk_req *d,
    const char *here);

/* Sends 403 with the refusal page. */
enum MHD_Result desk_forbidden(struct req *rq);

/* GET /desk/r/ID: shows report d->id (status 200, or a problem's status
 * with notice_key shown as an error). */
enum MHD_Result desk_report_show(struct desk_req *d, unsigned int status,
    const char *notice_key);

/* POST /desk/r/ID/ACTION (reply, status, category, aftercare). */
enum MHD_Result desk_report_post(struct desk_req *d, const char *action);

#endif
